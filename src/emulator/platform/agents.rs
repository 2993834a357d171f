//! Agents: login, lookups, statuses (PROTOCOL.md §7, §9.4).

use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::{owned_by, PlatformError, PlatformResult, ResourceType};
use super::world::{AgentRec, World};
use crate::voipbin::{Address, Agent, AgentStatus, Permission, RingMethod};

/// What it takes to create an agent.
#[derive(Clone)]
#[allow(missing_debug_implementations)] // holds credentials: never printed
pub struct NewAgent {
    pub username: String,
    pub password: String,
    pub name: String,
    pub detail: String,
    pub permission: Permission,
    pub addresses: Vec<Address>,
    pub status: AgentStatus,
}

fn hash_password(password: &str) -> [u8; 32] {
    Sha256::digest(password.as_bytes()).into()
}

impl World {
    pub fn add_agent(&mut self, customer_id: Uuid, new: NewAgent) -> Agent {
        let id = self.ids.uuid();
        let direct_hash = self.ids.direct_hash();
        let now = self.stamp(customer_id);
        let agent = Agent {
            id,
            customer_id,
            username: new.username,
            name: new.name,
            detail: new.detail,
            ring_method: Some(RingMethod::Ringall),
            status: Some(new.status),
            permission: new.permission,
            tag_ids: Vec::new(),
            addresses: new.addresses,
            direct_hash,
            tm_create: Some(now),
            tm_update: None,
            tm_delete: None,
        };
        self.agents.insert(
            id,
            AgentRec {
                agent: agent.clone(),
                password_hash: hash_password(&new.password),
            },
        );
        agent
    }

    /// The agent with this username and password, if both match.
    pub fn login(&self, username: &str, password: &str) -> Option<Agent> {
        let hash = hash_password(password);
        self.agents
            .values()
            .find(|rec| rec.agent.username == username && rec.agent.tm_delete.is_none())
            .filter(|rec| rec.password_hash == hash)
            .map(|rec| rec.agent.clone())
    }

    pub fn agent(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Agent> {
        owned_by(
            self.agents.get(&id).map(|r| r.agent.clone()),
            |a| a.customer_id,
            customer_id,
            ResourceType::Agent,
        )
    }

    pub fn list_agents(&self, customer_id: Uuid) -> Vec<Agent> {
        self.agents
            .values()
            .map(|r| &r.agent)
            .filter(|a| a.customer_id == customer_id && a.tm_delete.is_none())
            .cloned()
            .collect()
    }

    /// An explicit status change (REST or scenario): always emits `agent_status_updated`.
    pub fn set_agent_status(
        &mut self,
        customer_id: Uuid,
        id: Uuid,
        status: AgentStatus,
    ) -> PlatformResult<Agent> {
        if matches!(status, AgentStatus::Other(_)) {
            return Err(PlatformError::InvalidArgument("unknown agent status"));
        }
        self.agent(customer_id, id)?;
        Ok(self.write_agent_status(id, status))
    }

    /// The platform's automatic changes (ringing, busy): only when the status changes.
    pub(crate) fn auto_agent_status(&mut self, id: Uuid, from: &[AgentStatus], to: AgentStatus) {
        let Some(rec) = self.agents.get(&id) else {
            return;
        };
        let current = rec.agent.status.clone().unwrap_or(AgentStatus::Offline);
        if from.contains(&current) {
            self.write_agent_status(id, to);
        }
    }

    fn write_agent_status(&mut self, id: Uuid, status: AgentStatus) -> Agent {
        let customer_id = self.agents.get(&id).map(|r| r.agent.customer_id);
        let now = customer_id.map(|c| self.stamp(c));
        let Some(rec) = self.agents.get_mut(&id) else {
            return Agent::default();
        };
        rec.agent.status = Some(status);
        rec.agent.tm_update = now;
        let agent = rec.agent.clone();
        self.publish_agent("agent_status_updated", id);
        agent
    }

    /// The agent who has `address` registered (§7.1 owner matching).
    pub fn agent_owning(&self, customer_id: Uuid, address: &Address) -> Option<Uuid> {
        self.agents
            .values()
            .map(|r| &r.agent)
            .filter(|a| a.customer_id == customer_id && a.tm_delete.is_none())
            .find(|a| a.owns_address(address))
            .map(|a| a.id)
    }
}
