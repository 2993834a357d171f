//! The platform's current state for one customer, for "truth" comparisons in tests and
//! scenarios (what a perfect dashboard would show).

use uuid::Uuid;

use super::world::World;
use crate::voipbin::{Agent, Call, Conference, Conferencecall};

/// Everything of one customer, each list newest first. Deleted records are included.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Truth {
    pub conferences: Vec<Conference>,
    pub conferencecalls: Vec<Conferencecall>,
    pub calls: Vec<Call>,
    pub agents: Vec<Agent>,
}

impl Truth {
    pub fn conference(&self, id: Uuid) -> Option<&Conference> {
        self.conferences.iter().find(|c| c.id == id)
    }

    pub fn call(&self, id: Uuid) -> Option<&Call> {
        self.calls.iter().find(|c| c.id == id)
    }

    pub fn conferencecall(&self, id: Uuid) -> Option<&Conferencecall> {
        self.conferencecalls.iter().find(|c| c.id == id)
    }

    /// The conferencecall of a call (latest one), if it ever joined a conference.
    pub fn conferencecall_of_call(&self, call_id: Uuid) -> Option<&Conferencecall> {
        self.conferencecalls
            .iter()
            .find(|c| c.reference_id == call_id)
    }

    pub fn agent(&self, id: Uuid) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }
}

fn newest_first<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> Option<crate::voipbin::Timestamp>,
) -> Vec<T> {
    items.sort_by_key(|b| std::cmp::Reverse(key(b)));
    items
}

impl World {
    pub fn truth(&self, customer_id: Uuid) -> Truth {
        let mine = |c: Uuid| c == customer_id;
        Truth {
            conferences: newest_first(
                self.conferences
                    .values()
                    .map(|r| r.conference.clone())
                    .filter(|c| mine(c.customer_id))
                    .collect(),
                |c| c.tm_create,
            ),
            conferencecalls: newest_first(
                self.conferencecalls
                    .values()
                    .filter(|c| mine(c.customer_id))
                    .cloned()
                    .collect(),
                |c| c.tm_create,
            ),
            calls: newest_first(
                self.calls
                    .values()
                    .map(|r| r.call.clone())
                    .filter(|c| mine(c.customer_id))
                    .collect(),
                |c| c.tm_create,
            ),
            agents: newest_first(
                self.agents
                    .values()
                    .map(|r| r.agent.clone())
                    .filter(|a| mine(a.customer_id))
                    .collect(),
                |a| a.tm_create,
            ),
        }
    }
}
