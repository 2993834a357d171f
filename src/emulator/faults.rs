//! Fault injection, so the client's tests can prove it survives the platform at its worst.
//!
//! A plan is written as comma-separated `name=trigger` pairs, where a trigger is a
//! probability (`0.1` or `10%`) or a period (`every:30s`):
//!
//! | name | effect |
//! |---|---|
//! | `ws_dup` | a WebSocket frame is sent one extra time |
//! | `ws_reorder` | a frame is held back and sent after the next one |
//! | `ws_drop` | the WebSocket connection is dropped (no close frame, like a TCP reset) |
//! | `rest_error` | a REST request under `/v1.0` is answered `503 SERVICE_UNAVAILABLE` |
//! | `rest_latency` | a REST request is delayed; `rest_latency=0.5:300ms` delays half the requests by up to 300 ms |
//! | `slow_reply` | a command (not a GET) is carried out, then its reply held back: `slow_reply=30s` |
//!
//! Probabilities apply per frame or per request; periods per connection (WebSocket) or
//! per emulator (REST). Example: `ws_dup=0.2,ws_reorder=0.1,ws_drop=every:20s,rest_error=5%`.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    Probability(f64),
    Every(Duration),
}

/// The parsed fault plan. The default injects nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    pub ws_duplicate: Option<Trigger>,
    pub ws_reorder: Option<Trigger>,
    pub ws_drop: Option<Trigger>,
    pub rest_error: Option<Trigger>,
    /// How often, and the most a delayed request waits.
    pub rest_latency: Option<(Trigger, Duration)>,
    /// A command (any method but GET) is carried out, then its reply is held back this
    /// long: the window in which a client can die between the platform acting and the
    /// reply arriving.
    pub slow_reply: Option<Duration>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("fault {0:?} is not name=trigger")]
    NotAPair(String),
    #[error("unknown fault {0:?} (known: ws_dup, ws_reorder, ws_drop, rest_error, rest_latency, slow_reply)")]
    UnknownFault(String),
    #[error("bad trigger {0:?}: use a probability (0.1, 10%) or a period (every:30s)")]
    BadTrigger(String),
    #[error("bad duration {0:?}: use e.g. 250ms, 2s, 1m")]
    BadDuration(String),
    #[error("rest_latency needs a maximum delay, e.g. rest_latency=0.5:300ms")]
    LatencyNeedsDelay,
}

impl FromStr for FaultPlan {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut plan = FaultPlan::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| FaultSpecError::NotAPair(pair.to_owned()))?;
            match name.trim() {
                "ws_dup" => plan.ws_duplicate = Some(parse_trigger(value)?),
                "ws_reorder" => plan.ws_reorder = Some(parse_trigger(value)?),
                "ws_drop" => plan.ws_drop = Some(parse_trigger(value)?),
                "rest_error" => plan.rest_error = Some(parse_trigger(value)?),
                "rest_latency" => {
                    // The trigger may itself contain a colon (`every:5s:300ms`).
                    let (trigger, delay) = value
                        .rsplit_once(':')
                        .ok_or(FaultSpecError::LatencyNeedsDelay)?;
                    plan.rest_latency = Some((parse_trigger(trigger)?, parse_duration(delay)?));
                }
                "slow_reply" => plan.slow_reply = Some(parse_duration(value)?),
                other => return Err(FaultSpecError::UnknownFault(other.to_owned())),
            }
        }
        Ok(plan)
    }
}

fn parse_trigger(text: &str) -> Result<Trigger, FaultSpecError> {
    let text = text.trim();
    let bad = || FaultSpecError::BadTrigger(text.to_owned());
    if let Some(period) = text.strip_prefix("every:") {
        let d = parse_duration(period)?;
        return if d.is_zero() {
            Err(bad())
        } else {
            Ok(Trigger::Every(d))
        };
    }
    let p = match text.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map_err(|_| bad())? / 100.0,
        None => text.parse::<f64>().map_err(|_| bad())?,
    };
    if (0.0..=1.0).contains(&p) {
        Ok(Trigger::Probability(p))
    } else {
        Err(bad())
    }
}

/// `250ms`, `2s`, `1.5s`, `1m`.
pub fn parse_duration(text: &str) -> Result<Duration, FaultSpecError> {
    crate::duration::parse(text).map_err(|_| FaultSpecError::BadDuration(text.trim().to_owned()))
}

/// Seeded dice for one fault stream (one WebSocket connection, or all REST requests).
#[derive(Debug)]
pub struct Dice {
    rng: ChaCha8Rng,
    last_fired: [Instant; 5],
}

/// Which fault a roll is for; each period trigger keeps its own last-fired time.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    WsDuplicate,
    WsReorder,
    WsDrop,
    RestError,
    RestLatency,
}

impl Dice {
    pub fn new(seed: u64, now: Instant) -> Self {
        Dice {
            rng: ChaCha8Rng::seed_from_u64(seed),
            last_fired: [now; 5],
        }
    }

    /// Whether `fault` fires now under `trigger`.
    pub fn fires(&mut self, fault: Fault, trigger: Option<Trigger>, now: Instant) -> bool {
        match trigger {
            None => false,
            Some(Trigger::Probability(p)) => p > 0.0 && self.rng.gen_bool(p.min(1.0)),
            Some(Trigger::Every(period)) => {
                let last = &mut self.last_fired[fault as usize];
                if now.duration_since(*last) >= period {
                    *last = now;
                    true
                } else {
                    false
                }
            }
        }
    }

    pub fn delay_up_to(&mut self, max: Duration) -> Duration {
        max.mul_f64(self.rng.gen_range(0.0..=1.0))
    }
}

