//! Login and identity over loopback: a manager's token is stored owner-only with its
//! expiry and names the console's own agent; an agent-only login is refused with the
//! permission it lacks; a wrong password is an auth failure. No password or token shows
//! in any message.

mod client_common;

use client_common::*;
use uuid::Uuid;

use bridgetop::client::credentials::{self, Credential, Secret};
use bridgetop::client::rest::{Endpoint, RestClient};
use bridgetop::client::session::{self, SessionError};
use bridgetop::config::{Config, Overrides};
use bridgetop::headless::{self, exit};

fn overrides(url: &str, dir: &std::path::Path) -> Overrides {
    Overrides {
        url: Some(url.to_string()),
        data_dir: Some(dir.to_path_buf()),
        config: Some(dir.join("absent.toml")),
        ..Default::default()
    }
}

#[tokio::test]
async fn login_stores_the_token_and_learns_who_we_are() {
    let emu = emulator(3, "", 1.0).await;
    let dir = std::env::temp_dir().join(format!("bridgetop-login-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("absent.toml"), "").unwrap();
    let url = api_url(&emu);
    let manager = emu
        .account
        .agent_with_permission(64)
        .expect("a manager")
        .clone();

    let line = headless::login(&overrides(&url, &dir), &manager.username, &manager.password)
        .await
        .expect("login succeeds");
    assert!(line.contains("expires"), "{line}");
    assert!(!line.contains(&manager.password));

    let path = credentials::token_path(&dir, "default");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "token file is owner-only");
    }
    let resolved = Config::embedded()
        .resolve(&overrides(&url, &dir), |_| None)
        .unwrap();
    let credential = credentials::resolve(&resolved, |_| None).expect("stored token found");
    assert!(matches!(credential, Credential::Token(_)));
    let token = credential.secret().expose().to_string();
    let rest = RestClient::new(Endpoint::new(&url), credential, 50.0).unwrap();
    assert!(
        !format!("{rest:?}").contains(&token),
        "the client's Debug hides the token"
    );
    let me = session::establish(&rest).await.expect("manager session");
    assert_eq!(me.customer_id, emu.account.customer_id);
    assert_eq!(me.agent_id, Some(manager.id));
    // The token authorises reads.
    bridgetop::client::api::conferences_page(&rest, None)
        .await
        .expect("a manager can list conferences");

    // An agent-only login: refused with an explanation naming the missing permission.
    let agent = emu
        .account
        .agent_with_permission(16)
        .expect("a plain agent")
        .clone();
    headless::login(&overrides(&url, &dir), &agent.username, &agent.password)
        .await
        .expect("agents can log in");
    let stored = credentials::load_token(&path).unwrap().unwrap();
    let rest = RestClient::new(
        Endpoint::new(&url),
        Credential::Token(Secret::new(stored.token.clone())),
        50.0,
    )
    .unwrap();
    let refused = session::establish(&rest)
        .await
        .expect_err("agent-only is refused");
    assert!(matches!(refused, SessionError::AgentOnly { .. }));
    let message = refused.to_string();
    assert!(message.contains("CustomerAdmin") && message.contains("CustomerManager"));
    assert!(!message.contains(&stored.token));

    // A wrong password: an auth failure, and the password is not repeated.
    let failure = headless::login(&overrides(&url, &dir), &manager.username, "hunter2-wrong")
        .await
        .expect_err("wrong password");
    assert_eq!(failure.code, exit::AUTH);
    assert!(!failure.reason.contains("hunter2-wrong"));
    assert!(!format!("{stored:?}").contains(&stored.token));
    emu.shutdown().await.unwrap();
}
