//! The soak test: several seeds at once, each an emulator with 60 calls a minute of
//! generated traffic and the combined fault set (duplicated, reordered and dropped frames,
//! a socket dropped every 5 s, one REST request in ten failing with a 503), followed by
//! the real sync engine with its production settings, starting with no session known.
//! During the run the follower must be live at least 90 % of the time (and live without a
//! resync catching up at least 85 %); once traffic stops it must equal the platform's
//! truth within 10 s, for every seed. The figures are
//! printed (run with `--nocapture`).

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::connection::ConnectionState;
use bridgetop::client::credentials::{Credential, Secret};
use bridgetop::client::follow::Follower;
use bridgetop::client::link::Inbound;
use bridgetop::client::rest::{Endpoint, RestClient};
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::emulator::faults::FaultPlan;
use bridgetop::emulator::launch::EmulatorConfig;
use bridgetop::emulator::server::{self, Activity, LiveEmulator};
use bridgetop::emulator::traffic::TrafficConfig;
use bridgetop::store::{ConferencesState, StoreConfig};

const FAULTS: &str = "ws_dup=0.2,ws_reorder=0.1,ws_drop=every:5s,rest_error=10%";
const SEEDS: [u64; 4] = [11, 22, 33, 44];
const RUN_FOR: Duration = Duration::from_secs(75);
const CONVERGE_WITHIN: Duration = Duration::from_secs(10);
const MIN_LIVE: f64 = 0.9;
/// Live and not catching up on a gap: a guard that "live · resyncing" is not most of it.
const MIN_RECONCILED: f64 = 0.85;
/// The client's production request budget (`request_budget` in the config).
const BUDGET: f64 = 8.0;

/// Time spent in each kind of state, from the engine's start.
struct Timeline {
    last: Instant,
    live: bool,
    reconciled: bool,
    total: Duration,
    live_for: Duration,
    reconciled_for: Duration,
}

impl Timeline {
    fn new() -> Self {
        Timeline {
            last: Instant::now(),
            live: false,
            reconciled: false,
            total: Duration::ZERO,
            live_for: Duration::ZERO,
            reconciled_for: Duration::ZERO,
        }
    }

    fn advance(&mut self, now: Instant) {
        let span = now - self.last;
        self.total += span;
        if self.live {
            self.live_for += span;
        }
        if self.reconciled {
            self.reconciled_for += span;
        }
        self.last = now;
    }

    fn note(&mut self, state: &ConnectionState) {
        self.advance(Instant::now());
        self.live = state.is_live();
        self.reconciled = state.is_reconciled();
    }

    fn fractions(&self) -> (f64, f64) {
        let total = self.total.as_secs_f64().max(f64::EPSILON);
        (
            self.live_for.as_secs_f64() / total,
            self.reconciled_for.as_secs_f64() / total,
        )
    }
}

struct Figures {
    seed: u64,
    live: f64,
    reconciled: f64,
    converged_in: Option<Duration>,
    reconnects: usize,
    snapshots: usize,
    requests: u64,
    rooms: usize,
    difference: String,
}

async fn start_emulator(seed: u64) -> LiveEmulator {
    let mut config = EmulatorConfig::default();
    config.platform.seed = seed;
    config.faults = FAULTS.parse::<FaultPlan>().expect("the fault plan parses");
    let traffic = TrafficConfig {
        seed,
        calls_per_minute: 60.0,
        ..TrafficConfig::default()
    };
    let activity = Activity {
        scenario: None,
        traffic: Some(traffic),
        ..Activity::default()
    };
    server::start(config, activity)
        .await
        .expect("the emulator starts")
}

