//! A tiny flow manager: runs a call's inline actions one after another. Supported:
//! `conference_join`, `talk`, `hangup`; any other type is accepted and just advances.
//! When the flow runs out the call is hung up, like the real flow manager does.

use uuid::Uuid;

use super::timings::Job;
use super::world::World;
use crate::voipbin::{CallStatus, FlowAction};

impl World {
    /// Gives inline actions ids chained through `next_id`, as a stored flow has.
    pub(crate) fn build_flow(&mut self, actions: Vec<FlowAction>) -> Vec<FlowAction> {
        let ids: Vec<Uuid> = actions.iter().map(|_| self.ids.uuid()).collect();
        actions
            .into_iter()
            .enumerate()
            .map(|(i, a)| FlowAction {
                id: ids[i],
                next_id: ids.get(i + 1).copied().unwrap_or_default(),
                tm_execute: None,
                ..a
            })
            .collect()
    }

    /// Job: execute the next action of a progressing call that is not in a conference.
    pub(crate) fn advance_flow(&mut self, call_id: Uuid) {
        let Some(rec) = self.calls.get(&call_id) else {
            return;
        };
        if rec.call.status != Some(CallStatus::Progressing) || rec.conferencecall_id.is_some() {
            return;
        }
        let customer_id = rec.call.customer_id;
        let Some(action) = rec.flow.get(rec.next_action).cloned() else {
            let delay = self.timings.flow_end;
            self.schedule(delay, Job::FlowEnded(call_id));
            return;
        };
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&call_id) {
            rec.next_action += 1;
            rec.call.action = FlowAction {
                tm_execute: Some(now),
                ..action.clone()
            };
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_updated", call_id);
        let step = self.timings.step;
        match action.kind.as_str() {
            "conference_join" => {
                let conference_id = action
                    .option
                    .get("conference_id")
                    .and_then(|v| v.as_str())
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .unwrap_or_default();
                if !self.start_join(call_id, conference_id) {
                    self.schedule(step, Job::AdvanceFlow(call_id));
                }
            }
            "hangup" => self.hangup_local(call_id),
            "talk" => {
                let talk = self.timings.talk;
                self.schedule(talk, Job::AdvanceFlow(call_id));
            }
            _ => self.schedule(step, Job::AdvanceFlow(call_id)),
        }
    }

    /// Job: the flow has no action left; the flow manager hangs the call up.
    pub(crate) fn flow_ended(&mut self, call_id: Uuid) {
        let done = self.calls.get(&call_id).is_some_and(|r| {
            r.call.status == Some(CallStatus::Progressing)
                && r.conferencecall_id.is_none()
                && r.next_action >= r.flow.len()
        });
        if done {
            self.hangup_local(call_id);
        }
    }
}
