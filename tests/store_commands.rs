//! Commands, the hold ledger and the hold alerts; supervisors and the console's own legs.

mod store_support;

use bridgetop::command::Command;
use bridgetop::store::{
    AlertKind, Change, CommandFailure, CommandId, ConferencesState, HoldLedger, Input,
    ParticipantType, Severity, StoreConfig,
};
use bridgetop::voipbin::{MuteDirection, Timestamp};
use chrono::TimeDelta;
use serde_json::json;
use store_support::*;

/// The conference with the customer and Alice joined and resolved.
fn room(config: StoreConfig) -> (ConferencesState, Timestamp) {
    let mut s = ConferencesState::new(config);
    let t = at("2026-08-21T14:01:00Z");
    for value in [
        fixture("conference_updated"),
        customer_call_progressing(),
        fixture("call_progressing"),
        fixture("agent_status_updated"),
    ] {
        s.apply(frame(&value), t);
    }
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joined"))),
        t,
    );
    assert!(s.missing().is_empty());
    (s, t)
}

fn issue(s: &mut ConferencesState, n: u64, command: Command, now: Timestamp) {
    s.apply(
        Input::CommandIssued {
            id: CommandId(n),
            command,
        },
        now,
    );
}

fn failure(reason: &str, message: &str, request_id: Option<&str>) -> CommandFailure {
    CommandFailure {
        reason: reason.into(),
        message: message.into(),
        request_id: request_id.map(str::to_string),
        status: Some(400),
    }
}

fn customer(s: &ConferencesState) -> bridgetop::store::Participant {
    let v = s.conference(id(CONFERENCE)).unwrap();
    v.participant(id(CUSTOMER_LEG)).unwrap().clone()
}

fn alerts(s: &ConferencesState) -> Vec<(AlertKind, Severity)> {
    let v = s.conference(id(CONFERENCE)).unwrap();
    v.alerts.iter().map(|a| (a.kind, a.severity)).collect()
}

#[test]
fn hold_enters_the_ledger_on_confirm_and_drives_the_hold_alerts() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(CUSTOMER_CALL);
    issue(&mut s, 1, Command::Hold { call_id }, t);
    assert!(customer(&s).pending.is_some());
    assert!(!customer(&s).on_hold, "no optimistic hold");

    let held_at = t + TimeDelta::seconds(1);
    let c = s.apply(Input::CommandConfirmed { id: CommandId(1) }, held_at);
    assert!(c.ledger_changed);
    let p = customer(&s);
    assert!(p.on_hold && p.pending.is_none());
    assert_eq!(p.hold_since, Some(held_at));
    let entry = s.ledger().get(id(CUSTOMER_CALL)).unwrap();
    assert_eq!(entry.conferencecall_id, Some(id(CUSTOMER_LEG)));

    s.apply(Input::Tick, held_at + TimeDelta::seconds(59));
    assert!(alerts(&s).is_empty());
    s.apply(Input::Tick, held_at + TimeDelta::seconds(60));
    assert_eq!(alerts(&s), [(AlertKind::HoldTooLong, Severity::Warning)]);
    let c = s.apply(Input::Tick, held_at + TimeDelta::seconds(180));
    assert_eq!(alerts(&s), [(AlertKind::HoldTooLong, Severity::Critical)]);
    assert!(
        matches!(&c.records[0], Change::AlertRaised { alert, .. } if alert.severity == Severity::Critical)
    );

    // Alice leaves: the held customer is stranded.
    let later = held_at + TimeDelta::seconds(200);
    s.apply(
        frame(&conference_listing(&[CUSTOMER_LEG], "2026-08-21T14:04:21Z")),
        later,
    );
    assert!(alerts(&s).contains(&(AlertKind::StrandedOnHold, Severity::Critical)));

    // Unhold clears the hold and every hold alert.
    issue(&mut s, 2, Command::Unhold { call_id }, later);
    let c = s.apply(Input::CommandConfirmed { id: CommandId(2) }, later);
    assert!(c.ledger_changed);
    assert!(s.ledger().is_empty());
    assert!(!customer(&s).on_hold);
    assert_eq!(alerts(&s), [], "customer_alone waits for its grace period");
}

