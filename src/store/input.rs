//! Everything that can change the store. Time is never inside an input: `apply` takes it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::command::Command;
use crate::voipbin::{Agent, Call, Conference, Conferencecall, Resource, ResourceKind};

/// A REST resync: everything the lists and per-id fetches returned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// From `GET /conferences`: only `type == "conference"` rooms that are not deleted.
    pub conferences: Vec<Conference>,
    pub conferencecalls: Vec<Conferencecall>,
    pub calls: Vec<Call>,
    pub agents: Vec<Agent>,
    /// List records the platform sent that did not decode and were left out (each is
    /// logged with its id and reason): the user must know the picture has holes.
    #[serde(default)]
    pub skipped_records: u64,
}

/// Chosen by the client; unique per issued command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CommandId(pub u64);

// Inputs are moved once through a channel into `apply`; size matters less than an
// allocation per frame.
/// Why the platform refused a command (the REST error envelope, or a transport error).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandFailure {
    pub reason: String,
    pub message: String,
    pub request_id: Option<String>,
    /// The HTTP status; `None` when no answer came (timeout, connection lost), in which case
    /// the platform may have carried the command out.
    pub status: Option<u16>,
}

impl CommandFailure {
    /// Whether the platform certainly did not carry the command out: a 4xx answer (a
    /// refusal, a rate limit) or nothing sent at all (status 0). A 5xx, a 408 or no answer
    /// may come from a gateway after the platform acted.
    pub fn refused(&self) -> bool {
        matches!(self.status, Some(0 | 400..=407 | 409..=499))
    }
}

// Serialisable, so an input stream can be recorded or published and replayed.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "input", content = "data")]
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
        command: Command,
    },
    CommandConfirmed {
        id: CommandId,
    },
    CommandFailed {
        id: CommandId,
        failure: CommandFailure,
    },
    /// Time passed: timers (recently-left, alert thresholds, retention) are due.
    Tick,
}
