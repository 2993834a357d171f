//! A long-lived room stays cheap: a team room that sees hundreds of callers come and go
//! keeps only its most recent left legs (and their resources), so its recompute does not
//! grow for as long as it is open; a late, stale snapshot does not bring a forgotten leg
//! back.

mod store_support;

use bridgetop::store::{Input, ParticipantStatus, KEPT_LEFT_LEGS};
use chrono::TimeDelta;
use serde_json::{json, Value};
use store_support::*;
use uuid::Uuid;

fn leg_id(n: usize) -> Uuid {
    Uuid::from_u128(0x1E6 << 64 | n as u128)
}

fn call_id(n: usize) -> Uuid {
    Uuid::from_u128(0xCA11 << 64 | n as u128)
}

fn stamp(n: usize) -> String {
    let t = at("2026-08-21T14:00:00Z") + TimeDelta::seconds(n as i64);
    bridgetop::voipbin::time::format(&t)
}

/// The room listing exactly caller `n` (version `n`).
fn listing(n: usize) -> Value {
    let mut room = conference_listing(&[], &stamp(n));
    room["conferencecall_ids"] = json!([leg_id(n)]);
    room
}

fn leg(n: usize) -> Value {
    let mut leg = customer_leg_joined();
    leg["id"] = json!(leg_id(n));
    leg["reference_id"] = json!(call_id(n));
    leg["tm_create"] = json!(stamp(n));
    leg
}

fn call(n: usize) -> Value {
    let mut call = customer_call_progressing();
    call["id"] = json!(call_id(n));
    call
}

#[test]
fn a_room_that_saw_hundreds_of_callers_keeps_only_the_recent_ones() {
    let mut state = state();
    let now = at("2026-08-21T15:00:00Z");
    let callers = 400;
    for n in 0..callers {
        state.apply(frame(&call(n)), now);
        state.apply(frame(&leg(n)), now);
        state.apply(frame(&listing(n)), now);
    }
    let room = state.conference(id(CONFERENCE)).expect("the room");
    assert_eq!(room.participants.len(), KEPT_LEFT_LEGS + 1);
    let joined: Vec<Uuid> = room
        .participants
        .iter()
        .filter(|p| p.is_joined())
        .map(|p| p.conferencecall_id)
        .collect();
    assert_eq!(joined, [leg_id(callers - 1)]);
    // The kept ones are the most recent, each left when the next caller came.
    for n in callers - 1 - KEPT_LEFT_LEGS..callers - 1 {
        let p = room
            .participant(leg_id(n))
            .expect("a recent caller is kept");
        assert_eq!(p.status, ParticipantStatus::Left);
        assert_eq!(p.left_at, Some(at(&stamp(n + 1))));
    }
    assert!(room.participant(leg_id(0)).is_none());
    // Their legs and calls went with them.
    let held = state.footprint();
    assert_eq!(held.conferencecalls, KEPT_LEFT_LEGS + 1);
    assert_eq!(held.calls, KEPT_LEFT_LEGS + 1);
    assert_eq!(held.leg_links, KEPT_LEFT_LEGS + 1);

    // A stale snapshot from before the cut does not bring a forgotten caller back.
    state.apply(frame(&listing(3)), now);
    state.apply(Input::Tick, now);
    let room = state.conference(id(CONFERENCE)).unwrap();
    assert!(room.participant(leg_id(3)).is_none());
    assert_eq!(room.participants.len(), KEPT_LEFT_LEGS + 1);
    assert!(room.participant(leg_id(callers - 1)).unwrap().is_joined());
    assert_eq!(state.footprint().leg_links, KEPT_LEFT_LEGS + 1);
    // Nor does one that lists it among today's legs: the room remembers whom it forgot.
    let mut late = listing(callers - 1);
    late["conferencecall_ids"] = json!([leg_id(callers - 1), leg_id(3)]);
    late["tm_update"] = json!(stamp(callers - 1));
    state.apply(frame(&late), now);
    let room = state.conference(id(CONFERENCE)).unwrap();
    assert!(room.participant(leg_id(3)).is_none());
}
