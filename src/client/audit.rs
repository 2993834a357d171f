//! The audit trail: JSON lines appended to `audit.jsonl` in the data directory, each
//! synced to disk before the command goes on. Every command writes two lines with one
//! `intent` id: `sent` before the request leaves, then `accepted` or `failed`; a `sent`
//! line without its outcome is a command whose reply never came. Nothing secret goes in:
//! who is the profile name and the agent, never the credential.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use uuid::Uuid;

use super::commands::Outcome;
use crate::command::Command;
use crate::data_dir;
use crate::voipbin::{time, Timestamp};

pub fn audit_path(data_dir: &Path) -> PathBuf {
    data_dir.join("audit.jsonl")
}

/// Who acts: the profile and, when logged in as one, the agent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub profile: String,
    pub agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub time: String,
    /// Pairs a command's `sent` line with its outcome.
    pub intent: Uuid,
    pub profile: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conferencecall: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<Uuid>,
    /// `sent`, `accepted` or `failed`.
    pub result: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// The ids a command touched, as far as the console knows them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditTarget {
    pub conference: Option<Uuid>,
    pub conferencecall: Option<Uuid>,
    pub call: Option<Uuid>,
}

impl AuditEntry {
    /// The line written before the request leaves.
    pub fn sent(
        at: Timestamp,
        intent: Uuid,
        actor: &Actor,
        command: &Command,
        target: AuditTarget,
    ) -> Self {
        AuditEntry {
            time: time::format(&at),
            intent,
            profile: actor.profile.clone(),
            agent: actor.agent.clone(),
            action: command.action().to_string(),
            direction: command.direction().map(|d| d.as_str().to_string()),
            conference: target.conference,
            conferencecall: target.conferencecall,
            call: target.call,
            result: "sent".into(),
            reason: None,
            message: None,
            request_id: None,
        }
    }

    /// The line written when the reply came (or the request failed).
    pub fn outcome(mut self, at: Timestamp, outcome: &Outcome) -> Self {
        let (result, reason, message) = match outcome {
            Outcome::Accepted { .. } => ("accepted", None, None),
            Outcome::Failed {
                reason, message, ..
            } => ("failed", Some(reason.clone()), Some(message.clone())),
        };
        self.time = time::format(&at);
        self.result = result.into();
        self.reason = reason;
        self.message = message;
        self.request_id = outcome.request_id().map(str::to_string);
        self
    }
}

/// An open, append-only audit file.
#[derive(Debug)]
pub struct AuditTrail {
    file: File,
    path: PathBuf,
}

impl AuditTrail {
    pub fn open(data_dir: &Path) -> std::io::Result<Self> {
        data_dir::create(data_dir)?;
        let path = audit_path(data_dir);
        Ok(AuditTrail {
            file: data_dir::open_append(&path)?,
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and syncs it, so a crash right after loses nothing.
    pub fn record(&mut self, entry: &AuditEntry) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.flush()?;
        self.file.sync_data()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::MuteDirection;

    #[test]
    fn a_command_writes_sent_then_its_outcome() {
        let dir = std::env::temp_dir().join(format!("bridgetop-audit-{}", Uuid::new_v4()));
        let call = Uuid::from_u128(7);
        let command = Command::Mute {
            call_id: call,
            direction: MuteDirection::In,
        };
        let target = AuditTarget {
            call: Some(call),
            ..Default::default()
        };
        let actor = Actor {
            profile: "default".into(),
            agent: Some("Sup".into()),
        };
        let failed = Outcome::Failed {
            reason: "INVALID_ARGUMENT".into(),
            message: "no".into(),
            request_id: Some("req_2".into()),
            status: Some(400),
        };
        let intent = Uuid::new_v4();
        let sent = AuditEntry::sent(chrono::Utc::now(), intent, &actor, &command, target);
        {
            let mut trail = AuditTrail::open(&dir).unwrap();
            trail.record(&sent).unwrap();
        }
        let mut trail = AuditTrail::open(&dir).unwrap();
        trail
            .record(&sent.outcome(chrono::Utc::now(), &failed))
            .unwrap();
        let text = std::fs::read_to_string(audit_path(&dir)).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["action"], "mute");
        assert_eq!(lines[0]["direction"], "in");
        assert_eq!(lines[0]["result"], "sent");
        assert_eq!(lines[0]["agent"], "Sup");
        assert_eq!(lines[1]["intent"], lines[0]["intent"]);
        assert_eq!(lines[1]["result"], "failed");
        assert_eq!(lines[1]["reason"], "INVALID_ARGUMENT");
        assert_eq!(lines[1]["request_id"], "req_2");
        assert_eq!(lines[1]["call"], call.to_string());
    }
}
