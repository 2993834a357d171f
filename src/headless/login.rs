//! `bridgetop login`: prompt for username and password (not echoed), `POST /auth/login`,
//! store the token owner-only in the data directory and show when it expires.

use std::io::{BufRead, Write};

use crate::client::api;
use crate::client::credentials::{decode_claims, store_token, token_path, Secret, StoredToken};
use crate::config::Overrides;
use crate::voipbin::time;

use super::{exit, Context, Failure};

/// Logs in with the given username and password and stores the token; returns the line
/// to show. The caller does the prompting.
pub async fn login(
    overrides: &Overrides,
    username: &str,
    password: &str,
) -> Result<String, Failure> {
    let resolved = Context::resolve(overrides)?;
    let endpoint = Context::endpoint(&resolved)?;
    let reply = api::login(&endpoint, username, password)
        .await
        .map_err(|e| {
            let mut failure = Failure::from_rest(&e);
            if e.status() == Some(400) {
                failure.code = exit::AUTH;
            }
            failure
        })?;
    let claims = decode_claims(&Secret::new(reply.token.clone()));
    let expire = claims.as_ref().and_then(|c| c.expire);
    let path = token_path(&resolved.data_dir, &resolved.profile_name);
    store_token(
        &path,
        &StoredToken {
            username: reply.username.clone(),
            token: reply.token,
            expire,
        },
    )
    .map_err(|e| Failure::new(exit::USAGE, e))?;
    let mut line = format!(
        "logged in as {} (profile {}); token stored in {}",
        reply.username,
        resolved.profile_name,
        path.display()
    );
    if let Some(expire) = expire {
        line += &format!("; expires {}", time::format(&expire));
    }
    if let Some(claims) = claims {
        if !claims.permission.is_supervisor() && !claims.permission.is_project_super_admin() {
            line += "; note: this agent lacks CustomerAdmin/CustomerManager permission, \
                     so the dashboard cannot read conferences with it";
        }
    }
    Ok(line)
}

/// Reads the username from `input` after a prompt on stderr, and the password without echo.
pub fn prompt_credentials() -> std::io::Result<(String, String)> {
    eprint!("username: ");
    std::io::stderr().flush()?;
    let mut username = String::new();
    std::io::stdin().lock().read_line(&mut username)?;
    let password = rpassword::prompt_password("password: ")?;
    Ok((username.trim().to_string(), password))
}
