//! Events per second over the last minute, for the header's sparkline.

use std::collections::VecDeque;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone)]
pub struct EventRate {
    /// (second, count), oldest first; seconds with no events are filled with zero.
    buckets: VecDeque<(i64, u64)>,
    capacity: usize,
}

impl EventRate {
    pub fn new(seconds: usize) -> Self {
        EventRate {
            buckets: VecDeque::with_capacity(seconds + 1),
            capacity: seconds.max(1),
        }
    }

    pub fn record(&mut self, now: Timestamp) {
        self.advance(now);
        if let Some((_, count)) = self.buckets.back_mut() {
            *count += 1;
        }
    }

    /// Moves the window to `now`, so quiet seconds show as zero.
    pub fn advance(&mut self, now: Timestamp) {
        let second = now.timestamp();
        let last = self.buckets.back().map(|(s, _)| *s);
        match last {
            Some(last) if last >= second => return,
            Some(last) => {
                let gap = (second - last).min(self.capacity as i64);
                for s in (second - gap + 1)..=second {
                    self.buckets.push_back((s, 0));
                }
            }
            None => self.buckets.push_back((second, 0)),
        }
        while self.buckets.len() > self.capacity {
            self.buckets.pop_front();
        }
    }

    /// Counts per second, oldest first; the current (incomplete) second is last.
    pub fn series(&self) -> Vec<u64> {
        self.buckets.iter().map(|(_, c)| *c).collect()
    }

    /// The last complete second's count.
    pub fn last_second(&self) -> u64 {
        let n = self.buckets.len();
        if n >= 2 {
            self.buckets[n - 2].1
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone, Utc};

    #[test]
    fn counts_per_second_and_fills_gaps() {
        let t0 = Utc.with_ymd_and_hms(2026, 8, 21, 14, 0, 0).unwrap();
        let mut rate = EventRate::new(5);
        rate.record(t0);
        rate.record(t0 + TimeDelta::milliseconds(500));
        rate.record(t0 + TimeDelta::seconds(3));
        assert_eq!(rate.series(), vec![2, 0, 0, 1]);
        rate.advance(t0 + TimeDelta::seconds(10));
        assert_eq!(rate.series(), vec![0, 0, 0, 0, 0]);
    }
}