#[test]
fn a_hold_older_than_the_ledger_keeps_comes_off_though_nothing_else_moved() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(CUSTOMER_CALL);
    issue(&mut s, 1, Command::Hold { call_id }, t);
    s.apply(Input::CommandConfirmed { id: CommandId(1) }, t);
    assert!(customer(&s).on_hold);
    // No frame, no command: only the ledger's own expiry changes the participant.
    let expired = t + s.config().hold_ledger_max_age + TimeDelta::seconds(1);
    let c = s.apply(Input::Tick, expired);
    assert!(c.ledger_changed && s.ledger().is_empty());
    assert!(!customer(&s).on_hold);
}

#[test]
fn hold_is_dropped_when_the_call_hangs_up_or_the_leg_leaves() {
    let (mut s, t) = room(StoreConfig::default());
    issue(
        &mut s,
        1,
        Command::Hold {
            call_id: id(ALICE_CALL),
        },
        t,
    );
    s.apply(Input::CommandConfirmed { id: CommandId(1) }, t);
    assert!(s.ledger().get(id(ALICE_CALL)).is_some());
    let c = s.apply(frame(&fixture("call_hangup")), t);
    assert!(c.ledger_changed);
    assert!(s.ledger().is_empty());

    issue(
        &mut s,
        2,
        Command::Hold {
            call_id: id(CUSTOMER_CALL),
        },
        t,
    );
    s.apply(Input::CommandConfirmed { id: CommandId(2) }, t);
    assert!(customer(&s).on_hold);
    let c = s.apply(
        frame(&conference_listing(&[ALICE_LEG], "2026-08-21T14:05:00Z")),
        t,
    );
    assert!(c.ledger_changed);
    assert!(s.ledger().is_empty());
}

#[test]
fn a_reloaded_ledger_shows_holds_made_before_a_restart() {
    let held_at = at("2026-08-21T14:00:50Z");
    let mut ledger = HoldLedger::new();
    ledger.hold(id(CUSTOMER_CALL), Some(id(CUSTOMER_LEG)), held_at);
    let mut s = ConferencesState::new(StoreConfig::default()).with_ledger(ledger);
    let t = at("2026-08-21T14:01:00Z");
    s.apply(frame(&fixture("conference_updated")), t);
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(Input::Fetched(resource(&customer_call_progressing())), t);
    let p = customer(&s);
    assert!(p.on_hold);
    assert_eq!(p.hold_since, Some(held_at));
}

#[test]
fn mute_is_confirmed_by_the_call_frame() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(ALICE_CALL);
    issue(
        &mut s,
        7,
        Command::Mute {
            call_id,
            direction: MuteDirection::Both,
        },
        t,
    );
    let alice = |s: &ConferencesState| {
        s.conference(id(CONFERENCE))
            .unwrap()
            .participant(id(ALICE_LEG))
            .unwrap()
            .clone()
    };
    assert_eq!(alice(&s).pending.as_ref().map(|p| p.id), Some(CommandId(7)));
    assert!(!alice(&s).muted);
    s.apply(frame(&fixture("call_updated")), t);
    assert!(alice(&s).muted);
    assert!(alice(&s).pending.is_none());
    // A late explicit confirmation is harmless.
    let c = s.apply(Input::CommandConfirmed { id: CommandId(7) }, t);
    assert!(c.records.is_empty());

    issue(
        &mut s,
        8,
        Command::Unmute {
            call_id,
            direction: MuteDirection::In,
        },
        t,
    );
    let out_only = edited(
        "call_updated",
        &[
            ("mute_direction", json!("out")),
            ("tm_update", json!("2026-08-21T14:03:11Z")),
        ],
    );
    s.apply(frame(&out_only), t);
    assert_eq!(alice(&s).mute_direction, Some(MuteDirection::Out));
    assert!(
        alice(&s).pending.is_none(),
        "unmuting `in` from `both` leaves `out`"
    );
}

