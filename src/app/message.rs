//! The message on the bottom line: posted by `say`, cleared by the tick a few seconds later.

use chrono::TimeDelta;

use super::view::{Message, MessageLevel};
use super::App;
use crate::voipbin::Timestamp;

/// How long a message stays on the bottom line.
const MESSAGE_LIFETIME: TimeDelta = TimeDelta::seconds(6);

impl App {
    pub(crate) fn say(&mut self, level: MessageLevel, text: String, now: Timestamp) {
        self.view.message = Some(Message {
            level,
            text,
            at: now,
        });
    }

    /// Called on the tick: a message older than `MESSAGE_LIFETIME` goes.
    pub(super) fn expire_message(&mut self, now: Timestamp) {
        if self
            .view
            .message
            .as_ref()
            .is_some_and(|m| now - m.at > MESSAGE_LIFETIME)
        {
            self.view.message = None;
        }
    }
}
