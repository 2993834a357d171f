//! Token-bucket rate limits (PROTOCOL.md §1.8): per IP on `/auth/*` and `/v1.0/*`, and
//! per customer for agent and access-key identities (shared by every user of the
//! customer). Rejections are `429` with `Retry-After` and `RATE_LIMIT_EXCEEDED`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api_error::ApiError;
use super::identity::Identity;
use super::state::AppState;

/// A sustained rate and a burst size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: f64,
}

impl Rate {
    pub const fn new(per_second: f64, burst: f64) -> Self {
        Rate { per_second, burst }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitConfig {
    /// Off: nothing is ever limited (load tests, scripted demos).
    pub enabled: bool,
    pub customer: Rate,
    pub ip_v1: Rate,
    pub ip_auth: Rate,
}

impl Default for RateLimitConfig {
    /// The platform's defaults.
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            customer: Rate::new(16.7, 33.0),
            ip_v1: Rate::new(200.0, 400.0),
            ip_auth: Rate::new(10.0, 20.0),
        }
    }
}

impl RateLimitConfig {
    pub fn disabled() -> Self {
        RateLimitConfig {
            enabled: false,
            ..Self::default()
        }
    }
}

/// Which budget a request draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    IpAuth,
    IpV1,
    Customer,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

#[derive(Debug)]
pub struct RateLimiter {
    config: RateLimitConfig,
    buckets: Mutex<HashMap<(Tier, String), Bucket>>,
}

impl RateLimiter {
    pub fn new(config: RateLimitConfig) -> Self {
        RateLimiter {
            config,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub fn config(&self) -> &RateLimitConfig {
        &self.config
    }

    /// Takes one token from `key`'s bucket, or says how many seconds until one is there.
    pub fn check(&self, tier: Tier, key: &str) -> Result<(), u64> {
        if !self.config.enabled {
            return Ok(());
        }
        let rate = match tier {
            Tier::IpAuth => self.config.ip_auth,
            Tier::IpV1 => self.config.ip_v1,
            Tier::Customer => self.config.customer,
        };
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry((tier, key.to_owned())).or_insert(Bucket {
            tokens: rate.burst,
            last: now,
        });
        let refill = now.duration_since(bucket.last).as_secs_f64() * rate.per_second;
        bucket.tokens = (bucket.tokens + refill).min(rate.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if rate.per_second <= 0.0 {
            Err(60)
        } else {
            Err(((1.0 - bucket.tokens) / rate.per_second).ceil().max(1.0) as u64)
        }
    }
}

fn client_ip(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

async fn limit_ip(state: &AppState, tier: Tier, req: Request, next: Next) -> Response {
    match state.limits.check(tier, &client_ip(&req)) {
        Ok(()) => next.run(req).await,
        Err(secs) => ApiError::rate_limited("ip", secs).into_response(),
    }
}

/// Middleware: the per-IP budget of `/v1.0/*`.
pub async fn ip_limit_v1(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit_ip(&state, Tier::IpV1, req, next).await
}

/// Middleware: the per-IP budget shared by the public `/auth/*` routes.
pub async fn ip_limit_auth(State(state): State<AppState>, req: Request, next: Next) -> Response {
    limit_ip(&state, Tier::IpAuth, req, next).await
}

/// Middleware (after authentication): the per-customer budget.
pub async fn customer_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let customer = req
        .extensions()
        .get::<Identity>()
        .map(|i| i.customer_id().to_string());
    if let Some(customer) = customer {
        if let Err(secs) = state.limits.check(Tier::Customer, &customer) {
            return ApiError::rate_limited("customer", secs).into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refuse_with_retry_after() {
        let limiter = RateLimiter::new(RateLimitConfig {
            customer: Rate::new(1.0, 3.0),
            ..RateLimitConfig::default()
        });
        for _ in 0..3 {
            assert!(limiter.check(Tier::Customer, "c").is_ok());
        }
        assert_eq!(limiter.check(Tier::Customer, "c"), Err(1));
        assert!(limiter.check(Tier::Customer, "other").is_ok());
    }

    #[test]
    fn disabled_never_limits() {
        let limiter = RateLimiter::new(RateLimitConfig::disabled());
        assert!((0..1000).all(|_| limiter.check(Tier::IpAuth, "x").is_ok()));
    }
}