#[test]
fn a_failed_command_clears_pending_and_keeps_the_error() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(CUSTOMER_CALL);
    issue(&mut s, 3, Command::Hold { call_id }, t);
    let c = s.apply(
        Input::CommandFailed {
            id: CommandId(3),
            failure: failure("INVALID_ARGUMENT", "channel gone", Some("req-1")),
        },
        t,
    );
    let record = serde_json::to_value(&c.records[0]).unwrap();
    assert_eq!(
        record,
        json!({"change": "command_failed", "command_id": 3, "command": "hold",
               "target": {"type": "call", "id": CUSTOMER_CALL},
               "reason": "INVALID_ARGUMENT", "message": "channel gone", "request_id": "req-1"})
    );
    let p = customer(&s);
    assert!(p.pending.is_none() && !p.on_hold);
    assert_eq!(p.last_error.as_ref().unwrap().message, "channel gone");
    assert!(s.ledger().is_empty());
    // The next command on the same target clears the old error.
    issue(&mut s, 4, Command::Hangup { call_id }, t);
    assert!(customer(&s).last_error.is_none());
}

#[test]
fn conference_commands_settle_from_conference_state() {
    let (mut s, t) = room(StoreConfig::default());
    issue(
        &mut s,
        9,
        Command::End {
            conference_id: id(CONFERENCE),
        },
        t,
    );
    assert!(s.conference(id(CONFERENCE)).unwrap().pending.is_some());
    s.apply(frame(&fixture("conference_deleted")), t);
    let v = s.conference(id(CONFERENCE)).unwrap();
    assert!(v.ended && v.pending.is_none());
}

#[test]
fn supervisors_are_not_workers_and_unknown_agents_are_fetched() {
    let (mut s, t) = room(StoreConfig::default());
    // A third leg owned by Bob, whose agent is not known yet.
    let bob_leg = "e6f7a8b9-0a1b-4c2d-8e3f-4a5b6c7d8e90";
    let bob_call = "f7a8b9c0-1b2c-4d3e-9f4a-5b6c7d8e9fa1";
    let listing = conference_listing(&[CUSTOMER_LEG, ALICE_LEG, bob_leg], "2026-08-21T14:02:00Z");
    s.apply(frame(&listing), t);
    let leg = edited(
        "conferencecall_joined",
        &[("id", json!(bob_leg)), ("reference_id", json!(bob_call))],
    );
    s.apply(Input::Fetched(resource(&leg)), t);
    assert_eq!(s.missing().calls, vec![id(bob_call)]);
    let call = edited(
        "call_progressing",
        &[("id", json!(bob_call)), ("owner_id", json!(BOB))],
    );
    s.apply(frame(&call), t);
    assert_eq!(s.missing().agents, vec![id(BOB)]);
    let v = s.conference(id(CONFERENCE)).unwrap();
    assert_eq!(
        v.participant(id(bob_leg)).unwrap().participant_type,
        ParticipantType::Worker
    );
    assert_eq!(
        v.live_worker_count, 2,
        "an unknown agent counts as a worker"
    );

    // agent_updated: Bob promoted to 80 (agent + manager) is a supervisor.
    s.apply(frame(&fixture("agent_updated")), t);
    assert!(s.missing().is_empty());
    let v = s.conference(id(CONFERENCE)).unwrap();
    let bob = v.participant(id(bob_leg)).unwrap();
    assert_eq!(bob.participant_type, ParticipantType::Supervisor);
    assert_eq!(bob.agent_name.as_deref(), Some("Bob Lee"));
    assert_eq!(v.live_worker_count, 1);
    assert_eq!(v.live_workers, vec![id(ALICE_LEG)]);
    assert_eq!(v.live_participant_count, 3);
}

