//! Calls: originate, the simulated far end, hangup, delete, mute (PROTOCOL.md §6, §12.3).

use uuid::Uuid;

use super::error::{owned_by, PlatformError, PlatformResult, ResourceType};
use super::groupcalls::Groupcall;
use super::timings::Job;
use super::world::{CallRec, World};
use crate::voipbin::{
    Address, AddressType, Call, CallDirection, CallStatus, CallType, FlowAction, HangupBy,
    HangupReason, MuteDirection, OwnerType,
};

/// `POST /calls`: `flow_id` (takes precedence) or inline `actions`.
#[derive(Debug, Clone, Default)]
pub struct Originate {
    pub source: Address,
    pub destinations: Vec<Address>,
    pub actions: Vec<FlowAction>,
    pub flow_id: Uuid,
}

/// The `POST /calls` answer: plain destinations make calls, agent destinations groupcalls.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Originated {
    pub calls: Vec<Call>,
    pub groupcalls: Vec<Groupcall>,
}

struct NewCall {
    customer_id: Uuid,
    source: Address,
    destination: Address,
    direction: CallDirection,
    owner: Option<Uuid>,
    flow_id: Uuid,
    flow: Vec<FlowAction>,
    groupcall_id: Option<Uuid>,
    answers: bool,
}

impl World {
    pub fn call(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        owned_by(
            self.calls.get(&id).map(|r| r.call.clone()),
            |c| c.customer_id,
            customer_id,
            ResourceType::Call,
        )
    }

    /// The customer's calls that are not deleted, hung-up ones included.
    pub fn list_calls(&self, customer_id: Uuid) -> Vec<Call> {
        self.calls
            .values()
            .map(|r| &r.call)
            .filter(|c| c.customer_id == customer_id && c.tm_delete.is_none())
            .cloned()
            .collect()
    }

    pub fn originate(&mut self, customer_id: Uuid, req: Originate) -> PlatformResult<Originated> {
        if req.destinations.is_empty() {
            return Err(PlatformError::InvalidArgument("no destinations"));
        }
        // Without a flow_id the platform makes a temporary flow of `actions`, even an
        // empty one: the call is answered and then hung up when that flow ends.
        // Validate everything before creating anything.
        for d in &req.destinations {
            match d.kind {
                Some(AddressType::Tel | AddressType::Extension | AddressType::Sip)
                    if !d.target.is_empty() => {}
                Some(AddressType::Agent) => {
                    let agent_id = Uuid::parse_str(&d.target)
                        .map_err(|_| PlatformError::InvalidArgument("agent target"))?;
                    let agent = self
                        .agent(customer_id, agent_id)
                        .map_err(|_| PlatformError::InvalidArgument("unknown agent"))?;
                    if agent.addresses.is_empty() {
                        return Err(PlatformError::InvalidArgument("agent has no address"));
                    }
                }
                _ => return Err(PlatformError::InvalidArgument("destination type")),
            }
        }
        // Unknown stored flows run as empty flows: answered, then hung up at flow end.
        let (flow_id, flow) = if req.flow_id.is_nil() {
            (self.ids.uuid(), self.build_flow(req.actions))
        } else {
            (req.flow_id, Vec::new())
        };
        let mut out = Originated::default();
        for destination in req.destinations {
            if destination.kind == Some(AddressType::Agent) {
                let agent_id = Uuid::parse_str(&destination.target).unwrap_or_default();
                let g = self.dial_agent(customer_id, agent_id, &req.source, flow_id, &flow);
                out.groupcalls.push(g);
            } else {
                let owner = self.agent_owning(customer_id, &destination);
                let id = self.create_call(NewCall {
                    customer_id,
                    source: req.source.clone(),
                    destination,
                    direction: CallDirection::Outgoing,
                    owner,
                    flow_id,
                    flow: flow.clone(),
                    groupcall_id: None,
                    answers: true,
                });
                out.calls
                    .extend(self.calls.get(&id).map(|r| r.call.clone()));
            }
        }
        Ok(out)
    }

    fn dial_agent(
        &mut self,
        customer_id: Uuid,
        agent_id: Uuid,
        source: &Address,
        flow_id: Uuid,
        flow: &[FlowAction],
    ) -> Groupcall {
        let addresses = self
            .agents
            .get(&agent_id)
            .map(|r| r.agent.addresses.clone())
            .unwrap_or_default();
        let id = self.ids.uuid();
        let now = self.stamp(customer_id);
        let mut call_ids = Vec::new();
        for (i, address) in addresses.iter().enumerate() {
            call_ids.push(self.create_call(NewCall {
                customer_id,
                source: source.clone(),
                destination: address.clone(),
                direction: CallDirection::Outgoing,
                owner: Some(agent_id),
                flow_id,
                flow: flow.to_vec(),
                groupcall_id: Some(id),
                // The simulated agent picks up on the first device.
                answers: i == 0,
            }));
        }
        let g = Groupcall {
            id,
            customer_id,
            owner_type: "agent".into(),
            owner_id: agent_id,
            status: "progressing".into(),
            flow_id,
            source: source.clone(),
            destinations: addresses,
            master_call_id: Uuid::nil(),
            master_groupcall_id: Uuid::nil(),
            ring_method: "ring_all".into(),
            answer_method: "hangup_others".into(),
            answer_call_id: Uuid::nil(),
            call_count: call_ids.len(),
            call_ids,
            answer_groupcall_id: Uuid::nil(),
            groupcall_ids: Vec::new(),
            groupcall_count: 0,
            dial_index: 0,
            tm_create: Some(now),
            tm_update: None,
            tm_delete: None,
        };
        self.groupcalls.insert(id, g.clone());
        g
    }

