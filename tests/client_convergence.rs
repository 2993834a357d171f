//! Convergence over loopback: the sync engine follows the in-process emulator while seeded
//! traffic runs and the emulator duplicates and reorders frames, drops connections and
//! fails REST requests. Once traffic stops, the client's picture must equal the
//! platform's truth, for every seed.

mod client_common;

use std::time::Duration;

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::follow::Follower;
use bridgetop::client::link::{Inbound, Source};
use bridgetop::client::session;
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::store::{ConferencesState, StoreConfig};

const FAULTS: &str = "ws_dup=0.2,ws_reorder=0.1,ws_drop=every:1s,rest_error=5%";
const SEEDS: u64 = 12;
const STEPS: usize = 80;

fn options(seed: u64) -> SyncOptions {
    SyncOptions {
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        resync_every: None,
        jitter_seed: Some(seed),
        ..SyncOptions::default()
    }
}

/// Applies whatever the engine has sent, asking for what the store misses.
fn drain(follower: &mut Follower, events: &mut mpsc::Receiver<Inbound>, handle: &Source) {
    while let Ok(event) = events.try_recv() {
        follower.apply(event, now());
        handle.want(follower.wanted(std::time::Instant::now()));
    }
}

/// Returns (rooms, legs, muted legs) of the final truth, to show the traffic was real.
async fn converge_once(seed: u64) -> (usize, usize, usize) {
    let emu = emulator(seed, FAULTS, 8.0).await;
    let platform = emu.platform.clone();
    let customer = emu.account.customer_id;
    // A few rooms exist before the console starts.
    for n in 0..3 {
        platform
            .create_conference(customer, conference_spec(&format!("seed room {n}")))
            .unwrap();
    }
    let rest = rest_client(&emu, 100.0);
    let session = session::establish(&rest).await.expect("session");
    assert_eq!(session.customer_id, customer);
    let (tx, mut events) = mpsc::channel(10_000);
    let handle = sync::start(rest.clone(), Some(session), options(seed), tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));

    let mut traffic = Traffic::new(&emu, seed);
    for _ in 0..STEPS {
        traffic.step(&platform);
        tokio::time::sleep(Duration::from_millis(40)).await;
        drain(&mut follower, &mut events, &handle);
    }

    // Traffic has stopped; platform timers (bridge joins, hangups) run out shortly.
    let deadline = tokio::time::Instant::now() + SETTLE;
    let mut last_difference;
    let figures = loop {
        drain(&mut follower, &mut events, &handle);
        let truth = truth_picture(&platform.truth(customer));
        let seen = store_picture(&follower.store);
        if truth == seen && follower.connection.is_live() {
            let legs = truth.rooms.values().map(|r| r.legs.len()).sum();
            let muted = truth
                .rooms
                .values()
                .flat_map(|r| r.legs.values())
                .filter(|(_, m)| m.is_some())
                .count();
            break (truth.rooms.len(), legs, muted);
        }
        last_difference = difference(&truth, &seen);
        if tokio::time::Instant::now() > deadline {
            panic!(
                "seed {seed}: no convergence (connection {:?}, {} snapshots):\n{last_difference}",
                follower.connection, follower.snapshots
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        follower.snapshots >= 2,
        "seed {seed}: dropped connections should have forced resnapshots"
    );
    drop(handle);
    emu.shutdown().await.unwrap();
    figures
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn converges_under_faults_across_seeds() {
    let mut totals = (0, 0, 0);
    for seed in 1..=SEEDS {
        let (rooms, legs, muted) = converge_once(seed).await;
        eprintln!("seed {seed}: converged on {rooms} rooms, {legs} legs, {muted} muted");
        totals = (totals.0 + rooms, totals.1 + legs, totals.2 + muted);
    }
    assert!(
        totals.1 > 0 && totals.2 > 0,
        "traffic should leave joined and muted legs to compare: {totals:?}"
    );
}
