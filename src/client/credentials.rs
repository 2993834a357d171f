//! Where the secret comes from (environment, key file, stored login token) and what a JWT
//! says about its holder. Secrets are wrapped so that Debug and Display never show them.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::config::Resolved;
use crate::voipbin::{time, Permission, Timestamp};

pub const ACCESSKEY_ENV: &str = "BRIDGETOP_ACCESSKEY";
pub const API_KEY_ENV: &str = "VOIPBIN_API_KEY";
pub const TOKEN_ENV: &str = "BRIDGETOP_TOKEN";

/// A secret string. Only `expose` reveals it, and only the REST and WS layers call that.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into().trim().to_string())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// Travels as `?accesskey=`; acts as CustomerAdmin.
    AccessKey(Secret),
    /// An agent JWT; travels as `Authorization: Bearer`.
    Token(Secret),
}

impl Credential {
    pub fn secret(&self) -> &Secret {
        match self {
            Credential::AccessKey(s) | Credential::Token(s) => s,
        }
    }
}

#[derive(Debug, Error)]
pub enum CredentialError {
    #[error(
        "no credentials: set {ACCESSKEY_ENV} (or {API_KEY_ENV}) to an access key, {TOKEN_ENV} to a token, \
         name a key_file in the profile, or run `bridgetop login`"
    )]
    Missing,
    #[error("cannot read key file {path}: {source}")]
    KeyFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("key file {0} is empty")]
    EmptyKeyFile(PathBuf),
    #[error("cannot store the token in {path}: {source}")]
    Store {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the stored token in {0} is damaged; run `bridgetop login` again")]
    DamagedTokenFile(PathBuf),
}

/// First found wins: the profile's named variables, the well-known variables, the profile's
/// key file, then the token stored by `bridgetop login`.
pub fn resolve(
    profile: &Resolved,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Credential, CredentialError> {
    let from_env = |name: &str| env(name).filter(|v| !v.trim().is_empty()).map(Secret::new);
    if let Some(s) = profile.profile.accesskey_env.as_deref().and_then(from_env) {
        return Ok(Credential::AccessKey(s));
    }
    if let Some(s) = profile.profile.token_env.as_deref().and_then(from_env) {
        return Ok(Credential::Token(s));
    }
    if let Some(s) = from_env(ACCESSKEY_ENV).or_else(|| from_env(API_KEY_ENV)) {
        return Ok(Credential::AccessKey(s));
    }
    if let Some(s) = from_env(TOKEN_ENV) {
        return Ok(Credential::Token(s));
    }
    if let Some(path) = &profile.profile.key_file {
        let text = std::fs::read_to_string(path).map_err(|source| CredentialError::KeyFile {
            path: path.clone(),
            source,
        })?;
        if text.trim().is_empty() {
            return Err(CredentialError::EmptyKeyFile(path.clone()));
        }
        return Ok(Credential::AccessKey(Secret::new(text)));
    }
    if let Some(stored) = load_token(&token_path(&profile.data_dir, &profile.profile_name))? {
        return Ok(Credential::Token(Secret::new(stored.token)));
    }
    Err(CredentialError::Missing)
}

/// What `bridgetop login` keeps on disk (owner-only).
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredToken {
    pub username: String,
    pub token: String,
    #[serde(default, with = "time::optional")]
    pub expire: Option<Timestamp>,
}

impl fmt::Debug for StoredToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("username", &self.username)
            .field("expire", &self.expire)
            .finish_non_exhaustive()
    }
}

pub fn token_path(data_dir: &Path, profile: &str) -> PathBuf {
    data_dir.join(format!("token-{profile}.json"))
}

