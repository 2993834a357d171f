//! `/v1.0/conferences` (PROTOCOL.md §4).

use axum::extract::State;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::errors::supervisor;
use super::extract::{JsonBody, Params, PathId};
use super::pagination::{paginate, PageQuery};
use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::platform::{ConferenceSpec, ConferenceUpdate};
use crate::emulator::state::AppState;
use crate::voipbin::{Conference, ListPage};

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Create/update body: every key optional; `null` reads as empty, like Go's decoder.
#[derive(Deserialize, Default)]
pub(super) struct ConferenceBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    detail: Option<String>,
    data: Option<Map<String, Value>>,
    timeout: Option<i64>,
    pre_flow_id: Option<String>,
    post_flow_id: Option<String>,
    id: Option<String>,
}

/// The largest `timeout` honoured: the platform turns seconds into a Go `time.Duration`
/// (nanoseconds in an i64), so anything larger would overflow into a bogus delay.
pub const MAX_TIMEOUT_SECONDS: i64 = i64::MAX / 1_000_000_000;

/// `timeout` as the platform keeps it (`1..59` become 86400 later, in the platform). A
/// negative or overflowing value is refused: PROTOCOL.md does not say what the platform
/// does with one, and the nearest safe rule is to store nothing absurd.
fn checked_timeout(timeout: Option<i64>) -> Result<i64, ApiError> {
    let timeout = timeout.unwrap_or_default();
    if (0..=MAX_TIMEOUT_SECONDS).contains(&timeout) {
        Ok(timeout)
    } else {
        Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            format!("timeout must be between 0 and {MAX_TIMEOUT_SECONDS} seconds"),
        ))
    }
}

/// Invalid or empty flow ids become the nil UUID.
fn flow_id(text: &Option<String>) -> Uuid {
    text.as_deref()
        .and_then(|t| Uuid::parse_str(t).ok())
        .unwrap_or_default()
}

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    params: Params,
) -> ApiResult<ListPage<Conference>> {
    let customer = supervisor(&identity)?;
    let query = PageQuery::from_params(&params)?;
    let items = state.platform.list_live_conferences(customer);
    Ok(Json(paginate(items, |c| c.tm_create, &query)))
}

pub(super) async fn create(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    JsonBody(body): JsonBody<ConferenceBody>,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    let spec = ConferenceSpec {
        id: body.id.as_deref().and_then(|t| Uuid::parse_str(t).ok()),
        kind: body.kind.unwrap_or_default(),
        name: body.name.unwrap_or_default(),
        detail: body.detail.unwrap_or_default(),
        data: body.data.unwrap_or_default(),
        timeout: checked_timeout(body.timeout)?,
        pre_flow_id: flow_id(&body.pre_flow_id),
        post_flow_id: flow_id(&body.post_flow_id),
    };
    Ok(Json(state.platform.create_conference(customer, spec)?))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.conference(customer, id)?))
}

pub(super) async fn update(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(body): JsonBody<ConferenceBody>,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    let update = ConferenceUpdate {
        name: body.name.unwrap_or_default(),
        detail: body.detail.unwrap_or_default(),
        data: body.data.unwrap_or_default(),
        timeout: checked_timeout(body.timeout)?,
        pre_flow_id: flow_id(&body.pre_flow_id),
        post_flow_id: flow_id(&body.post_flow_id),
    };
    Ok(Json(
        state.platform.update_conference(customer, id, update)?,
    ))
}

pub(super) async fn delete(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.delete_conference(customer, id)?))
}

/// The recording options are accepted and ignored; the body itself is required.
pub(super) async fn recording_start(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(_options): JsonBody<Value>,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.recording_start(customer, id)?))
}

pub(super) async fn recording_stop(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Conference> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.recording_stop(customer, id)?))
}
