//! The platform commands bridgetop sends: one type for the dashboard, the one-shot CLI,
//! the store's pending marks and the audit trail. Each variant carries exactly the id its
//! REST request needs, so an unsupported verb/target pair cannot be built.
//!
//! Adding a verb: a variant here (target, words, request, reply), how the store sees it
//! take effect (`store::settle`), and the key or CLI word that builds it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::voipbin::MuteDirection;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Command {
    Kick {
        conferencecall_id: Uuid,
    },
    Hangup {
        call_id: Uuid,
    },
    Hold {
        call_id: Uuid,
    },
    Unhold {
        call_id: Uuid,
    },
    Mute {
        call_id: Uuid,
        direction: MuteDirection,
    },
    Unmute {
        call_id: Uuid,
        direction: MuteDirection,
    },
    End {
        conference_id: Uuid,
    },
    RecordingStart {
        conference_id: Uuid,
    },
    RecordingStop {
        conference_id: Uuid,
    },
}

/// What a command acts on, as its REST path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Target {
    Conference(Uuid),
    Conferencecall(Uuid),
    Call(Uuid),
}

/// The HTTP methods commands use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Delete,
}

/// One REST request, relative to the API base URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

/// What a successful reply body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyBody {
    /// Nothing to read (hold, mute: an empty 200).
    Empty,
    Conferencecall,
    Call,
    Conference,
    /// A conference that is the platform's silent failure when its id is nil (§4).
    ConferenceOrZero,
}

impl Command {
    pub fn target(&self) -> Target {
        match *self {
            Command::Kick { conferencecall_id } => Target::Conferencecall(conferencecall_id),
            Command::Hangup { call_id }
            | Command::Hold { call_id }
            | Command::Unhold { call_id }
            | Command::Mute { call_id, .. }
            | Command::Unmute { call_id, .. } => Target::Call(call_id),
            Command::End { conference_id }
            | Command::RecordingStart { conference_id }
            | Command::RecordingStop { conference_id } => Target::Conference(conference_id),
        }
    }

    /// The name in the audit trail and on the command line: `kick`, `hangup`, `end`.
    pub fn action(&self) -> &'static str {
        match self {
            Command::Kick { .. } => "kick",
            Command::Hangup { .. } => "hangup",
            Command::Hold { .. } => "hold",
            Command::Unhold { .. } => "unhold",
            Command::Mute { .. } => "mute",
            Command::Unmute { .. } => "unmute",
            Command::End { .. } => "end",
            Command::RecordingStart { .. } => "recording_start",
            Command::RecordingStop { .. } => "recording_stop",
        }
    }

    /// How it reads in messages and the audit pane: `hang up`, `mute in`, `end conference`.
    pub fn words(&self) -> String {
        match self {
            Command::Kick { .. } => "kick".into(),
            Command::Hangup { .. } => "hang up".into(),
            Command::Hold { .. } => "hold".into(),
            Command::Unhold { .. } => "unhold".into(),
            Command::Mute { direction, .. } => format!("mute {direction}"),
            Command::Unmute { direction, .. } => format!("unmute {direction}"),
            Command::End { .. } => "end conference".into(),
            Command::RecordingStart { .. } => "start recording".into(),
            Command::RecordingStop { .. } => "stop recording".into(),
        }
    }

    pub fn direction(&self) -> Option<&MuteDirection> {
        match self {
            Command::Mute { direction, .. } | Command::Unmute { direction, .. } => Some(direction),
            _ => None,
        }
    }

    /// Hold leaves no trace on the platform (no field, no event): the reply is the only
    /// confirmation there will ever be. Recording changes emit no conference event, and an
    /// ended room is confirmed by the deleted conference in the reply. Kick, hangup and mute
    /// are confirmed by the events that show their effect.
    pub fn confirmed_by_reply(&self) -> bool {
        matches!(
            self,
            Command::Hold { .. }
                | Command::Unhold { .. }
                | Command::End { .. }
                | Command::RecordingStart { .. }
                | Command::RecordingStop { .. }
        )
    }

    /// Whether the hold ledger records it (hold is invisible on the platform).
    pub fn changes_hold(&self) -> bool {
        matches!(self, Command::Hold { .. } | Command::Unhold { .. })
    }

    /// The REST request, exactly as the platform expects it (PROTOCOL.md §2, §4, §6).
    pub fn request(&self) -> Request {
        let (method, path, body) = match self {
            Command::Kick { conferencecall_id } => (
                Method::Delete,
                format!("/conferencecalls/{conferencecall_id}"),
                None,
            ),
            Command::Hangup { call_id } => (Method::Post, format!("/calls/{call_id}/hangup"), None),
            Command::Hold { call_id } => (Method::Post, format!("/calls/{call_id}/hold"), None),
            Command::Unhold { call_id } => (Method::Delete, format!("/calls/{call_id}/hold"), None),
            // The platform rejects an empty unmute body: the direction always goes along.
            Command::Mute { call_id, direction } => (
                Method::Post,
                format!("/calls/{call_id}/mute"),
                Some(json!({ "direction": direction.as_str() })),
            ),
            Command::Unmute { call_id, direction } => (
                Method::Delete,
                format!("/calls/{call_id}/mute"),
                Some(json!({ "direction": direction.as_str() })),
            ),
            Command::End { conference_id } => (
                Method::Delete,
                format!("/conferences/{conference_id}"),
                None,
            ),
            Command::RecordingStart { conference_id } => (
                Method::Post,
                format!("/conferences/{conference_id}/recording_start"),
                Some(json!({ "format": "wav", "duration": 0, "on_end_flow_id": "" })),
            ),
            Command::RecordingStop { conference_id } => (
                Method::Post,
                format!("/conferences/{conference_id}/recording_stop"),
                None,
            ),
        };
        Request { method, path, body }
    }

    /// What the success reply carries.
    pub fn reply(&self) -> ReplyBody {
        match self {
            Command::Kick { .. } => ReplyBody::Conferencecall,
            Command::Hangup { .. } => ReplyBody::Call,
            Command::End { .. } => ReplyBody::Conference,
            Command::RecordingStart { .. } | Command::RecordingStop { .. } => {
                ReplyBody::ConferenceOrZero
            }
            Command::Hold { .. }
            | Command::Unhold { .. }
            | Command::Mute { .. }
            | Command::Unmute { .. } => ReplyBody::Empty,
        }
    }
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.words())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_names_its_target_and_request() {
        let id = Uuid::from_u128(7);
        let mute = Command::Unmute {
            call_id: id,
            direction: MuteDirection::In,
        };
        assert_eq!(mute.target(), Target::Call(id));
        assert_eq!(mute.words(), "unmute in");
        let request = mute.request();
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.path, format!("/calls/{id}/mute"));
        assert_eq!(request.body, Some(json!({"direction": "in"})));
        let kick = Command::Kick {
            conferencecall_id: id,
        };
        assert_eq!(kick.target(), Target::Conferencecall(id));
        assert_eq!(kick.request().path, format!("/conferencecalls/{id}"));
        assert!(!kick.confirmed_by_reply());
        assert!(Command::End { conference_id: id }.confirmed_by_reply());
    }
}
