//! View state: everything about what the user is looking at, none of it platform data.

use regex::Regex;
use uuid::Uuid;

use crate::command::Command;
use crate::ui::columns::SortKey;
use crate::voipbin::{MuteDirection, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Conferences,
    Participants,
    Alerts,
    Audit,
}

/// Which conferences the table lists, besides the text filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subset {
    All,
    Held,
    Alerting,
}

/// A compiled `/` filter; an invalid regex is matched as plain text instead.
#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    pub regex: Regex,
}

impl Filter {
    pub fn new(text: &str) -> Filter {
        let case_insensitive = format!("(?i){text}");
        let regex = Regex::new(&case_insensitive)
            .or_else(|_| Regex::new(&format!("(?i){}", regex::escape(text))))
            .expect("an escaped pattern always compiles");
        Filter {
            text: text.to_string(),
            regex,
        }
    }
}

/// A one-line editor for the filter and the command line (cursor always at the end).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    pub text: String,
    /// Completion candidates shown under the line.
    pub candidates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    Filter(LineEditor),
    CommandLine(LineEditor),
}

/// A destructive command waiting for `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub command: Command,
    /// What the dialog says, e.g. "Kick Alice Ng from Sales 1?".
    pub question: String,
    /// Names the audit pane and messages use.
    pub subject: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Confirm(Confirmation),
    /// Choose a direction to mute or unmute: `i`, `o`, `b`.
    MuteDirection {
        call_id: Uuid,
        subject: String,
        muted: Option<MuteDirection>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageLevel {
    Info,
    Success,
    Warning,
    Error,
}

/// The brief message on the bottom line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub level: MessageLevel,
    pub text: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct ViewState {
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub prompt: Option<Prompt>,
    pub filter: Option<Filter>,
    /// The filter text when the filter prompt opened: `esc` goes back to it.
    pub filter_before_prompt: String,
    pub subset: Subset,
    pub sort: SortKey,
    pub descending: bool,
    /// The selected conference, kept by id so it survives re-sorting.
    pub selected_conference: Option<Uuid>,
    /// The cursor's row index last frame: where the cursor stays if its row goes away.
    pub last_cursor: usize,
    /// First visible table row; the table keeps the cursor inside the window.
    pub table_offset: usize,
    /// Rows the table showed last frame (page size for page up/down).
    pub table_height: usize,
    pub selected_participant: Option<Uuid>,
    pub alert_cursor: usize,
    pub audit_cursor: usize,
    pub show_audit: bool,
    pub message: Option<Message>,
    pub readonly: bool,
    /// Read-only was forced by the flag or the profile: `:readonly` cannot lift it.
    pub readonly_forced: bool,
}

impl ViewState {
    pub fn new(readonly: bool) -> Self {
        ViewState {
            focus: Focus::Conferences,
            overlay: None,
            prompt: None,
            filter: None,
            filter_before_prompt: String::new(),
            subset: Subset::All,
            sort: SortKey::first(),
            descending: false,
            selected_conference: None,
            last_cursor: 0,
            table_offset: 0,
            table_height: 10,
            selected_participant: None,
            alert_cursor: 0,
            audit_cursor: 0,
            show_audit: false,
            message: None,
            readonly,
            readonly_forced: readonly,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_is_case_insensitive_and_tolerates_bad_regex() {
        assert!(Filter::new("sales").regex.is_match("Sales 1"));
        assert!(Filter::new("+1415").regex.is_match("caller +14155550100"));
        assert!(Filter::new("^sup").regex.is_match("Support"));
    }
}
