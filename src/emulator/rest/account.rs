//! `GET /v1.0/customer` (supervisors) and `GET /v1.0/me` (agent tokens only).

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};

use super::errors::supervisor;
use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::state::AppState;
use crate::voipbin::{Agent, Customer};

pub(super) async fn customer(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
) -> Result<Json<Customer>, ApiError> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.customer(customer)?))
}

pub(super) async fn me(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
) -> Result<Json<Agent>, ApiError> {
    let Identity::Agent {
        customer_id,
        agent_id,
        ..
    } = identity
    else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "AGENT_AUTH_REQUIRED",
            "This endpoint requires an agent login.",
        ));
    };
    Ok(Json(state.platform.agent(customer_id, agent_id)?))
}
