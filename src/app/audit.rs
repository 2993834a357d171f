//! The session's audit trail as the audit pane shows it: every command this console asked
//! for, what it was aimed at, and how it ended.

use std::collections::VecDeque;

use crate::store::{CommandId, CommandKind};
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Confirmed,
    Failed {
        reason: String,
        message: String,
    },
    /// Refused locally (read-only mode, nothing selected, leg not resolved).
    Refused {
        why: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: Option<CommandId>,
    pub at: Timestamp,
    pub command: String,
    pub subject: String,
    pub outcome: Outcome,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    entries: VecDeque<AuditEntry>,
    capacity: usize,
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog::new(1000)
    }
}

/// How a command reads in the audit pane and in messages: `hold`, `mute in`, `end`.
pub fn command_words(kind: &CommandKind) -> String {
    match kind {
        CommandKind::Kick => "kick".into(),
        CommandKind::Hangup => "hang up".into(),
        CommandKind::Hold => "hold".into(),
        CommandKind::Unhold => "unhold".into(),
        CommandKind::Mute { direction } => format!("mute {direction}"),
        CommandKind::Unmute { direction } => format!("unmute {direction}"),
        CommandKind::EndConference => "end conference".into(),
        CommandKind::RecordingStart => "start recording".into(),
        CommandKind::RecordingStop => "stop recording".into(),
    }
}

impl AuditLog {
    pub fn new(capacity: usize) -> Self {
        AuditLog {
            entries: VecDeque::new(),
            capacity,
        }
    }

    pub fn issued(&mut self, id: CommandId, kind: &CommandKind, subject: &str, at: Timestamp) {
        self.push(AuditEntry {
            id: Some(id),
            at,
            command: command_words(kind),
            subject: subject.to_string(),
            outcome: Outcome::Pending,
            finished_at: None,
        });
    }

    pub fn refused(&mut self, command: &str, subject: &str, why: &str, at: Timestamp) {
        self.push(AuditEntry {
            id: None,
            at,
            command: command.to_string(),
            subject: subject.to_string(),
            outcome: Outcome::Refused {
                why: why.to_string(),
            },
            finished_at: Some(at),
        });
    }

    /// Marks a command finished; returns its entry for the message line.
    pub fn finish(
        &mut self,
        id: CommandId,
        outcome: Outcome,
        at: Timestamp,
    ) -> Option<&AuditEntry> {
        let entry = self.entries.iter_mut().rev().find(|e| e.id == Some(id))?;
        if entry.outcome == Outcome::Pending {
            entry.outcome = outcome;
            entry.finished_at = Some(at);
        }
        Some(entry)
    }

    fn push(&mut self, entry: AuditEntry) {
        self.entries.push_back(entry);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
        }
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &AuditEntry> {
        self.entries.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
