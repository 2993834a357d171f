//! The store's indexes from platform ids to the conferences they matter to: which rooms a
//! call, an agent or a command target touches.

use uuid::Uuid;

use super::{ConferencesState, Dirty};
use crate::command::Target;
use crate::voipbin::ResourceKind;

impl ConferencesState {
    /// The conference a missing id is wanted for, so the conference on screen can be
    /// fetched first: a leg's room, a call's (through its leg), an agent's (through a call).
    pub fn owner_of(&self, kind: ResourceKind, id: Uuid) -> Option<Uuid> {
        let room_of_call = |call: &Uuid| {
            self.call_legs
                .get(call)?
                .iter()
                .find_map(|leg| self.leg_conference.get(leg).copied())
        };
        match kind {
            ResourceKind::Conference => Some(id),
            ResourceKind::Conferencecall => self.leg_conference.get(&id).copied(),
            ResourceKind::Call => room_of_call(&id),
            ResourceKind::Agent => self.agent_calls.get(&id)?.iter().find_map(room_of_call),
            ResourceKind::Queuecall => None,
        }
    }

    pub(super) fn call_is_linked(&self, call: Uuid) -> bool {
        self.call_legs
            .get(&call)
            .is_some_and(|legs| legs.iter().any(|l| self.leg_conference.contains_key(l)))
    }

    pub(super) fn mark_call(&self, call: Uuid, dirty: &mut Dirty) {
        for leg in self.call_legs.get(&call).into_iter().flatten() {
            if let Some(&conference) = self.leg_conference.get(leg) {
                dirty.mark_leg(conference, *leg);
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
                    dirty.mark_leg(conference, leg);
                }
            }
            Target::Call(call) => self.mark_call(call, dirty),
        }
    }
}
