//! `bridgetop info`: every path bridgetop uses and the profile in effect, so a user can
//! find their config, logs and audit trail. Names where credentials come from, never a
//! credential.

use std::fmt::Write as _;
use std::path::Path;

use crate::client::audit::audit_path;
use crate::client::credentials::{self, Credential};
use crate::config::{self, Config, Overrides};
use crate::startup::{exit, Failure};
use crate::store::ledger_file::ledger_path;
use crate::ui::theme_file::EMBEDDED;

pub fn info(overrides: &Overrides) -> Result<String, Failure> {
    let config =
        Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
    let resolved = config
        .resolve(overrides, |k| std::env::var(k).ok())
        .map_err(|e| Failure::new(exit::USAGE, e))?;
    let config_path = overrides
        .config
        .clone()
        .or_else(config::default_config_path);
    let themes_dir = config::themes_dir(overrides.config.as_deref());
    let theme = config
        .profiles
        .get(&resolved.profile_name)
        .and_then(|p| p.theme.clone())
        .or_else(|| config.theme.name.clone())
        .unwrap_or_else(|| "default".into());
    let data = &resolved.data_dir;
    let token = credentials::token_path(data, &resolved.profile_name);
    let credential = match credentials::resolve(&resolved, |k| std::env::var(k).ok()) {
        Ok(Credential::AccessKey(_)) => "an access key (found; never shown)".to_owned(),
        Ok(Credential::Token(_)) => "a login token (found; never shown)".to_owned(),
        Err(e) => format!("none usable: {e}"),
    };

    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label:<12} {value}");
    };
    line("version", env!("CARGO_PKG_VERSION").to_owned());
    line(
        "config",
        config_path.map_or_else(
            || "(no config directory on this system)".into(),
            |p| presence(&p),
        ),
    );
    line(
        "profile",
        format!(
            "{} · {}{}",
            resolved.profile_name,
            resolved.url,
            if resolved.readonly {
                " · read-only"
            } else {
                ""
            }
        ),
    );
    line("credentials", credential);
    line("data dir", presence(data));
    line("log", presence(&data.join("bridgetop.log")));
    line("audit", presence(&audit_path(data)));
    line("hold ledger", presence(&ledger_path(data)));
    line("login token", presence(&token));
    let embedded: Vec<&str> = EMBEDDED.iter().map(|(name, _)| *name).collect();
    line(
        "themes",
        format!(
            "{} · embedded: {}",
            themes_dir.map_or_else(|| "(none)".into(), |d| presence(&d)),
            embedded.join(", ")
        ),
    );
    line("theme", theme);
    Ok(out)
}

fn presence(path: &Path) -> String {
    let state = if path.exists() {
        ""
    } else {
        " (not there yet)"
    };
    format!("{}{state}", path.display())
}
