//! The store's indexes from platform ids to the conferences they matter to: which rooms a
//! call, an agent or a command target touches.

use uuid::Uuid;

use super::{ConferencesState, Dirty};
use crate::command::Target;

impl ConferencesState {
    pub(super) fn call_is_linked(&self, call: Uuid) -> bool {
        self.call_legs
            .get(&call)
            .is_some_and(|legs| legs.iter().any(|l| self.leg_conference.contains_key(l)))
    }

    pub(super) fn mark_call(&self, call: Uuid, dirty: &mut Dirty) {
        for leg in self.call_legs.get(&call).into_iter().flatten() {
            if let Some(&conference) = self.leg_conference.get(leg) {
                dirty.mark(conference);
            }
        }
    }

    pub(super) fn mark_agent(&self, agent: Uuid, dirty: &mut Dirty) {
        for &call in self.agent_calls.get(&agent).into_iter().flatten() {
            self.mark_call(call, dirty);
        }
    }

    pub(super) fn mark_target(&self, target: &Target, dirty: &mut Dirty) {
        match *target {
            Target::Conference(id) => dirty.mark(id),
            Target::Conferencecall(leg) => {
                if let Some(&conference) = self.leg_conference.get(&leg) {
                    dirty.mark(conference);
                }
            }
            Target::Call(call) => self.mark_call(call, dirty),
        }
    }
}
