//! The first sync shows rooms as their list pages arrive: each conference page goes into
//! the store at once and the state says how far the sync got, while nothing is fetched by
//! id before the snapshot (it brings every leg; fetching them too would spend the budget
//! twice). Against the in-process emulator with 250 rooms (three pages). The ignored test
//! prints how long the screen stays empty at 1,000 and 10,000 rooms, with and without the
//! pages shown as they come, at the production request budget:
//!
//!     cargo test --release --test client_first_pages -- --ignored --nocapture

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::connection::ConnectionState;
use bridgetop::client::follow::Follower;
use bridgetop::client::link::Inbound;
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::store::{ConferencesState, Input, StoreConfig};

const ROOMS: usize = 250;

#[tokio::test]
async fn rooms_show_page_by_page_before_the_first_snapshot_is_in() {
    let emu = floor(11, ROOMS, 1).await;

    let (tx, mut events) = mpsc::channel(8192);
    let options = SyncOptions {
        resync_every: None,
        show_first_pages: true,
        ..SyncOptions::default()
    };
    let source = sync::start(rest_client(&emu, 1_000.0), None, options, tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));

    // (pages, rooms) as each progress state came, with the rooms the store then held.
    let mut progress: Vec<(usize, usize, usize)> = Vec::new();
    let mut asked_before_snapshot = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the first snapshot arrives within a minute")
            .expect("the engine runs");
        let snapshot =
            matches!(&event, Inbound::Input(input) if matches!(**input, Input::Snapshot(_)));
        if let Inbound::Connection(ConnectionState::Syncing { pages, rooms }) = &event {
            assert!(!follower.store.has_snapshot());
            progress.push((*pages, *rooms, follower.store.live_count()));
        }
        follower.apply(event, now());
        if snapshot {
            break;
        }
        let wanted = follower.wanted(Instant::now());
        asked_before_snapshot += wanted.len();
        source.want(wanted);
    }

    assert_eq!(
        progress,
        [(0, 0, 0), (1, 100, 100), (2, 200, 200), (3, 250, 250)],
        "each page's rooms are in the store when its progress is announced"
    );
    assert_eq!(
        asked_before_snapshot, 0,
        "nothing is fetched by id before the snapshot"
    );
    let by_id = emu
        .state
        .requests
        .counts()
        .get("GET /v1.0/conferencecalls/{id}")
        .copied()
        .unwrap_or(0);
    assert_eq!(by_id, 0, "the snapshot's pages brought every leg");

    // Then live, with every room's customer resolved.
    while !follower.connection.is_reconciled() {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("live within a minute")
            .expect("the engine runs");
        follower.apply(event, now());
    }
    assert_eq!(follower.store.live_count(), ROOMS);
    assert!(follower.store.missing().is_empty());
    let customers: usize = follower
        .store
        .live()
        .map(|room| room.live_participant_count)
        .sum();
    assert_eq!(customers, ROOMS);
}

/// Seconds until the store first holds a room, and until it is live.
async fn first_rows(
    emu: &bridgetop::emulator::launch::RunningEmulator,
    show_first_pages: bool,
) -> (f64, f64) {
    let (tx, mut events) = mpsc::channel(8192);
    let options = SyncOptions {
        resync_every: None,
        show_first_pages,
        ..SyncOptions::default()
    };
    let started = Instant::now();
    // The production budget (`request_budget` in the config).
    let source = sync::start(rest_client(emu, 8.0), None, options, tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));
    let mut first = None;
    while !follower.connection.is_reconciled() {
        let event = events.recv().await.expect("the engine runs");
        follower.apply(event, now());
        source.want(follower.wanted(Instant::now()));
        if first.is_none() && follower.store.live_count() > 0 {
            first = Some(started.elapsed().as_secs_f64());
        }
    }
    (first.unwrap_or_default(), started.elapsed().as_secs_f64())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "prints figures; takes a few minutes"]
async fn figures_empty_screen_at_the_first_sync() {
    for rooms in [1_000, 10_000] {
        let emu = floor(12, rooms, 4).await;
        let (whole_first, whole_live) = first_rows(&emu, false).await;
        let (paged_first, paged_live) = first_rows(&emu, true).await;
        println!(
            "{rooms:>6} rooms × 4: first rows after {whole_first:.1} s (live {whole_live:.1} s) \
             with the whole snapshot; after {paged_first:.2} s (live {paged_live:.1} s) \
             page by page"
        );
    }
}
