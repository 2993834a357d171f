//! Who is calling: the result of authentication (PROTOCOL.md §1.3–1.7).

use uuid::Uuid;

use crate::voipbin::Permission;

/// An authenticated caller. The auth middleware puts one into every `/v1.0` request's
/// extensions; handlers (REST and WebSocket) read it from there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// An access key: acts as CustomerAdmin of its customer, has no agent id.
    AccessKey { customer_id: Uuid },
    /// An agent JWT from `POST /auth/login`; permission is the login-time snapshot.
    Agent {
        customer_id: Uuid,
        agent_id: Uuid,
        permission: Permission,
    },
}

impl Identity {
    pub fn customer_id(&self) -> Uuid {
        match self {
            Identity::AccessKey { customer_id } | Identity::Agent { customer_id, .. } => {
                *customer_id
            }
        }
    }

    pub fn agent_id(&self) -> Option<Uuid> {
        match self {
            Identity::AccessKey { .. } => None,
            Identity::Agent { agent_id, .. } => Some(*agent_id),
        }
    }

    /// Admin or manager of its own customer (access keys count as CustomerAdmin).
    pub fn is_supervisor(&self) -> bool {
        match self {
            Identity::AccessKey { .. } => true,
            Identity::Agent { permission, .. } => {
                permission.is_supervisor() || permission.is_project_super_admin()
            }
        }
    }

    pub fn is_project_super_admin(&self) -> bool {
        matches!(self, Identity::Agent { permission, .. } if permission.is_project_super_admin())
    }
}
