//! Key routing: which action a key means, given what is on screen (dialog, prompt, keymap).

use crossterm::event::{KeyCode, KeyModifiers};

use super::view::Overlay;
use super::{Action, App, Edit, Key, MuteChoice};

impl App {
    /// What a key means right now: dialogs and prompts take keys before the keymap does.
    pub fn action_for_key(&self, key: Key) -> Option<Action> {
        match &self.view.overlay {
            Some(Overlay::Confirm(_)) => return confirm_action(key),
            Some(Overlay::MuteDirection { .. }) => return mute_action(key),
            // Help scrolls with the ordinary movement keys, so the keymap handles it.
            Some(Overlay::Help { .. } | Overlay::Ended { .. }) | None => {}
        }
        if self.view.prompt.is_some() {
            return edit_action(key);
        }
        self.keymap.command_for(key).map(Action::Run)
    }
}

/// The confirmation dialog: yes or no, nothing else.
fn confirm_action(key: Key) -> Option<Action> {
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::Cancel),
        _ => None,
    }
}

/// The mute-direction chooser: one letter per choice.
fn mute_action(key: Key) -> Option<Action> {
    match key.code {
        KeyCode::Char('i') => Some(Action::ChooseMute(MuteChoice::In)),
        KeyCode::Char('o') => Some(Action::ChooseMute(MuteChoice::Out)),
        KeyCode::Char('b') => Some(Action::ChooseMute(MuteChoice::Both)),
        KeyCode::Char('u') => Some(Action::ChooseMute(MuteChoice::Unmute)),
        KeyCode::Esc => Some(Action::Cancel),
        _ => None,
    }
}

/// The filter or command line: keys are text, bar a few editing chords.
fn edit_action(key: Key) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let edit = match key.code {
        KeyCode::Esc => Edit::Cancel,
        KeyCode::Enter => Edit::Submit,
        KeyCode::Tab => Edit::Complete,
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Char('u') if ctrl => Edit::Clear,
        KeyCode::Char('c') if ctrl => Edit::Cancel,
        KeyCode::Char(c) if !ctrl => Edit::Insert(c),
        _ => return None,
    };
    Some(Action::Edit(edit))
}
