//! The keymap: which keys run which user command. Data, not code: the defaults come from
//! `assets/keymap.toml`, the config file overrides per command, and the help screen and
//! hint bar read the result.

use std::collections::{BTreeMap, HashMap};

use super::command::UserCommand;
use super::key::{Key, UnknownKey};

pub const DEFAULT_KEYMAP_TOML: &str = include_str!("../../assets/keymap.toml");

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    #[error("keymap: {0}")]
    Toml(String),
    #[error("keymap: unknown command {0:?}")]
    UnknownCommand(String),
    #[error("keymap: command {command}: {source}")]
    Key {
        command: String,
        #[source]
        source: UnknownKey,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// In the order the user gave them: the first key is the one the hint bar shows.
    keys_by_command: BTreeMap<UserCommand, Vec<Key>>,
    command_by_key: HashMap<Key, UserCommand>,
    /// Keys an override took from another command, said at start (`kick` took `h` from
    /// `hold`), so a rebinding never silently disarms a command.
    pub conflicts: Vec<String>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_toml(DEFAULT_KEYMAP_TOML).expect("the embedded keymap is valid")
    }
}

impl Keymap {
    pub fn from_toml(text: &str) -> Result<Keymap, KeymapError> {
        let table: BTreeMap<String, Vec<String>> =
            toml::from_str(text).map_err(|e| KeymapError::Toml(e.to_string()))?;
        let mut keymap = Keymap {
            keys_by_command: BTreeMap::new(),
            command_by_key: HashMap::new(),
            conflicts: Vec::new(),
        };
        keymap.apply_overrides(&table)?;
        // The defaults are one table; only a user's override can conflict with them.
        keymap.conflicts.clear();
        Ok(keymap)
    }

    /// The defaults with the config file's `[keymap]` table on top. A command named there
    /// gets exactly the keys given (an empty list unbinds it); a key it takes is removed from
    /// whatever command had it before.
    pub fn with_overrides(
        overrides: &BTreeMap<String, Vec<String>>,
    ) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        keymap.apply_overrides(overrides)?;
        Ok(keymap)
    }

    fn apply_overrides(
        &mut self,
        table: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), KeymapError> {
        for (name, key_names) in table {
            let command = UserCommand::from_name(name)
                .ok_or_else(|| KeymapError::UnknownCommand(name.clone()))?;
            let keys = key_names
                .iter()
                .map(|k| k.parse::<Key>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|source| KeymapError::Key {
                    command: name.clone(),
                    source,
                })?;
            self.bind(command, keys);
        }
        Ok(())
    }

    fn bind(&mut self, command: UserCommand, keys: Vec<Key>) {
        if let Some(old) = self.keys_by_command.remove(&command) {
            for key in old {
                self.command_by_key.remove(&key);
            }
        }
        for key in &keys {
            if let Some(previous) = self.command_by_key.insert(*key, command) {
                if previous == command {
                    continue;
                }
                if let Some(list) = self.keys_by_command.get_mut(&previous) {
                    list.retain(|k| k != key);
                    let left = if list.is_empty() {
                        format!("{previous} now has no key (bind it under [keymap])")
                    } else {
                        let keys: Vec<String> = list.iter().map(ToString::to_string).collect();
                        format!("{previous} still has {}", keys.join(", "))
                    };
                    self.conflicts.push(format!(
                        "keymap: {command} takes {key} from {previous}; {left}"
                    ));
                }
            }
        }
        self.keys_by_command.insert(command, keys);
    }

    pub fn command_for(&self, key: Key) -> Option<UserCommand> {
        self.command_by_key.get(&key).copied()
    }

    pub fn keys_for(&self, command: UserCommand) -> &[Key] {
        self.keys_by_command
            .get(&command)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The key the hint bar shows for a command, if it is bound at all.
    pub fn first_key(&self, command: UserCommand) -> Option<Key> {
        self.keys_for(command).first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_bind_every_command() {
        let keymap = Keymap::default();
        for command in UserCommand::ALL {
            assert!(
                keymap.first_key(*command).is_some(),
                "{command} has no default key"
            );
        }
    }

    #[test]
    fn an_override_moves_a_command_and_frees_its_old_key() {
        let overrides = BTreeMap::from([("kick".to_string(), vec!["ctrl-k".to_string()])]);
        let keymap = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(keymap.command_for(Key::ctrl('k')), Some(UserCommand::Kick));
        assert_eq!(keymap.command_for(Key::char('x')), None);
        assert_eq!(keymap.first_key(UserCommand::Kick), Some(Key::ctrl('k')));
    }

    #[test]
    fn an_override_takes_a_key_from_another_command() {
        let overrides = BTreeMap::from([("kick".to_string(), vec!["h".to_string()])]);
        let keymap = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(keymap.command_for(Key::char('h')), Some(UserCommand::Kick));
        assert_eq!(keymap.keys_for(UserCommand::Hold), &[] as &[Key]);
        assert_eq!(
            keymap.conflicts,
            ["keymap: kick takes h from hold; hold now has no key (bind it under [keymap])"]
        );
        let up = BTreeMap::from([("top".to_string(), vec!["k".to_string()])]);
        let keymap = Keymap::with_overrides(&up).unwrap();
        assert_eq!(
            keymap.conflicts,
            ["keymap: top takes k from up; up still has up"]
        );
        assert!(Keymap::default().conflicts.is_empty());
        let unchanged = BTreeMap::from([("kick".to_string(), vec!["x".to_string()])]);
        assert!(Keymap::with_overrides(&unchanged)
            .unwrap()
            .conflicts
            .is_empty());
    }

    #[test]
    fn unknown_names_are_errors() {
        let bad_command = BTreeMap::from([("explode".to_string(), vec!["e".to_string()])]);
        assert_eq!(
            Keymap::with_overrides(&bad_command),
            Err(KeymapError::UnknownCommand("explode".into()))
        );
        let bad_key = BTreeMap::from([("kick".to_string(), vec!["hyper-k".to_string()])]);
        assert!(matches!(
            Keymap::with_overrides(&bad_key),
            Err(KeymapError::Key { .. })
        ));
    }
}
