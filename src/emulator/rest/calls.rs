//! `/v1.0/calls` (PROTOCOL.md §6). Call-control endpoints answer `200` with an empty body.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use uuid::Uuid;

use super::errors::supervisor;
use super::extract::{JsonBody, Params, PathId};
use super::pagination::{paginate, PageQuery};
use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::platform::{Originate, Originated};
use crate::emulator::state::AppState;
use crate::voipbin::{Address, Call, FlowAction, ListPage, MuteDirection};

type ApiResult<T> = Result<Json<T>, ApiError>;

#[derive(Deserialize)]
pub(super) struct OriginateBody {
    flow_id: Option<String>,
    actions: Option<Vec<FlowAction>>,
    source: Option<Address>,
    destinations: Option<Vec<Address>>,
}

#[derive(Deserialize)]
pub(super) struct MuteBody {
    direction: Option<String>,
}

/// `""`/absent ⇒ both; anything but in/out/both is refused.
fn mute_direction(body: &MuteBody) -> Result<MuteDirection, ApiError> {
    match body.direction.as_deref().unwrap_or("") {
        "" | "both" => Ok(MuteDirection::Both),
        "in" => Ok(MuteDirection::In),
        "out" => Ok(MuteDirection::Out),
        _ => Err(ApiError::invalid_argument()),
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    params: Params,
) -> ApiResult<ListPage<Call>> {
    let customer = supervisor(&identity)?;
    let query = PageQuery::from_params(&params)?;
    let items = state.platform.list_calls(customer);
    Ok(Json(paginate(items, |c| c.tm_create, &query)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Call> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.call(customer, id)?))
}

pub(super) async fn create(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    JsonBody(body): JsonBody<OriginateBody>,
) -> ApiResult<Originated> {
    let customer = supervisor(&identity)?;
    let request = Originate {
        source: body.source.unwrap_or_default(),
        destinations: body.destinations.unwrap_or_default(),
        actions: body.actions.unwrap_or_default(),
        flow_id: body
            .flow_id
            .as_deref()
            .and_then(|t| Uuid::parse_str(t).ok())
            .unwrap_or_default(),
    };
    Ok(Json(state.platform.originate(customer, request)?))
}

pub(super) async fn hangup(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Call> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.hangup_call(customer, id)?))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Call> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.delete_call(customer, id)?))
}

/// Hold, unhold, MOH and silence on/off: no state, no event, empty `200`.
pub(super) async fn channel_effect(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let customer = supervisor(&identity)?;
    state.platform.channel_effect(customer, id)?;
    Ok(StatusCode::OK)
}

/// TTS into the call: the body is required; nothing is stored or emitted.
pub(super) async fn talk(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(_talk): JsonBody<serde_json::Value>,
) -> Result<StatusCode, ApiError> {
    let customer = supervisor(&identity)?;
    state.platform.channel_effect(customer, id)?;
    Ok(StatusCode::OK)
}

pub(super) async fn mute(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(body): JsonBody<MuteBody>,
) -> Result<StatusCode, ApiError> {
    let customer = supervisor(&identity)?;
    let direction = mute_direction(&body)?;
    state.platform.mute(customer, id, direction)?;
    Ok(StatusCode::OK)
}

/// The body is required even here (`{}` is fine).
pub(super) async fn unmute(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(body): JsonBody<MuteBody>,
) -> Result<StatusCode, ApiError> {
    let customer = supervisor(&identity)?;
    let direction = mute_direction(&body)?;
    state.platform.unmute(customer, id, direction)?;
    Ok(StatusCode::OK)
}
