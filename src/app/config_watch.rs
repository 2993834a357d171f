//! Hot reload: the loop polls the config file (and the theme files beside it) once a
//! second; a change that has settled for one poll is loaded and handed to the app, which
//! applies it or says why not. Editors write in steps, so a file seen changing is read
//! only once it has stopped.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::settings::{Settings, SettingsSource};
use crate::config::{self, Config};

/// What the dashboard was started with, to build settings again.
#[derive(Debug, Clone)]
pub struct ReloadSource {
    /// `--config`, if given.
    pub explicit: Option<PathBuf>,
    pub profile: String,
    pub colours: bool,
}

/// Sizes and modification times of the watched files; `None` where absent.
type Fingerprint = Vec<(PathBuf, Option<(SystemTime, u64)>)>;

#[derive(Debug)]
pub struct ConfigWatch {
    source: ReloadSource,
    config_file: Option<PathBuf>,
    themes_dir: Option<PathBuf>,
    applied: Fingerprint,
    /// A change seen on the last poll, not yet settled.
    changing: Option<Fingerprint>,
}

impl ConfigWatch {
    /// Watches from how things stand now: only later changes are reloaded.
    pub fn new(source: ReloadSource) -> ConfigWatch {
        let config_file = source.explicit.clone().or_else(config::default_config_path);
        let themes_dir = config::themes_dir(source.explicit.as_deref());
        let mut watch = ConfigWatch {
            source,
            config_file,
            themes_dir,
            applied: Vec::new(),
            changing: None,
        };
        watch.applied = watch.fingerprint();
        watch
    }

    /// Once a second: the new settings when the files changed and have settled.
    pub fn poll(&mut self) -> Option<Result<Settings, String>> {
        let now = self.fingerprint();
        if now == self.applied {
            self.changing = None;
            return None;
        }
        if self.changing.as_ref() != Some(&now) {
            self.changing = Some(now);
            return None;
        }
        self.applied = now;
        self.changing = None;
        Some(self.load())
    }

    fn load(&self) -> Result<Settings, String> {
        let config = Config::load(self.source.explicit.as_deref()).map_err(|e| e.to_string())?;
        Settings::from_config(
            &config,
            SettingsSource {
                profile: &self.source.profile,
                config_file: self.source.explicit.as_deref(),
                colours: self.source.colours,
            },
        )
    }

    fn fingerprint(&self) -> Fingerprint {
        let mut files: Vec<PathBuf> = self.config_file.iter().cloned().collect();
        if let Some(dir) = &self.themes_dir {
            if let Ok(entries) = std::fs::read_dir(dir) {
                let mut themes: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                themes.sort();
                files.extend(themes);
            }
        }
        files
            .into_iter()
            .map(|path| {
                let stamp = stamp(&path);
                (path, stamp)
            })
            .collect()
    }
}

fn stamp(path: &Path) -> Option<(SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settled_change_is_loaded_once_and_a_bad_file_is_explained() {
        let dir = std::env::temp_dir().join(format!("bridgetop-watch-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.toml");
        std::fs::write(&file, "[keymap]\nkick = [\"ctrl-k\"]\n").unwrap();
        let mut watch = ConfigWatch::new(ReloadSource {
            explicit: Some(file.clone()),
            profile: "default".into(),
            colours: true,
        });
        assert!(watch.poll().is_none(), "nothing changed");
        // A different size, so the change shows whatever the clock's resolution.
        std::fs::write(&file, "[keymap]\nkick = [\"ctrl-x\", \"K\"]\n").unwrap();
        assert!(watch.poll().is_none(), "seen changing: wait one poll");
        let settings = watch.poll().expect("settled: loaded").unwrap();
        let kick = settings.keymap.keys_for(crate::app::UserCommand::Kick);
        assert_eq!(kick.len(), 2);
        assert!(watch.poll().is_none(), "loaded once");

        std::fs::write(&file, "[keymap\n").unwrap();
        assert!(watch.poll().is_none());
        let error = watch.poll().expect("loaded").unwrap_err();
        assert!(error.contains("config.toml"), "{error}");

        // A theme file beside it counts too.
        std::fs::write(&file, "[theme]\nname = \"mine\"\n").unwrap();
        std::fs::create_dir_all(dir.join("themes")).unwrap();
        std::fs::write(
            dir.join("themes/mine.toml"),
            "inherits = \"default\"\n[styles]\nborder = { fg = \"red\" }\n",
        )
        .unwrap();
        watch.poll();
        let settings = watch.poll().expect("loaded").unwrap();
        assert_eq!(settings.theme.border.fg, Some(ratatui::style::Color::Red));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
