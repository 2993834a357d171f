//! What one input changed: a short list of records, each a line of `watch --jsonl`.
//!
//! Shape: `{"change": "<kind>", …}` with kinds `conference_added`, `conference_updated`,
//! `conference_ended` and `conference_removed` (`conference`: the conference summary of the
//! state document, or `conference_id` for removal), `participant_joined`,
//! `participant_updated` and `participant_left` (`conference_id`, `participant`),
//! `alert_raised` and `alert_cleared` (`conference_id`, `alert`; raised again when the
//! severity or start changes), `command_failed` (`command_id`, `command`, `target`,
//! `reason`, `message`, `request_id`) and `frame_rejected` (`error`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::input::CommandId;
use super::json::{AlertJson, ConferenceSummaryJson, ParticipantJson};
use crate::command::Target as CommandTarget;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    ConferenceAdded {
        conference: ConferenceSummaryJson,
    },
    ConferenceUpdated {
        conference: ConferenceSummaryJson,
    },
    ConferenceEnded {
        conference: ConferenceSummaryJson,
    },
    /// Dropped from the ended list after its retention period.
    ConferenceRemoved {
        conference_id: Uuid,
    },
    ParticipantJoined {
        conference_id: Uuid,
        participant: ParticipantJson,
    },
    ParticipantUpdated {
        conference_id: Uuid,
        participant: ParticipantJson,
    },
    ParticipantLeft {
        conference_id: Uuid,
        participant: ParticipantJson,
    },
    AlertRaised {
        conference_id: Uuid,
        alert: AlertJson,
    },
    AlertCleared {
        conference_id: Uuid,
        alert: AlertJson,
    },
    CommandFailed {
        command_id: CommandId,
        /// Human-readable command, e.g. `"mute both"`.
        command: String,
        target: CommandTarget,
        reason: String,
        message: String,
        request_id: Option<String>,
    },
    FrameRejected {
        error: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub records: Vec<Change>,
    /// The hold ledger changed: the caller should save it.
    pub ledger_changed: bool,
    /// Commands whose pending mark went because they took effect: confirmed by the reply,
    /// or settled by the platform's state (a mute seen on the call, a kicked leg gone).
    pub settled: Vec<CommandId>,
    /// Conferences this input re-derived or forgot, whether or not anything about them
    /// changed: what a view kept up to date from the store re-reads.
    pub conferences: Vec<Uuid>,
    /// A re-derived conference shows differently from before: the screen must be drawn
    /// again (known without change records, which a console does not build).
    pub views_changed: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && !self.ledger_changed
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Change> {
        self.records.iter()
    }

    pub(crate) fn push(&mut self, change: Change) {
        self.records.push(change);
    }
}
