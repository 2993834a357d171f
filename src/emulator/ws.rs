//! WebSocket endpoint `/v1.0/ws` (placeholder).

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::identity::Identity;
use super::state::AppState;

pub async fn upgrade(
    State(_state): State<AppState>,
    Extension(_identity): Extension<Identity>,
    _ws: WebSocketUpgrade,
) -> Response {
    axum::http::StatusCode::NOT_IMPLEMENTED.into_response()
}
