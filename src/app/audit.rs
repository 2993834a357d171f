//! The session's audit trail as the audit pane shows it: every command this console asked
//! for, what it was aimed at, and how it ended.

use std::collections::VecDeque;

use crate::command::Command;
use crate::store::CommandId;
use crate::voipbin::Timestamp;

/// Where a command stands, as the pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowStatus {
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

/// One command as the pane shows it (the file's record is `client::audit::AuditEntry`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: Option<CommandId>,
    pub at: Timestamp,
    pub command: String,
    pub subject: String,
    pub status: RowStatus,
    pub finished_at: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    entries: VecDeque<AuditRow>,
    capacity: usize,
}

impl Default for AuditLog {
    fn default() -> Self {
        AuditLog::new(1000)
    }
}

impl AuditLog {
    pub fn new(capacity: usize) -> Self {
        AuditLog {
            entries: VecDeque::new(),
            capacity,
        }
    }

    pub fn issued(&mut self, id: CommandId, command: &Command, subject: &str, at: Timestamp) {
        self.push(AuditRow {
            id: Some(id),
            at,
            command: command.words(),
            subject: subject.to_string(),
            status: RowStatus::Pending,
            finished_at: None,
        });
    }

    pub fn refused(&mut self, command: &str, subject: &str, why: &str, at: Timestamp) {
        self.push(AuditRow {
            id: None,
            at,
            command: command.to_string(),
            subject: subject.to_string(),
            status: RowStatus::Refused {
                why: why.to_string(),
            },
            finished_at: Some(at),
        });
    }

    /// Marks a command finished; returns its entry for the message line.
    /// Marks a pending command finished; returns its row for the message line (`None` if
    /// it was not pending: each command finishes once).
    pub fn finish(&mut self, id: CommandId, status: RowStatus, at: Timestamp) -> Option<&AuditRow> {
        let row = self.entries.iter_mut().rev().find(|e| e.id == Some(id))?;
        if row.status != RowStatus::Pending {
            return None;
        }
        row.status = status;
        row.finished_at = Some(at);
        Some(row)
    }

    fn push(&mut self, entry: AuditRow) {
        self.entries.push_back(entry);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
        }
    }

    /// Newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &AuditRow> {
        self.entries.iter().rev()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
