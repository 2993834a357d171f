//! A busy floor for the store and ingest benches, built from the platform's own frame
//! shapes (the fixtures in `tests/fixtures/voipbin`): rooms of one agent leg and three
//! callers, and fresh frames against them — a call's mute toggled, a leg leaving or coming
//! back — each with a newer `tm_update`, so neither dedupe nor the version check skips one.
#![allow(dead_code)]

use bridgetop::store::{ConferencesState, Input, Snapshot, StoreConfig};
use bridgetop::voipbin::{time, Timestamp};
use chrono::TimeDelta;
use serde_json::{json, Value};
use uuid::Uuid;

pub(crate) const LEGS: usize = 4;
pub(crate) const AGENTS: usize = 200;

pub(crate) fn base() -> Timestamp {
    time::parse("2026-08-21T14:00:00Z").unwrap().unwrap()
}

fn uuid(kind: u128, n: usize, leg: usize) -> Uuid {
    Uuid::from_u128((kind << 96) | ((n as u128) << 8) | leg as u128)
}

fn stamp(at: Timestamp) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/voipbin/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn decode<T: serde::de::DeserializeOwned>(frame: Value) -> T {
    serde_json::from_value(frame["data"].clone()).unwrap()
}

/// Frame templates, read once.
pub(crate) struct Templates {
    call: Value,
    conference: Value,
    conferencecall: Value,
    agent: Value,
}

impl Default for Templates {
    fn default() -> Self {
        Templates {
            call: fixture("call_updated.json"),
            conference: fixture("conference_updated.json"),
            conferencecall: fixture("conferencecall_joined.json"),
            agent: fixture("agent_updated.json"),
        }
    }
}

impl Templates {
    /// Leg 0 is an agent's outgoing call, the others are callers.
    pub(crate) fn call(&self, room: usize, leg: usize, at: Timestamp, muted: bool) -> Value {
        let mut frame = self.call.clone();
        let data = &mut frame["data"];
        data["id"] = json!(uuid(3, room, leg));
        if leg == 0 {
            data["owner_id"] = json!(uuid(4, room % AGENTS, 0));
        } else {
            data["owner_type"] = json!("");
            data["owner_id"] = json!(Uuid::nil());
            data["direction"] = json!("incoming");
            data["source"]["target"] = json!(format!("+1415{room:05}{leg:02}"));
        }
        data["mute_direction"] = json!(if muted { "both" } else { "" });
        data["tm_create"] = json!(stamp(base()));
        data["tm_update"] = json!(stamp(at));
        frame
    }

    pub(crate) fn conference(&self, room: usize, legs: usize, at: Timestamp) -> Value {
        let mut frame = self.conference.clone();
        let data = &mut frame["data"];
        data["id"] = json!(uuid(1, room, 0));
        data["name"] = json!(format!("Room {room:05}"));
        data["recording_id"] = json!(Uuid::nil());
        data["recording_ids"] = json!([]);
        let ids: Vec<Uuid> = (0..legs).map(|leg| uuid(2, room, leg)).collect();
        data["conferencecall_ids"] = json!(ids);
        data["tm_create"] = json!(stamp(base()));
        data["tm_update"] = json!(stamp(at));
        frame
    }

    pub(crate) fn conferencecall(&self, room: usize, leg: usize) -> Value {
        let mut frame = self.conferencecall.clone();
        let data = &mut frame["data"];
        data["id"] = json!(uuid(2, room, leg));
        data["conference_id"] = json!(uuid(1, room, 0));
        data["reference_id"] = json!(uuid(3, room, leg));
        data["tm_create"] = json!(stamp(base()));
        data["tm_update"] = json!(stamp(base()));
        frame
    }

    pub(crate) fn agent(&self, n: usize) -> Value {
        let mut frame = self.agent.clone();
        let data = &mut frame["data"];
        data["id"] = json!(uuid(4, n, 0));
        data["name"] = json!(format!("Agent {n:03}"));
        data["permission"] = json!(16);
        frame
    }

