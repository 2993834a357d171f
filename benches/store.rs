//! Store throughput: WebSocket frames applied per second with many live conferences, and
//! the cost of one apply at 100 versus 10,000 conferences (it should not depend on it).
//!
//! Frames are fresh text (new `tm_update`) so neither dedupe nor the version check
//! short-circuits them; building the text is kept out of the measured time.

use std::time::{Duration, Instant};

use bridgetop::store::{ConferencesState, Input, Snapshot, StoreConfig};
use bridgetop::voipbin::{
    time, Address, AddressType, Agent, Call, CallDirection, CallStatus, Conference,
    ConferenceStatus, ConferenceType, Conferencecall, ConferencecallStatus, MuteDirection,
    OwnerType, Permission, ReferenceType, Timestamp,
};
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use uuid::Uuid;

const LEGS: usize = 3;
const AGENTS: usize = 50;

fn base() -> Timestamp {
    time::parse("2026-08-21T14:00:00Z").unwrap().unwrap()
}

fn uuid(kind: u128, n: usize, leg: usize) -> Uuid {
    Uuid::from_u128((kind << 96) | ((n as u128) << 8) | leg as u128)
}

fn call(room: usize, leg: usize, update: Option<Timestamp>, muted: bool) -> Call {
    let owner = (leg > 0).then(|| uuid(4, (room + leg) % AGENTS, 0));
    Call {
        id: uuid(3, room, leg),
        owner_type: owner.map(|_| OwnerType::Agent),
        owner_id: owner.unwrap_or_default(),
        source: Address::new(AddressType::Tel, format!("+1415{room:07}")),
        destination: Address::new(AddressType::Tel, "+14155550199"),
        direction: Some(CallDirection::Incoming),
        status: Some(CallStatus::Progressing),
        mute_direction: muted.then_some(MuteDirection::Both),
        tm_create: Some(base()),
        tm_update: update,
        ..Call::default()
    }
}

fn conference(room: usize, legs: usize, update: Timestamp) -> Conference {
    Conference {
        id: uuid(1, room, 0),
        kind: Some(ConferenceType::Conference),
        status: Some(ConferenceStatus::Progressing),
        name: format!("room {room}"),
        conferencecall_ids: (0..legs).map(|leg| uuid(2, room, leg)).collect(),
        direct_hash: "direct.4f9a1c2b7d3e".into(),
        tm_create: Some(base()),
        tm_update: Some(update),
        ..Conference::default()
    }
}

/// A store with `rooms` live conferences of three resolved legs each.
fn loaded(rooms: usize) -> ConferencesState {
    let mut snapshot = Snapshot::default();
    for a in 0..AGENTS {
        snapshot.agents.push(Agent {
            id: uuid(4, a, 0),
            name: format!("Agent {a}"),
            permission: Permission(16),
            tm_create: Some(base()),
            ..Agent::default()
        });
    }
    for room in 0..rooms {
        snapshot.conferences.push(conference(room, LEGS, base()));
        for leg in 0..LEGS {
            snapshot.conferencecalls.push(Conferencecall {
                id: uuid(2, room, leg),
                conference_id: uuid(1, room, 0),
                reference_type: Some(ReferenceType::Call),
                reference_id: uuid(3, room, leg),
                status: Some(ConferencecallStatus::Joined),
                tm_create: Some(base()),
                ..Conferencecall::default()
            });
            snapshot.calls.push(call(room, leg, None, false));
        }
    }
    let mut state = ConferencesState::new(StoreConfig::default());
    state.apply(Input::Snapshot(snapshot), base());
    assert_eq!(state.live_count(), rooms);
    assert!(state.missing().is_empty());
    state
}

/// The n-th fresh frame: a mute toggle on some leg, or a leg leaving and rejoining.
fn nth_frame(rooms: usize, n: u64, conference_frames: bool) -> String {
    let room = (n as usize * 7919) % rooms;
    let at = base() + TimeDelta::microseconds(n as i64 + 1);
    if conference_frames {
        let legs = if n.is_multiple_of(2) { LEGS - 1 } else { LEGS };
        serde_json::to_string(&conference(room, legs, at)).unwrap()
    } else {
        serde_json::to_string(&call(
            room,
            (n % LEGS as u64) as usize,
            Some(at),
            n.is_multiple_of(2),
        ))
        .unwrap()
    }
}

/// Applies `iters` fresh frames, timing only `apply`.
fn run(
    state: &mut ConferencesState,
    rooms: usize,
    iters: u64,
    counter: &mut u64,
    conf: bool,
) -> Duration {
    let mut spent = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let chunk = left.min(1024);
        let frames: Vec<(String, Timestamp)> = (0..chunk)
            .map(|_| {
                *counter += 1;
                let now = base() + TimeDelta::milliseconds(*counter as i64);
                (nth_frame(rooms, *counter, conf), now)
            })
            .collect();
        let start = Instant::now();
        for (text, now) in frames {
            std::hint::black_box(state.apply(Input::Frame(text), now));
        }
        spent += start.elapsed();
        left -= chunk;
    }
    spent
}

fn apply_frames(c: &mut Criterion) {
    for (name, conf) in [("call_frame", false), ("conference_frame", true)] {
        let mut group = c.benchmark_group(format!("apply_{name}"));
        group.throughput(Throughput::Elements(1));
        // (conferences loaded, conferences the frames touch): the last case separates the
        // cost of a larger working set (cache misses) from any cost of the count itself.
        for (rooms, touched) in [(100usize, 100usize), (10_000, 10_000), (10_000, 100)] {
            let mut state = loaded(rooms);
            let mut counter = 0u64;
            let id = BenchmarkId::from_parameter(format!("{rooms}_touching_{touched}"));
            group.bench_function(id, |b| {
                b.iter_custom(|iters| run(&mut state, touched, iters, &mut counter, conf));
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(20);
    targets = apply_frames
}
criterion_main!(benches);
