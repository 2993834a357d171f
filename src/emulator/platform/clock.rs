//! Platform time: wall-clock based, optionally sped up, microsecond precision, and
//! strictly increasing per customer so that pagination by `tm_create` is exact.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use uuid::Uuid;

use crate::voipbin::time::{truncate_to_micros, Timestamp};

/// Wall time that runs `speed` times faster than real time from the moment it was made.
#[derive(Debug, Clone)]
pub struct Clock {
    origin_wall: Timestamp,
    origin: Instant,
    speed: f64,
}

impl Clock {
    pub fn new(speed: f64) -> Self {
        // Bounded so that neither timestamps nor timer delays can overflow.
        let speed = if speed.is_finite() && speed > 0.0 {
            speed.clamp(0.001, 1_000_000.0)
        } else {
            1.0
        };
        Clock {
            origin_wall: Utc::now(),
            origin: Instant::now(),
            speed,
        }
    }

    pub fn now(&self) -> Timestamp {
        let elapsed = self.origin.elapsed().as_secs_f64() * self.speed;
        let delta = chrono::Duration::microseconds((elapsed * 1e6) as i64);
        truncate_to_micros(
            self.origin_wall
                .checked_add_signed(delta)
                .unwrap_or(self.origin_wall),
        )
    }

    /// How long to really wait for `platform` seconds of platform time to pass.
    pub fn real_delay(&self, platform: Duration) -> Duration {
        Duration::try_from_secs_f64(platform.as_secs_f64() / self.speed).unwrap_or(Duration::MAX)
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }
}

/// Hands out timestamps that never repeat within one customer (ties bump 1 µs), so two
/// resources never share a `tm_create` and a strict `<` page token skips nothing.
#[derive(Debug, Default)]
pub(super) struct Stamper {
    last: HashMap<Uuid, Timestamp>,
}

impl Stamper {
    pub(super) fn stamp(&mut self, clock: &Clock, customer_id: Uuid) -> Timestamp {
        let now = clock.now();
        let next = match self.last.get(&customer_id) {
            Some(last) if *last >= now => *last + chrono::Duration::microseconds(1),
            _ => now,
        };
        self.last.insert(customer_id, next);
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_strictly_increase_per_customer() {
        let clock = Clock::new(1.0);
        let mut s = Stamper::default();
        let c = Uuid::new_v4();
        let mut prev = s.stamp(&clock, c);
        for _ in 0..1000 {
            let t = s.stamp(&clock, c);
            assert!(t > prev);
            prev = t;
        }
    }

    #[test]
    fn speed_scales_delays() {
        let clock = Clock::new(10.0);
        assert_eq!(
            clock.real_delay(Duration::from_secs(10)),
            Duration::from_secs(1)
        );
        assert_eq!(Clock::new(-1.0).speed(), 1.0);
        let slow = Clock::new(0.000_001);
        assert_eq!(slow.real_delay(Duration::MAX), Duration::MAX);
    }
}
