//! Shared state of a running emulator, handed to every axum handler.

use std::sync::Arc;

use super::bus::EventBus;
use super::faults::Faults;
use super::platform::Platform;
use super::ratelimit::{RateLimitConfig, RateLimiter};
use super::tally::RequestTally;
use super::ws::WsConfig;

#[derive(Debug, Clone)]
pub struct AppState {
    pub platform: Arc<Platform>,
    pub bus: EventBus,
    pub faults: Arc<Faults>,
    /// Rate-limit buckets (per IP, per customer).
    pub limits: Arc<RateLimiter>,
    pub ws: WsConfig,
    /// REST requests answered, by route.
    pub requests: Arc<RequestTally>,
}

impl AppState {
    pub fn new(
        platform: Arc<Platform>,
        bus: EventBus,
        faults: Arc<Faults>,
        rate_limit: RateLimitConfig,
        ws: WsConfig,
    ) -> Self {
        AppState {
            platform,
            bus,
            faults,
            limits: Arc::new(RateLimiter::new(rate_limit)),
            ws,
            requests: Arc::default(),
        }
    }
}
