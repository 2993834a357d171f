//! Agent (PROTOCOL.md §9.4) and the permission bitmask (§1.7).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::call::Address;
use super::lenient::{self, wire_enum};
use super::time::{self, Timestamp};

wire_enum!(AgentStatus {
    Available = "available",
    Away = "away",
    Busy = "busy",
    Offline = "offline",
    Ringing = "ringing",
});

wire_enum!(RingMethod { Ringall = "ringall", Linear = "linear" });

/// The agent permission bitmask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Permission(pub u64);

impl Permission {
    pub const NONE: Permission = Permission(0);
    pub const PROJECT_SUPER_ADMIN: Permission = Permission(1);
    pub const CUSTOMER_AGENT: Permission = Permission(16);
    pub const CUSTOMER_ADMIN: Permission = Permission(32);
    pub const CUSTOMER_MANAGER: Permission = Permission(64);

    pub fn has(self, bit: Permission) -> bool {
        self.0 & bit.0 != 0
    }

    /// Admin or manager of the customer: what every supervisor endpoint requires.
    pub fn is_supervisor(self) -> bool {
        self.has(Self::CUSTOMER_ADMIN) || self.has(Self::CUSTOMER_MANAGER)
    }

    pub fn is_project_super_admin(self) -> bool {
        self.has(Self::PROJECT_SUPER_ADMIN)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Agent {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub customer_id: Uuid,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub username: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub detail: String,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        serialize_with = "enum_or_empty"
    )]
    pub ring_method: Option<RingMethod>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        serialize_with = "enum_or_empty"
    )]
    pub status: Option<AgentStatus>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub permission: Permission,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub tag_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub addresses: Vec<Address>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub direct_hash: String,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_create: Option<Timestamp>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_update: Option<Timestamp>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_delete: Option<Timestamp>,
}

fn enum_or_empty<S: serde::Serializer, T: std::fmt::Display>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_str(""),
    }
}

impl Agent {
    pub fn version(&self) -> Option<Timestamp> {
        self.tm_update.or(self.tm_create)
    }

    /// Whether a call's address belongs to this agent (§7.1 owner matching).
    pub fn owns_address(&self, address: &Address) -> bool {
        self.addresses.iter().any(|a| a.same_endpoint(address))
    }
}
