//! One wake-up time per conference, so a tick touches only what is due.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::id_map::IdMap;
use crate::voipbin::Timestamp;

#[derive(Debug, Default)]
pub(crate) struct Timers {
    queue: BTreeSet<(Timestamp, Uuid)>,
    by_conference: IdMap<Timestamp>,
}

impl Timers {
    /// Replaces the conference's wake-up time (`None` cancels it).
    pub(crate) fn set(&mut self, conference: Uuid, at: Option<Timestamp>) {
        if let Some(old) = self.by_conference.remove(&conference) {
            self.queue.remove(&(old, conference));
        }
        if let Some(at) = at {
            self.queue.insert((at, conference));
            self.by_conference.insert(conference, at);
        }
    }

    /// Removes and returns the conferences due at `now`.
    pub(crate) fn take_due(&mut self, now: Timestamp) -> Vec<Uuid> {
        let mut due = Vec::new();
        while let Some(&(at, conference)) = self.queue.first() {
            if at > now {
                break;
            }
            self.queue.pop_first();
            self.by_conference.remove(&conference);
            due.push(conference);
        }
        due
    }

    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }
}
