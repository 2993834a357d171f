//! The update step: key → action, and action → view changes and effects.

use chrono::TimeDelta;
use crossterm::event::KeyCode;

use super::audit::RowStatus;
use super::command_line::{self, ArgumentKind, LineCommand};
use super::view::{Filter, Focus, LineEditor, Message, MessageLevel, Overlay, Prompt, Subset};
use super::{participant_order, Action, App, Edit, Effect, Frozen, Key, MuteChoice, UserCommand};
use crate::store::{Change, Input};
use crate::voipbin::Timestamp;

/// How long a message stays on the bottom line.
const MESSAGE_LIFETIME: TimeDelta = TimeDelta::seconds(6);

impl App {
    /// What a key means right now: dialogs and prompts take keys before the keymap does.
    pub fn action_for_key(&self, key: Key) -> Option<Action> {
        if let Some(overlay) = &self.view.overlay {
            match overlay {
                Overlay::Confirm(_) => {
                    return match key.code {
                        KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
                        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                            Some(Action::Cancel)
                        }
                        _ => None,
                    };
                }
                Overlay::MuteDirection { .. } => {
                    return match key.code {
                        KeyCode::Char('i') => Some(Action::ChooseMute(MuteChoice::In)),
                        KeyCode::Char('o') => Some(Action::ChooseMute(MuteChoice::Out)),
                        KeyCode::Char('b') => Some(Action::ChooseMute(MuteChoice::Both)),
                        KeyCode::Char('u') => Some(Action::ChooseMute(MuteChoice::Unmute)),
                        KeyCode::Esc => Some(Action::Cancel),
                        _ => None,
                    };
                }
                Overlay::Help { .. } => {}
            }
        }
        if self.view.prompt.is_some() {
            let ctrl = key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL);
            return match key.code {
                KeyCode::Esc => Some(Action::Edit(Edit::Cancel)),
                KeyCode::Enter => Some(Action::Edit(Edit::Submit)),
                KeyCode::Tab => Some(Action::Edit(Edit::Complete)),
                KeyCode::Backspace => Some(Action::Edit(Edit::Backspace)),
                KeyCode::Char('u') if ctrl => Some(Action::Edit(Edit::Clear)),
                KeyCode::Char('c') if ctrl => Some(Action::Edit(Edit::Cancel)),
                KeyCode::Char(c) if !ctrl => Some(Action::Edit(Edit::Insert(c))),
                _ => None,
            };
        }
        self.keymap.command_for(key).map(Action::Run)
    }

    pub fn update(&mut self, action: Action, now: Timestamp) -> Vec<Effect> {
        match action {
            Action::Run(command) => self.run(command, now),
            Action::Confirm => {
                self.dirty = true;
                self.confirm(now)
            }
            Action::Cancel => {
                if self.view.overlay.take().is_some() {
                    self.say(MessageLevel::Info, "cancelled".into(), now);
                }
                Vec::new()
            }
            Action::ChooseMute(choice) => {
                self.dirty = true;
                self.choose_mute(choice, now)
            }
            Action::Edit(edit) => self.edit(edit, now),
            Action::Inbound(input) => self.inbound(*input, now),
            Action::Connection(state) => {
                if self.connection != state {
                    self.connection = state;
                    self.dirty = true;
                }
                Vec::new()
            }
            Action::WriteFailed(what) => {
                self.say(MessageLevel::Error, format!("✗ not recorded: {what}"), now);
                self.unrecorded = Some(what);
                Vec::new()
            }
            Action::Tick => self.tick(now),
            Action::Resize => {
                self.dirty = true;
                Vec::new()
            }
        }
    }

    fn run(&mut self, command: UserCommand, now: Timestamp) -> Vec<Effect> {
        self.dirty = true;
        if let Some(Overlay::Help { scroll }) = &mut self.view.overlay {
            match command {
                UserCommand::Up => *scroll = scroll.saturating_sub(1),
                UserCommand::Down => *scroll = scroll.saturating_add(1),
                UserCommand::PageUp => *scroll = scroll.saturating_sub(10),
                UserCommand::PageDown => *scroll = scroll.saturating_add(10),
                UserCommand::Top => *scroll = 0,
                UserCommand::Help | UserCommand::Back => self.view.overlay = None,
                UserCommand::Quit => return self.quit(),
                _ => {}
            }
            return Vec::new();
        }
        if command.changes_platform() {
            return self.run_verb(command, now);
        }
        match command {
            UserCommand::Quit => return self.quit(),
            UserCommand::Help => self.view.overlay = Some(Overlay::Help { scroll: 0 }),
            UserCommand::CommandLine => {
                self.view.prompt = Some(Prompt::CommandLine(LineEditor::default()));
            }
            UserCommand::Filter => {
                let text = self.view.filter.as_ref().map(|f| f.text.clone());
                self.view.filter_before_prompt = text.clone().unwrap_or_default();
                self.view.prompt = Some(Prompt::Filter(LineEditor {
                    text: text.unwrap_or_default(),
                    candidates: Vec::new(),
                }));
            }
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
            UserCommand::SortNext => {
                self.view.sort = self.view.sort.next();
                self.view.descending = false;
                self.change_view();
                let label = self.view.sort.label();
                self.say(MessageLevel::Info, format!("sorted by {label}"), now);
            }
            UserCommand::SortReverse => {
                self.view.descending = !self.view.descending;
                self.change_view();
            }
            UserCommand::MyConference => self.select_my_conference(now),
            _ => {}
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.quit = true;
        vec![Effect::Quit]
    }

    /// `esc`: undo the innermost thing: overlay, then filter, then subset, then focus.
    fn back(&mut self) {
        if self.view.overlay.take().is_some() {
            return;
        }
        if self.view.filter.take().is_some() {
            self.mark_overview_stale();
        } else if self.view.subset != Subset::All {
            self.view.subset = Subset::All;
            self.mark_overview_stale();
        } else if self.view.show_audit && self.view.focus == Focus::Audit {
            self.view.show_audit = false;
            self.view.focus = Focus::Conferences;
        } else {
            self.view.focus = Focus::Conferences;
        }
    }

    fn toggle_freeze(&mut self, now: Timestamp) {
        if self.frozen.take().is_some() {
            self.mark_overview_stale();
            self.say(MessageLevel::Info, "live again".into(), now);
        } else {
            let conferences = self
                .overview
                .rows
                .iter()
                .filter_map(|id| self.store.conference(*id))
                .map(|view| (view.id(), view.clone()))
                .collect();
            self.frozen = Some(Frozen {
                conferences,
                overview: self.overview.clone(),
                at: now,
            });
            self.say(
                MessageLevel::Info,
                "frozen: data keeps syncing; press freeze again to catch up".into(),
                now,
            );
        }
    }

    fn toggle_audit(&mut self) {
        self.view.show_audit = !self.view.show_audit;
        self.view.focus = if self.view.show_audit {
            Focus::Audit
        } else {
            Focus::Conferences
        };
    }

    fn cycle_focus(&mut self, step: isize) {
        let panes = if self.view.show_audit {
            vec![Focus::Conferences, Focus::Audit]
        } else {
            vec![Focus::Conferences, Focus::Participants, Focus::Alerts]
        };
        let at = panes
            .iter()
            .position(|f| *f == self.view.focus)
            .unwrap_or(0) as isize;
        let next = (at + step).rem_euclid(panes.len() as isize) as usize;
        self.view.focus = panes[next];
    }

    fn move_cursor(&mut self, delta: isize) {
        let step = |current: usize, len: usize| -> Option<usize> {
            (len > 0).then(|| {
                (current as isize)
                    .saturating_add(delta)
                    .clamp(0, len as isize - 1) as usize
            })
        };
        match self.view.focus {
            Focus::Conferences => {
                let rows = &self.overview().rows;
                let current = self.cursor().unwrap_or(0);
                if let Some(next) = step(current, rows.len()) {
                    let id = rows[next];
                    self.select_conference(Some(id));
                    self.view.last_cursor = next;
                }
            }
            Focus::Participants => {
                let Some(conference) = self.selected_conference() else {
                    return;
                };
                let order = participant_order(conference);
                let current = order
                    .iter()
                    .position(|p| Some(p.conferencecall_id) == self.view.selected_participant)
                    .unwrap_or(0);
                if let Some(next) = step(current, order.len()) {
                    self.view.selected_participant = Some(order[next].conferencecall_id);
                }
            }
            Focus::Alerts => {
                let len = self.overview().alerts.len();
                if let Some(next) = step(self.view.alert_cursor, len) {
                    self.view.alert_cursor = next;
                    self.follow_alert(next);
                }
            }
            Focus::Audit => {
                let len = self.audit.len();
                if let Some(next) = step(self.view.audit_cursor, len) {
                    self.view.audit_cursor = next;
                }
            }
        }
    }

    /// Selecting an alert selects its conference and the leg it is about.
    fn follow_alert(&mut self, index: usize) {
        let Some(row) = self.overview().alerts.get(index).cloned() else {
            return;
        };
        if !self.overview().position.contains_key(&row.conference_id) {
            return;
        }
        self.select_conference(Some(row.conference_id));
        if let Some(leg) = row.alert.conferencecall_id {
            self.view.selected_participant = Some(leg);
        }
    }

    /// `n` / `N`: the next listed conference, after the cursor, that has an alert.
    fn jump_to_attention(&mut self, forward: bool, now: Timestamp) {
        let rows = self.overview().rows.clone();
        if rows.is_empty() {
            return;
        }
        let start = self.cursor().unwrap_or(0);
        let len = rows.len();
        let found = (1..=len)
            .map(|i| {
                if forward {
                    (start + i) % len
                } else {
                    (start + len * 2 - i) % len
                }
            })
            .find(|&i| {
                self.conference(rows[i])
                    .is_some_and(|c| !c.alerts.is_empty())
            });
        match found {
            Some(index) => {
                self.select_conference(Some(rows[index]));
                self.view.last_cursor = index;
                self.view.focus = Focus::Conferences;
                if let Some(leg) = self
                    .conference(rows[index])
                    .and_then(|c| c.alerts.iter().find_map(|a| a.conferencecall_id))
                {
                    self.view.selected_participant = Some(leg);
                }
            }
            None => self.say(MessageLevel::Info, "nothing needs attention".into(), now),
        }
    }

    fn select_my_conference(&mut self, now: Timestamp) {
        if !self.agent_mode() {
            self.say(
                MessageLevel::Error,
                "agent mode is off: start with --me AGENT_ID".into(),
                now,
            );
            return;
        }
        match self.my_conference_id() {
            Some(id) => {
                self.select_conference(Some(id));
                self.view.focus = Focus::Participants;
            }
            None => self.say(
                MessageLevel::Info,
                "you are not in a conference".into(),
                now,
            ),
        }
    }

    fn edit(&mut self, edit: Edit, now: Timestamp) -> Vec<Effect> {
        self.dirty = true;
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

    /// Selects the best match: an exact name first, else the first that contains it.
    /// Clears the filter and subset if they hide it.
    fn select_by(
        &mut self,
        wanted: &str,
        now: Timestamp,
        matches: impl Fn(&crate::store::ConferenceView, &str) -> (bool, bool),
    ) {
        let wanted = wanted.to_lowercase();
        let mut candidates: Vec<&crate::store::ConferenceView> = self
            .store
            .live()
            .filter(|c| {
                let (exact, partial) = matches(c, &wanted);
                exact || partial
            })
            .collect();
        candidates.sort_by_key(|c| (!matches(c, &wanted).0, c.conference.tm_create, c.id()));
        let Some(id) = candidates.first().map(|c| c.id()) else {
            self.say(
                MessageLevel::Error,
                format!("no conference matches {wanted:?}"),
                now,
            );
            return;
        };
        if self.frozen.is_some() {
            self.frozen = None;
        }
        if self.view.filter.is_some() || self.view.subset != Subset::All {
            self.view.filter = None;
            self.view.subset = Subset::All;
        }
        self.mark_overview_stale();
        self.select_conference(Some(id));
        self.view.focus = Focus::Participants;
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

    fn inbound(&mut self, input: Input, now: Timestamp) -> Vec<Effect> {
        if matches!(input, Input::Frame(_)) {
            self.event_rate.record(now);
        }
        let changes = self.store.apply(input, now);
        // The store says when a command ends, however it ended: a reply, a failure, or
        // the platform's state showing it done (a mute seen on the call, a kicked leg gone).
        for &id in &changes.settled {
            self.report(id, RowStatus::Confirmed, now);
        }
        for change in changes.iter() {
            if let Change::CommandFailed {
                command_id,
                reason,
                message,
                ..
            } = change
            {
                let status = RowStatus::Failed {
                    reason: reason.clone(),
                    message: message.clone(),
                };
                self.report(*command_id, status, now);
            }
        }
        let mut effects = Vec::new();
        if changes.ledger_changed {
            effects.push(Effect::SaveHoldLedger);
        }
        // A rejected frame changes nothing on screen.
        let visible = changes
            .iter()
            .any(|c| !matches!(c, Change::FrameRejected { .. }));
        if visible {
            self.mark_overview_stale();
        }
        effects
    }

    fn report(&mut self, id: crate::store::CommandId, status: RowStatus, now: Timestamp) {
        let Some(entry) = self.audit.finish(id, status, now) else {
            return;
        };
        let (level, text) = match &entry.status {
            RowStatus::Failed { reason, message } => (
                MessageLevel::Error,
                format!(
                    "✗ {} {} failed: {reason}: {message}",
                    entry.command, entry.subject
                ),
            ),
            _ => (
                MessageLevel::Success,
                format!("✓ {} {}", entry.command, entry.subject),
            ),
        };
        self.say(level, text, now);
        self.mark_overview_stale();
    }

    fn tick(&mut self, now: Timestamp) -> Vec<Effect> {
        let effects = self.inbound(Input::Tick, now);
        self.event_rate.advance(now);
        if self
            .view
            .message
            .as_ref()
            .is_some_and(|m| now - m.at > MESSAGE_LIFETIME)
        {
            self.view.message = None;
        }
        // Timers on screen (hold, age, stale) move every second.
        self.dirty = true;
        effects
    }

    pub(crate) fn say(&mut self, level: MessageLevel, text: String, now: Timestamp) {
        self.view.message = Some(Message {
            level,
            text,
            at: now,
        });
        self.dirty = true;
    }
}