pub fn load_token(path: &Path) -> Result<Option<StoredToken>, CredentialError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| CredentialError::DamagedTokenFile(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(CredentialError::KeyFile {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Writes the token file with mode 0600 from the start (no window where others can read it).
pub fn store_token(path: &Path, token: &StoredToken) -> Result<(), CredentialError> {
    let fail = |source| CredentialError::Store {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        crate::data_dir::create(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    let text = serde_json::to_string(token).expect("a token serialises");
    file.write_all(text.as_bytes()).map_err(fail)?;
    file.sync_all().map_err(fail)
}

/// The parts of the JWT payload a console needs (PROTOCOL.md §1.5). Not verified: the
/// server checks the signature; we only read who we are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    pub agent_id: Uuid,
    pub customer_id: Uuid,
    pub username: String,
    pub name: String,
    pub permission: Permission,
    pub expire: Option<Timestamp>,
}

#[derive(Deserialize)]
struct RawClaims {
    #[serde(default)]
    agent: RawAgent,
    #[serde(default)]
    expire: Option<String>,
}

#[derive(Deserialize, Default)]
struct RawAgent {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    customer_id: Option<Uuid>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    permission: u64,
}

pub fn decode_claims(token: &Secret) -> Option<TokenClaims> {
    let payload = token.expose().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let raw: RawClaims = serde_json::from_slice(&bytes).ok()?;
    Some(TokenClaims {
        agent_id: raw.agent.id?,
        customer_id: raw.agent.customer_id?,
        username: raw.agent.username,
        name: raw.agent.name,
        permission: Permission(raw.agent.permission),
        expire: raw
            .expire
            .as_deref()
            .and_then(|t| time::parse(t).ok().flatten()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn profile(dir: &Path) -> Resolved {
        Config::embedded()
            .resolve(
                &Overrides {
                    data_dir: Some(dir.to_path_buf()),
                    ..Default::default()
                },
                |_| None,
            )
            .unwrap()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("bridgetop-cred-{name}-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn env_order_prefers_access_keys() {
        let p = profile(&temp_dir("env"));
        let env = |k: &str| match k {
            API_KEY_ENV => Some("vb_api".to_string()),
            TOKEN_ENV => Some("a.b.c".to_string()),
            _ => None,
        };
        assert_eq!(
            resolve(&p, env).unwrap(),
            Credential::AccessKey(Secret::new("vb_api"))
        );
        let only_token = |k: &str| (k == TOKEN_ENV).then(|| "a.b.c".to_string());
        assert_eq!(
            resolve(&p, only_token).unwrap(),
            Credential::Token(Secret::new("a.b.c"))
        );
        assert!(matches!(
            resolve(&p, |_| None),
            Err(CredentialError::Missing)
        ));
    }

    #[test]
    fn stored_token_round_trips_owner_only() {
        let dir = temp_dir("store");
        let p = profile(&dir);
        let path = token_path(&dir, "default");
        store_token(
            &path,
            &StoredToken {
                username: "sup".into(),
                token: "x.y.z".into(),
                expire: None,
            },
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            resolve(&p, |_| None).unwrap(),
            Credential::Token(Secret::new("x.y.z"))
        );
    }

    #[test]
    fn secrets_never_print() {
        let c = Credential::AccessKey(Secret::new("vb_supersecret"));
        assert!(!format!("{c:?}").contains("supersecret"));
    }

    #[test]
    fn claims_come_from_the_payload() {
        let payload = serde_json::json!({
            "type": "agent",
            "agent": {"id": "1f9e8d7c-6b5a-4c3d-9e2f-0a1b2c3d4e51",
                      "customer_id": "6c3f2a1e-9b84-4d57-a0e2-3f1b8c7d9e40",
                      "username": "sup@example.com", "name": "Sup", "permission": 64},
            "expire": "2026-08-28T14:00:00.123456Z"
        });
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload.to_string());
        let claims = decode_claims(&Secret::new(format!("h.{b64}.s"))).unwrap();
        assert_eq!(claims.permission, Permission(64));
        assert!(claims.permission.is_supervisor());
        assert_eq!(claims.username, "sup@example.com");
        assert!(claims.expire.is_some());
        assert!(decode_claims(&Secret::new("vb_notajwt")).is_none());
    }
}
