//! The JSON document, snapshots, retention, dedupe and the hold-ledger file.

mod store_support;

use bridgetop::store::ledger_file::{self, LedgerFileError};
use bridgetop::store::{Change, HoldLedger, Input, Snapshot, StoreConfig};
use bridgetop::voipbin::{decode_text, Conference, Resource};
use chrono::TimeDelta;
use serde_json::{json, Value};
use store_support::*;

fn conference_of(value: &Value) -> Conference {
    match decode_text(&value.to_string()).unwrap().resource {
        Resource::Conference(c) => c,
        other => panic!("not a conference: {other:?}"),
    }
}

#[test]
fn the_document_has_the_documented_shape() {
    let mut s = state();
    let t = at("2026-08-21T14:00:30Z");
    s.apply(frame(&fixture("conference_updated")), t);
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(frame(&customer_call_progressing()), t);
    // A minute after the customer joined, still without an agent.
    let now = at("2026-08-21T14:01:10Z");
    let doc = s.to_json(now);
    let expected = json!({
        "generated_at": "2026-08-21T14:01:10Z",
        "conferences": [{
            "id": CONFERENCE,
            "name": "Escalation bridge",
            "type": "conference",
            "status": "progressing",
            "tm_create": "2026-08-21T14:00:03.20417Z",
            "live_participant_count": 2,
            "live_worker_count": 0,
            "live_workers": [],
            "participants": [
                {
                    "conferencecall_id": CUSTOMER_LEG,
                    "call_id": CUSTOMER_CALL,
                    "participant_type": "customer",
                    "status": "joined",
                    "connecting": false,
                    "on_hold": false,
                    "hold_since": null,
                    "hold_unconfirmed": false,
                    "muted": false,
                    "mute_direction": null,
                    "is_myself": false,
                    "agent_id": null,
                    "agent_name": null,
                    "address": "+14155550123",
                    "joined_at": "2026-08-21T14:00:07.330512Z",
                    "left_at": null
                },
                {
                    "conferencecall_id": ALICE_LEG,
                    "call_id": null,
                    "participant_type": "unknown",
                    "status": "joined",
                    "connecting": false,
                    "on_hold": false,
                    "hold_since": null,
                    "hold_unconfirmed": false,
                    "muted": false,
                    "mute_direction": null,
                    "is_myself": false,
                    "agent_id": null,
                    "agent_name": null,
                    "address": null,
                    "joined_at": "2026-08-21T14:00:28.611734Z",
                    "left_at": null
                }
            ],
            "alerts": [{
                "kind": "waiting_for_agent",
                "severity": "warning",
                "since": "2026-08-21T14:00:07.330512Z",
                "conferencecall_id": CUSTOMER_LEG
            }]
        }],
        "ended": []
    });
    assert_eq!(doc, expected);
    // It reads back into the typed document.
    let typed: bridgetop::store::StateDocument = serde_json::from_value(doc).unwrap();
    assert_eq!(typed, s.to_document(now));
}

#[test]
fn change_records_have_a_stable_shape() {
    let mut s = state();
    let t = at("2026-08-21T14:00:30Z");
    let c = s.apply(
        frame(&conference_listing(&[CUSTOMER_LEG], "2026-08-21T14:00:08Z")),
        t,
    );
    let records: Vec<Value> = c.iter().map(|r| serde_json::to_value(r).unwrap()).collect();
    assert_eq!(records[0]["change"], "conference_added");
    assert_eq!(records[0]["conference"]["id"], CONFERENCE);
    assert_eq!(records[0]["conference"]["live_participant_count"], 1);
    assert!(records[0]["conference"].get("participants").is_none());
    assert_eq!(records[1]["change"], "participant_joined");
    assert_eq!(records[1]["conference_id"], CONFERENCE);
    assert_eq!(records[1]["participant"]["participant_type"], "unknown");
    let back: Change = serde_json::from_value(records[1].clone()).unwrap();
    assert_eq!(back, c.records[1]);

    let c = s.apply(Input::Frame("{\"nope\":1}".into()), t);
    let record = serde_json::to_value(&c.records[0]).unwrap();
    assert_eq!(record["change"], "frame_rejected");
    assert!(record["error"].as_str().unwrap().contains("no id"));
}

