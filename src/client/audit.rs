//! The audit trail: one JSON line per command, appended to `audit.jsonl` in the data
//! directory and flushed to disk before the next. Nothing secret goes in: who is the
//! profile name and the agent, never the credential.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use uuid::Uuid;

use super::commands::{Command, Outcome};
use crate::voipbin::{time, Timestamp};

pub fn audit_path(data_dir: &Path) -> PathBuf {
    data_dir.join("audit.jsonl")
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub time: String,
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
    /// `accepted` or `failed`.
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
pub struct Target {
    pub conference: Option<Uuid>,
    pub conferencecall: Option<Uuid>,
    pub call: Option<Uuid>,
}

impl AuditEntry {
    pub fn new(
        at: Timestamp,
        profile: &str,
        agent: Option<&str>,
        command: &Command,
        target: Target,
        outcome: &Outcome,
    ) -> Self {
        let direction = match command {
            Command::Mute { direction, .. } | Command::Unmute { direction, .. } => {
                Some(direction.as_str().to_string())
            }
            _ => None,
        };
        let (result, reason, message) = match outcome {
            Outcome::Accepted { .. } => ("accepted", None, None),
            Outcome::Failed {
                reason, message, ..
            } => ("failed", Some(reason.clone()), Some(message.clone())),
        };
        AuditEntry {
            time: time::format(&at),
            profile: profile.to_string(),
            agent: agent.map(str::to_string),
            action: command.action().to_string(),
            direction,
            conference: target.conference,
            conferencecall: target.conferencecall,
            call: target.call,
            result: result.to_string(),
            reason,
            message,
            request_id: outcome.request_id().map(str::to_string),
        }
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
        std::fs::create_dir_all(data_dir)?;
        let path = audit_path(data_dir);
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        Ok(AuditTrail {
            file: options.open(&path)?,
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and syncs it, so a crash right after loses nothing.
    pub fn record(&mut self, entry: &AuditEntry) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(entry).expect("an audit entry serialises");
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
    fn entries_append_as_json_lines() {
        let dir = std::env::temp_dir().join(format!("bridgetop-audit-{}", Uuid::new_v4()));
        let call = Uuid::from_u128(7);
        let command = Command::Mute {
            call_id: call,
            direction: MuteDirection::In,
        };
        let target = Target {
            call: Some(call),
            ..Default::default()
        };
        let ok = Outcome::Accepted {
            request_id: Some("req_1".into()),
            resource: None,
        };
        let failed = Outcome::Failed {
            reason: "INVALID_ARGUMENT".into(),
            message: "no".into(),
            request_id: Some("req_2".into()),
            status: Some(400),
        };
        {
            let mut trail = AuditTrail::open(&dir).unwrap();
            let now = chrono::Utc::now();
            trail
                .record(&AuditEntry::new(
                    now,
                    "default",
                    Some("Sup"),
                    &command,
                    target,
                    &ok,
                ))
                .unwrap();
        }
        let mut trail = AuditTrail::open(&dir).unwrap();
        trail
            .record(&AuditEntry::new(
                chrono::Utc::now(),
                "default",
                None,
                &command,
                target,
                &failed,
            ))
            .unwrap();
        let text = std::fs::read_to_string(audit_path(&dir)).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["action"], "mute");
        assert_eq!(lines[0]["direction"], "in");
        assert_eq!(lines[0]["result"], "accepted");
        assert_eq!(lines[0]["agent"], "Sup");
        assert_eq!(lines[1]["result"], "failed");
        assert_eq!(lines[1]["reason"], "INVALID_ARGUMENT");
        assert_eq!(lines[1]["request_id"], "req_2");
        assert_eq!(lines[1]["call"], call.to_string());
    }
}
