//! The REST surface: `GET /ping`, `POST /auth/login` and everything under `/v1.0`
//! (one file per resource). Middleware order on `/v1.0` is the platform's: per-IP limit →
//! authenticate → per-customer limit → handler. Every response carries `X-Request-Id`.

mod account;
mod agents;
mod calls;
mod conferencecalls;
mod conferences;
mod errors;
mod extract;
mod login;
mod pagination;
pub mod request_id;

pub use conferences::MAX_TIMEOUT_SECONDS;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};
use axum::Router;

use super::api_error::ApiError;
use super::auth::authenticate;
use super::faults::rest_faults;
use super::ratelimit::{customer_limit, ip_limit_auth, ip_limit_v1};
use super::state::AppState;
use super::ws;

async fn route_not_found() -> ApiError {
    ApiError::route_not_found()
}

pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route(
            "/conferences",
            get(conferences::list).post(conferences::create),
        )
        .route(
            "/conferences/{id}",
            get(conferences::get)
                .put(conferences::update)
                .delete(conferences::delete),
        )
        .route(
            "/conferences/{id}/recording_start",
            post(conferences::recording_start),
        )
        .route(
            "/conferences/{id}/recording_stop",
            post(conferences::recording_stop),
        )
        .route("/conferencecalls", get(conferencecalls::list))
        .route(
            "/conferencecalls/{id}",
            get(conferencecalls::get).delete(conferencecalls::kick),
        )
        .route("/calls", get(calls::list).post(calls::create))
        .route("/calls/{id}", get(calls::get).delete(calls::delete))
        .route("/calls/{id}/hangup", post(calls::hangup))
        .route(
            "/calls/{id}/hold",
            post(calls::channel_effect).delete(calls::channel_effect),
        )
        .route(
            "/calls/{id}/moh",
            post(calls::channel_effect).delete(calls::channel_effect),
        )
        .route(
            "/calls/{id}/silence",
            post(calls::channel_effect).delete(calls::channel_effect),
        )
        .route("/calls/{id}/mute", post(calls::mute).delete(calls::unmute))
        .route("/calls/{id}/talk", post(calls::talk))
        .route("/agents", get(agents::list))
        .route("/agents/{id}", get(agents::get))
        .route("/agents/{id}/status", put(agents::set_status))
        .route("/customer", get(account::customer))
        .route("/me", get(account::me))
        .route("/ws", get(ws::upgrade))
        .route("/service_agents/ws", get(ws::upgrade))
        // route_layer: unknown /v1.0 paths are 404 without authentication, as on gin.
        .route_layer(from_fn_with_state(state.clone(), rest_faults))
        .route_layer(from_fn_with_state(state.clone(), customer_limit))
        .route_layer(from_fn_with_state(state.clone(), authenticate))
        .route_layer(from_fn_with_state(state.clone(), ip_limit_v1))
        .route_layer(from_fn_with_state(state.clone(), super::tally::count));
    let auth = Router::new()
        .route("/login", post(login::login))
        .route_layer(from_fn_with_state(state.clone(), ip_limit_auth));
    Router::new()
        .route("/ping", get(login::ping))
        .nest("/v1.0", v1)
        .nest("/auth", auth)
        .fallback(route_not_found)
        .layer(from_fn(request_id::stamp))
        .with_state(state)
}
