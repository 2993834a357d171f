//! Who we are on the platform: the customer id (for WebSocket topics) and, for a login
//! token, the console's own agent. An agent-only token is refused with an explanation.

use thiserror::Error;
use uuid::Uuid;

use super::api;
use super::credentials::{decode_claims, Credential};
use super::rest::{RestClient, RestError};
use crate::voipbin::Permission;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub customer_id: Uuid,
    /// The logged-in agent when the credential is a login token.
    pub agent_id: Option<Uuid>,
    pub agent_name: Option<String>,
}

#[derive(Debug, Error)]
pub enum SessionError {
    #[error(
        "this login ({username}) has agent permission only; the dashboard needs CustomerAdmin (32) \
         or CustomerManager (64) to read conferences, calls and agents and to receive their events. \
         Ask an administrator to grant it, or use an access key"
    )]
    AgentOnly { username: String },
    #[error("the token has expired ({0}); run `bridgetop login` again")]
    Expired(String),
    #[error(transparent)]
    Rest(#[from] RestError),
}

impl SessionError {
    pub fn is_auth(&self) -> bool {
        match self {
            SessionError::AgentOnly { .. } | SessionError::Expired(_) => true,
            SessionError::Rest(e) => e.is_auth(),
        }
    }
}

/// What the credential alone says: for a login token its payload names the customer and
/// agent (no request, so an expired or agent-only token is refused before any network);
/// `None` for an access key, which needs `GET /customer`.
pub fn from_credential(credential: &Credential) -> Result<Option<Session>, SessionError> {
    let Credential::Token(token) = credential else {
        return Ok(None);
    };
    let Some(claims) = decode_claims(token) else {
        return Ok(None);
    };
    if let Some(expire) = claims.expire {
        if expire < chrono::Utc::now() {
            return Err(SessionError::Expired(crate::voipbin::time::format(&expire)));
        }
    }
    let p = claims.permission;
    if !p.is_supervisor() && !p.has(Permission::PROJECT_SUPER_ADMIN) {
        return Err(SessionError::AgentOnly {
            username: claims.username,
        });
    }
    Ok(Some(Session {
        customer_id: claims.customer_id,
        agent_id: Some(claims.agent_id),
        agent_name: Some(claims.name).filter(|n| !n.is_empty()),
    }))
}

/// Learns the session: from the token itself, or with one `GET /customer`.
pub async fn establish(rest: &RestClient) -> Result<Session, SessionError> {
    if let Some(session) = from_credential(rest.credential())? {
        return Ok(session);
    }
    let customer = api::customer(rest).await.map_err(|e| match e {
        RestError::Api { ref reason, .. } if reason == "PERMISSION_DENIED" => {
            SessionError::AgentOnly {
                username: "this credential".into(),
            }
        }
        other => SessionError::Rest(other),
    })?;
    Ok(Session {
        customer_id: customer.id,
        agent_id: None,
        agent_name: None,
    })
}
