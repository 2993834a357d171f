//! `GET /ping` and `POST /auth/login` (PROTOCOL.md §1.2, §1.4). Login failures of any kind
//! are a bare `400` with an empty body, never an envelope.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::emulator::auth::issue_login_token;
use crate::emulator::state::AppState;
use crate::voipbin::{LoginRequest, LoginResponse};

pub(super) async fn ping() -> Json<serde_json::Value> {
    Json(json!({ "message": "pong" }))
}

pub(super) async fn login(State(state): State<AppState>, body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<LoginRequest>(&body) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    if request.username.is_empty() || request.password.is_empty() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let Some(agent) = state.platform.login(&request.username, &request.password) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let token = issue_login_token(&state.platform, &agent);
    let cookie =
        format!("token={token}; Path=/; Max-Age=604800; Secure; HttpOnly; SameSite=Strict");
    let mut response = Json(LoginResponse {
        username: agent.username,
        token,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