#[test]
fn byte_identical_frames_are_applied_once() {
    let mut s = state();
    let t = at("2026-08-21T14:00:30Z");
    let text = serde_json::to_string(&fixture("conference_updated")).unwrap();
    assert!(!s.apply(Input::Frame(text.clone()), t).is_empty());
    for _ in 0..3 {
        assert!(s.apply(Input::Frame(text.clone()), t).is_empty());
    }
    assert_eq!(s.stats().frames, 4);
    assert_eq!(s.stats().duplicate_frames, 3);
    // Past the window the frame is seen again but is no newer: still no change.
    assert!(s
        .apply(Input::Frame(text), t + TimeDelta::seconds(11))
        .is_empty());
    assert_eq!(s.stats().duplicate_frames, 3);
    assert_eq!(s.stats().stale_snapshots, 1);
}

#[test]
fn snapshot_loads_everything_and_asks_after_rooms_it_no_longer_lists() {
    let mut s = state();
    let t = at("2026-08-21T14:01:00Z");
    let snapshot = Snapshot {
        conferences: vec![conference_of(&fixture("conference_updated"))],
        conferencecalls: vec![],
        calls: vec![],
        agents: vec![],
        skipped_records: 2,
    };
    let c = s.apply(Input::Snapshot(snapshot), t);
    assert_eq!(c.records.len(), 3, "one conference, two legs");
    assert_eq!(
        s.stats().skipped_records,
        2,
        "what the snapshot left out is counted"
    );
    assert_eq!(s.missing().conferencecalls.len(), 2);
    // A resync that no longer lists it: it ended while we were away; fetch it by id.
    s.apply(Input::Snapshot(Snapshot::default()), t);
    assert_eq!(
        s.stats().skipped_records,
        0,
        "the last snapshot's count holds"
    );
    assert_eq!(s.missing().conferences, vec![id(CONFERENCE)]);
    s.apply(Input::Fetched(resource(&fixture("conference_deleted"))), t);
    assert!(s.missing().conferences.is_empty());
    assert_eq!(s.live_count(), 0);
}

#[test]
fn ended_conferences_are_kept_for_a_while_then_forgotten_for_good() {
    let config = StoreConfig::default();
    let retention = config.ended_retention;
    let mut s = bridgetop::store::ConferencesState::new(config);
    let t = at("2026-08-21T14:10:00.2Z");
    s.apply(frame(&fixture("conference_updated")), t);
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(frame(&fixture("conference_deleted_terminated")), t);
    assert_eq!(s.ended().len(), 1);
    let c = s.apply(Input::Tick, t + retention - TimeDelta::seconds(1));
    assert!(c
        .iter()
        .all(|r| !matches!(r, Change::ConferenceRemoved { .. })));
    assert_eq!(s.ended().len(), 1);
    let c = s.apply(Input::Tick, t + retention);
    assert_eq!(
        serde_json::to_value(&c.records[0]).unwrap()["change"],
        "conference_removed"
    );
    assert!(s.ended().is_empty());
    assert!(s.conference(id(CONFERENCE)).is_none());
    assert_eq!(s.footprint().conferencecalls, 0);
    // A late, older frame does not bring it back.
    let late = t + retention + TimeDelta::seconds(1);
    assert!(s
        .apply(frame(&fixture("conference_created")), late)
        .is_empty());
    assert_eq!(s.live_count(), 0);
}

#[test]
fn calls_outside_any_conference_do_not_pile_up() {
    let mut s = state();
    let t = at("2026-08-21T14:00:00Z");
    s.apply(frame(&fixture("call_ringing")), t);
    s.apply(frame(&fixture("call_canceling")), t);
    assert_eq!(s.footprint().calls, 2);
    s.apply(Input::Tick, t + TimeDelta::minutes(3));
    assert_eq!(s.footprint().calls, 0);
    assert_eq!(s.footprint().remembered_frames, 0);
}

#[test]
fn ledger_file_round_trips_and_tolerates_missing_and_corrupt_files() {
    let dir = std::env::temp_dir().join(format!("bridgetop-ledger-{}", std::process::id()));
    let path = ledger_file::ledger_path(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(ledger_file::load(&path).unwrap(), HoldLedger::new());

    let mut ledger = HoldLedger::new();
    ledger.hold(
        id(CUSTOMER_CALL),
        Some(id(CUSTOMER_LEG)),
        at("2026-08-21T14:00:50.25Z"),
    );
    ledger_file::save(&path, &ledger).unwrap();
    assert_eq!(ledger_file::load(&path).unwrap(), ledger);
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");

    std::fs::write(&path, "{ not json").unwrap();
    let err = ledger_file::load(&path).unwrap_err();
    assert!(matches!(err, LedgerFileError::Corrupt { .. }));
    assert!(err.to_string().contains("corrupt"));
    ledger_file::save(&path, &ledger).unwrap();
    assert_eq!(ledger_file::load(&path).unwrap(), ledger);
    std::fs::remove_dir_all(&dir).unwrap();
}
