//! Conferencecalls: a call's membership of a conference (PROTOCOL.md §5, §12.2).
//! Their own events are internal to the platform and never published.

use serde_json::{json, Map};
use uuid::Uuid;

use super::error::{owned_by, PlatformResult, ResourceType};
use super::timings::Job;
use super::world::World;
use crate::voipbin::{
    CallStatus, ConferenceStatus, Conferencecall, ConferencecallStatus, FlowAction, ReferenceType,
};

impl World {
    pub fn conferencecall(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conferencecall> {
        owned_by(
            self.conferencecalls.get(&id).cloned(),
            |c| c.customer_id,
            customer_id,
            ResourceType::Conferencecall,
        )
    }

    /// Every conferencecall of the customer, every status.
    pub fn list_conferencecalls(&self, customer_id: Uuid) -> Vec<Conferencecall> {
        self.conferencecalls
            .values()
            .filter(|c| c.customer_id == customer_id)
            .cloned()
            .collect()
    }

    /// `DELETE /conferencecalls/{id}`: a no-op on a participant already leaving/leaved.
    pub fn kick(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conferencecall> {
        self.conferencecall(customer_id, id)?;
        self.kick_by_id(id);
        self.conferencecall(customer_id, id)
    }

    /// joining/joined → leaving; the channel leaves the bridge a moment later.
    pub(crate) fn kick_by_id(&mut self, id: Uuid) {
        let Some(cc) = self.conferencecalls.get(&id) else {
            return;
        };
        if !matches!(
            cc.status,
            Some(ConferencecallStatus::Joining | ConferencecallStatus::Joined)
        ) {
            return;
        }
        let now = self.stamp(cc.customer_id);
        if let Some(cc) = self.conferencecalls.get_mut(&id) {
            cc.status = Some(ConferencecallStatus::Leaving);
            cc.tm_update = Some(now);
        }
        let delay = self.timings.kick;
        self.schedule(delay, Job::FinishLeave(id));
    }

    /// The call executes `conference_join`: a `joining` conferencecall, bridged shortly.
    /// Returns false when the conference cannot be joined (the flow just moves on).
    pub(crate) fn start_join(&mut self, call_id: Uuid, conference_id: Uuid) -> bool {
        let Some(call) = self.calls.get(&call_id).map(|r| r.call.clone()) else {
            return false;
        };
        let joinable = self.conferences.get(&conference_id).is_some_and(|r| {
            r.conference.customer_id == call.customer_id
                && r.conference.status == Some(ConferenceStatus::Progressing)
        });
        if !joinable {
            return false;
        }
        let id = self.ids.uuid();
        let now = self.stamp(call.customer_id);
        self.conferencecalls.insert(
            id,
            Conferencecall {
                id,
                customer_id: call.customer_id,
                activeflow_id: call.activeflow_id,
                conference_id,
                reference_type: Some(ReferenceType::Call),
                reference_id: call_id,
                status: Some(ConferencecallStatus::Joining),
                tm_create: Some(now),
                tm_update: None,
                tm_delete: None,
            },
        );
        if let Some(rec) = self.calls.get_mut(&call_id) {
            rec.conferencecall_id = Some(id);
        }
        let delay = self.timings.bridge_join;
        self.schedule(delay, Job::JoinBridge(id));
        true
    }

    /// Job: the channel entered the confbridge → call_updated (confbridge_join action),
    /// joined, id appended → conference_updated.
    pub(crate) fn join_bridge(&mut self, id: Uuid) {
        let Some(cc) = self.conferencecalls.get(&id).cloned() else {
            return;
        };
        if cc.status != Some(ConferencecallStatus::Joining) {
            return;
        }
        let call_live = self
            .calls
            .get(&cc.reference_id)
            .is_some_and(|r| r.call.status == Some(CallStatus::Progressing));
        let bridge = self
            .conferences
            .get(&cc.conference_id)
            .filter(|r| r.conference.status == Some(ConferenceStatus::Progressing))
            .map(|r| r.confbridge_id);
        let (true, Some(confbridge_id)) = (call_live, bridge) else {
            // Conference ended or call gone before the bridge: the attempt is over.
            self.mark_leaved(id);
            if call_live {
                self.unlink_and_continue(cc.reference_id);
            }
            return;
        };
        let action_id = self.ids.uuid();
        let now = self.stamp(cc.customer_id);
        if let Some(rec) = self.calls.get_mut(&cc.reference_id) {
            let mut option = Map::new();
            option.insert("confbridge_id".into(), json!(confbridge_id));
            rec.call.action = FlowAction {
                id: action_id,
                next_id: Uuid::nil(),
                kind: "confbridge_join".into(),
                option,
                tm_execute: Some(now),
            };
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_updated", cc.reference_id);
        let now = self.stamp(cc.customer_id);
        if let Some(c) = self.conferencecalls.get_mut(&id) {
            c.status = Some(ConferencecallStatus::Joined);
            c.tm_update = Some(now);
        }
        if let Some(rec) = self.conferences.get_mut(&cc.conference_id) {
            rec.conference.conferencecall_ids.push(id);
            rec.conference.tm_update = Some(now);
        }
        self.publish_conference("conference_updated", cc.conference_id);
    }

    /// Job: a kicked channel left the bridge → call_updated → leaved → id removed
    /// (conference_updated); the call then carries on with its flow.
    pub(crate) fn finish_leave(&mut self, id: Uuid) {
        let Some(cc) = self.conferencecalls.get(&id).cloned() else {
            return;
        };
        if cc.status != Some(ConferencecallStatus::Leaving) {
            return;
        }
        let call_live = self
            .calls
            .get(&cc.reference_id)
            .is_some_and(|r| r.call.status == Some(CallStatus::Progressing));
        if call_live {
            let now = self.stamp(cc.customer_id);
            if let Some(rec) = self.calls.get_mut(&cc.reference_id) {
                rec.call.tm_update = Some(now);
            }
            self.publish_call("call_updated", cc.reference_id);
        }
        self.leave_conference(id);
        if call_live {
            self.unlink_and_continue(cc.reference_id);
        }
    }

    /// The call hung up: a joined/leaving participant goes straight to leaved.
    pub(crate) fn leave_on_hangup(&mut self, call_id: Uuid) {
        let Some(cc_id) = self
            .calls
            .get_mut(&call_id)
            .and_then(|r| r.conferencecall_id.take())
        else {
            return;
        };
        self.leave_conference(cc_id);
    }

    /// leaved; if the id was listed, remove it (conference_updated) and apply the
    /// conference's leave rules.
    fn leave_conference(&mut self, id: Uuid) {
        let Some(conference_id) = self.mark_leaved(id) else {
            return;
        };
        let Some(customer_id) = self.conferencecalls.get(&id).map(|c| c.customer_id) else {
            return;
        };
        let now = self.stamp(customer_id);
        let Some(rec) = self.conferences.get_mut(&conference_id) else {
            return;
        };
        let before = rec.conference.conferencecall_ids.len();
        rec.conference.conferencecall_ids.retain(|c| *c != id);
        if rec.conference.conferencecall_ids.len() != before {
            rec.conference.tm_update = Some(now);
            self.publish_conference("conference_updated", conference_id);
            self.after_participant_left(conference_id);
        }
    }

    /// Sets `leaved` (once); returns the conference id if the status changed.
    fn mark_leaved(&mut self, id: Uuid) -> Option<Uuid> {
        let cc = self.conferencecalls.get(&id)?;
        if cc.status == Some(ConferencecallStatus::Leaved) {
            return None;
        }
        let now = self.stamp(cc.customer_id);
        let cc = self.conferencecalls.get_mut(&id)?;
        cc.status = Some(ConferencecallStatus::Leaved);
        cc.tm_update = Some(now);
        Some(cc.conference_id)
    }

    /// Forget the call's conference membership and move on to its next flow action.
    fn unlink_and_continue(&mut self, call_id: Uuid) {
        if let Some(rec) = self.calls.get_mut(&call_id) {
            rec.conferencecall_id = None;
        }
        let delay = self.timings.step;
        self.schedule(delay, Job::AdvanceFlow(call_id));
    }
}
