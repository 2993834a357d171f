//! Queuecall (PROTOCOL.md §8): decoded so that queue frames are recognised, not shown.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lenient::{self, wire_enum};
use super::time::{self, Timestamp};

wire_enum!(QueuecallStatus {
    Initiating = "initiating",
    Waiting = "waiting",
    Connecting = "connecting",
    Kicking = "kicking",
    Service = "service",
    Done = "done",
    Abandoned = "abandoned",
});

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Queuecall {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub customer_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub reference_type: String,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub reference_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<QueuecallStatus>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub service_agent_id: Uuid,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub duration_waiting: i64,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub duration_service: i64,
    #[serde(default, with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_service: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_update: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_delete: Option<Timestamp>,
}
