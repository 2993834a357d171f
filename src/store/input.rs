//! Everything that can change the store. Time is never inside an input: `apply` takes it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::voipbin::{
    Agent, Call, Conference, Conferencecall, MuteDirection, Resource, ResourceKind,
};

/// A REST resync: everything the lists and per-id fetches returned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// From `GET /conferences`: only `type == "conference"` rooms that are not deleted.
    pub conferences: Vec<Conference>,
    pub conferencecalls: Vec<Conferencecall>,
    pub calls: Vec<Call>,
    pub agents: Vec<Agent>,
}

/// Chosen by the client; unique per issued command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandId(pub u64);

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "command")]
pub enum CommandKind {
    Kick,
    Hangup,
    Hold,
    Unhold,
    Mute { direction: MuteDirection },
    Unmute { direction: MuteDirection },
    EndConference,
    RecordingStart,
    RecordingStop,
}

/// What a command acts on, as the REST path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum CommandTarget {
    Conference(Uuid),
    Conferencecall(Uuid),
    Call(Uuid),
}

/// Why the platform refused a command (the REST error envelope, or a transport error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandFailure {
    pub reason: String,
    pub message: String,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Snapshot(Snapshot),
    /// One WebSocket text frame, raw: duplicates are recognised by their exact bytes.
    Frame(String),
    /// One resource fetched by id (`GET /conferencecalls/{id}` and the like).
    Fetched(Resource),
    /// A fetch by id answered 404: stop asking for it.
    NotFound {
        kind: ResourceKind,
        id: Uuid,
    },
    CommandIssued {
        id: CommandId,
        kind: CommandKind,
        target: CommandTarget,
    },
    CommandConfirmed {
        id: CommandId,
    },
    CommandFailed {
        id: CommandId,
        reason: String,
        message: String,
        request_id: Option<String>,
    },
    /// Time passed: timers (recently-left, alert thresholds, retention) are due.
    Tick,
}

impl std::fmt::Display for CommandKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Kick => f.write_str("kick"),
            Self::Hangup => f.write_str("hangup"),
            Self::Hold => f.write_str("hold"),
            Self::Unhold => f.write_str("unhold"),
            Self::Mute { direction } => write!(f, "mute {direction}"),
            Self::Unmute { direction } => write!(f, "unmute {direction}"),
            Self::EndConference => f.write_str("end conference"),
            Self::RecordingStart => f.write_str("recording start"),
            Self::RecordingStop => f.write_str("recording stop"),
        }
    }
}
