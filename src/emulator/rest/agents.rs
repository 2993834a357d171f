//! `/v1.0/agents` (PROTOCOL.md §7): list (supervisors), get and status (supervisor or self).

use axum::extract::State;
use axum::{Extension, Json};
use serde::Deserialize;
use uuid::Uuid;

use super::errors::supervisor;
use super::extract::{invalid_request_parameter, JsonBody, Params, PathId};
use super::pagination::{paginate, PageQuery};
use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::state::AppState;
use crate::voipbin::{Agent, AgentStatus, ListPage};

type ApiResult<T> = Result<Json<T>, ApiError>;

const STATUSES: [&str; 5] = ["available", "away", "busy", "offline", "ringing"];

/// Supervisors may touch any agent of their customer; an agent only itself.
fn supervisor_or_self(identity: &Identity, agent_id: Uuid) -> Result<uuid::Uuid, ApiError> {
    if identity.is_supervisor() || identity.agent_id() == Some(agent_id) {
        Ok(identity.customer_id())
    } else {
        Err(ApiError::permission_denied())
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    params: Params,
) -> ApiResult<ListPage<Agent>> {
    let customer = supervisor(&identity)?;
    let query = PageQuery::from_params(&params)?;
    let status = match params.get("status") {
        None | Some("") => None,
        Some(s) if STATUSES.contains(&s) => Some(AgentStatus::from(s)),
        Some(_) => return Err(invalid_request_parameter()),
    };
    let tags = match params.get("tag_ids") {
        None => None,
        Some(text) => Some(
            text.split(',')
                .map(|t| Uuid::parse_str(t.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| invalid_request_parameter())?,
        ),
    };
    let mut items = state.platform.list_agents(customer);
    if let Some(status) = status {
        items.retain(|a| a.status.as_ref() == Some(&status));
    }
    if let Some(tags) = tags {
        items.retain(|a| a.tag_ids.iter().any(|t| tags.contains(t)));
    }
    Ok(Json(paginate(items, |a| a.tm_create, &query)))
}

pub(super) async fn get(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
) -> ApiResult<Agent> {
    let customer = supervisor_or_self(&identity, id)?;
    Ok(Json(state.platform.agent(customer, id)?))
}

#[derive(Deserialize)]
pub(super) struct StatusBody {
    status: Option<String>,
}

pub(super) async fn set_status(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    PathId(id): PathId,
    JsonBody(body): JsonBody<StatusBody>,
) -> ApiResult<Agent> {
    let customer = supervisor_or_self(&identity, id)?;
    let status = body.status.unwrap_or_default();
    if !STATUSES.contains(&status.as_str()) {
        return Err(ApiError::invalid_argument());
    }
    let agent = state
        .platform
        .set_agent_status(customer, id, AgentStatus::from(status))?;
    Ok(Json(agent))
}
