//! The dashboard settings the config file gives and may change while bridgetop runs:
//! keys, theme, table columns, alert thresholds and notifications. Built in one place, at
//! start and on every reload; credentials, the profile and the URL are never among them.

use std::path::Path;

use super::keymap::Keymap;
use super::notify::NotifyPolicy;
use super::view::MessageLevel;
use super::App;
use crate::config::Config;
use crate::store::AlertThresholds;
use crate::ui::columns::TableColumns;
use crate::ui::theme::Theme;
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub keymap: Keymap,
    pub theme: Theme,
    pub columns: TableColumns,
    pub alerts: AlertThresholds,
    pub notify: NotifyPolicy,
}

/// What is needed besides the config to build the settings.
#[derive(Debug, Clone, Copy)]
pub struct SettingsSource<'a> {
    /// The profile in use, whose `theme` wins over `[theme] name`.
    pub profile: &'a str,
    /// `--config`, else the default location.
    pub config_file: Option<&'a Path>,
    /// False for `NO_COLOR` / `--color never`.
    pub colours: bool,
}

impl Settings {
    pub fn from_config(config: &Config, source: SettingsSource) -> Result<Settings, String> {
        let keymap = Keymap::with_overrides(&config.keymap).map_err(|e| e.to_string())?;
        let columns = match &config.table.columns {
            Some(names) => TableColumns::from_names(names)?,
            None => TableColumns::default(),
        };
        let profile_theme = config
            .profiles
            .get(source.profile)
            .and_then(|p| p.theme.as_deref());
        let theme = config.theme(profile_theme, source.config_file)?;
        Ok(Settings {
            keymap,
            theme: if source.colours {
                theme
            } else {
                theme.without_colour()
            },
            columns,
            alerts: config.alerts.clone(),
            notify: config.notifications,
        })
    }
}

impl App {
    /// The settings in effect now, as `Settings::from_config` would build them.
    pub fn settings(&self) -> Settings {
        Settings {
            keymap: self.keymap.clone(),
            theme: self.theme.clone(),
            columns: self.view.columns.clone(),
            alerts: self.store.config().alerts.clone(),
            notify: self.notify,
        }
    }

    /// Takes new settings in; returns which of them changed.
    pub fn apply_settings(&mut self, settings: Settings, now: Timestamp) -> Vec<&'static str> {
        let mut changed = Vec::new();
        if settings.keymap != self.keymap {
            self.keymap = settings.keymap;
            changed.push("keys");
        }
        if settings.theme != self.theme {
            self.theme = settings.theme;
            changed.push("theme");
        }
        if settings.columns != self.view.columns {
            self.view.columns = settings.columns;
            changed.push("columns");
        }
        if settings.alerts != self.store.config().alerts {
            let changes = self.store.set_alert_thresholds(settings.alerts, now);
            self.absorb(&changes);
            changed.push("alert thresholds");
        }
        if settings.notify != self.notify {
            self.notify = settings.notify;
            changed.push("notifications");
        }
        self.dirty = true;
        changed
    }

    /// The config file changed: apply what it now says, or say why it was not taken.
    pub fn reload_settings(&mut self, loaded: Result<Settings, String>, now: Timestamp) {
        match loaded {
            Ok(settings) => {
                let conflicts = settings.keymap.conflicts.clone();
                let changed = self.apply_settings(settings, now);
                let mut text = if changed.is_empty() {
                    "config file changed; nothing the dashboard reloads differs".to_owned()
                } else {
                    format!("config reloaded: {} changed", changed.join(", "))
                };
                if changed.contains(&"keys") && !conflicts.is_empty() {
                    text = format!("{text} · {}", conflicts.join(" · "));
                }
                self.say(MessageLevel::Info, text, now);
            }
            Err(reason) => self.say(
                MessageLevel::Error,
                format!("config not reloaded, the previous settings stay: {reason}"),
                now,
            ),
        }
    }
}
