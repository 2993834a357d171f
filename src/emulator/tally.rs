//! Counts the REST requests the emulator answers, by method and route pattern
//! (`GET /v1.0/conferencecalls/{id}`), so tests and figures can say what a client spends
//! of its platform budget, counted where the platform would count it.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::state::AppState;

#[derive(Debug, Default)]
pub struct RequestTally {
    counts: Mutex<BTreeMap<String, u64>>,
}

impl RequestTally {
    fn add(&self, route: String) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *counts.entry(route).or_default() += 1;
    }

    /// Requests so far, by `METHOD /route/pattern`.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Requests so far to one `METHOD /route/pattern`.
    pub fn count(&self, route: &str) -> u64 {
        self.counts().get(route).copied().unwrap_or(0)
    }

    /// Every request so far.
    pub fn total(&self) -> u64 {
        self.counts().values().sum()
    }
}

/// The middleware: every request that matched a route, whatever its answer.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |p| p.as_str().to_owned(),
    );
    state.requests.add(format!("{} {route}", request.method()));
    next.run(request).await
}
