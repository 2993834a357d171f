//! The update step: one action in, view changes and effects out, and the one rule for
//! when that needs a new frame. Inputs from the sync engine are applied here too.

use super::audit::RowStatus;
use super::view::MessageLevel;
use super::{Action, App, Effect};
use crate::store::{Change, Input};
use crate::voipbin::Timestamp;

impl App {
    /// Runs one action and sets `dirty` by one rule: every user action, resize and tick
    /// needs a new frame (timers on screen move every second); a connection change only if
    /// the state changed; a store input only if it changed something visible, so a flood of
    /// rejected or duplicate frames does not force redraws.
    pub fn update(&mut self, action: Action, now: Timestamp) -> Vec<Effect> {
        let redraw = match &action {
            Action::Inbound(_) => None,
            Action::Connection(state) => Some(*state != self.connection),
            _ => Some(true),
        };
        // `absorb` and `report` set the mark exactly when the input changed something on
        // screen.
        self.input_visible = false;
        let effects = self.dispatch(action, now);
        self.dirty |= redraw.unwrap_or(self.input_visible);
        effects
    }

    fn dispatch(&mut self, action: Action, now: Timestamp) -> Vec<Effect> {
        match action {
            Action::Run(command) => self.run(command, now),
            Action::Confirm => self.confirm(now),
            Action::Cancel => {
                if self.view.overlay.take().is_some() {
                    self.say(MessageLevel::Info, "cancelled".into(), now);
                }
                Vec::new()
            }
            Action::ChooseMute(choice) => self.choose_mute(choice, now),
            Action::Edit(edit) => self.edit(edit, now),
            Action::Inbound(input) => self.inbound(*input, now),
            Action::Connection(state) => {
                self.connection_changed(state, now);
                Vec::new()
            }
            Action::Session(session) => {
                self.session.customer = super::short_id(session.customer_id);
                Vec::new()
            }
            Action::WriteFailed(what) => {
                self.say(MessageLevel::Error, format!("✗ not recorded: {what}"), now);
                self.unrecorded = Some(what);
                Vec::new()
            }
            Action::Tick => self.tick(now),
            Action::Pointer {
                pointer,
                at,
                screen,
            } => {
                self.pointer(pointer, at, screen);
                Vec::new()
            }
            Action::Resize => Vec::new(),
        }
    }

    /// The header shows the state; the reason for a failed attempt (no room there) goes
    /// to the message line, once per new reason.
    fn connection_changed(
        &mut self,
        state: crate::client::connection::ConnectionState,
        now: Timestamp,
    ) {
        let reason = state.last_error().map(str::to_owned);
        if reason.is_some() && reason.as_deref() != self.connection.last_error() {
            let level = if matches!(
                state,
                crate::client::connection::ConnectionState::AuthFailed { .. }
            ) {
                MessageLevel::Error
            } else {
                MessageLevel::Warning
            };
            self.say(
                level,
                format!("connection: {}", reason.unwrap_or_default()),
                now,
            );
        }
        self.connection = state;
    }

    fn inbound(&mut self, input: Input, now: Timestamp) -> Vec<Effect> {
        if matches!(input, Input::Frame(_)) {
            self.event_rate.record(now);
        }
        let changes = self.store.apply(input, now);
        self.absorb(&changes);
        self.report_commands(&changes, now);
        self.tell_if_selected_ended(now);
        let mut effects = self.announce_raised_alerts(&changes.conferences, now);
        if changes.ledger_changed {
            effects.push(Effect::SaveHoldLedger);
        }
        effects
    }

    /// The selected room ended: it stays selected (see `App::pinned_ended`), and the user
    /// is told once.
    fn tell_if_selected_ended(&mut self, now: Timestamp) {
        let Some(room) = self.selected_conference().filter(|c| c.ended) else {
            return;
        };
        // Told already: the copy kept for it is this room's.
        if self
            .ended_selection
            .as_ref()
            .is_some_and(|c| c.id() == room.id())
        {
            return;
        }
        let room = room.clone();
        let text = format!(
            "{} ended; it stays selected until you move",
            super::conference_label(&room)
        );
        self.ended_selection = Some(room);
        self.say(MessageLevel::Warning, text, now);
    }

    /// The store says when a command ends, however it ended: a reply, a failure, or the
    /// platform's state showing it done (a mute seen on the call, a kicked leg gone) —
    /// possibly at once, when the state already shows it as the command is issued.
    pub(crate) fn report_commands(&mut self, changes: &crate::store::Changes, now: Timestamp) {
        for &id in &changes.settled {
            self.report(id, RowStatus::Confirmed, now);
        }
        for change in changes.iter() {
            if let Change::CommandFailed {
                command_id,
                reason,
                message,
                ..
            } = change
            {
                let status = RowStatus::Failed {
                    reason: reason.clone(),
                    message: message.clone(),
                };
                self.report(*command_id, status, now);
            }
        }
    }

    fn report(&mut self, id: crate::store::CommandId, status: RowStatus, now: Timestamp) {
        let Some(entry) = self.audit.finish(id, status, now) else {
            return;
        };
        let (level, text) = match &entry.status {
            RowStatus::Failed { reason, message } => (
                MessageLevel::Error,
                format!(
                    "✗ {} {} failed: {reason}: {message}",
                    entry.command, entry.subject
                ),
            ),
            _ => (
                MessageLevel::Success,
                format!("✓ {} {}", entry.command, entry.subject),
            ),
        };
        self.say(level, text, now);
        // The audit pane and the message line changed.
        self.input_visible = true;
    }

    fn tick(&mut self, now: Timestamp) -> Vec<Effect> {
        let effects = self.inbound(Input::Tick, now);
        self.event_rate.advance(now);
        self.expire_message(now);
        effects
    }
}