#[test]
fn the_console_users_own_legs_count_once() {
    let config = StoreConfig {
        myself: Some(id(ALICE)),
        ..StoreConfig::default()
    };
    let (mut s, t) = room(config);
    let second_leg = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    let listing = conference_listing(
        &[CUSTOMER_LEG, ALICE_LEG, second_leg],
        "2026-08-21T14:02:00Z",
    );
    s.apply(frame(&listing), t);
    let leg = edited(
        "conferencecall_joined",
        &[
            ("id", json!(second_leg)),
            (
                "reference_id",
                json!("6e3f4a5b-7c8d-4e9f-8a1b-2c3d4e5f6071"),
            ),
        ],
    );
    let call = edited(
        "call_canceling",
        &[
            ("status", json!("progressing")),
            ("tm_update", json!("2026-08-21T14:00:29Z")),
        ],
    );
    s.apply(Input::Fetched(resource(&leg)), t);
    s.apply(frame(&call), t);
    let v = s.conference(id(CONFERENCE)).unwrap();
    assert!(v.participant(id(ALICE_LEG)).unwrap().is_myself);
    assert!(v.participant(id(second_leg)).unwrap().is_myself);
    assert!(!v.participant(id(CUSTOMER_LEG)).unwrap().is_myself);
    assert_eq!(v.live_participant_count, 2);
    assert_eq!(v.live_worker_count, 2);
}

#[test]
fn unknown_resources_stop_being_asked_for() {
    let mut s = state();
    let t = at("2026-08-21T14:01:00Z");
    s.apply(frame(&fixture("conference_updated")), t);
    assert_eq!(s.missing().conferencecalls.len(), 2);
    s.apply(
        Input::NotFound {
            kind: bridgetop::voipbin::ResourceKind::Conferencecall,
            id: id(ALICE_LEG),
        },
        t,
    );
    assert_eq!(s.missing().conferencecalls, vec![id(CUSTOMER_LEG)]);
    // Another conference frame does not bring the unknown leg back.
    s.apply(
        frame(&conference_listing(
            &[CUSTOMER_LEG, ALICE_LEG],
            "2026-08-21T14:02:00Z",
        )),
        t,
    );
    assert_eq!(s.missing().conferencecalls, vec![id(CUSTOMER_LEG)]);
}

#[test]
fn a_hangup_of_a_call_waits_for_the_call_not_for_an_earlier_leg() {
    // The customer's call is kicked, then joins again as a new leg.
    let (mut s, t) = room(StoreConfig::default());
    s.apply(
        frame(&conference_listing(&[ALICE_LEG], "2026-08-21T14:02:00Z")),
        t,
    );
    let rejoined = "e1e2e3e4-0000-4000-8000-000000000001";
    s.apply(
        frame(&conference_listing(
            &[ALICE_LEG, rejoined],
            "2026-08-21T14:03:00Z",
        )),
        t,
    );
    let leg = edited(
        "conferencecall_joined",
        &[
            ("id", json!(rejoined)),
            ("reference_id", json!(CUSTOMER_CALL)),
        ],
    );
    s.apply(Input::Fetched(resource(&leg)), t);

    issue(
        &mut s,
        9,
        Command::Hangup {
            call_id: id(CUSTOMER_CALL),
        },
        t,
    );
    let v = s.conference(id(CONFERENCE)).unwrap();
    let pending = v.participant(id(rejoined)).unwrap().pending.clone();
    assert_eq!(
        pending.map(|c| c.command),
        Some(Command::Hangup {
            call_id: id(CUSTOMER_CALL)
        })
    );

    // The call hanging up settles it.
    let hung = edited(
        "call_updated_customer_leg",
        &[
            ("status", json!("hangup")),
            ("tm_update", json!("2026-08-21T14:04:00Z")),
        ],
    );
    s.apply(frame(&hung), t);
    let v = s.conference(id(CONFERENCE)).unwrap();
    assert!(v.participant(id(rejoined)).unwrap().pending.is_none());
}

