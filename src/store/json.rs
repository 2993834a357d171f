//! The state as a stable JSON document, for the headless modes and for tests.
//!
//! ```json
//! {"generated_at": "…",
//!  "conferences": [ {"id", "name", "type", "status", "tm_create",
//!                    "live_participant_count", "live_worker_count", "live_workers": [ids],
//!                    "participants": [ {"conferencecall_id", "call_id", "participant_type",
//!                        "status", "connecting", "on_hold", "hold_since",
//!                        "hold_unconfirmed", "muted",
//!                        "mute_direction", "is_myself", "agent_id", "agent_name", "address",
//!                        "joined_at", "left_at"} ],
//!                    "alerts": [ {"kind", "severity", "since", "conferencecall_id"} ] } ],
//!  "ended": [ same shape as "conferences" ] }
//! ```
//!
//! Times are RFC 3339 UTC; absent values are `null` (never a missing key). Live
//! conferences are ordered by creation then id, ended ones by deletion then id,
//! participants by joining time then id, alerts by kind then leg. `address` is the far
//! party's address target (a phone number, extension or SIP URI).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::alerts::{Alert, AlertKind, Severity};
use super::conference::ConferenceView;
use super::participant::{Participant, ParticipantStatus, ParticipantType};
use crate::voipbin::time;
use crate::voipbin::{MuteDirection, Timestamp};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateDocument {
    #[serde(with = "instant")]
    pub generated_at: Timestamp,
    pub conferences: Vec<ConferenceJson>,
    pub ended: Vec<ConferenceJson>,
}

/// The conference-level part of a conference entry; also the body of conference changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceSummaryJson {
    pub id: Uuid,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub status: Option<String>,
    #[serde(with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    pub live_participant_count: usize,
    pub live_worker_count: usize,
    pub live_workers: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceJson {
    #[serde(flatten)]
    pub summary: ConferenceSummaryJson,
    pub participants: Vec<ParticipantJson>,
    pub alerts: Vec<AlertJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantJson {
    pub conferencecall_id: Uuid,
    pub call_id: Option<Uuid>,
    pub participant_type: ParticipantType,
    pub status: ParticipantStatus,
    pub connecting: bool,
    pub on_hold: bool,
    #[serde(with = "time::optional")]
    pub hold_since: Option<Timestamp>,
    pub hold_unconfirmed: bool,
    pub muted: bool,
    pub mute_direction: Option<MuteDirection>,
    pub is_myself: bool,
    pub agent_id: Option<Uuid>,
    pub agent_name: Option<String>,
    pub address: Option<String>,
    #[serde(with = "time::optional")]
    pub joined_at: Option<Timestamp>,
    #[serde(with = "time::optional")]
    pub left_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertJson {
    pub kind: AlertKind,
    pub severity: Severity,
    #[serde(with = "instant")]
    pub since: Timestamp,
    pub conferencecall_id: Option<Uuid>,
}

impl ConferenceSummaryJson {
    pub fn of(view: &ConferenceView) -> Self {
        let c = &view.conference;
        ConferenceSummaryJson {
            id: c.id,
            name: Some(c.name.clone()).filter(|n| !n.is_empty()),
            kind: c.kind.as_ref().map(std::string::ToString::to_string),
            status: c.status.as_ref().map(std::string::ToString::to_string),
            tm_create: c.tm_create,
            live_participant_count: view.live_participant_count,
            live_worker_count: view.live_worker_count,
            live_workers: view.live_workers.clone(),
        }
    }
}

impl ConferenceJson {
    pub fn of(view: &ConferenceView) -> Self {
        ConferenceJson {
            summary: ConferenceSummaryJson::of(view),
            participants: view
                .participants
                .iter()
                .map(|p| ParticipantJson::of(p))
                .collect(),
            alerts: view.alerts.iter().map(AlertJson::of).collect(),
        }
    }
}

impl ParticipantJson {
    pub fn of(p: &Participant) -> Self {
        ParticipantJson {
            conferencecall_id: p.conferencecall_id,
            call_id: p.call_id,
            participant_type: p.participant_type,
            status: p.status,
            connecting: p.connecting,
            on_hold: p.on_hold,
            hold_since: p.hold_since,
            hold_unconfirmed: p.hold_unconfirmed,
            muted: p.muted,
            mute_direction: p.mute_direction.clone(),
            is_myself: p.is_myself,
            agent_id: p.agent_id,
            agent_name: p.agent_name.clone(),
            address: p.address.as_ref().map(|a| a.target.clone()),
            joined_at: p.joined_at,
            left_at: p.left_at,
        }
    }
}

impl AlertJson {
    pub fn of(a: &Alert) -> Self {
        AlertJson {
            kind: a.kind,
            severity: a.severity,
            since: a.since,
            conferencecall_id: a.conferencecall_id,
        }
    }
}

/// A required timestamp in the platform's RFC 3339 form.
mod instant {
    use super::{time, Timestamp};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time::format(t))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(d)?;
        time::parse(&text)
            .map_err(serde::de::Error::custom)?
            .ok_or_else(|| serde::de::Error::custom("expected a timestamp"))
    }
}
