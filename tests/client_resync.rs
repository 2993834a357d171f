//! The periodic resync runs behind a live view: frames keep being applied while it runs,
//! and it is spread over half the request budget. The ignored test prints the figures at
//! 1,000 rooms × 4 with traffic on the platform, at the production budget:
//!
//!     cargo test --release --test client_resync -- --ignored --nocapture

mod client_common;

use std::time::{Duration, Instant};

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::connection::ConnectionState;
use bridgetop::client::follow::Follower;
use bridgetop::client::link::Inbound;
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::store::{ConferencesState, Input, StoreConfig};

/// Longest time between two frames applied, split by whether a resync was under way.
#[derive(Default)]
struct Gaps {
    during: Duration,
    outside: Duration,
    frames_during: usize,
    resyncs: Vec<Duration>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "prints figures; takes a few minutes"]
async fn figures_live_view_during_a_resync() {
    let emu = floor(13, 1_000, 4).await;
    let (tx, mut events) = mpsc::channel(8192);
    let options = SyncOptions {
        resync_every: Some(Duration::from_secs(5)),
        ..SyncOptions::default()
    };
    let source = sync::start(rest_client(&emu, 8.0), None, options, tx);
    let mut follower = Follower::new(ConferencesState::new(StoreConfig::default()));
    while !follower.connection.is_reconciled() {
        let event = events.recv().await.expect("the engine runs");
        follower.apply(event, now());
    }

    // Traffic from other users: mutes, joins, hang-ups, new rooms, twenty a second.
    let platform = emu.platform.clone();
    let mut traffic = Traffic::new(&emu, 5);
    let traffic_task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(50));
        loop {
            tick.tick().await;
            traffic.step(&platform);
        }
    });

    let mut gaps = Gaps::default();
    let mut last_frame = Instant::now();
    let mut resync_started: Option<Instant> = None;
    let until = Instant::now() + Duration::from_secs(90);
    while Instant::now() < until {
        let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(1), events.recv()).await
        else {
            continue;
        };
        match &event {
            Inbound::Input(input) if matches!(**input, Input::Frame(_)) => {
                let gap = last_frame.elapsed();
                last_frame = Instant::now();
                if resync_started.is_some() {
                    gaps.during = gaps.during.max(gap);
                    gaps.frames_during += 1;
                } else {
                    gaps.outside = gaps.outside.max(gap);
                }
            }
            Inbound::Connection(ConnectionState::Live { resyncing, .. }) => {
                match (resyncing, resync_started) {
                    (true, None) => resync_started = Some(Instant::now()),
                    (false, Some(started)) => {
                        gaps.resyncs.push(started.elapsed());
                        resync_started = None;
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        follower.apply(event, now());
        source.want(follower.wanted(Instant::now()));
    }
    traffic_task.abort();

    let resyncs = gaps.resyncs.len().max(1) as u32;
    let average = gaps.resyncs.iter().sum::<Duration>() / resyncs;
    println!(
        "1000 rooms × 4, traffic 20 ops/s: {} resyncs of {:.1} s on average; longest gap \
         between frames applied {:.2} s during a resync ({} frames applied during them), \
         {:.2} s outside",
        gaps.resyncs.len(),
        average.as_secs_f64(),
        gaps.during.as_secs_f64(),
        gaps.frames_during,
        gaps.outside.as_secs_f64()
    );
    assert!(!gaps.resyncs.is_empty(), "a resync ran");
    assert!(
        gaps.frames_during > 0,
        "frames were applied during the resyncs"
    );
}
