//! The in-memory VoIPbin platform: customers, agents, conferences, conferencecalls and
//! calls, with the platform's rules and quirks (PROTOCOL.md §4–7, §12).
//!
//! All state sits in one [`World`] behind one mutex. Every operation runs under the lock
//! and publishes its events to the [`EventBus`] before releasing it, so event order is
//! the order things happened. Delayed behaviour (ringing, answering, leaving a bridge,
//! timeouts) is scheduled as [`Job`]s run by tokio timers, scaled by the clock's speed.
//!
//! The REST layer, the traffic generator and the scenario runner all drive the model
//! through the methods on [`Platform`]; `customer_id` is always the caller's customer and
//! a resource of another customer is refused with [`PlatformError::PermissionDenied`].

mod agents;
mod calls;
mod clock;
mod conferencecalls;
mod conferences;
mod customers;
mod error;
mod flow;
mod groupcalls;
mod ids;
mod seed;
#[cfg(test)]
mod tests;
mod timings;
mod truth;
mod world;

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use serde_json::json;
use uuid::Uuid;

pub use agents::NewAgent;
pub use calls::{Originate, Originated};
pub use clock::Clock;
pub use conferences::{ConferenceSpec, ConferenceUpdate};
pub use error::{PlatformError, PlatformResult, ResourceType};
pub use groupcalls::Groupcall;
pub use seed::{DemoAccount, DemoAgent};
pub use timings::{Job, Timings};
pub use truth::Truth;
pub use world::World;

use crate::emulator::bus::EventBus;
use crate::voipbin::time::Timestamp;
use crate::voipbin::{
    Address, AddressType, Agent, AgentStatus, Call, Conference, Conferencecall, Customer,
    FlowAction, MuteDirection,
};

/// The number simulated customers dial (the demo customer's public number).
pub const DEMO_NUMBER: &str = "+18885550100";

/// How a platform is built.
#[derive(Debug, Clone)]
pub struct PlatformConfig {
    /// Seeds ids and demo secrets (`--seed`).
    pub seed: u64,
    /// Platform time runs this many times faster than real time (timers included).
    pub speed: f64,
    pub timings: Timings,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        PlatformConfig {
            seed: 1,
            speed: 1.0,
            timings: Timings::default(),
        }
    }
}

pub struct Platform {
    me: Weak<Platform>,
    world: Mutex<World>,
    clock: Clock,
    jwt_secret: [u8; 32],
}

/// The world holds every account's credentials: they are never printed.
impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").finish_non_exhaustive()
    }
}

