//! Commands in the store: issued (pending, with a hold-ledger intent for hold and
//! unhold), confirmed by a reply, or failed (rolled back; a refused hold intent goes).

use uuid::Uuid;

use super::changes::{Change, Changes};
use super::commands::{CommandError, PendingCommand};
use super::input::{CommandFailure, CommandId};
use super::{ConferencesState, Dirty};
use crate::command::{Command, Target};
use crate::voipbin::Timestamp;

impl ConferencesState {
    /// The call and leg a hold command acts on.
    pub(super) fn hold_subject(&self, target: &Target) -> Option<(Uuid, Option<Uuid>)> {
        match *target {
            Target::Call(call) => {
                // Prefer the leg that is in a room now.
                let legs = self.call_legs.get(&call);
                let joined = legs.into_iter().flatten().copied().find(|leg| {
                    let Some(conference) = self.leg_conference.get(leg) else {
                        return false;
                    };
                    self.conferences
                        .get(conference)
                        .is_some_and(|e| e.current.conferencecall_ids.contains(leg))
                });
                Some((call, joined))
            }
            Target::Conferencecall(leg) => {
                let call = self.conferencecalls.get(&leg)?.reference_id;
                (!call.is_nil()).then_some((call, Some(leg)))
            }
            Target::Conference(_) => None,
        }
    }

    /// A command is about to be sent: pending until the platform confirms it. A hold or
    /// unhold is written to the ledger as an intent first, so a crash before the reply
    /// leaves the call shown as "hold (unconfirmed)" rather than forgotten.
    pub(super) fn issue(
        &mut self,
        id: CommandId,
        command: Command,
        now: Timestamp,
        dirty: &mut Dirty,
        out: &mut Changes,
    ) {
        let target = command.target();
        let mut ledger_before = None;
        if command.changes_hold() {
            if let Some((call, leg)) = self.hold_subject(&target) {
                let hold = matches!(command, Command::Hold { .. });
                ledger_before = self.ledger.intend(call, leg, hold, now);
                out.ledger_changed |= ledger_before.is_some();
                self.mark_call(call, dirty);
            }
        }
        self.commands.issue(PendingCommand {
            id,
            command,
            issued_at: now,
            ledger_before,
        });
        self.mark_target(&target, dirty);
    }

    pub(super) fn confirm(
        &mut self,
        id: CommandId,
        now: Timestamp,
        dirty: &mut Dirty,
        out: &mut Changes,
    ) {
        let Some(pending) = self.commands.finish(id) else {
            return;
        };
        out.settled.push(id);
        let target = pending.target();
        let subject = self.hold_subject(&target);
        if let Some((call, leg)) = subject {
            let changed = match (&pending.command, &pending.ledger_before) {
                // An intent whose leg has left since is gone: no hold to confirm.
                (Command::Hold { .. }, Some(before)) => {
                    self.ledger.confirm_intent(call, before.as_ref(), now)
                }
                (Command::Hold { .. }, None) => self.ledger.hold(call, leg, now),
                (Command::Unhold { .. }, _) => self.ledger.release(call),
                _ => false,
            };
            out.ledger_changed |= changed;
            self.mark_call(call, dirty);
        }
        self.mark_target(&target, dirty);
    }

    pub(super) fn fail(
        &mut self,
        id: CommandId,
        failure: CommandFailure,
        now: Timestamp,
        dirty: &mut Dirty,
        out: &mut Changes,
    ) {
        let Some(pending) = self.commands.finish(id) else {
            return;
        };
        let target = pending.target();
        // Without a reply the platform may have done it: the intent stays unconfirmed.
        if let (Some(before), true) = (pending.ledger_before.clone(), failure.refused()) {
            if let Some((call, _)) = self.hold_subject(&target) {
                out.ledger_changed |= self.ledger.restore(call, before);
                self.mark_call(call, dirty);
            }
        }
        out.push(Change::CommandFailed {
            command_id: id,
            command: pending.command.words(),
            target,
            reason: failure.reason.clone(),
            message: failure.message.clone(),
            request_id: failure.request_id.clone(),
        });
        let error = CommandError {
            id,
            command: pending.command,
            reason: failure.reason,
            message: failure.message,
            request_id: failure.request_id,
            failed_at: now,
        };
        self.commands.fail(error, target);
        self.mark_target(&target, dirty);
    }
}