    /// The floor as one REST snapshot: `rooms` live rooms of `LEGS` joined legs each.
    pub(crate) fn snapshot(&self, rooms: usize) -> Snapshot {
        let mut snapshot = Snapshot {
            agents: (0..AGENTS).map(|n| decode(self.agent(n))).collect(),
            ..Snapshot::default()
        };
        for room in 0..rooms {
            snapshot
                .conferences
                .push(decode(self.conference(room, LEGS, base())));
            for leg in 0..LEGS {
                snapshot
                    .conferencecalls
                    .push(decode(self.conferencecall(room, leg)));
                snapshot
                    .calls
                    .push(decode(self.call(room, leg, base(), false)));
            }
        }
        snapshot
    }

    /// A store holding the floor, every leg resolved.
    /// A console's store (no change records) holding `rooms` rooms.
    pub(crate) fn loaded(&self, rooms: usize) -> ConferencesState {
        self.loaded_with(
            rooms,
            ConferencesState::new(StoreConfig::default()).without_change_records(),
        )
    }

    /// `watch`'s store (every change described as a record) holding `rooms` rooms.
    pub(crate) fn loaded_for_watch(&self, rooms: usize) -> ConferencesState {
        self.loaded_with(rooms, ConferencesState::new(StoreConfig::default()))
    }

    fn loaded_with(&self, rooms: usize, mut state: ConferencesState) -> ConferencesState {
        state.apply(Input::Snapshot(self.snapshot(rooms)), base());
        assert_eq!(state.live_count(), rooms);
        assert!(state.missing().is_empty(), "every leg is resolved");
        state
    }

    /// The n-th fresh frame over `rooms` rooms: mostly a call's mute toggled, every fourth
    /// a conference whose last leg left (or came back).
    pub(crate) fn nth_frame(&self, rooms: usize, n: u64) -> String {
        if n.is_multiple_of(4) {
            self.conference_frame(rooms, n)
        } else {
            self.call_frame(rooms, n)
        }
    }

    /// A fresh frame of the n-th room's conference, its last leg gone every other time.
    pub(crate) fn conference_frame(&self, rooms: usize, n: u64) -> String {
        let legs = if (n / 4).is_multiple_of(2) {
            LEGS - 1
        } else {
            LEGS
        };
        let frame = self.conference(room_of(rooms, n), legs, stamp_of(n));
        serde_json::to_string(&frame).unwrap()
    }

    /// A fresh frame of one of the n-th room's calls, muted every other time.
    pub(crate) fn call_frame(&self, rooms: usize, n: u64) -> String {
        let leg = (n / 4) as usize % LEGS;
        let frame = self.call(
            room_of(rooms, n),
            leg,
            stamp_of(n),
            (n / 2).is_multiple_of(2),
        );
        serde_json::to_string(&frame).unwrap()
    }
}

impl Templates {
    /// Frames in which `legs` callers join `room` one after another, each leaving as the
    /// next arrives: a team room that has been open for days.
    pub(crate) fn churn(&self, room: usize, legs: usize) -> Vec<String> {
        let mut frames = Vec::new();
        for k in 0..legs {
            let at = base() + TimeDelta::milliseconds(k as i64 + 1);
            let mut leg = self.conferencecall(room, 0);
            leg["data"]["id"] = json!(uuid(5, k, 0));
            leg["data"]["reference_id"] = json!(uuid(6, k, 0));
            let mut call = self.call(room, 1, at, false);
            call["data"]["id"] = json!(uuid(6, k, 0));
            let mut listing = self.conference(room, 0, at);
            listing["data"]["conferencecall_ids"] = json!([uuid(5, k, 0)]);
            for frame in [call, leg, listing] {
                frames.push(serde_json::to_string(&frame).unwrap());
            }
        }
        frames
    }

    /// A fresh frame of the call of the last caller `churn` brought into `room`, newer
    /// than anything `churn` sent (it stamps one leg a millisecond).
    pub(crate) fn churned_call_frame(&self, room: usize, legs: usize, n: u64) -> String {
        let at =
            base() + TimeDelta::milliseconds(legs as i64 + 1) + TimeDelta::microseconds(n as i64);
        let mut call = self.call(room, 1, at, n.is_multiple_of(2));
        call["data"]["id"] = json!(uuid(6, legs - 1, 0));
        serde_json::to_string(&call).unwrap()
    }
}

/// Rooms in a scattered order, so consecutive frames touch different rooms.
fn room_of(rooms: usize, n: u64) -> usize {
    (n as usize * 7919) % rooms
}

fn stamp_of(n: u64) -> Timestamp {
    base() + TimeDelta::microseconds(n as i64 + 1)
}