    /// A call from outside (e.g. a customer phone) arriving in `ringing`; owner is the
    /// agent whose address equals the source. It is answered shortly and runs `actions`.
    pub fn incoming_call(
        &mut self,
        customer_id: Uuid,
        source: Address,
        destination: Address,
        actions: Vec<FlowAction>,
    ) -> Call {
        let owner = self.agent_owning(customer_id, &source);
        let flow_id = self.ids.uuid();
        let flow = self.build_flow(actions);
        let id = self.create_call(NewCall {
            customer_id,
            source,
            destination,
            direction: CallDirection::Incoming,
            owner,
            flow_id,
            flow,
            groupcall_id: None,
            answers: true,
        });
        self.calls
            .get(&id)
            .map(|r| r.call.clone())
            .unwrap_or_default()
    }

    fn create_call(&mut self, new: NewCall) -> Uuid {
        let id = self.ids.uuid();
        let activeflow_id = self.ids.uuid();
        let now = self.stamp(new.customer_id);
        let incoming = new.direction == CallDirection::Incoming;
        let call = Call {
            id,
            customer_id: new.customer_id,
            owner_type: new.owner.map(|_| OwnerType::Agent),
            owner_id: new.owner.unwrap_or_default(),
            flow_id: new.flow_id,
            activeflow_id,
            kind: Some(CallType::Flow),
            source: new.source,
            destination: new.destination,
            status: Some(if incoming {
                CallStatus::Ringing
            } else {
                CallStatus::Dialing
            }),
            direction: Some(new.direction),
            tm_ringing: incoming.then_some(now),
            tm_create: Some(now),
            ..Call::default()
        };
        self.calls.insert(
            id,
            CallRec {
                call,
                flow: new.flow,
                next_action: 0,
                conferencecall_id: None,
                groupcall_id: new.groupcall_id,
                answers: new.answers,
            },
        );
        self.publish_call("call_created", id);
        let (delay, job) = if incoming {
            (self.timings.pickup, Job::AnswerCall(id))
        } else {
            (self.timings.ring, Job::RingCall(id))
        };
        self.schedule(delay, job);
        id
    }

    /// Job: dialing → ringing.
    pub(crate) fn ring_call(&mut self, id: Uuid) {
        let Some(rec) = self.calls.get(&id) else {
            return;
        };
        if rec.call.status != Some(CallStatus::Dialing) {
            return;
        }
        let (customer_id, groupcall, answers) =
            (rec.call.customer_id, rec.groupcall_id, rec.answers);
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.status = Some(CallStatus::Ringing);
            rec.call.tm_ringing = Some(now);
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_ringing", id);
        if let Some(g) = groupcall {
            self.groupcall_leg_ringing(g);
        }
        if answers {
            let delay = self.timings.answer;
            self.schedule(delay, Job::AnswerCall(id));
        }
    }

    /// Job: the far end answered → progressing; the flow starts.
    pub(crate) fn answer_call(&mut self, id: Uuid) {
        let Some(rec) = self.calls.get(&id) else {
            return;
        };
        let status = rec.call.status.clone().unwrap_or(CallStatus::Dialing);
        if !status.can_move_to(&CallStatus::Progressing) {
            return;
        }
        let (customer_id, groupcall) = (rec.call.customer_id, rec.groupcall_id);
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.status = Some(CallStatus::Progressing);
            rec.call.tm_progressing = Some(now);
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_progressing", id);
        if let Some(g) = groupcall {
            self.groupcall_leg_answered(g, id);
        }
        let delay = self.timings.step;
        self.schedule(delay, Job::AdvanceFlow(id));
    }

    /// `POST /calls/{id}/hangup`: returns the call as it is right after the request.
    pub fn hangup_call(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.call(customer_id, id)?;
        self.hangup_local(id);
        self.call(customer_id, id)
    }

