//! Ring-all groupcalls: an `agent` destination dials every address of the agent; the
//! first leg answered wins and the others are canceled (fixture `call_canceling`).

use serde::Serialize;
use uuid::Uuid;

use super::world::World;
use crate::voipbin::time::{self, Timestamp};
use crate::voipbin::{Address, AgentStatus};

/// The groupcall object returned by `POST /calls` for agent destinations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Groupcall {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub owner_type: String,
    pub owner_id: Uuid,
    pub status: String,
    pub flow_id: Uuid,
    pub source: Address,
    pub destinations: Vec<Address>,
    pub master_call_id: Uuid,
    pub master_groupcall_id: Uuid,
    pub ring_method: String,
    pub answer_method: String,
    pub answer_call_id: Uuid,
    pub call_ids: Vec<Uuid>,
    pub answer_groupcall_id: Uuid,
    pub groupcall_ids: Vec<Uuid>,
    pub call_count: usize,
    pub groupcall_count: usize,
    pub dial_index: usize,
    #[serde(with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    #[serde(with = "time::optional")]
    pub tm_update: Option<Timestamp>,
    #[serde(with = "time::optional")]
    pub tm_delete: Option<Timestamp>,
}

impl World {
    /// A leg of a groupcall started ringing: an available agent becomes ringing.
    pub(crate) fn groupcall_leg_ringing(&mut self, groupcall_id: Uuid) {
        if let Some(agent_id) = self.groupcalls.get(&groupcall_id).map(|g| g.owner_id) {
            self.auto_agent_status(agent_id, &[AgentStatus::Available], AgentStatus::Ringing);
        }
    }

    /// A leg was answered: the first answer wins, the agent is busy, the rest are canceled.
    pub(crate) fn groupcall_leg_answered(&mut self, groupcall_id: Uuid, call_id: Uuid) {
        let customer_id = match self.groupcalls.get(&groupcall_id) {
            Some(g) if g.answer_call_id.is_nil() => g.customer_id,
            _ => return,
        };
        let now = self.stamp(customer_id);
        let Some(g) = self.groupcalls.get_mut(&groupcall_id) else {
            return;
        };
        g.answer_call_id = call_id;
        g.tm_update = Some(now);
        let (agent_id, others): (Uuid, Vec<Uuid>) = (
            g.owner_id,
            g.call_ids
                .iter()
                .copied()
                .filter(|c| *c != call_id)
                .collect(),
        );
        self.auto_agent_status(
            agent_id,
            &[
                AgentStatus::Available,
                AgentStatus::Ringing,
                AgentStatus::Away,
                AgentStatus::Offline,
            ],
            AgentStatus::Busy,
        );
        for other in others {
            self.hangup_local(other);
        }
    }
}
