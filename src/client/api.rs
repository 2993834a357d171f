//! Every VoIPbin REST call the client makes, typed. One function per endpoint, so the list
//! of requests the client can send is this file (the spec-validation test walks it).

use reqwest::Method;
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::rest::{Endpoint, Reply, RestClient, RestError};
use crate::voipbin::{
    Agent, Call, Conference, Conferencecall, Customer, ListPage, LoginRequest, LoginResponse,
    MuteDirection,
};

/// The page size the platform clamps to.
pub const PAGE_SIZE: u32 = 100;

fn page_query(page_token: Option<&str>) -> Vec<(&'static str, String)> {
    let mut query = vec![("page_size", PAGE_SIZE.to_string())];
    if let Some(token) = page_token.filter(|t| !t.is_empty()) {
        query.push(("page_token", token.to_string()));
    }
    query
}

pub async fn customer(rest: &RestClient) -> Result<Customer, RestError> {
    rest.get("/customer", &[]).await
}

/// The logged-in agent (agent JWT only).
pub async fn me(rest: &RestClient) -> Result<Agent, RestError> {
    rest.get("/me", &[]).await
}

pub async fn conferences_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Conference>, RestError> {
    rest.get("/conferences", &page_query(page_token)).await
}

pub async fn conferencecalls_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Conferencecall>, RestError> {
    rest.get("/conferencecalls", &page_query(page_token)).await
}

pub async fn calls_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Call>, RestError> {
    rest.get("/calls", &page_query(page_token)).await
}

pub async fn agents_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Agent>, RestError> {
    rest.get("/agents", &page_query(page_token)).await
}

pub async fn conference(rest: &RestClient, id: Uuid) -> Result<Conference, RestError> {
    rest.get(&format!("/conferences/{id}"), &[]).await
}

pub async fn conferencecall(rest: &RestClient, id: Uuid) -> Result<Conferencecall, RestError> {
    rest.get(&format!("/conferencecalls/{id}"), &[]).await
}

pub async fn call(rest: &RestClient, id: Uuid) -> Result<Call, RestError> {
    rest.get(&format!("/calls/{id}"), &[]).await
}

pub async fn agent(rest: &RestClient, id: Uuid) -> Result<Agent, RestError> {
    rest.get(&format!("/agents/{id}"), &[]).await
}

/// Kick: the call leaves the bridge and continues its flow.
pub async fn kick(rest: &RestClient, conferencecall_id: Uuid) -> Result<Reply, RestError> {
    let path = format!("/conferencecalls/{conferencecall_id}");
    rest.send(Method::DELETE, &path, &[], None).await
}

pub async fn hangup(rest: &RestClient, call_id: Uuid) -> Result<Reply, RestError> {
    let path = format!("/calls/{call_id}/hangup");
    rest.send(Method::POST, &path, &[], None).await
}

/// Hold and unhold answer 200 with an empty body; the reply is the only confirmation.
pub async fn hold(rest: &RestClient, call_id: Uuid) -> Result<Reply, RestError> {
    let path = format!("/calls/{call_id}/hold");
    rest.send(Method::POST, &path, &[], None).await
}

pub async fn unhold(rest: &RestClient, call_id: Uuid) -> Result<Reply, RestError> {
    let path = format!("/calls/{call_id}/hold");
    rest.send(Method::DELETE, &path, &[], None).await
}

fn direction_body(direction: &MuteDirection) -> Value {
    json!({ "direction": direction.as_str() })
}

pub async fn mute(
    rest: &RestClient,
    call_id: Uuid,
    direction: &MuteDirection,
) -> Result<Reply, RestError> {
    let path = format!("/calls/{call_id}/mute");
    let body = direction_body(direction);
    rest.send(Method::POST, &path, &[], Some(&body)).await
}

/// The platform rejects an empty body here (PROTOCOL.md §2.2): always send the direction.
pub async fn unmute(
    rest: &RestClient,
    call_id: Uuid,
    direction: &MuteDirection,
) -> Result<Reply, RestError> {
    let path = format!("/calls/{call_id}/mute");
    let body = direction_body(direction);
    rest.send(Method::DELETE, &path, &[], Some(&body)).await
}

pub async fn end_conference(rest: &RestClient, conference_id: Uuid) -> Result<Reply, RestError> {
    let path = format!("/conferences/{conference_id}");
    rest.send(Method::DELETE, &path, &[], None).await
}

#[derive(Debug, Serialize)]
struct RecordingStart<'a> {
    format: &'a str,
    duration: u32,
    on_end_flow_id: &'a str,
}

/// A reply whose conference id is the nil UUID is the platform's silent failure (§4).
pub async fn recording_start(
    rest: &RestClient,
    conference_id: Uuid,
) -> Result<(Reply, Conference), RestError> {
    let path = format!("/conferences/{conference_id}/recording_start");
    let body = serde_json::to_value(RecordingStart {
        format: "wav",
        duration: 0,
        on_end_flow_id: "",
    })
    .expect("a literal serialises");
    let reply = rest.send(Method::POST, &path, &[], Some(&body)).await?;
    let conference = reply.json(&Method::POST, &path)?;
    Ok((reply, conference))
}

pub async fn recording_stop(
    rest: &RestClient,
    conference_id: Uuid,
) -> Result<(Reply, Conference), RestError> {
    let path = format!("/conferences/{conference_id}/recording_stop");
    let reply = rest.send(Method::POST, &path, &[], None).await?;
    let conference = reply.json(&Method::POST, &path)?;
    Ok((reply, conference))
}

/// `POST /auth/login` (outside `/v1.0`, no credentials, empty-body 400 on bad login).
pub async fn login(
    endpoint: &Endpoint,
    username: &str,
    password: &str,
) -> Result<LoginResponse, RestError> {
    let path = "/auth/login";
    let fail = |message: String| RestError::Transport {
        method: "POST".into(),
        path: path.into(),
        message,
    };
    let http = endpoint.http_client().map_err(fail)?;
    let body = LoginRequest {
        username: username.to_string(),
        password: password.to_string(),
    };
    let response = http
        .post(format!("{}{path}", endpoint.origin()))
        .json(&body)
        .send()
        .await
        .map_err(|e| fail(super::rest::describe(e)))?;
    let status = response.status();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if status.as_u16() == 400 {
        return Err(RestError::Api {
            method: "POST".into(),
            path: path.into(),
            status: 400,
            reason: "LOGIN_FAILED".into(),
            message: "wrong username or password".into(),
            request_id,
            retry_after: None,
        });
    }
    if !status.is_success() {
        return Err(RestError::Api {
            method: "POST".into(),
            path: path.into(),
            status: status.as_u16(),
            reason: crate::voipbin::status_word(status.as_u16()).into(),
            message: status.canonical_reason().unwrap_or("").into(),
            request_id,
            retry_after: None,
        });
    }
    response
        .json::<LoginResponse>()
        .await
        .map_err(|e| RestError::Decode {
            method: "POST".into(),
            path: path.into(),
            message: super::rest::describe(e),
            request_id,
        })
}
