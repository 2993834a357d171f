//! What the store keeps of a call: the few of its thirty-odd keys the participants pane,
//! the alerts and command settling read. A platform `Call` is 776 bytes before its strings
//! and maps; 40,000 of them were most of a 10,000-room store. Everything else is dropped
//! on arrival.

use serde::Serialize;
use uuid::Uuid;

use crate::voipbin::{Address, Call, CallStatus, MuteDirection, Timestamp};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    pub id: Uuid,
    /// The agent who owns the leg (`Call::agent_owner`); `None` for a customer.
    pub agent_owner: Option<Uuid>,
    pub status: Option<CallStatus>,
    pub mute_direction: Option<MuteDirection>,
    /// The far party (`Call::remote_address`).
    pub remote: Address,
    pub tm_create: Option<Timestamp>,
    pub tm_update: Option<Timestamp>,
    pub tm_delete: Option<Timestamp>,
}

impl CallRecord {
    pub fn of(call: Call) -> CallRecord {
        let agent_owner = call.agent_owner();
        let remote = call.remote_address().clone();
        CallRecord {
            id: call.id,
            agent_owner,
            status: call.status,
            mute_direction: call.mute_direction,
            remote,
            tm_create: call.tm_create,
            tm_update: call.tm_update,
            tm_delete: call.tm_delete,
        }
    }

    /// As `Call::version`: the update stamp, else the creation stamp.
    pub fn version(&self) -> Option<Timestamp> {
        self.tm_update.or(self.tm_create)
    }
}
