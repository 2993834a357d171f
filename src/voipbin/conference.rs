//! Conference (PROTOCOL.md §9.1) and conferencecall (§9.2).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::lenient::{self, wire_enum};
use super::time::{self, Timestamp};

wire_enum!(
    /// `conference` mixes; anything else gets a "connect" bridge that ejects the last party.
    ConferenceType { Conference = "conference", Connect = "connect", Queue = "queue" }
);

wire_enum!(
    /// Moves forward only: progressing → terminating → terminated (`starting` is never set).
    ConferenceStatus {
        Starting = "starting",
        Progressing = "progressing",
        Terminating = "terminating",
        Terminated = "terminated",
    }
);

wire_enum!(
    /// joining → joined → (leaving →) leaved.
    ConferencecallStatus {
        Joining = "joining",
        Joined = "joined",
        Leaving = "leaving",
        Leaved = "leaved",
    }
);

wire_enum!(ReferenceType { Call = "call" });

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Conference {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub customer_id: Uuid,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<ConferenceType>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<ConferenceStatus>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub detail: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Map::is_empty"
    )]
    pub data: Map<String, Value>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "lenient::is_zero"
    )]
    pub timeout: i64,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub pre_flow_id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub post_flow_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub conferencecall_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub recording_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub recording_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub transcribe_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub transcribe_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub direct_hash: String,
    #[serde(default, with = "time::optional")]
    pub tm_end: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_update: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_delete: Option<Timestamp>,
}

impl Conference {
    /// The version stamp used to keep only the newest snapshot of a resource.
    pub fn version(&self) -> Option<Timestamp> {
        self.tm_update.or(self.tm_create)
    }

    /// Deleted (DELETE or timeout) even if `terminated` never arrives (§12.1).
    pub fn is_deleted(&self) -> bool {
        self.tm_delete.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Conferencecall {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub customer_id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub activeflow_id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub conference_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_type: Option<ReferenceType>,
    /// The call id when `reference_type` is `call`: the only call ↔ conference link.
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub reference_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<ConferencecallStatus>,
    #[serde(default, with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_update: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_delete: Option<Timestamp>,
}

impl Conferencecall {
    pub fn version(&self) -> Option<Timestamp> {
        self.tm_update.or(self.tm_create)
    }
}