async fn soak(seed: u64) -> Figures {
    let mut live = start_emulator(seed).await;
    let banner = live.banner();
    let rest = RestClient::new(
        Endpoint::new(&banner.api_url),
        Credential::AccessKey(Secret::new(banner.accesskey.to_owned())),
        BUDGET,
    )
    .expect("the client builds");
    let options = SyncOptions {
        jitter_seed: Some(seed),
        ..SyncOptions::default()
    };
    let (tx, mut events) = mpsc::channel(8192);
    // No session: the engine learns it through the faults, as the dashboard does.
    let source = sync::start(rest.clone(), None, options, tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));
    let mut timeline = Timeline::new();
    let mut reconnects = 0;

    let apply = |follower: &mut Follower,
                 timeline: &mut Timeline,
                 reconnects: &mut usize,
                 event: Inbound| {
        if let Inbound::Connection(state) = &event {
            if matches!(
                state,
                ConnectionState::Reconnecting {
                    retry_at: Some(_),
                    ..
                }
            ) {
                *reconnects += 1;
            }
            timeline.note(state);
        }
        follower.apply(event, now());
        source.want(follower.wanted(Instant::now()));
    };

    let traffic_ends = tokio::time::Instant::now() + RUN_FOR;
    loop {
        tokio::select! {
            event = events.recv() => {
                let event = event.expect("the engine runs");
                apply(&mut follower, &mut timeline, &mut reconnects, event);
            }
            () = tokio::time::sleep_until(traffic_ends) => break,
        }
    }
    timeline.advance(Instant::now());
    live.stop_activity();
    let stopped = Instant::now();
    let platform = live.emulator.platform.clone();
    let customer = live.emulator.account.customer_id;

    let mut check = tokio::time::interval(Duration::from_millis(100));
    let mut converged_in = None;
    let mut difference_left = String::new();
    while stopped.elapsed() < CONVERGE_WITHIN + Duration::from_secs(5) {
        tokio::select! {
            event = events.recv() => {
                let event = event.expect("the engine runs");
                apply(&mut follower, &mut timeline, &mut reconnects, event);
                continue;
            }
            _ = check.tick() => {}
        }
        let truth = truth_picture(&platform.truth(customer));
        let seen = store_picture(&follower.store);
        if truth == seen && follower.connection.is_live() {
            converged_in = Some(stopped.elapsed());
            break;
        }
        difference_left = difference(&truth, &seen);
    }
    let rooms = truth_picture(&platform.truth(customer)).rooms.len();
    let (live_fraction, reconciled) = timeline.fractions();
    drop(source);
    live.shutdown().await.ok();
    Figures {
        seed,
        live: live_fraction,
        reconciled,
        converged_in,
        reconnects,
        snapshots: follower.snapshots,
        requests: rest.request_count(),
        rooms,
        difference: difference_left,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn combined_faults_at_60_calls_a_minute_converge_and_stay_live() {
    let runs: Vec<_> = SEEDS.iter().map(|&seed| tokio::spawn(soak(seed))).collect();
    let mut all = Vec::new();
    for run in runs {
        all.push(run.await.expect("a soak run"));
    }
    for f in &all {
        eprintln!(
            "seed {}: live {:.1} % (reconciled {:.1} %), converged in {}, {} reconnects, {} snapshots, {} requests, {} rooms at the end",
            f.seed,
            f.live * 100.0,
            f.reconciled * 100.0,
            f.converged_in.map_or_else(|| "NEVER".into(), |d| format!("{:.1}s", d.as_secs_f64())),
            f.reconnects,
            f.snapshots,
            f.requests,
            f.rooms,
        );
    }
    let worst_live = all.iter().map(|f| f.live).fold(1.0, f64::min);
    let worst_converge = all.iter().filter_map(|f| f.converged_in).max();
    eprintln!(
        "worst: live {:.1} %, convergence {:?}",
        worst_live * 100.0,
        worst_converge
    );
    for f in &all {
        assert!(
            f.converged_in.is_some_and(|d| d <= CONVERGE_WITHIN),
            "seed {}: not converged within {CONVERGE_WITHIN:?}:\n{}",
            f.seed,
            f.difference
        );
        assert!(
            f.live >= MIN_LIVE,
            "seed {}: live only {:.1} % of the time",
            f.seed,
            f.live * 100.0
        );
        assert!(
            f.reconciled >= MIN_RECONCILED,
            "seed {}: reconciled only {:.1} % of the time",
            f.seed,
            f.reconciled * 100.0
        );
        assert!(f.rooms > 0, "seed {}: the traffic made no rooms", f.seed);
        assert!(
            f.reconnects >= 5,
            "seed {}: the drops did not happen",
            f.seed
        );
    }
}
