//! Reconnect delays: exponential from 1 s to 30 s with full jitter, so that many consoles
//! dropped by one outage do not come back in lock-step.

use std::time::Duration;

use rand::Rng;

#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    attempt: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(Duration::from_secs(1), Duration::from_secs(30))
    }
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff {
            base,
            max,
            attempt: 0,
        }
    }

    /// Failed attempts since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The ceiling of the next delay: base · 2^(attempt+1), capped, so even the first
    /// retry is spread over [base, 2·base] and consoles do not come back in lock-step.
    pub fn ceiling(&self) -> Duration {
        let factor = 2u32.saturating_pow(self.attempt.saturating_add(1).min(16));
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The next delay: uniform between half the ceiling and the ceiling (never below base).
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        let ceiling = self.ceiling();
        self.attempt = self.attempt.saturating_add(1);
        let floor = (ceiling / 2).max(self.base.min(ceiling));
        if ceiling <= floor {
            return ceiling;
        }
        rng.gen_range(floor..=ceiling)
    }

    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn grows_to_the_cap_and_resets() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut b = Backoff::default();
        let mut last_ceiling = Duration::ZERO;
        for _ in 0..10 {
            let ceiling = b.ceiling();
            let d = b.next_delay(&mut rng);
            assert!(
                d >= Duration::from_secs(1) && d <= ceiling,
                "{d:?} > {ceiling:?}"
            );
            assert!(ceiling >= last_ceiling);
            last_ceiling = ceiling;
        }
        assert_eq!(last_ceiling, Duration::from_secs(30));
        assert_eq!(b.attempt(), 10);
        b.reset();
        assert_eq!(b.ceiling(), Duration::from_secs(2));
    }

    #[test]
    fn the_first_retry_is_jittered_too() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let firsts: std::collections::HashSet<Duration> = (0..20)
            .map(|_| Backoff::default().next_delay(&mut rng))
            .collect();
        assert!(
            firsts.len() > 1,
            "every console would retry at the same instant"
        );
        assert!(firsts
            .iter()
            .all(|d| *d >= Duration::from_secs(1) && *d <= Duration::from_secs(2)));
    }
}
