//! Authentication (PROTOCOL.md §1.3–1.6): credential lookup order, agent JWTs (HS256 with
//! the platform's custom `expire` claim) and access keys. Secrets never reach logs or
//! error messages.

use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

use super::api_error::ApiError;
use super::identity::Identity;
use super::platform::Platform;
use super::state::AppState;
use crate::voipbin::time::{self, Timestamp};
use crate::voipbin::Agent;

/// Login tokens live 7 days.
pub const LOGIN_TOKEN_LIFETIME: chrono::Duration = chrono::Duration::days(7);

/// `{"alg":"HS256","typ":"JWT"}`, as every platform token starts.
const JWT_HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/// A credential as found in the request, before it is checked.
#[derive(PartialEq, Eq)]
pub enum Presented {
    Token(String),
    AccessKey(String),
}

impl std::fmt::Debug for Presented {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Presented::Token(_) => "Token(<redacted>)",
            Presented::AccessKey(_) => "AccessKey(<redacted>)",
        })
    }
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

fn query_param(query: &[(String, String)], name: &str) -> Option<String> {
    query
        .iter()
        .find(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v.clone())
}

/// The first credential in the platform's order: cookie `token`, `?token=`,
/// `Authorization: Bearer`, cookie `accesskey`, `?accesskey=`.
pub fn find_credential(headers: &HeaderMap, query: &[(String, String)]) -> Option<Presented> {
    let bearer = || {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    cookie(headers, "token")
        .or_else(|| query_param(query, "token"))
        .or_else(bearer)
        .map(Presented::Token)
        .or_else(|| {
            cookie(headers, "accesskey")
                .or_else(|| query_param(query, "accesskey"))
                .map(Presented::AccessKey)
        })
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length; this cannot fail.
    <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!())
}

/// Signs an agent token: claims `{"type":"agent","agent":{…},"expire":"…"}`.
pub fn sign_agent_token(secret: &[u8], agent: &Agent, expire: Timestamp) -> String {
    let claims = json!({
        "type": "agent",
        "agent": agent,
        "expire": time::format_page_token(&expire),
    });
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let signing_input = format!("{JWT_HEADER}.{payload}");
    let mut m = mac(secret);
    m.update(signing_input.as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(m.finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// A 7-day login token for `agent` (snapshot of the agent at login time).
pub fn issue_login_token(platform: &Platform, agent: &Agent) -> String {
    sign_agent_token(
        platform.jwt_secret(),
        agent,
        platform.now() + LOGIN_TOKEN_LIFETIME,
    )
}

/// A token expiring at `expire` (tests use a past instant to check expiry).
pub fn issue_token_expiring(platform: &Platform, agent: &Agent, expire: Timestamp) -> String {
    sign_agent_token(platform.jwt_secret(), agent, expire)
}

#[derive(Deserialize)]
struct Claims {
    #[serde(rename = "type", default)]
    kind: String,
    agent: Agent,
    #[serde(default)]
    expire: String,
}

/// Verifies signature and `expire`; only agent tokens are issued here.
pub fn verify_token(platform: &Platform, token: &str) -> Result<Identity, ApiError> {
    let invalid = ApiError::invalid_credentials;
    let mut parts = token.split('.');
    let (Some(head), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| invalid())?;
    let mut m = mac(platform.jwt_secret());
    m.update(head.as_bytes());
    m.update(b".");
    m.update(payload.as_bytes());
    m.verify_slice(&signature).map_err(|_| invalid())?;
    let claims: Claims = URL_SAFE_NO_PAD
        .decode(payload)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(invalid)?;
    if !(claims.kind.is_empty() || claims.kind == "agent") {
        return Err(invalid());
    }
    let expire = time::parse(&claims.expire)
        .ok()
        .flatten()
        .ok_or_else(invalid)?;
    if expire <= platform.now() {
        return Err(invalid());
    }
    Ok(Identity::Agent {
        customer_id: claims.agent.customer_id,
        agent_id: claims.agent.id,
        permission: claims.agent.permission,
    })
}

/// Resolves the request's credential into an [`Identity`].
pub fn authenticate_request(
    platform: &Platform,
    headers: &HeaderMap,
    query: &[(String, String)],
) -> Result<Identity, ApiError> {
    match find_credential(headers, query) {
        None => Err(ApiError::authentication_required()),
        Some(Presented::Token(token)) => verify_token(platform, &token),
        Some(Presented::AccessKey(key)) => platform
            .access_key_customer(&key)
            .map(|customer_id| Identity::AccessKey { customer_id })
            .ok_or_else(ApiError::invalid_credentials),
    }
}

/// Middleware for `/v1.0/*`: puts the caller's [`Identity`] into the request extensions.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let query: Vec<(String, String)> = Query::try_from_uri(req.uri())
        .map(|Query(q)| q)
        .unwrap_or_default();
    match authenticate_request(&state.platform, req.headers(), &query) {
        Ok(identity) => {
            req.extensions_mut().insert(identity);
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn lookup_order_is_the_platforms() {
        let q = vec![
            ("token".to_owned(), "q-token".to_owned()),
            ("accesskey".to_owned(), "q-key".to_owned()),
        ];
        let h = headers(&[
            (header::COOKIE, "accesskey=c-key; token=c-token"),
            (header::AUTHORIZATION, "Bearer b-token"),
        ]);
        assert_eq!(
            find_credential(&h, &q),
            Some(Presented::Token("c-token".into()))
        );
        let h = headers(&[(header::AUTHORIZATION, "Bearer b-token")]);
        assert_eq!(
            find_credential(&h, &q),
            Some(Presented::Token("q-token".into()))
        );
        assert_eq!(
            find_credential(&h, &q[1..]),
            Some(Presented::Token("b-token".into()))
        );
        let h = headers(&[(header::COOKIE, "accesskey=c-key")]);
        assert_eq!(
            find_credential(&h, &q[1..]),
            Some(Presented::AccessKey("c-key".into()))
        );
        assert_eq!(
            find_credential(&HeaderMap::new(), &q[1..]),
            Some(Presented::AccessKey("q-key".into()))
        );
        let h = headers(&[(header::AUTHORIZATION, "bearer lower")]);
        assert_eq!(find_credential(&h, &[]), None);
    }

    #[test]
    fn debug_hides_secrets() {
        let c = Presented::AccessKey("vb_secret".into());
        assert!(!format!("{c:?}").contains("vb_secret"));
    }
}