impl Platform {
    /// An empty platform publishing to `bus`.
    pub fn new(config: PlatformConfig, bus: EventBus) -> Arc<Platform> {
        let clock = Clock::new(config.speed);
        let mut jwt_secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut jwt_secret);
        Arc::new_cyclic(|me| Platform {
            me: me.clone(),
            world: Mutex::new(World::new(config.seed, clock.clone(), config.timings, bus)),
            clock,
            jwt_secret,
        })
    }

    /// A platform with the demo customer, access key and team ([`DemoAccount`]).
    pub fn demo(config: PlatformConfig, bus: EventBus) -> (Arc<Platform>, DemoAccount) {
        let platform = Platform::new(config, bus);
        let account = platform.with(seed::seed_demo);
        (platform, account)
    }

    /// Runs `f` under the lock, then starts the timers it asked for.
    fn with<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        let (result, jobs) = {
            let mut world = self.lock();
            let result = f(&mut world);
            (result, world.take_pending())
        };
        for (delay, job) in jobs {
            self.spawn_job(delay, job);
        }
        result
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic elsewhere must not take the whole emulator down with it.
        self.world
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn spawn_job(&self, delay: Duration, job: Job) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(?job, "no tokio runtime; delayed job dropped");
            return;
        };
        let me = self.me.clone();
        let real = self.clock.real_delay(delay);
        runtime.spawn(async move {
            tokio::time::sleep(real).await;
            if let Some(platform) = me.upgrade() {
                platform.with(|w| w.run_job(job));
            }
        });
    }

    /// Platform time now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The HS256 key for agent JWTs. Never log it.
    pub(crate) fn jwt_secret(&self) -> &[u8] {
        &self.jwt_secret
    }

    // ---- customers, keys, agents -------------------------------------------------

    /// Adds a customer with one access key; returns (customer id, access key).
    pub fn add_customer(&self, name: &str) -> (Uuid, String) {
        self.with(|w| w.add_customer(name))
    }

    /// Adds an access key to a customer, optionally expiring at `tm_expire`.
    pub fn add_access_key(&self, customer_id: Uuid, tm_expire: Option<Timestamp>) -> String {
        self.with(|w| w.add_access_key(customer_id, tm_expire))
    }

    pub fn add_agent(&self, customer_id: Uuid, agent: NewAgent) -> Agent {
        self.with(|w| w.add_agent(customer_id, agent))
    }

    /// The customer of a valid (known, unexpired) access key.
    pub fn access_key_customer(&self, key: &str) -> Option<Uuid> {
        self.lock().access_key_customer(key)
    }

    /// The agent matching a username and password.
    pub fn login(&self, username: &str, password: &str) -> Option<Agent> {
        self.lock().login(username, password)
    }

    pub fn customer(&self, customer_id: Uuid) -> PlatformResult<Customer> {
        self.lock().customer(customer_id)
    }

    pub fn agent(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Agent> {
        self.lock().agent(customer_id, id)
    }

    /// The customer's agents, unsorted.
    pub fn list_agents(&self, customer_id: Uuid) -> Vec<Agent> {
        self.lock().list_agents(customer_id)
    }

    /// Sets an agent's status; emits `agent_status_updated`.
    pub fn set_agent_status(
        &self,
        customer_id: Uuid,
        agent_id: Uuid,
        status: AgentStatus,
    ) -> PlatformResult<Agent> {
        self.with(|w| w.set_agent_status(customer_id, agent_id, status))
    }

    // ---- conferences ---------------------------------------------------------------

    /// Creates a conference (`progressing`); emits `conference_created`; arms the timeout.
    pub fn create_conference(
        &self,
        customer_id: Uuid,
        spec: ConferenceSpec,
    ) -> PlatformResult<Conference> {
        self.with(|w| w.create_conference(customer_id, spec))
    }

    /// Any conference of the customer, deleted ones included.
    pub fn conference(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        self.lock().conference(customer_id, id)
    }

    /// `conference`-type rooms without `tm_delete`, unsorted.
    pub fn list_live_conferences(&self, customer_id: Uuid) -> Vec<Conference> {
        self.lock().list_live_conferences(customer_id)
    }

    /// Full replace of the editable fields; emits `conference_updated`.
    pub fn update_conference(
        &self,
        customer_id: Uuid,
        id: Uuid,
        update: ConferenceUpdate,
    ) -> PlatformResult<Conference> {
        self.with(|w| w.update_conference(customer_id, id, update))
    }

    /// Terminates a conference (§12.1 sequence); returns it `terminating` with `tm_delete`.
    pub fn delete_conference(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        self.with(|w| w.delete_conference(customer_id, id))
    }

    /// Starts a recording; a refused start returns the all-zero conference (platform bug).
    pub fn recording_start(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        self.with(|w| w.recording_start(customer_id, id))
    }

    /// Stops the running recording; `InvalidArgument` when none runs.
    pub fn recording_stop(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        self.with(|w| w.recording_stop(customer_id, id))
    }

    // ---- conferencecalls -----------------------------------------------------------

    pub fn conferencecall(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conferencecall> {
        self.lock().conferencecall(customer_id, id)
    }

    /// All of the customer's conferencecalls, every status, unsorted.
    pub fn list_conferencecalls(&self, customer_id: Uuid) -> Vec<Conferencecall> {
        self.lock().list_conferencecalls(customer_id)
    }

    /// Kicks a participant (→ `leaving`); the call leaves the bridge and continues its flow.
    pub fn kick(
        &self,
        customer_id: Uuid,
        conferencecall_id: Uuid,
    ) -> PlatformResult<Conferencecall> {
        self.with(|w| w.kick(customer_id, conferencecall_id))
    }

    // ---- calls -----------------------------------------------------------------------

    pub fn call(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.lock().call(customer_id, id)
    }

    /// Calls not deleted, unsorted.
    pub fn list_calls(&self, customer_id: Uuid) -> Vec<Call> {
        self.lock().list_calls(customer_id)
    }

    /// `POST /calls`: dials each destination and runs the flow once answered.
    pub fn originate(&self, customer_id: Uuid, req: Originate) -> PlatformResult<Originated> {
        self.with(|w| w.originate(customer_id, req))
    }

    /// Simulates an incoming call from `source` to `destination` that runs `actions`.
    pub fn incoming_call(
        &self,
        customer_id: Uuid,
        source: Address,
        destination: Address,
        actions: Vec<FlowAction>,
    ) -> Call {
        self.with(|w| w.incoming_call(customer_id, source, destination, actions))
    }

    /// Simulates a customer phoning in from `from_tel` and being put into a conference.
    pub fn customer_joins_conference(
        &self,
        customer_id: Uuid,
        from_tel: &str,
        conference_id: Uuid,
    ) -> Call {
        self.incoming_call(
            customer_id,
            Address::new(AddressType::Tel, from_tel),
            Address::new(AddressType::Tel, DEMO_NUMBER),
            vec![conference_join(conference_id)],
        )
    }

    /// Rings all of an agent's addresses and puts the answered leg into a conference.
    pub fn dial_agent_into_conference(
        &self,
        customer_id: Uuid,
        agent_id: Uuid,
        conference_id: Uuid,
    ) -> PlatformResult<Originated> {
        self.originate(
            customer_id,
            Originate {
                source: Address::new(AddressType::Tel, DEMO_NUMBER),
                destinations: vec![Address::new(AddressType::Agent, agent_id.to_string())],
                actions: vec![conference_join(conference_id)],
                flow_id: Uuid::nil(),
            },
        )
    }

    /// Dials a phone number (or an agent's registered number) into a conference.
    pub fn dial_tel_into_conference(
        &self,
        customer_id: Uuid,
        tel: &str,
        conference_id: Uuid,
    ) -> PlatformResult<Originated> {
        self.originate(
            customer_id,
            Originate {
                source: Address::new(AddressType::Tel, DEMO_NUMBER),
                destinations: vec![Address::new(AddressType::Tel, tel)],
                actions: vec![conference_join(conference_id)],
                flow_id: Uuid::nil(),
            },
        )
    }

    /// Hangs up from the platform side (`canceling` or `terminating`, then `hangup`).
    pub fn hangup_call(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.with(|w| w.hangup_call(customer_id, id))
    }

    /// The far end hangs up: straight to `hangup` (`hangup_by: remote`).
    pub fn remote_hangup(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.with(|w| w.remote_hangup(customer_id, id))
    }

    /// Hangs up if needed, then soft-deletes; emits `call_deleted`.
    pub fn delete_call(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Call> {
        self.with(|w| w.delete_call(customer_id, id))
    }

    /// Hold: invisible on the platform (no state, no event); fails unless progressing.
    pub fn hold(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<()> {
        self.lock().check_channel(customer_id, id)
    }

    /// Unhold: as [`Platform::hold`].
    pub fn unhold(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<()> {
        self.lock().check_channel(customer_id, id)
    }

    /// MOH / silence on or off: as [`Platform::hold`].
    pub fn channel_effect(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<()> {
        self.lock().check_channel(customer_id, id)
    }

    /// Mutes; emits `call_updated` with the stored `mute_direction`.
    pub fn mute(&self, customer_id: Uuid, id: Uuid, dir: MuteDirection) -> PlatformResult<()> {
        self.with(|w| w.mute(customer_id, id, dir))
    }

    /// Unmutes with the platform's bookkeeping; emits `call_updated`.
    pub fn unmute(&self, customer_id: Uuid, id: Uuid, dir: MuteDirection) -> PlatformResult<()> {
        self.with(|w| w.unmute(customer_id, id, dir))
    }

    /// Everything of a customer right now (newest first), deleted records included.
    pub fn truth(&self, customer_id: Uuid) -> Truth {
        self.lock().truth(customer_id)
    }
}

/// The flow action that puts a call into a conference.
pub fn conference_join(conference_id: Uuid) -> FlowAction {
    FlowAction {
        kind: "conference_join".into(),
        option: json!({ "conference_id": conference_id })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        ..FlowAction::default()
    }
}
