//! View state: everything about what the user is looking at, none of it platform data.

use regex::Regex;
use uuid::Uuid;

use crate::command::Command;
use crate::ui::columns::{SortKey, TableColumns};
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

/// A compiled `/` filter; an invalid regex is matched as plain text instead, and says why
/// (so `+1415` finds the number, and `(sales` does not silently list nothing).
#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    pub regex: Regex,
    /// Why the text is not a regex, when it is not: e.g. `unclosed group`.
    pub not_a_regex: Option<String>,
}

impl Filter {
    pub fn new(text: &str) -> Filter {
        match Regex::new(&format!("(?i){text}")) {
            Ok(regex) => Filter {
                text: text.to_string(),
                regex,
                not_a_regex: None,
            },
            Err(e) => Filter {
                text: text.to_string(),
                regex: Regex::new(&format!("(?i){}", regex::escape(text)))
                    .expect("an escaped pattern always compiles"),
                not_a_regex: Some(regex_reason(&e)),
            },
        }
    }
}

/// The one-line reason in a regex error (its last line reads `error: unclosed group`).
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let reason = last.trim().trim_start_matches("error:").trim();
    if reason.is_empty() {
        "not a valid pattern".into()
    } else {
        reason.to_owned()
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
    /// `:ended`: conferences that ended in the last `minutes`, newest first.
    Ended {
        minutes: u32,
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
    /// The sort's natural order turned round.
    pub reversed: bool,
    /// The conference table's chosen columns (`[table] columns`).
    pub columns: TableColumns,
    /// The selected conference, kept by id so it survives re-sorting.
    pub selected_conference: Option<Uuid>,
    /// The user has moved the selection at least once.
    pub picked: bool,
    /// The scrolling overlay's (help, `:ended`) last scroll position on the current
    /// screen (set before each frame).
    pub overlay_max_scroll: u16,
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
            reversed: false,
            columns: TableColumns::default(),
            selected_conference: None,
            picked: false,
            overlay_max_scroll: u16::MAX,
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
        assert_eq!(Filter::new("^sup").not_a_regex, None);
    }

    #[test]
    fn an_invalid_regex_is_matched_as_text_and_says_why() {
        let filter = Filter::new("(sales");
        assert!(filter.regex.is_match("big (Sales team"));
        assert_eq!(filter.not_a_regex.as_deref(), Some("unclosed group"));
        assert!(Filter::new("+1415").not_a_regex.is_some());
    }
}
