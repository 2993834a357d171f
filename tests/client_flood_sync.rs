//! The first sync under a flood: on a floor where frames arrive faster than the first
//! snapshot can be read at the request budget, more come during it than are held back.
//! The sync must still end (frames then go to the store as they come and the snapshot,
//! applied by version, fills in the rest), never start the snapshot over and over.

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::connection::ConnectionState;
use bridgetop::client::follow::Follower;
use bridgetop::client::link::Inbound;
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::emulator::load::{run_load, LoadConfig};
use bridgetop::store::{ConferencesState, Input, StoreConfig};

const ROOMS: usize = 300;
const LEGS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_outpaced_by_frames_still_ends_with_every_room() {
    let emu = emulator(21, "", 50.0).await;
    let customer = emu.account.customer_id;
    // 300 mute changes a second, each on two topics: 600 frames/s.
    let load = tokio::spawn(run_load(
        emu.platform.clone(),
        customer,
        LoadConfig {
            rooms: ROOMS,
            legs_per_room: LEGS,
            updates_per_second: 300,
            seed: 21,
        },
    ));
    let filled_by = Instant::now() + Duration::from_secs(120);
    while emu
        .platform
        .list_live_conferences(customer)
        .iter()
        .map(|c| c.conferencecall_ids.len())
        .sum::<usize>()
        < ROOMS * LEGS
    {
        assert!(Instant::now() < filled_by, "the floor fills");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The production budget: the snapshot takes seconds, the flood passes 200 frames in
    // well under one.
    let options = SyncOptions {
        resync_every: None,
        show_first_pages: true,
        hold_back_frames: 200,
        ..SyncOptions::default()
    };
    let (tx, mut events) = mpsc::channel(8192);
    let source = sync::start(rest_client(&emu, 8.0), None, options, tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));
    let mut frames_before_snapshot = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let event = tokio::time::timeout_at(deadline, events.recv())
            .await
            .expect("the first sync ends under the flood")
            .expect("the engine runs");
        if let Inbound::Input(input) = &event {
            match **input {
                Input::Frame(_) if !follower.store.has_snapshot() => frames_before_snapshot += 1,
                _ => {}
            }
        }
        let live = matches!(event, Inbound::Connection(ConnectionState::Live { .. }));
        follower.apply(event, now());
        source.want(follower.wanted(Instant::now()));
        if live {
            break;
        }
    }
    assert!(
        frames_before_snapshot > 200,
        "the flood outran the hold-back ({frames_before_snapshot} frames before the snapshot)"
    );
    assert_eq!(follower.store.live_count(), ROOMS);
    let legs: usize = follower
        .store
        .live()
        .map(|room| room.live_participant_count)
        .sum();
    assert_eq!(legs, ROOMS * LEGS, "every caller is in the picture");
    load.abort();
    drop(source);
}
