//! The platform's data: every record of every customer, plus what the rules need to run
//! (ids, clock, event bus, jobs to schedule). Rules live in the sibling files as
//! `impl World` blocks, one resource per file.

use std::collections::HashMap;
use std::time::Duration;

use uuid::Uuid;

use super::clock::{Clock, Stamper};
use super::groupcalls::Groupcall;
use super::ids::Ids;
use super::timings::{Job, Timings};
use crate::emulator::bus::EventBus;
use crate::voipbin::time::Timestamp;
use crate::voipbin::{Agent, Call, Conference, Conferencecall, Customer, FlowAction};

#[allow(missing_debug_implementations)] // holds credentials: never printed
pub struct AccessKeyRec {
    pub customer_id: Uuid,
    pub tm_expire: Option<Timestamp>,
}

#[allow(missing_debug_implementations)] // holds credentials: never printed
pub struct AgentRec {
    pub agent: Agent,
    /// SHA-256 of the password: the plain text is never kept.
    pub password_hash: [u8; 32],
}

#[derive(Debug)]
pub struct ConferenceRec {
    pub conference: Conference,
    /// The call-manager bridge behind the conference; never exposed except inside a
    /// participant's `confbridge_join` action.
    pub confbridge_id: Uuid,
}

#[derive(Debug)]
pub struct CallRec {
    pub call: Call,
    /// The call's flow; `next_action` indexes the action to execute next.
    pub flow: Vec<FlowAction>,
    pub next_action: usize,
    /// The conferencecall while the call is joining/in/leaving a conference.
    pub conferencecall_id: Option<Uuid>,
    /// Set on ring-all legs dialled for an agent destination.
    pub groupcall_id: Option<Uuid>,
    /// Whether the simulated far end picks up.
    pub answers: bool,
}

#[allow(missing_debug_implementations)] // holds credentials: never printed
pub struct World {
    pub ids: Ids,
    pub clock: Clock,
    pub timings: Timings,
    stamper: Stamper,
    bus: EventBus,
    pending: Vec<(Duration, Job)>,
    pub customers: HashMap<Uuid, Customer>,
    pub access_keys: HashMap<String, AccessKeyRec>,
    pub agents: HashMap<Uuid, AgentRec>,
    pub conferences: HashMap<Uuid, ConferenceRec>,
    pub conferencecalls: HashMap<Uuid, Conferencecall>,
    pub calls: HashMap<Uuid, CallRec>,
    pub groupcalls: HashMap<Uuid, Groupcall>,
}

impl World {
    pub fn new(seed: u64, clock: Clock, timings: Timings, bus: EventBus) -> Self {
        World {
            ids: Ids::new(seed),
            clock,
            timings,
            stamper: Stamper::default(),
            bus,
            pending: Vec::new(),
            customers: HashMap::new(),
            access_keys: HashMap::new(),
            agents: HashMap::new(),
            conferences: HashMap::new(),
            conferencecalls: HashMap::new(),
            calls: HashMap::new(),
            groupcalls: HashMap::new(),
        }
    }

    /// The next timestamp for one of `customer_id`'s records (strictly increasing).
    pub fn stamp(&mut self, customer_id: Uuid) -> Timestamp {
        self.stamper.stamp(&self.clock, customer_id)
    }

    /// Asks for `job` to run after `delay` of platform time.
    pub fn schedule(&mut self, delay: Duration, job: Job) {
        self.pending.push((delay, job));
    }

    pub fn take_pending(&mut self) -> Vec<(Duration, Job)> {
        std::mem::take(&mut self.pending)
    }

    pub fn publish_conference(&self, event: &str, id: Uuid) {
        if let Some(rec) = self.conferences.get(&id) {
            let c = &rec.conference;
            self.bus.publish(event, c.customer_id, c.id, None, c);
        }
    }

    pub fn publish_call(&self, event: &str, id: Uuid) {
        if let Some(rec) = self.calls.get(&id) {
            let c = &rec.call;
            self.bus
                .publish(event, c.customer_id, c.id, c.agent_owner(), c);
        }
    }

    pub fn publish_agent(&self, event: &str, id: Uuid) {
        if let Some(rec) = self.agents.get(&id) {
            let a = &rec.agent;
            self.bus.publish(event, a.customer_id, a.id, None, a);
        }
    }

    /// Runs one delayed job. Jobs re-check state: a stale job does nothing.
    pub fn run_job(&mut self, job: Job) {
        match job {
            Job::RingCall(id) => self.ring_call(id),
            Job::AnswerCall(id) => self.answer_call(id),
            Job::AdvanceFlow(id) => self.advance_flow(id),
            Job::FlowEnded(id) => self.flow_ended(id),
            Job::JoinBridge(id) => self.join_bridge(id),
            Job::FinishLeave(id) => self.finish_leave(id),
            Job::FinishHangup {
                call_id,
                by,
                reason,
            } => self.finish_hangup(call_id, by, reason),
            Job::ConferenceTimeout(id) => {
                let _ = self.delete_conference_by_id(id);
            }
        }
    }
}
