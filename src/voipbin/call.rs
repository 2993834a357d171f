//! Call (PROTOCOL.md §9.3) with its Address and flow action.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::lenient::{self, wire_enum};
use super::time::{self, Timestamp};

wire_enum!(
    /// dialing → ringing → progressing → terminating → hangup, or → canceling → hangup.
    CallStatus {
        Dialing = "dialing",
        Ringing = "ringing",
        Progressing = "progressing",
        Terminating = "terminating",
        Canceling = "canceling",
        Hangup = "hangup",
    }
);

impl CallStatus {
    /// Position in the forward-only order; `None` for unknown values.
    fn rank(&self) -> Option<u8> {
        Some(match self {
            Self::Dialing => 0,
            Self::Ringing => 1,
            Self::Progressing => 2,
            Self::Terminating | Self::Canceling => 3,
            Self::Hangup => 4,
            Self::Other(_) => return None,
        })
    }

    /// The platform's `IsUpdatableStatus`: statuses never move backwards.
    pub fn can_move_to(&self, next: &CallStatus) -> bool {
        match (self, next) {
            (Self::Ringing, Self::Dialing) => false,
            (Self::Progressing, Self::Canceling) => false,
            (Self::Terminating, Self::Canceling) | (Self::Canceling, Self::Terminating) => false,
            _ => match (self.rank(), next.rank()) {
                (Some(a), Some(b)) => b > a,
                _ => false,
            },
        }
    }

    /// The call has ended or is ending.
    pub fn is_over(&self) -> bool {
        matches!(self, Self::Terminating | Self::Canceling | Self::Hangup)
    }
}

wire_enum!(CallType { Flow = "flow", Conference = "conference", SipService = "sip-service" });
wire_enum!(CallDirection { Incoming = "incoming", Outgoing = "outgoing" });
wire_enum!(
    /// `in`: others cannot hear the party; `out`: the party cannot hear others.
    MuteDirection { Both = "both", In = "in", Out = "out" }
);
wire_enum!(HangupBy { Local = "local", Remote = "remote" });
wire_enum!(HangupReason {
    Normal = "normal",
    Failed = "failed",
    Busy = "busy",
    Cancel = "cancel",
    Timeout = "timeout",
    Noanswer = "noanswer",
    Dialout = "dialout",
    Amd = "amd",
});
wire_enum!(OwnerType { Agent = "agent" });
wire_enum!(AddressType {
    Tel = "tel",
    Sip = "sip",
    Extension = "extension",
    Agent = "agent",
    Conference = "conference",
    Email = "email",
    Ai = "ai",
    AiTeam = "ai_team",
    Line = "line",
    Webchat = "webchat",
    WebSession = "web_session",
    Whatsapp = "whatsapp",
});

/// Every key is omitted when empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<AddressType>,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub target: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub target_name: String,
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
}

impl Address {
    pub fn new(kind: AddressType, target: impl Into<String>) -> Self {
        Address {
            kind: Some(kind),
            target: target.into(),
            ..Address::default()
        }
    }

    /// The same endpoint: type and target equal (names are decoration).
    pub fn same_endpoint(&self, other: &Address) -> bool {
        self.kind == other.kind && self.target == other.target
    }
}

/// A flow action. `type` is kept as text: flows have dozens of action types.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FlowAction {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub next_id: Uuid,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub kind: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Map::is_empty"
    )]
    pub option: Map<String, Value>,
    #[serde(default, with = "time::optional")]
    pub tm_execute: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Call {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub customer_id: Uuid,
    /// Always present on the wire: `"agent"` or `""`.
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        serialize_with = "owner_type_or_empty"
    )]
    pub owner_type: Option<OwnerType>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub owner_id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub flow_id: Uuid,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub activeflow_id: Uuid,
    #[serde(
        rename = "type",
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub kind: Option<CallType>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub master_call_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub chained_call_ids: Vec<Uuid>,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub recording_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub recording_ids: Vec<Uuid>,
    /// Always the nil UUID on the real platform.
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub groupcall_id: Uuid,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub source: Address,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub destination: Address,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<CallStatus>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub action: FlowAction,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Map::is_empty"
    )]
    pub metadata: Map<String, Value>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub direction: Option<CallDirection>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub mute_direction: Option<MuteDirection>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub hangup_by: Option<HangupBy>,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub hangup_reason: Option<HangupReason>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_progressing: Option<Timestamp>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_ringing: Option<Timestamp>,
    #[serde(
        default,
        with = "time::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub tm_hangup: Option<Timestamp>,
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

fn owner_type_or_empty<S: serde::Serializer>(
    owner: &Option<OwnerType>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(owner.as_ref().map_or("", OwnerType::as_str))
}

impl Call {
    pub fn version(&self) -> Option<Timestamp> {
        self.tm_update.or(self.tm_create)
    }

    /// The agent who owns this leg: `owner_type == "agent"` and a non-nil `owner_id`
    /// (§7.1). `None` means a customer or external leg.
    pub fn agent_owner(&self) -> Option<Uuid> {
        (self.owner_type == Some(OwnerType::Agent) && !self.owner_id.is_nil())
            .then_some(self.owner_id)
    }

    /// The far party's address as a supervisor would name it: the caller for an incoming
    /// leg, the dialled party for an outgoing one.
    pub fn remote_address(&self) -> &Address {
        match self.direction {
            Some(CallDirection::Outgoing) => &self.destination,
            _ => &self.source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::CallStatus::*;

    #[test]
    fn statuses_only_move_forward() {
        assert!(Dialing.can_move_to(&Ringing));
        assert!(Dialing.can_move_to(&Hangup));
        assert!(Ringing.can_move_to(&Canceling));
        assert!(Progressing.can_move_to(&Terminating));
        assert!(!Progressing.can_move_to(&Canceling));
        assert!(!Progressing.can_move_to(&Ringing));
        assert!(!Terminating.can_move_to(&Canceling));
        assert!(!Hangup.can_move_to(&Hangup));
        assert!(Canceling.can_move_to(&Hangup));
    }
}