/// A plan plus its running dice, shared by the whole emulator.
#[derive(Debug)]
pub struct Faults {
    pub plan: FaultPlan,
    seed: u64,
    connections: AtomicU64,
    rest: Mutex<Dice>,
}

/// What to do to one REST request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestFault {
    pub delay: Duration,
    pub fail: bool,
}

impl Faults {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Faults {
            plan,
            seed,
            connections: AtomicU64::new(0),
            rest: Mutex::new(Dice::new(seed ^ 0x5EED_0000_0000_0001, Instant::now())),
        }
    }

    pub fn none() -> Self {
        Self::new(FaultPlan::default(), 0)
    }

    /// Fresh dice for a new WebSocket connection (distinct but reproducible per seed).
    pub fn connection_dice(&self) -> Dice {
        let n = self.connections.fetch_add(1, Ordering::Relaxed);
        Dice::new(
            self.seed
                .wrapping_add(n.wrapping_mul(0x9E37_79B9_7F4A_7C15)),
            Instant::now(),
        )
    }

    /// Rolls the REST faults for one request.
    pub fn roll_rest(&self) -> RestFault {
        let now = Instant::now();
        let mut dice = self
            .rest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let delay = match self.plan.rest_latency {
            Some((trigger, max)) if dice.fires(Fault::RestLatency, Some(trigger), now) => {
                dice.delay_up_to(max)
            }
            _ => Duration::ZERO,
        };
        let fail = dice.fires(Fault::RestError, self.plan.rest_error, now);
        RestFault { delay, fail }
    }
}

/// Middleware: delays or fails `/v1.0` requests as the plan says. A failure is the
/// platform's `503 SERVICE_UNAVAILABLE` envelope.
pub async fn rest_faults(
    axum::extract::State(state): axum::extract::State<super::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;

    let fault = state.faults.roll_rest();
    if !fault.delay.is_zero() {
        tokio::time::sleep(fault.delay).await;
    }
    if fault.fail {
        return super::api_error::ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "The service is temporarily unavailable.",
        )
        .into_response();
    }
    let command = request.method() != axum::http::Method::GET;
    let response = next.run(request).await;
    if let Some(hold) = state.faults.plan.slow_reply.filter(|_| command) {
        tokio::time::sleep(hold).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_fault_kind() {
        let plan: FaultPlan =
            "ws_dup=0.2, ws_reorder=10%, ws_drop=every:20s, rest_error=0.05, rest_latency=every:1s:300ms"
                .parse()
                .unwrap();
        assert_eq!(plan.ws_duplicate, Some(Trigger::Probability(0.2)));
        assert_eq!(plan.ws_reorder, Some(Trigger::Probability(0.1)));
        assert_eq!(plan.ws_drop, Some(Trigger::Every(Duration::from_secs(20))));
        assert_eq!(plan.rest_error, Some(Trigger::Probability(0.05)));
        assert_eq!(
            plan.rest_latency,
            Some((
                Trigger::Every(Duration::from_secs(1)),
                Duration::from_millis(300)
            ))
        );
        assert_eq!("".parse::<FaultPlan>().unwrap(), FaultPlan::default());
    }

    #[test]
    fn rejects_bad_specs_with_a_reason() {
        assert!(matches!(
            "ws_dup".parse::<FaultPlan>(),
            Err(FaultSpecError::NotAPair(_))
        ));
        assert!(matches!(
            "boom=1".parse::<FaultPlan>(),
            Err(FaultSpecError::UnknownFault(_))
        ));
        assert!(matches!(
            "ws_dup=1.5".parse::<FaultPlan>(),
            Err(FaultSpecError::BadTrigger(_))
        ));
        assert!(matches!(
            "ws_drop=every:0s".parse::<FaultPlan>(),
            Err(FaultSpecError::BadTrigger(_))
        ));
        assert!(matches!(
            "ws_drop=every:soon".parse::<FaultPlan>(),
            Err(FaultSpecError::BadDuration(_))
        ));
        assert!("rest_latency=0.5".parse::<FaultPlan>().is_err());
    }

    #[test]
    fn probability_extremes_are_exact() {
        let now = Instant::now();
        let mut dice = Dice::new(7, now);
        for _ in 0..100 {
            assert!(dice.fires(Fault::WsDuplicate, Some(Trigger::Probability(1.0)), now));
            assert!(!dice.fires(Fault::WsDuplicate, Some(Trigger::Probability(0.0)), now));
            assert!(!dice.fires(Fault::WsDuplicate, None, now));
        }
    }

    #[test]
    fn periods_fire_once_per_period() {
        let start = Instant::now();
        let mut dice = Dice::new(7, start);
        let every = Some(Trigger::Every(Duration::from_secs(10)));
        assert!(!dice.fires(Fault::WsDrop, every, start + Duration::from_secs(5)));
        assert!(dice.fires(Fault::WsDrop, every, start + Duration::from_secs(10)));
        assert!(!dice.fires(Fault::WsDrop, every, start + Duration::from_secs(15)));
        assert!(dice.fires(Fault::WsDrop, every, start + Duration::from_secs(21)));
    }

    #[test]
    fn same_seed_same_rolls() {
        let now = Instant::now();
        let p = Some(Trigger::Probability(0.5));
        let mut a = Dice::new(42, now);
        let mut b = Dice::new(42, now);
        let ra: Vec<bool> = (0..64)
            .map(|_| a.fires(Fault::WsDuplicate, p, now))
            .collect();
        let rb: Vec<bool> = (0..64)
            .map(|_| b.fires(Fault::WsDuplicate, p, now))
            .collect();
        assert_eq!(ra, rb);
        assert!(ra.contains(&true) && ra.contains(&false));
    }
}
