//! The prompt: editing the filter and the command line, and carrying out a submitted line.

use super::command_line::{self, ArgumentKind, LineCommand};
use super::view::{Filter, Focus, LineEditor, MessageLevel, Overlay, Prompt, Subset};
use super::{App, Edit, Effect};
use crate::voipbin::Timestamp;

impl App {
    pub(super) fn open_command_line(&mut self) {
        self.view.prompt = Some(Prompt::CommandLine(LineEditor::default()));
    }

    /// `/`: edits the current filter; the old one is kept so `esc` can put it back.
    pub(super) fn open_filter(&mut self) {
        let text = self.view.filter.as_ref().map(|f| f.text.clone());
        self.view.filter_before_prompt = text.clone().unwrap_or_default();
        self.view.prompt = Some(Prompt::Filter(LineEditor {
            text: text.unwrap_or_default(),
            candidates: Vec::new(),
        }));
    }

    pub(super) fn edit(&mut self, edit: Edit, now: Timestamp) -> Vec<Effect> {
        let Some(prompt) = self.view.prompt.as_mut() else {
            return Vec::new();
        };
        let (editor, is_filter) = match prompt {
            Prompt::Filter(editor) => (editor, true),
            Prompt::CommandLine(editor) => (editor, false),
        };
        match edit {
            Edit::Insert(c) => editor.text.push(c),
            Edit::Backspace => {
                editor.text.pop();
            }
            Edit::Clear => editor.text.clear(),
            Edit::Cancel => {
                self.view.prompt = None;
                if is_filter {
                    // The filter followed the typing; cancelling puts the old one back.
                    let before = std::mem::take(&mut self.view.filter_before_prompt);
                    self.apply_filter(&before);
                }
                return Vec::new();
            }
            Edit::Complete if !is_filter => {
                let text = editor.text.clone();
                let (line, candidates) = command_line::complete(&text, |kind| self.names(kind));
                if let Some(Prompt::CommandLine(editor)) = self.view.prompt.as_mut() {
                    editor.text = line;
                    editor.candidates = candidates;
                }
                return Vec::new();
            }
            Edit::Complete => {}
            Edit::Submit => {
                let text = editor.text.clone();
                self.view.prompt = None;
                return if is_filter {
                    self.apply_filter(&text);
                    Vec::new()
                } else {
                    self.submit_line(&text, now)
                };
            }
        }
        // The filter follows as you type, like k9s.
        if is_filter {
            let text = editor.text.clone();
            self.apply_filter(&text);
        } else {
            editor.candidates.clear();
        }
        Vec::new()
    }

    fn apply_filter(&mut self, text: &str) {
        self.view.filter = (!text.is_empty()).then(|| Filter::new(text));
        self.change_view();
    }

    /// Conference or agent names for completion, from the live data.
    fn names(&self, kind: ArgumentKind) -> Vec<String> {
        let live = self.store.live();
        match kind {
            ArgumentKind::Conference => live
                .map(|c| c.conference.name.clone())
                .filter(|n| !n.is_empty())
                .collect(),
            ArgumentKind::Agent => live
                .flat_map(|c| c.participants.iter())
                .filter(|p| p.is_joined())
                .filter_map(|p| p.agent_name.clone())
                .collect(),
        }
    }

    fn submit_line(&mut self, text: &str, now: Timestamp) -> Vec<Effect> {
        let command = match command_line::parse(text) {
            Ok(command) => command,
            Err(why) => {
                self.say(MessageLevel::Error, why, now);
                return Vec::new();
            }
        };
        match command {
            LineCommand::Conf(name) => self.select_by(&name, now, |c, wanted| {
                let name = c.conference.name.to_lowercase();
                (name == wanted, name.contains(wanted))
            }),
            LineCommand::Agent(name) => self.select_by(&name, now, |c, wanted| {
                let names = c
                    .participants
                    .iter()
                    .filter(|p| p.is_joined())
                    .filter_map(|p| p.agent_name.as_ref())
                    .map(|n| n.to_lowercase());
                let mut exact = false;
                let mut partial = false;
                for n in names {
                    exact |= n == wanted;
                    partial |= n.contains(wanted);
                }
                (exact, partial)
            }),
            LineCommand::Held => self.show_subset(Subset::Held, Focus::Conferences, now),
            LineCommand::Alerts => self.show_subset(Subset::Alerting, Focus::Alerts, now),
            LineCommand::All => self.show_subset(Subset::All, Focus::Conferences, now),
            LineCommand::Ended(minutes) => {
                self.view.overlay = Some(Overlay::Ended { minutes, scroll: 0 });
            }
            LineCommand::Audit => {
                self.view.show_audit = true;
                self.view.focus = Focus::Audit;
            }
            LineCommand::Readonly => self.toggle_readonly(now),
            LineCommand::Help => self.view.overlay = Some(Overlay::Help { scroll: 0 }),
            LineCommand::Quit => return self.quit(),
        }
        Vec::new()
    }

    fn show_subset(&mut self, subset: Subset, focus: Focus, now: Timestamp) {
        self.view.subset = subset;
        self.view.focus = focus;
        self.change_view();
        let what = match subset {
            Subset::All => "all conferences",
            Subset::Held => "conferences with someone on hold",
            Subset::Alerting => "conferences with alerts",
        };
        self.say(
            MessageLevel::Info,
            format!("showing {what} (esc: all)"),
            now,
        );
    }

    /// `:readonly`: a read-only set at start-up (flag or profile) cannot be switched off here.
    fn toggle_readonly(&mut self, now: Timestamp) {
        if self.view.readonly && self.view.readonly_forced {
            self.say(
                MessageLevel::Error,
                "read-only was set at start-up (flag or profile) and stays on".into(),
                now,
            );
            return;
        }
        self.view.readonly = !self.view.readonly;
        let state = if self.view.readonly { "on" } else { "off" };
        self.say(MessageLevel::Info, format!("read-only {state}"), now);
    }
}
