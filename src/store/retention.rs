//! Retention: what time passing forgets (expired frame hashes, ended rooms past their
//! retention, tombstones, orphaned calls and legs, old hold-ledger entries).

use uuid::Uuid;

use super::changes::{Change, Changes};
use super::commands::PendingCommand;
use super::conference::Needed;
use super::{ConferencesState, Dirty, Orphan};
use crate::command::Target;
use crate::voipbin::Timestamp;

impl ConferencesState {
    pub(super) fn tick(&mut self, now: Timestamp, dirty: &mut Dirty, out: &mut Changes) {
        self.dedupe.expire(now);
        for id in self.timers.take_due(now) {
            let expired = self.conferences.get(&id).is_some_and(|e| {
                e.ended_seen_at
                    .is_some_and(|at| now >= at + self.config.ended_retention)
            });
            if expired {
                self.forget(id, now, out);
            } else {
                dirty.mark_time(id);
            }
        }
        while let Some(&(at, id)) = self.tombstone_queue.front() {
            if now < at + self.config.tombstone_retention {
                break;
            }
            self.tombstone_queue.pop_front();
            if self.tombstones.get(&id) == Some(&at) {
                self.tombstones.remove(&id);
            }
        }
        while let Some(&(at, orphan)) = self.orphans.front() {
            if now < at + self.config.orphan_retention {
                break;
            }
            self.orphans.pop_front();
            match orphan {
                Orphan::Conferencecall(id) if !self.leg_conference.contains_key(&id) => {
                    self.drop_conferencecall(id);
                }
                Orphan::Call(id) if !self.call_is_linked(id) => self.drop_call(id),
                _ => {}
            }
        }
        let cutoff = now - self.config.hold_ledger_max_age;
        for call in self.ledger.prune_before(cutoff) {
            out.ledger_changed = true;
            self.mark_call(call, dirty);
        }
    }

    pub(super) fn drop_conferencecall(&mut self, id: Uuid) {
        let Some(leg) = self.conferencecalls.remove(&id) else {
            return;
        };
        if let Some(legs) = self.call_legs.get_mut(&leg.reference_id) {
            legs.retain(|l| *l != id);
            if legs.is_empty() {
                self.call_legs.remove(&leg.reference_id);
            }
        }
    }

    pub(super) fn drop_call(&mut self, id: Uuid) {
        let Some(call) = self.calls.remove(&id) else {
            return;
        };
        if let Some(agent) = call.agent_owner {
            self.unindex_agent_call(agent, id);
        }
    }

    pub(super) fn unindex_agent_call(&mut self, agent: Uuid, call: Uuid) {
        if let Some(calls) = self.agent_calls.get_mut(&agent) {
            calls.remove(&call);
            if calls.is_empty() {
                self.agent_calls.remove(&agent);
            }
        }
    }

    /// Drops an ended conference past its retention, with its legs and their calls.
    pub(super) fn forget(&mut self, id: Uuid, now: Timestamp, out: &mut Changes) {
        let Some(entry) = self.conferences.remove(&id) else {
            return;
        };
        self.live.remove(&id);
        self.ended.remove(&id);
        self.timers.set(id, None);
        self.missing.replace(&entry.needed, &Needed::default());
        self.tombstones.insert(id, now);
        self.tombstone_queue.push_back((now, id));
        self.not_found.remove(&id);
        let mut unanswered = self.commands.forget_target(&Target::Conference(id));
        for &leg in entry.members.keys() {
            unanswered.extend(self.forget_leg(id, leg, out));
        }
        report_unanswered(unanswered, "its conference", out);
        out.push(Change::ConferenceRemoved { conference_id: id });
        out.conferences.push(id);
    }

    /// Drops a forgotten leg of `conference`: its conferencecall, and its call unless
    /// another conference still lists it. Returns the commands left unanswered.
    pub(super) fn forget_leg(
        &mut self,
        conference: Uuid,
        leg: Uuid,
        out: &mut Changes,
    ) -> Vec<PendingCommand> {
        if self.leg_conference.get(&leg) == Some(&conference) {
            self.leg_conference.remove(&leg);
        }
        let mut unanswered = self.commands.forget_target(&Target::Conferencecall(leg));
        let call = self.conferencecalls.get(&leg).map(|l| l.reference_id);
        self.not_found.remove(&leg);
        self.drop_conferencecall(leg);
        if let Some(call) = call.filter(|c| !self.call_is_linked(*c)) {
            unanswered.extend(self.commands.forget_target(&Target::Call(call)));
            self.not_found.remove(&call);
            out.ledger_changed |= self.ledger.release(call);
            self.drop_call(call);
        }
        unanswered
    }
}

/// Never leave a command pending for ever: say it went unanswered, and what was forgotten
/// before its answer came (`what`).
pub(super) fn report_unanswered(unanswered: Vec<PendingCommand>, what: &str, out: &mut Changes) {
    for command in unanswered {
        out.push(Change::CommandFailed {
            command_id: command.id,
            command: command.command.words(),
            target: command.target(),
            reason: "UNANSWERED".into(),
            message: format!("no answer came before {what} was forgotten"),
            request_id: None,
        });
    }
}
