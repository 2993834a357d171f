//! Drops byte-identical frames (the platform sends each event up to four times, §11.5).
//!
//! Only a hash and an arrival time are kept per frame, and entries expire by the time passed
//! in or by count, so memory stays bounded however long the session runs.

use std::collections::{HashSet, VecDeque};
use std::hash::BuildHasher;

use chrono::TimeDelta;

use crate::voipbin::Timestamp;

/// 64-bit hash plus length: a false match needs a collision of both within one window.
/// The hash is foldhash with a per-process random seed: several times quicker than SipHash
/// over a 1 KB frame, and a server cannot predict it to make two frames collide.
type FrameKey = (u64, usize);
type Seeded = foldhash::quality::RandomState;

#[derive(Debug)]
pub(crate) struct FrameDedupe {
    window: TimeDelta,
    capacity: usize,
    hash: Seeded,
    seen: HashSet<FrameKey, Seeded>,
    order: VecDeque<(Timestamp, FrameKey)>,
}

impl FrameDedupe {
    pub(crate) fn new(window: TimeDelta, capacity: usize) -> Self {
        FrameDedupe {
            window,
            capacity: capacity.max(1),
            hash: Seeded::default(),
            seen: HashSet::default(),
            order: VecDeque::new(),
        }
    }

    /// True the first time a text is seen within the window.
    pub(crate) fn first_sighting(&mut self, text: &str, now: Timestamp) -> bool {
        self.expire(now);
        let key = (self.hash.hash_one(text.as_bytes()), text.len());
        if !self.seen.insert(key) {
            return false;
        }
        self.order.push_back((now, key));
        while self.order.len() > self.capacity {
            self.pop_oldest();
        }
        true
    }

    pub(crate) fn expire(&mut self, now: Timestamp) {
        while let Some(&(at, _)) = self.order.front() {
            if now - at < self.window {
                break;
            }
            self.pop_oldest();
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((_, key)) = self.order.pop_front() {
            self.seen.remove(&key);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::time::parse;

    fn at(s: &str) -> Timestamp {
        parse(s).unwrap().unwrap()
    }

    #[test]
    fn repeats_within_the_window_are_dropped() {
        let mut d = FrameDedupe::new(TimeDelta::seconds(10), 100);
        let t = at("2026-08-21T14:00:00Z");
        assert!(d.first_sighting("{\"id\":1}", t));
        assert!(!d.first_sighting("{\"id\":1}", t + TimeDelta::seconds(9)));
        assert!(d.first_sighting("{\"id\":2}", t));
    }

    #[test]
    fn entries_expire_by_time_and_by_count() {
        let mut d = FrameDedupe::new(TimeDelta::seconds(10), 2);
        let t = at("2026-08-21T14:00:00Z");
        assert!(d.first_sighting("a", t));
        assert!(d.first_sighting("a", t + TimeDelta::seconds(10)));
        assert!(d.first_sighting("b", t + TimeDelta::seconds(10)));
        assert!(d.first_sighting("c", t + TimeDelta::seconds(10)));
        assert_eq!(d.len(), 2);
        // "a" was pushed out by count.
        assert!(d.first_sighting("a", t + TimeDelta::seconds(11)));
    }
}
