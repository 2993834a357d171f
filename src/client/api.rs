//! Every VoIPbin REST read the client makes, typed, and the login. The commands' requests
//! are `Command::request` (the spec-validation test walks both).

use uuid::Uuid;

use super::rest::{Endpoint, RestClient, RestError};
use crate::voipbin::{
    Agent, Call, Conference, Conferencecall, Customer, ListPage, LoginRequest, LoginResponse,
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

/// A list page whose records are decoded one by one: a record that does not decode (a
/// wrong type, an impossible timestamp) is skipped, logged with its id and reason, and
/// counted on the client; the rest of the page is used.
async fn page<T: serde::de::DeserializeOwned>(
    rest: &RestClient,
    path: &str,
    page_token: Option<&str>,
) -> Result<ListPage<T>, RestError> {
    let raw: ListPage<Box<serde_json::value::RawValue>> =
        rest.get(path, &page_query(page_token)).await?;
    let mut result = Vec::with_capacity(raw.result.len());
    for record in raw.result {
        match serde_json::from_str::<T>(record.get()) {
            Ok(item) => result.push(item),
            Err(error) => {
                #[derive(serde::Deserialize)]
                struct Id {
                    id: serde_json::Value,
                }
                let id = serde_json::from_str::<Id>(record.get())
                    .map_or_else(|_| "(no id)".to_string(), |r| r.id.to_string());
                tracing::warn!(path, %id, %error, "list record skipped");
                rest.note_skipped_record();
            }
        }
    }
    Ok(ListPage {
        result,
        next_page_token: raw.next_page_token,
    })
}

pub async fn conferences_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Conference>, RestError> {
    page(rest, "/conferences", page_token).await
}

pub async fn conferencecalls_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Conferencecall>, RestError> {
    page(rest, "/conferencecalls", page_token).await
}

pub async fn calls_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Call>, RestError> {
    page(rest, "/calls", page_token).await
}

pub async fn agents_page(
    rest: &RestClient,
    page_token: Option<&str>,
) -> Result<ListPage<Agent>, RestError> {
    page(rest, "/agents", page_token).await
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

/// `POST /auth/login` (outside `/v1.0`, no credentials, empty-body 400 on bad login).
pub async fn login(
    endpoint: &Endpoint,
    username: &str,
    password: &str,
) -> Result<LoginResponse, RestError> {
    let path = "/auth/login";
    let fail = |message: String| RestError::Transport {
        request: format!("POST {path}"),
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
            request: format!("POST {path}"),
            status: 400,
            reason: "LOGIN_FAILED".into(),
            message: "wrong username or password".into(),
            request_id,
            retry_after: None,
        });
    }
    if !status.is_success() {
        return Err(RestError::Api {
            request: format!("POST {path}"),
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
            request: format!("POST {path}"),
            message: super::rest::describe(e),
            request_id,
        })
}