    /// Hang up from our side: an unanswered outgoing call is canceled, anything else
    /// terminates; `hangup` follows shortly. No-op once the call is ending.
    pub(crate) fn hangup_local(&mut self, id: Uuid) {
        let Some((next, event, by, reason)) = self.local_hangup_step(id) else {
            return;
        };
        let customer_id = self.calls.get(&id).map(|r| r.call.customer_id);
        let Some(customer_id) = customer_id else {
            return;
        };
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.status = Some(next);
            rec.call.tm_update = Some(now);
        }
        self.publish_call(event, id);
        let delay = self.timings.hangup;
        self.schedule(
            delay,
            Job::FinishHangup {
                call_id: id,
                by,
                reason,
            },
        );
    }

    fn local_hangup_step(
        &self,
        id: Uuid,
    ) -> Option<(CallStatus, &'static str, HangupBy, HangupReason)> {
        let call = &self.calls.get(&id)?.call;
        let unanswered = matches!(call.status, Some(CallStatus::Dialing | CallStatus::Ringing));
        let outgoing = call.direction == Some(CallDirection::Outgoing);
        match call.status {
            _ if unanswered && outgoing => Some((
                CallStatus::Canceling,
                "call_canceling",
                HangupBy::Local,
                HangupReason::Cancel,
            )),
            Some(CallStatus::Dialing | CallStatus::Ringing | CallStatus::Progressing) => Some((
                CallStatus::Terminating,
                "call_terminating",
                HangupBy::Local,
                HangupReason::Normal,
            )),
            _ => None,
        }
    }

    /// The far end hangs up (simulated customer or agent phone): straight to `hangup`.
    pub fn remote_hangup(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.call(customer_id, id)?;
        self.finish_hangup(id, HangupBy::Remote, HangupReason::Normal);
        self.call(customer_id, id)
    }

    /// Job (and direct): → `hangup` with who and why; leaves any conference.
    pub(crate) fn finish_hangup(&mut self, id: Uuid, by: HangupBy, reason: HangupReason) {
        let Some(rec) = self.calls.get(&id) else {
            return;
        };
        if rec.call.status == Some(CallStatus::Hangup) {
            return;
        }
        let customer_id = rec.call.customer_id;
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.status = Some(CallStatus::Hangup);
            rec.call.hangup_by = Some(by);
            rec.call.hangup_reason = Some(reason);
            rec.call.tm_hangup = Some(now);
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_hangup", id);
        self.leave_on_hangup(id);
    }

    /// `DELETE /calls/{id}`: hang up now if needed, then soft-delete (`call_deleted`).
    pub fn delete_call(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        let call = self.call(customer_id, id)?;
        if call.tm_delete.is_some() {
            return Ok(call);
        }
        self.hangup_local(id);
        let reason = match self.calls.get(&id).and_then(|r| r.call.status.clone()) {
            Some(CallStatus::Canceling) => HangupReason::Cancel,
            _ => HangupReason::Normal,
        };
        self.finish_hangup(id, HangupBy::Local, reason);
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.tm_delete = Some(now);
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_deleted", id);
        self.call(customer_id, id)
    }

    /// Hold, MOH, silence: the platform only talks to the channel, so all we can check is
    /// that there is an answered channel (else 400). Nothing is stored, nothing emitted.
    pub fn check_channel(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<()> {
        let call = self.call(customer_id, id)?;
        if call.status != Some(CallStatus::Progressing) {
            return Err(PlatformError::InvalidArgument("call is not progressing"));
        }
        Ok(())
    }

    /// Mute stores the requested direction (bookkeeping, not a union).
    pub fn mute(&mut self, customer_id: Uuid, id: Uuid, dir: MuteDirection) -> PlatformResult<()> {
        self.check_channel(customer_id, id)?;
        self.write_mute(id, Some(dir));
        Ok(())
    }

    /// Unmute per `callm/pkg/callhandler/mute.go`: the stored value clears; `in`/`out`
    /// from `both` leaves the other; a direction not stored leaves it unchanged.
    pub fn unmute(
        &mut self,
        customer_id: Uuid,
        id: Uuid,
        dir: MuteDirection,
    ) -> PlatformResult<()> {
        let call = self.call(customer_id, id)?;
        self.check_channel(customer_id, id)?;
        let next = match (call.mute_direction, dir) {
            (Some(stored), d) if stored == d => None,
            (Some(MuteDirection::Both), MuteDirection::In) => Some(MuteDirection::Out),
            (Some(MuteDirection::Both), MuteDirection::Out) => Some(MuteDirection::In),
            (stored, _) => stored,
        };
        self.write_mute(id, next);
        Ok(())
    }

    fn write_mute(&mut self, id: Uuid, dir: Option<MuteDirection>) {
        let Some(customer_id) = self.calls.get(&id).map(|r| r.call.customer_id) else {
            return;
        };
        let now = self.stamp(customer_id);
        if let Some(rec) = self.calls.get_mut(&id) {
            rec.call.mute_direction = dir;
            rec.call.tm_update = Some(now);
        }
        self.publish_call("call_updated", id);
    }
}
