//! How many requests a snapshot costs, against the in-process emulator. The small case
//! runs always and checks the paging rules; the 1,000-room case is ignored by default and
//! prints the figures next to the naive count (one request per participant and per call):
//!
//!     cargo test --release --test client_snapshot_requests -- --ignored --nocapture

mod client_common;

use std::collections::HashSet;
use std::time::Duration;

use client_common::*;
use uuid::Uuid;

use bridgetop::client::snapshot::{self, SnapshotStats};

struct Measured {
    stats: SnapshotStats,
    requests_sent: u64,
    naive: usize,
}

/// Builds `rooms` live conferences with `legs` joined customers each, then snapshots.
async fn measure(rooms: usize, legs: usize) -> Measured {
    let emu = emulator(5, "", 50.0).await;
    let platform = emu.platform.clone();
    let customer = emu.account.customer_id;
    let mut ids = Vec::new();
    for n in 0..rooms {
        let id = platform
            .create_conference(customer, conference_spec(&format!("room {n}")))
            .unwrap()
            .id;
        ids.push(id);
    }
    let mut phone = 0u32;
    for &id in &ids {
        for _ in 0..legs {
            phone += 1;
            platform.customer_joins_conference(customer, &format!("+1555{phone:07}"), id);
        }
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let joined: usize = platform
            .list_live_conferences(customer)
            .iter()
            .map(|c| c.conferencecall_ids.len())
            .sum();
        if joined == rooms * legs {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {joined} legs joined"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let rest = rest_client(&emu, 10_000.0);
    let (data, stats) = snapshot::take(&rest, None).await.expect("snapshot");

    // The snapshot holds every room, every joined leg and its call.
    let truth = platform.truth(customer);
    let live_legs: HashSet<Uuid> = truth
        .conferences
        .iter()
        .filter(|c| c.tm_delete.is_none())
        .flat_map(|c| c.conferencecall_ids.iter().copied())
        .collect();
    assert_eq!(data.conferences.len(), rooms);
    let got_legs: HashSet<Uuid> = data.conferencecalls.iter().map(|c| c.id).collect();
    assert!(
        live_legs.is_subset(&got_legs),
        "every joined leg is in the snapshot"
    );
    let got_calls: HashSet<Uuid> = data.calls.iter().map(|c| c.id).collect();
    for cc in data
        .conferencecalls
        .iter()
        .filter(|c| live_legs.contains(&c.id))
    {
        assert!(
            got_calls.contains(&cc.reference_id),
            "every leg's call is in the snapshot"
        );
    }
    assert_eq!(data.agents.len(), truth.agents.len());

    let naive = stats.conference_pages + 2 * rooms * legs + stats.agent_pages;
    let requests_sent = rest.request_count();
    emu.shutdown().await.unwrap();
    Measured {
        stats,
        requests_sent,
        naive,
    }
}

fn report(rooms: usize, legs: usize, m: &Measured) {
    let s = &m.stats;
    eprintln!(
        "{rooms} live conferences x {legs} participants: snapshot {} requests \
         (conferences {} pages, conferencecalls {} pages + {} by id, calls {} pages + {} by id, \
         agents {} pages); naive {} requests (one per participant and per call)",
        s.requests(),
        s.conference_pages,
        s.conferencecall_pages,
        s.conferencecall_fetches,
        s.call_pages,
        s.call_fetches,
        s.agent_pages,
        m.naive
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_stops_early_and_skips_per_id_fetches() {
    let (rooms, legs) = (150, 2);
    let m = measure(rooms, legs).await;
    report(rooms, legs, &m);
    assert_eq!(m.requests_sent as usize, m.stats.requests());
    // 150 rooms: a full page and a short one, which ends the list.
    assert_eq!(m.stats.conference_pages, 2);
    // 300 legs and 300 calls: three full pages hold every one listed, so paging stops.
    assert_eq!(m.stats.conferencecall_pages, 3);
    assert_eq!(m.stats.call_pages, 3);
    assert_eq!(m.stats.conferencecall_fetches + m.stats.call_fetches, 0);
    assert!(m.stats.requests() * 10 < m.naive);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "measurement: prints the request count at 1,000 rooms x 4 participants"]
async fn request_count_at_a_thousand_rooms() {
    let (rooms, legs) = (1000, 4);
    let m = measure(rooms, legs).await;
    report(rooms, legs, &m);
}
