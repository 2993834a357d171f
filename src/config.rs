//! The TOML config: profiles (base URL, where credentials come from, readonly) and client
//! settings. Every key is optional; defaults are embedded from `assets/config.toml`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use uuid::Uuid;

use crate::app::notify::NotifyPolicy;
use crate::store::{AlertThresholds, StoreConfig};
use crate::ui::theme::Theme;
use crate::ui::theme_file::{self, StyleSpec};
use thiserror::Error;

/// The defaults every user config is laid over.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");
pub const DEFAULT_URL: &str = "https://api.voipbin.net/v1.0";
pub const DEFAULT_REQUEST_BUDGET: f64 = 8.0;
pub const DATA_DIR_ENV: &str = "BRIDGETOP_DATA_DIR";

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub default_profile: Option<String>,
    pub request_budget: Option<f64>,
    pub data_dir: Option<PathBuf>,
    /// Clicks select, the wheel scrolls (off by default: it takes the terminal's own
    /// text selection away).
    pub mouse: Option<bool>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
    /// Dashboard key rebindings: command name → keys (defaults in assets/keymap.toml).
    #[serde(default)]
    pub keymap: BTreeMap<String, Vec<String>>,
    /// Alert thresholds, in seconds, for every mode.
    #[serde(default)]
    pub alerts: AlertThresholds,
    #[serde(default)]
    pub table: TableConfig,
    #[serde(default)]
    pub theme: ThemeConfig,
    #[serde(default)]
    pub notifications: NotifyPolicy,
}

/// `[theme]`: a theme by name (embedded or `themes/NAME.toml` beside the config file)
/// and styles laid over it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ThemeConfig {
    pub name: Option<String>,
    #[serde(default)]
    pub styles: BTreeMap<String, StyleSpec>,
}

/// `[table]`: the conference table's columns, by name, in order.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableConfig {
    pub columns: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub url: Option<String>,
    /// Name of an environment variable that holds an access key.
    pub accesskey_env: Option<String>,
    /// Name of an environment variable that holds a login token.
    pub token_env: Option<String>,
    /// A file holding an access key.
    pub key_file: Option<PathBuf>,
    pub readonly: Option<bool>,
    pub ca_cert: Option<PathBuf>,
    /// This profile's theme, over `[theme] name` (e.g. a red border for production).
    pub theme: Option<String>,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("profile `{0}` is not defined in the config file")]
    UnknownProfile(String),
    #[error("no data directory: set --data-dir or {DATA_DIR_ENV}")]
    NoDataDir,
    /// `shown` is the URL without query, fragment or user info, which may hold secrets.
    #[error(
        "API URL {shown} is not usable: {reason} (expected e.g. https://api.voipbin.net/v1.0)"
    )]
    BadUrl { shown: String, reason: String },
}

/// The API base URL must be an absolute http(s) URL with a host; it includes `/v1.0`.
fn check_base_url(url: &str) -> Result<(), ConfigError> {
    let parsed = reqwest::Url::parse(url).map_err(|e| ConfigError::BadUrl {
        shown: "(as given)".to_owned(),
        reason: e.to_string(),
    })?;
    let mut shown = parsed.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    let bad = |reason: &str| ConfigError::BadUrl {
        shown: shown.to_string(),
        reason: reason.to_owned(),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(
            "the scheme must be https (or http for a local emulator)",
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "credentials never go in the URL: use BRIDGETOP_ACCESSKEY or a profile",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(bad("it must not carry a query or fragment"));
    }
    Ok(())
}

/// What the global command-line flags override.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub profile: Option<String>,
    pub url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub ca_cert: Option<PathBuf>,
    pub readonly: bool,
}

/// A profile with every default and override applied: what the client runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub profile_name: String,
    pub url: String,
    pub profile: Profile,
    pub readonly: bool,
    pub ca_cert: Option<PathBuf>,
    pub data_dir: PathBuf,
    pub request_budget: f64,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("net", "voipbin", "bridgetop")
}

pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Where user theme files live: `themes/` beside the config file in use.
pub fn themes_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    let config = explicit
        .map(Path::to_path_buf)
        .or_else(default_config_path)?;
    Some(config.parent()?.join("themes"))
}

pub fn default_data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

impl Config {
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.message().to_string(),
        })
    }

    pub fn embedded() -> Config {
        Config::parse(DEFAULT_CONFIG, Path::new("assets/config.toml"))
            .expect("the embedded default config parses")
    }

    /// The embedded defaults overlaid with the user file. An explicit `--config` that does
    /// not exist is an error; a missing file in the default location is not.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let mut config = Config::embedded();
        let (path, required) = match explicit {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (default_config_path(), false),
        };
        if let Some(path) = path {
            match std::fs::read_to_string(&path) {
                Ok(text) => config.overlay(Config::parse(&text, &path)?),
                Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(ConfigError::Read { path, source }),
            }
        }
        Ok(config)
    }

    fn overlay(&mut self, user: Config) {
        if user.default_profile.is_some() {
            self.default_profile = user.default_profile;
        }
        if user.request_budget.is_some() {
            self.request_budget = user.request_budget;
        }
        if user.data_dir.is_some() {
            self.data_dir = user.data_dir;
        }
        if user.mouse.is_some() {
            self.mouse = user.mouse;
        }
        for (name, profile) in user.profiles {
            let slot = self.profiles.entry(name).or_default();
            slot.overlay(profile);
        }
        self.keymap.extend(user.keymap);
        // Unset keys already hold the defaults, which the embedded file repeats.
        self.alerts = user.alerts;
        if user.table.columns.is_some() {
            self.table.columns = user.table.columns;
        }
        if user.theme.name.is_some() {
            self.theme.name = user.theme.name;
        }
        self.theme.styles.extend(user.theme.styles);
        // Unset keys already hold the defaults, as for the alerts.
        self.notifications = user.notifications;
    }

    /// The theme to draw with: the profile's, else `[theme] name`, else the default, with
    /// `[theme.styles]` over it. User theme files live in `themes/` beside the config file.
    pub fn theme(
        &self,
        profile_theme: Option<&str>,
        explicit: Option<&Path>,
    ) -> Result<Theme, String> {
        let name = profile_theme
            .or(self.theme.name.as_deref())
            .unwrap_or("default");
        theme_file::load(name, themes_dir(explicit).as_deref(), &self.theme.styles)
    }

    /// The store settings every mode runs with: the alert thresholds from this config, and
    /// the console's own agent.
    pub fn store_config(&self, me: Option<Uuid>) -> StoreConfig {
        StoreConfig {
            myself: me,
            alerts: self.alerts.clone(),
            ..StoreConfig::default()
        }
    }

    /// Applies flags and `BRIDGETOP_DATA_DIR` (looked up through `env`) to one profile.
    pub fn resolve(
        &self,
        overrides: &Overrides,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Resolved, ConfigError> {
        let profile_name = overrides
            .profile
            .clone()
            .or_else(|| self.default_profile.clone())
            .unwrap_or_else(|| "default".to_string());
        let profile = match self.profiles.get(&profile_name) {
            Some(p) => p.clone(),
            None if overrides.profile.is_none() => Profile::default(),
            None => return Err(ConfigError::UnknownProfile(profile_name)),
        };
        let url = overrides
            .url
            .clone()
            .or_else(|| profile.url.clone())
            .unwrap_or_else(|| DEFAULT_URL.to_string());
        check_base_url(&url)?;
        let data_dir = overrides
            .data_dir
            .clone()
            .or_else(|| {
                env(DATA_DIR_ENV)
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .or_else(|| self.data_dir.clone())
            .or_else(default_data_dir)
            .ok_or(ConfigError::NoDataDir)?;
        Ok(Resolved {
            readonly: overrides.readonly || profile.readonly.unwrap_or(false),
            ca_cert: overrides
                .ca_cert
                .clone()
                .or_else(|| profile.ca_cert.clone()),
            url: url.trim_end_matches('/').to_string(),
            profile,
            profile_name,
            data_dir,
            request_budget: self
                .request_budget
                .filter(|b| *b > 0.0)
                .unwrap_or(DEFAULT_REQUEST_BUDGET),
        })
    }
}

impl Profile {
    fn overlay(&mut self, user: Profile) {
        macro_rules! take {
            ($($field:ident),*) => { $( if user.$field.is_some() { self.$field = user.$field; } )* };
        }
        take!(
            url,
            accesskey_env,
            token_env,
            key_file,
            readonly,
            ca_cert,
            theme
        );
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn base_urls_must_be_absolute_http_with_a_host() {
        assert!(check_base_url("https://api.voipbin.net/v1.0").is_ok());
        assert!(check_base_url("http://127.0.0.1:8088/v1.0").is_ok());
        for bad in [
            "not a url",
            "ftp://x/v1.0",
            "https:///v1.0",
            "https://h/v1.0?accesskey=k",
        ] {
            let err = check_base_url(bad).unwrap_err().to_string();
            assert!(err.contains("is not usable"), "{bad}: {err}");
        }
    }

    use super::*;

    #[test]
    fn embedded_defaults_point_at_production() {
        let resolved = Config::embedded()
            .resolve(
                &Overrides {
                    data_dir: Some("/tmp/x".into()),
                    ..Default::default()
                },
                |_| None,
            )
            .unwrap();
        assert_eq!(resolved.url, DEFAULT_URL);
        assert_eq!(resolved.profile_name, "default");
        assert_eq!(resolved.request_budget, 8.0);
        assert!(!resolved.readonly);
    }

    #[test]
    fn user_profile_overlays_and_flags_win() {
        let mut config = Config::embedded();
        config.overlay(
            Config::parse(
                "[profiles.lab]\nurl = \"http://127.0.0.1:9/v1.0/\"\nreadonly = true\n",
                Path::new("t"),
            )
            .unwrap(),
        );
        let overrides = Overrides {
            profile: Some("lab".into()),
            ..Default::default()
        };
        let env = |k: &str| (k == DATA_DIR_ENV).then(|| "/data/env".to_string());
        let r = config.resolve(&overrides, env).unwrap();
        assert_eq!(r.url, "http://127.0.0.1:9/v1.0");
        assert!(r.readonly);
        assert_eq!(r.data_dir, PathBuf::from("/data/env"));
        let flagged = Overrides {
            url: Some("http://h/v1.0".into()),
            data_dir: Some("/flag".into()),
            ..overrides
        };
        let r = config.resolve(&flagged, env).unwrap();
        assert_eq!(r.url, "http://h/v1.0");
        assert_eq!(r.data_dir, PathBuf::from("/flag"));
    }

    #[test]
    fn unknown_named_profile_is_an_error() {
        let overrides = Overrides {
            profile: Some("nope".into()),
            data_dir: Some("/d".into()),
            ..Default::default()
        };
        assert!(matches!(
            Config::embedded().resolve(&overrides, |_| None),
            Err(ConfigError::UnknownProfile(_))
        ));
    }

    #[test]
    fn the_embedded_file_states_the_built_in_defaults() {
        assert_eq!(Config::embedded().alerts, AlertThresholds::default());
        assert_eq!(Config::default().alerts, AlertThresholds::default());
    }

    #[test]
    fn alert_keys_overlay_one_by_one() {
        let mut config = Config::embedded();
        config.overlay(Config::parse("[alerts]\nhold_warning = 30\n", Path::new("t")).unwrap());
        assert_eq!(config.alerts.hold_warning, chrono::TimeDelta::seconds(30));
        assert_eq!(
            config.alerts.hold_critical,
            AlertThresholds::default().hold_critical
        );
        assert!(Config::parse("[alerts]\nhold_warnin = 30\n", Path::new("t")).is_err());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(Config::parse("colour = 1", Path::new("t")).is_err());
    }
}
