//! What new participants cost of the platform budget, counted on the emulator's side.
//! VoIPbin sends no conferencecall events, so each new leg is an id the client must fetch;
//! the scheduler gathers them and reads one newest page for many. The always-on test
//! checks a short burst; the ignored one prints the figures for steady traffic and for a
//! 20 joins/s burst:
//!
//!     cargo test --release --test client_fetch_requests -- --ignored --nocapture

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use tokio::sync::mpsc;
use uuid::Uuid;

use bridgetop::client::follow::Follower;
use bridgetop::client::link::{Inbound, Source};
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::emulator::launch::RunningEmulator;
use bridgetop::store::{ConferencesState, StoreConfig};

/// The client's production request budget (`request_budget` in the config).
const BUDGET: f64 = 8.0;

/// Routes that fetch what the store misses (the snapshot's pages and the socket are not
/// counted: nothing here takes a snapshot after the first).
const FETCH_ROUTES: [&str; 4] = [
    "GET /v1.0/conferencecalls",
    "GET /v1.0/conferencecalls/{id}",
    "GET /v1.0/calls",
    "GET /v1.0/calls/{id}",
];

struct Rig {
    emu: RunningEmulator,
    follower: Follower,
    source: Source,
    events: mpsc::Receiver<Inbound>,
    rooms: Vec<Uuid>,
    phone: u32,
}

impl Rig {
    async fn start(rooms: usize) -> Rig {
        let emu = emulator(9, "", 20.0).await;
        let customer = emu.account.customer_id;
        let rooms = (0..rooms)
            .map(|n| {
                emu.platform
                    .create_conference(customer, conference_spec(&format!("room {n}")))
                    .unwrap()
                    .id
            })
            .collect();
        let (tx, events) = mpsc::channel(8192);
        let options = SyncOptions {
            resync_every: None,
            ..SyncOptions::default()
        };
        let source = sync::start(rest_client(&emu, BUDGET), None, options, tx);
        let mut rig = Rig {
            emu,
            follower: Follower::new(ConferencesState::new(StoreConfig::default())),
            source,
            events,
            rooms,
            phone: 0,
        };
        rig.settle(Duration::from_secs(30)).await;
        rig
    }

    fn fetches(&self) -> u64 {
        let counts = self.emu.state.requests.counts();
        FETCH_ROUTES
            .iter()
            .map(|route| counts.get(*route).copied().unwrap_or(0))
            .sum()
    }

    fn joined_on_platform(&self) -> usize {
        let customer = self.emu.account.customer_id;
        self.emu
            .platform
            .list_live_conferences(customer)
            .iter()
            .map(|c| c.conferencecall_ids.len())
            .sum()
    }

    /// Every leg the platform lists is known to the store, with its call.
    fn caught_up(&self) -> bool {
        let store = &self.follower.store;
        let legs: usize = store.live().map(|c| c.live_participant_count).sum();
        self.follower.connection.is_reconciled()
            && store.missing().is_empty()
            && legs == self.joined_on_platform()
    }

    async fn pump_for(&mut self, span: Duration) {
        let until = tokio::time::Instant::now() + span;
        loop {
            tokio::select! {
                event = self.events.recv() => {
                    self.follower.apply(event.expect("the engine runs"), now());
                    self.source.want(self.follower.wanted(Instant::now()));
                }
                () = tokio::time::sleep_until(until) => return,
            }
        }
    }

    /// Follows until the store has caught up with the platform.
    async fn settle(&mut self, within: Duration) {
        let started = Instant::now();
        while !self.caught_up() {
            assert!(
                started.elapsed() < within,
                "the store did not catch up within {within:?}"
            );
            self.pump_for(Duration::from_millis(50)).await;
        }
    }

    fn join_one(&mut self) {
        self.phone += 1;
        let room = self.rooms[self.phone as usize % self.rooms.len()];
        let number = format!("+1555{:07}", self.phone);
        let customer = self.emu.account.customer_id;
        self.emu
            .platform
            .customer_joins_conference(customer, &number, room);
    }

    /// `joins` callers at `per_second`, then follows until caught up. Fetch requests spent.
    async fn joins(&mut self, joins: usize, per_second: f64) -> u64 {
        let before = self.fetches();
        let gap = Duration::from_secs_f64(1.0 / per_second);
        for _ in 0..joins {
            self.join_one();
            self.pump_for(gap).await;
        }
        self.settle(Duration::from_secs(60)).await;
        self.fetches() - before
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_new_callers_costs_a_few_pages_not_a_request_each() {
    let mut rig = Rig::start(10).await;
    let spent = rig.joins(20, 20.0).await;
    eprintln!("20 joins in 1 s: {spent} fetch requests");
    assert!(
        spent <= 6,
        "20 joins cost {spent} requests: {:?}",
        rig.emu.state.requests.counts()
    );
    rig.emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement: prints requests per new participant, steady and in a burst"]
async fn requests_per_new_participant() {
    let mut rig = Rig::start(100).await;
    let steady = 60;
    let spent = rig.joins(steady, 2.0).await;
    eprintln!(
        "steady, 2 joins/s for 30 s: {spent} fetch requests for {steady} new participants = {:.2} per participant",
        spent as f64 / steady as f64
    );
    let burst = 200;
    let spent = rig.joins(burst, 20.0).await;
    eprintln!(
        "burst, 20 joins/s for 10 s: {spent} fetch requests for {burst} new participants = {:.2} per participant",
        spent as f64 / burst as f64
    );
    eprintln!("by route: {:?}", rig.emu.state.requests.counts());
    rig.emu.shutdown().await.unwrap();
}
