//! Shared helpers for the store tests: fixtures as wire frames, and small edits of them.
#![allow(dead_code)]

use std::path::PathBuf;

use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::voipbin::{time, Timestamp};
use serde_json::Value;
use uuid::Uuid;

pub(crate) const CONFERENCE: &str = "0d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f";
/// The customer's leg and call (incoming PSTN, no owner).
pub(crate) const CUSTOMER_LEG: &str = "c4bfa091-3c4d-4e5f-8071-829304152637";
pub(crate) const CUSTOMER_CALL: &str = "4c1d2e3f-5a6b-4c7d-8e9f-0a1b2c3d4e5f";
/// Alice's answered leg and call.
pub(crate) const ALICE_LEG: &str = "d5c0b1a2-4d5e-4f60-9182-930415263748";
pub(crate) const ALICE_CALL: &str = "5d2e3f4a-6b7c-4d8e-9f0a-1b2c3d4e5f60";
pub(crate) const ALICE: &str = "1f9e8d7c-6b5a-4c3d-9e2f-0a1b2c3d4e51";
pub(crate) const BOB: &str = "2a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62";

pub(crate) fn id(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap()
}

pub(crate) fn at(text: &str) -> Timestamp {
    time::parse(text).unwrap().unwrap()
}

/// The `data` member of a fixture: the exact current WebSocket frame, as a value.
pub(crate) fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/voipbin")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let file: Value = serde_json::from_str(&text).unwrap();
    file["data"].clone()
}

/// A fixture with some keys replaced (for states the fixtures do not capture).
pub(crate) fn edited(name: &str, edits: &[(&str, Value)]) -> Value {
    let mut value = fixture(name);
    for (key, new) in edits {
        value[*key] = new.clone();
    }
    value
}

/// A value as the compact text frame the server sends.
pub(crate) fn frame(value: &Value) -> Input {
    Input::Frame(serde_json::to_string(value).unwrap())
}

/// The conference listing `legs` at version `tm_update`.
pub(crate) fn conference_listing(legs: &[&str], tm_update: &str) -> Value {
    let mut value = fixture("conference_updated");
    value["conferencecall_ids"] = serde_json::json!(legs);
    value["tm_update"] = Value::from(tm_update);
    if legs.is_empty() {
        value.as_object_mut().unwrap().remove("conferencecall_ids");
    }
    value
}

/// The customer's leg, joined.
pub(crate) fn customer_leg_joined() -> Value {
    edited(
        "conferencecall_leaving",
        &[
            ("status", Value::from("joined")),
            ("tm_update", Value::from("2026-08-21T14:00:08.1Z")),
        ],
    )
}

/// The customer's call, answered and in the bridge.
pub(crate) fn customer_call_progressing() -> Value {
    edited(
        "call_updated_customer_leg",
        &[("tm_update", Value::from("2026-08-21T14:00:07.9Z"))],
    )
}

pub(crate) fn state() -> ConferencesState {
    ConferencesState::new(StoreConfig::default())
}

pub(crate) fn resource(value: &Value) -> bridgetop::voipbin::Resource {
    bridgetop::voipbin::decode_text(&serde_json::to_string(value).unwrap())
        .unwrap()
        .resource
}