#[test]
fn a_live_room_the_platform_no_longer_knows_ends() {
    let mut s = state();
    let t = at("2026-08-21T14:01:00Z");
    s.apply(frame(&fixture("conference_updated")), t);
    assert_eq!(s.live_count(), 1);
    // A resync that does not list it asks for it by id...
    s.apply(Input::Snapshot(Default::default()), t);
    assert_eq!(s.missing().conferences, vec![id(CONFERENCE)]);
    // ...and a 404 takes it out of the live set.
    s.apply(
        Input::NotFound {
            kind: bridgetop::voipbin::ResourceKind::Conference,
            id: id(CONFERENCE),
        },
        t,
    );
    assert_eq!(s.live_count(), 0);
    assert!(s.conference(id(CONFERENCE)).unwrap().ended);
    s.apply(Input::Snapshot(Default::default()), t);
    assert!(s.missing().conferences.is_empty());
}

fn failed(s: &mut ConferencesState, n: u64, status: Option<u16>, t: Timestamp) {
    s.apply(
        Input::CommandFailed {
            id: CommandId(n),
            failure: CommandFailure {
                status,
                ..failure("X", "no", None)
            },
        },
        t,
    );
}

#[test]
fn a_refused_hold_or_unhold_leaves_the_ledger_exactly_as_it_was() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(CUSTOMER_CALL);
    // An unhold of a call this console never held writes nothing, refused or not.
    issue(&mut s, 1, Command::Unhold { call_id }, t);
    assert!(s.ledger().is_empty());
    failed(&mut s, 1, Some(400), t);
    assert!(s.ledger().is_empty() && !customer(&s).on_hold);

    // A held call: holding it again and being refused (a 429) keeps the hold and its start.
    issue(&mut s, 2, Command::Hold { call_id }, t);
    s.apply(Input::CommandConfirmed { id: CommandId(2) }, t);
    let held = s.ledger().get(call_id).unwrap().clone();
    let later = t + chrono::TimeDelta::seconds(30);
    issue(&mut s, 3, Command::Hold { call_id }, later);
    assert!(
        customer(&s).on_hold,
        "a repeated hold does not hide the hold"
    );
    failed(&mut s, 3, Some(429), later);
    assert_eq!(s.ledger().get(call_id), Some(&held));

    // A refused unhold puts it back as confirmed, not as a new hold.
    issue(&mut s, 4, Command::Unhold { call_id }, later);
    failed(&mut s, 4, Some(400), later);
    assert_eq!(s.ledger().get(call_id), Some(&held));
    assert_eq!(customer(&s).hold_since, Some(held.held_at));
}

#[test]
fn a_gateway_error_keeps_the_intent_unconfirmed() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(CUSTOMER_CALL);
    for (n, status) in [(1, Some(503)), (2, Some(504)), (3, None)] {
        issue(&mut s, n, Command::Hold { call_id }, t);
        failed(&mut s, n, status, t);
        let p = customer(&s);
        assert!(p.on_hold && p.hold_unconfirmed, "{status:?}: {p:?}");
        s.apply(Input::CommandConfirmed { id: CommandId(n) }, t);
    }
}

#[test]
fn a_hold_confirmed_after_its_leg_left_leaves_no_orphan() {
    let (mut s, t) = room(StoreConfig::default());
    let call_id = id(ALICE_CALL);
    issue(&mut s, 1, Command::Hold { call_id }, t);
    s.apply(frame(&fixture("call_hangup")), t);
    s.apply(Input::CommandConfirmed { id: CommandId(1) }, t);
    assert!(s.ledger().is_empty(), "{:?}", s.ledger());
}

#[test]
fn one_future_dated_frame_cannot_freeze_a_room() {
    let (mut s, t) = room(StoreConfig::default());
    // A day ahead of any clock: believed for now, but it must not outrank the truth.
    let future = edited(
        "conference_updated",
        &[("tm_update", json!("2026-08-22T14:00:00.000000Z"))],
    );
    s.apply(Input::Fetched(resource(&future)), t);
    let after_end = t + chrono::TimeDelta::minutes(15);
    s.apply(frame(&fixture("conference_deleted")), after_end);
    let v = s.conference(id(CONFERENCE)).unwrap();
    assert!(v.ended, "the deletion wins over the future stamp");
}
