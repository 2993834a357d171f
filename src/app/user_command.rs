//! Keymap commands: each goes to the help overlay, a verb, navigation, the prompt or a view toggle.

use super::view::{MessageLevel, Overlay};
use super::{App, Effect, UserCommand};
use crate::voipbin::Timestamp;

impl App {
    pub(super) fn run(&mut self, command: UserCommand, now: Timestamp) -> Vec<Effect> {
        let end = self.view.overlay_max_scroll;
        if let Some(Overlay::Help { scroll } | Overlay::Ended { scroll, .. }) =
            &mut self.view.overlay
        {
            // A scrolling overlay takes the movement keys; other commands wait.
            // Scrolling stops at the last line, so `up` moves at once after overshooting.
            match command {
                UserCommand::Up => *scroll = scroll.saturating_sub(1),
                UserCommand::Down => *scroll = scroll.saturating_add(1).min(end),
                UserCommand::PageUp => *scroll = scroll.saturating_sub(10),
                UserCommand::PageDown => *scroll = scroll.saturating_add(10).min(end),
                UserCommand::Top => *scroll = 0,
                UserCommand::Bottom => *scroll = end,
                UserCommand::Help | UserCommand::Back => self.view.overlay = None,
                UserCommand::Quit => return self.quit(),
                UserCommand::Suspend => return vec![Effect::Suspend],
                _ => {}
            }
            return Vec::new();
        }
        if command.changes_platform() {
            return self.run_verb(command, now);
        }
        match command {
            UserCommand::Quit => return self.quit(),
            UserCommand::Suspend => return vec![Effect::Suspend],
            UserCommand::Retry => return self.retry_now(now),
            UserCommand::Open => self.open_selected(),
            UserCommand::Help => self.view.overlay = Some(Overlay::Help { scroll: 0 }),
            UserCommand::CommandLine => self.open_command_line(),
            UserCommand::Filter => self.open_filter(),
            UserCommand::Back => self.back(),
            UserCommand::Freeze => self.toggle_freeze(now),
            UserCommand::Audit => self.toggle_audit(),
            UserCommand::FocusNext => self.cycle_focus(1),
            UserCommand::FocusPrevious => self.cycle_focus(-1),
            UserCommand::Up => self.move_cursor(-1),
            UserCommand::Down => self.move_cursor(1),
            UserCommand::PageUp => self.move_cursor(-(self.view.table_height as isize)),
            UserCommand::PageDown => self.move_cursor(self.view.table_height as isize),
            UserCommand::Top => self.move_cursor(isize::MIN / 2),
            UserCommand::Bottom => self.move_cursor(isize::MAX / 2),
            UserCommand::NextAttention => self.jump_to_attention(true, now),
            UserCommand::PreviousAttention => self.jump_to_attention(false, now),
            UserCommand::SortNext => self.sort_next(now),
            UserCommand::SortReverse => self.sort_reverse(),
            UserCommand::MyConference => self.select_my_conference(now),
            _ => {}
        }
        Vec::new()
    }

    fn retry_now(&mut self, now: Timestamp) -> Vec<Effect> {
        match self.connection {
            super::ConnectionState::Live { .. } => {
                self.say(MessageLevel::Info, "already live".into(), now);
                Vec::new()
            }
            super::ConnectionState::AuthFailed { .. } => {
                self.say(
                    MessageLevel::Error,
                    "the credentials were refused: retrying cannot help; fix them and restart"
                        .into(),
                    now,
                );
                Vec::new()
            }
            _ => {
                self.say(MessageLevel::Info, "retrying now".into(), now);
                vec![Effect::RetryNow]
            }
        }
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        self.quit = true;
        vec![Effect::Quit]
    }
}
