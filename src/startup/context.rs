//! What every headless mode starts from: the resolved profile, the credential, a REST
//! client and the session. Failures carry a one-line reason and an exit code.

use std::fmt;

use crate::client::credentials::{self, Credential};
use crate::client::rest::{Endpoint, RestClient, RestError};
use crate::client::session::{self, Session, SessionError};
use crate::config::{Config, Overrides, Resolved};

use super::exit;

/// A headless failure: exit code and a one-line, secret-free reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: u8,
    pub reason: String,
}

impl Failure {
    pub fn new(code: u8, reason: impl fmt::Display) -> Self {
        let reason = reason.to_string().replace('\n', " ");
        Failure { code, reason }
    }

    /// A failure whose explanation is several lines on purpose (setup instructions).
    pub fn with_instructions(self, instructions: &str) -> Self {
        Failure {
            code: self.code,
            reason: format!("{}\n\n{instructions}", self.reason),
        }
    }

    pub fn from_rest(e: &RestError) -> Self {
        Failure::new(exit_code(e), e)
    }
}

/// 3 for credentials, 4 for anything worth trying again later (no answer, a 5xx, a 429,
/// a redirect or a nonsense answer), 1 for a refusal with a reason (another 4xx).
pub(crate) fn exit_code(e: &RestError) -> u8 {
    exit_for_status(e.status())
}

/// The same rule for an HTTP status, `None` being no answer at all.
pub(crate) fn exit_for_status(status: Option<u16>) -> u8 {
    match status {
        Some(401 | 403) => exit::AUTH,
        Some(429 | 500..) | None => exit::NETWORK,
        Some(_) => exit::REJECTED,
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

#[derive(Debug)]
pub struct Context {
    pub resolved: Resolved,
    pub rest: RestClient,
}

impl Context {
    /// Config and flags resolved against the process environment.
    pub fn resolve(overrides: &Overrides) -> Result<Resolved, Failure> {
        let config =
            Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
        config
            .resolve(overrides, |k| std::env::var(k).ok())
            .map_err(|e| Failure::new(exit::USAGE, e))
    }

    pub fn endpoint(resolved: &Resolved) -> Result<Endpoint, Failure> {
        Endpoint::new(&resolved.url)
            .with_ca_cert_file(resolved.ca_cert.as_deref())
            .map_err(|e| Failure::new(exit::USAGE, format!("--ca-cert: {e}")))
    }

    pub fn open(overrides: &Overrides) -> Result<Context, Failure> {
        let resolved = Self::resolve(overrides)?;
        let credential = credentials::resolve(&resolved, |k| std::env::var(k).ok())
            .map_err(|e| Failure::new(exit::USAGE, e))?;
        Self::with_credential(resolved, credential)
    }

    pub fn with_credential(resolved: Resolved, credential: Credential) -> Result<Context, Failure> {
        let endpoint = Self::endpoint(&resolved)?;
        let rest = RestClient::new(endpoint, credential, resolved.request_budget)
            .map_err(|e| Failure::from_rest(&e))?;
        Ok(Context { resolved, rest })
    }

    /// What the credential alone says about the session (see `session::from_credential`).
    pub fn local_session(&self) -> Result<Option<Session>, Failure> {
        session::from_credential(self.rest.credential()).map_err(|e| Failure::new(exit::AUTH, e))
    }

    pub async fn session(&self) -> Result<Session, Failure> {
        session::establish(&self.rest).await.map_err(|e| match e {
            SessionError::Rest(r) => Failure::from_rest(&r),
            other if other.is_auth() => Failure::new(exit::AUTH, other),
            other => Failure::new(exit::NETWORK, other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16) -> RestError {
        RestError::Api {
            request: "GET /customer".into(),
            status,
            reason: "X".into(),
            message: "x".into(),
            request_id: None,
            retry_after: None,
        }
    }

    #[test]
    fn transient_failures_exit_4_and_refusals_1() {
        assert_eq!(exit_code(&api(503)), exit::NETWORK);
        assert_eq!(exit_code(&api(500)), exit::NETWORK);
        assert_eq!(exit_code(&api(429)), exit::NETWORK);
        assert_eq!(exit_code(&api(404)), exit::REJECTED);
        assert_eq!(exit_code(&api(400)), exit::REJECTED);
        assert_eq!(exit_code(&api(403)), exit::AUTH);
        let lost = RestError::Transport {
            request: "GET /customer".into(),
            message: "connection refused".into(),
        };
        assert_eq!(exit_code(&lost), exit::NETWORK);
    }
}
