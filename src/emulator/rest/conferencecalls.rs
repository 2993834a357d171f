//! `/v1.0/conferencecalls` (PROTOCOL.md §5): list, get, kick.

use axum::extract::State;
use axum::{Extension, Json};

use super::errors::supervisor;
use super::extract::{Params, PathId};
use super::pagination::{paginate, PageQuery};
use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::state::AppState;
use crate::voipbin::{Conferencecall, ListPage};

type ApiResult<T> = Result<Json<T>, ApiError>;

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    params: Params,
) -> ApiResult<ListPage<Conferencecall>> {
    let customer = supervisor(&identity)?;
    let query = PageQuery::from_params(&params)?;
    let items = state.platform.list_conferencecalls(customer);
    Ok(Json(paginate(items, |c| c.tm_create, &query)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Conferencecall> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.conferencecall(customer, id)?))
}

/// Kick: answers `leaving` (or the unchanged object when already leaving/leaved).
pub(super) async fn kick(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Conferencecall> {
    let customer = supervisor(&identity)?;
    Ok(Json(state.platform.kick(customer, id)?))
}
