//! The demo world `bridgetop serve` starts with: one customer, one access key, ten agents
//! and two supervisors, all with phone and extension addresses.

use serde::Serialize;
use uuid::Uuid;

use super::agents::NewAgent;
use super::world::World;
use crate::voipbin::{Address, AddressType, AgentStatus, Permission};

/// What `bridgetop serve` prints on its first line. Holds secrets: Debug redacts them.
#[derive(Clone, Serialize)]
pub struct DemoAccount {
    pub accesskey: String,
    pub customer_id: Uuid,
    pub agents: Vec<DemoAgent>,
}

#[derive(Clone, Serialize)]
pub struct DemoAgent {
    pub id: Uuid,
    pub username: String,
    pub password: String,
    pub name: String,
    pub permission: u64,
}

impl std::fmt::Debug for DemoAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAccount")
            .field("accesskey", &"<redacted>")
            .field("customer_id", &self.customer_id)
            .field("agents", &self.agents)
            .finish()
    }
}

impl std::fmt::Debug for DemoAgent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAgent")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("permission", &self.permission)
            .finish()
    }
}

impl DemoAccount {
    /// The first agent with exactly this permission value.
    pub fn agent_with_permission(&self, permission: u64) -> Option<&DemoAgent> {
        self.agents.iter().find(|a| a.permission == permission)
    }
}

const AGENTS: [&str; 10] = [
    "Alice Kim",
    "Bob Lee",
    "Carla Diaz",
    "Dev Patel",
    "Erin Walsh",
    "Farid Haddad",
    "Grace Chen",
    "Hugo Martin",
    "Ines Costa",
    "Jonas Berg",
];
const SUPERVISORS: [&str; 2] = ["Maya Okafor", "Noah Fischer"];

/// Populates `world` with the demo customer and team.
pub(super) fn seed_demo(world: &mut World) -> DemoAccount {
    let (customer_id, accesskey) = world.add_customer("Bridgetop Demo");
    let team = AGENTS
        .iter()
        .map(|n| (*n, Permission::CUSTOMER_AGENT))
        .chain(
            SUPERVISORS
                .iter()
                .map(|n| (*n, Permission::CUSTOMER_MANAGER)),
        );
    let mut agents = Vec::new();
    for (i, (name, permission)) in team.enumerate() {
        let first = name.split(' ').next().unwrap_or(name).to_lowercase();
        let username = format!("{first}@bridgetop.demo");
        let password = world.ids.alnum(12);
        let agent = world.add_agent(
            customer_id,
            NewAgent {
                username: username.clone(),
                password: password.clone(),
                name: name.to_string(),
                detail: if permission == Permission::CUSTOMER_MANAGER {
                    "Supervisor".into()
                } else {
                    "Support agent".into()
                },
                permission,
                addresses: vec![
                    Address::new(AddressType::Tel, format!("+1415555{:04}", 101 + i)),
                    Address::new(AddressType::Extension, format!("{}", 2001 + i)),
                ],
                status: AgentStatus::Available,
            },
        );
        agents.push(DemoAgent {
            id: agent.id,
            username,
            password,
            name: name.to_string(),
            permission: permission.0,
        });
    }
    DemoAccount {
        accesskey,
        customer_id,
        agents,
    }
}
