//! Model-level checks on a virtual clock: jobs run in delay order without tokio, so
//! sequences are deterministic and instant.

use std::collections::BTreeMap;
use std::time::Duration;

use uuid::Uuid;

use super::clock::Clock;
use super::seed::seed_demo;
use super::timings::{Job, Timings};
use super::world::World;
use super::{conference_join, ConferenceSpec};
use crate::emulator::bus::EventBus;
use crate::voipbin::{Address, AddressType, CallStatus, ConferencecallStatus};

/// Runs every pending job (and the jobs they schedule) in virtual-time order.
fn settle(world: &mut World) {
    let mut queue: BTreeMap<(Duration, u64), Job> = BTreeMap::new();
    let (mut now, mut seq) = (Duration::ZERO, 0u64);
    loop {
        for (delay, job) in world.take_pending() {
            queue.insert((now + delay, seq), job);
            seq += 1;
        }
        let Some(((at, _), job)) = queue.pop_first() else {
            return;
        };
        now = at;
        world.run_job(job);
    }
}

fn world(seed: u64) -> (World, Uuid) {
    let mut w = World::new(seed, Clock::new(1.0), Timings::default(), EventBus::new(16));
    let account = seed_demo(&mut w);
    (w, account.customer_id)
}

fn room(w: &mut World, customer: Uuid, kind: &str) -> Uuid {
    let spec = ConferenceSpec {
        kind: kind.into(),
        ..ConferenceSpec::default()
    };
    w.create_conference(customer, spec).unwrap().id
}

/// A customer call that joins `conf` and, once its flow ends, hangs up.
fn join(w: &mut World, customer: Uuid, conf: Uuid, from: &str) -> Uuid {
    w.incoming_call(
        customer,
        Address::new(AddressType::Tel, from),
        Address::new(AddressType::Tel, "+18885550100"),
        vec![conference_join(conf)],
    )
    .id
}

#[test]
fn participants_join_and_a_connect_bridge_ejects_the_last() {
    let (mut w, c) = world(3);
    let conf = room(&mut w, c, "connect");
    let a = join(&mut w, c, conf, "+15550000001");
    let b = join(&mut w, c, conf, "+15550000002");
    settle(&mut w);
    assert_eq!(w.conference(c, conf).unwrap().conferencecall_ids.len(), 2);

    w.remote_hangup(c, a).unwrap();
    settle(&mut w);
    let truth = w.truth(c);
    assert!(truth
        .conference(conf)
        .unwrap()
        .conferencecall_ids
        .is_empty());
    let cc_b = truth.conferencecall_of_call(b).unwrap();
    assert_eq!(cc_b.status, Some(ConferencecallStatus::Leaved));
    // Ejected, then the flow ran out and the flow manager hung up.
    assert_eq!(truth.call(b).unwrap().status, Some(CallStatus::Hangup));
}

#[test]
fn deleting_with_participants_ends_terminated() {
    let (mut w, c) = world(4);
    let conf = room(&mut w, c, "conference");
    join(&mut w, c, conf, "+15550000001");
    join(&mut w, c, conf, "+15550000002");
    settle(&mut w);
    let deleted = w.delete_conference(c, conf).unwrap();
    assert!(deleted.tm_delete.is_some());
    settle(&mut w);
    let after = w.conference(c, conf).unwrap();
    assert_eq!(after.status.unwrap().as_str(), "terminated");
    assert!(after.tm_end.is_some());
}

#[test]
fn the_same_seed_replays_the_same_ids() {
    let run = |seed| {
        let (mut w, c) = world(seed);
        let conf = room(&mut w, c, "conference");
        let call = join(&mut w, c, conf, "+15550000001");
        settle(&mut w);
        let cc = w.truth(c).conferencecall_of_call(call).unwrap().id;
        (conf, call, cc)
    };
    assert_eq!(run(9), run(9));
    assert_ne!(run(9), run(10));
}
