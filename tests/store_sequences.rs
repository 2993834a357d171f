//! The platform's real event sequences (PROTOCOL.md §12.4), frame by frame, with the
//! fixtures: participants, counts, alerts and change records at each step.

mod store_support;

use bridgetop::store::{
    AlertKind, ConferenceView, ConferencesState, Input, ParticipantStatus, ParticipantType,
    Severity,
};
use bridgetop::voipbin::{MuteDirection, Timestamp};
use chrono::TimeDelta;
use serde_json::Value;
use store_support::*;

fn view(state: &ConferencesState) -> &ConferenceView {
    state.conference(id(CONFERENCE)).expect("conference known")
}

fn kinds(changes: &bridgetop::store::Changes) -> Vec<String> {
    changes
        .iter()
        .map(|c| {
            serde_json::to_value(c).unwrap()["change"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn alerts(state: &ConferencesState) -> Vec<(AlertKind, Severity)> {
    view(state)
        .alerts
        .iter()
        .map(|a| (a.kind, a.severity))
        .collect()
}

/// Customer joins, is alone, agent Alice joins (ring-all: a second leg cancels), Alice is
/// muted, hangs up, leaves; the supervisor deletes the conference.
#[test]
fn customer_and_agent_through_a_whole_conference() {
    let mut s = state();
    let t0 = at("2026-08-21T14:00:04Z");

    // conference_created: live, empty.
    let c = s.apply(frame(&fixture("conference_created")), t0);
    assert_eq!(kinds(&c), ["conference_added"]);
    assert_eq!(s.live_count(), 1);
    assert_eq!(view(&s).live_participant_count, 0);
    assert!(view(&s).alerts.is_empty());

    // Customer's call frames arrive before anything links them to the room.
    s.apply(frame(&customer_call_progressing()), t0);
    // conference_updated (id added): a resolving participant, and a fetch request.
    let c = s.apply(
        frame(&conference_listing(
            &[CUSTOMER_LEG],
            "2026-08-21T14:00:08.2Z",
        )),
        at("2026-08-21T14:00:08.3Z"),
    );
    assert_eq!(kinds(&c), ["conference_updated", "participant_joined"]);
    let p = view(&s).participant(id(CUSTOMER_LEG)).unwrap();
    assert_eq!(p.participant_type, ParticipantType::Unknown);
    assert!(p.resolving);
    assert_eq!(s.missing().conferencecalls, vec![id(CUSTOMER_LEG)]);
    assert!(s.missing().calls.is_empty());

    // The fetched conferencecall links the call that was already held.
    let c = s.apply(
        Input::Fetched(resource(&customer_leg_joined())),
        at("2026-08-21T14:00:08.5Z"),
    );
    assert_eq!(kinds(&c), ["participant_updated"]);
    assert!(s.missing().is_empty());
    let p = view(&s).participant(id(CUSTOMER_LEG)).unwrap();
    assert_eq!(p.participant_type, ParticipantType::Customer);
    assert_eq!(p.call_id, Some(id(CUSTOMER_CALL)));
    assert_eq!(p.address.as_ref().unwrap().target, "+14155550123");
    assert_eq!(p.joined_at, Some(at("2026-08-21T14:00:07.330512Z")));
    assert!(!p.connecting);
    assert_eq!(view(&s).live_participant_count, 1);
    assert_eq!(view(&s).live_worker_count, 0);
    assert!(view(&s).alerts.is_empty(), "inside the grace period");

    // Ten seconds after the customer joined with nobody to talk to: not left alone, they
    // never had an agent; waiting is fine for a minute.
    let c = s.apply(Input::Tick, at("2026-08-21T14:00:17.4Z"));
    assert!(c.records.is_empty());
    assert!(alerts(&s).is_empty());

    // Alice's ring-all legs: call events for legs no conference lists yet change nothing.
    let t = at("2026-08-21T14:00:27.5Z");
    for name in [
        "call_created",
        "call_dialing",
        "call_ringing",
        "call_progressing",
        "call_canceling",
        "agent_status_updated",
    ] {
        let c = s.apply(frame(&fixture(name)), t);
        assert!(c.records.is_empty(), "{name}: {:?}", c.records);
    }

    // conference_updated (Alice's leg added), then its conferencecall is fetched.
    let t = at("2026-08-21T14:00:28.7Z");
    s.apply(frame(&fixture("conference_updated")), t);
    assert_eq!(s.missing().conferencecalls, vec![id(ALICE_LEG)]);
    assert_eq!(
        view(&s).live_worker_count,
        0,
        "unresolved legs are not workers yet"
    );
    let c = s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joined"))),
        t,
    );
    assert!(s.missing().is_empty(), "call and agent were already known");
    assert!(kinds(&c).contains(&"participant_updated".to_owned()));
    assert!(
        alerts(&s).is_empty(),
        "answered within a minute: never an alert"
    );
    let v = view(&s);
    let alice = v.participant(id(ALICE_LEG)).unwrap();
    assert_eq!(alice.participant_type, ParticipantType::Worker);
    assert_eq!(alice.agent_id, Some(id(ALICE)));
    assert_eq!(alice.agent_name.as_deref(), Some("Alice Kim"));
    assert!(!alice.is_myself);
    assert_eq!(v.live_participant_count, 2);
    assert_eq!(v.live_worker_count, 1);
    assert_eq!(v.live_workers, vec![id(ALICE_LEG)]);
    assert!(v.alerts.is_empty());

    // call_updated: muted both ways.
    let c = s.apply(
        frame(&fixture("call_updated")),
        at("2026-08-21T14:03:10.5Z"),
    );
    assert_eq!(kinds(&c), ["participant_updated"]);
    let alice = view(&s).participant(id(ALICE_LEG)).unwrap();
    assert!(alice.muted);
    assert_eq!(alice.mute_direction, Some(MuteDirection::Both));

    // Alice hangs up: still listed until the conference drops her id.
    s.apply(
        frame(&fixture("call_terminating")),
        at("2026-08-21T14:09:30.1Z"),
    );
    s.apply(frame(&fixture("call_hangup")), at("2026-08-21T14:09:30.4Z"));
    assert!(view(&s).participant(id(ALICE_LEG)).unwrap().is_joined());
    let left = "2026-08-21T14:09:30.9Z";
    let c = s.apply(
        frame(&conference_listing(&[CUSTOMER_LEG], left)),
        at("2026-08-21T14:09:31Z"),
    );
    assert_eq!(kinds(&c), ["conference_updated", "participant_left"]);
    let v = view(&s);
    let alice = v.participant(id(ALICE_LEG)).unwrap();
    assert_eq!(alice.status, ParticipantStatus::RecentlyLeft);
    assert_eq!(alice.left_at, Some(at(left)));
    assert_eq!(v.live_worker_count, 0);
    assert!(v.live_workers.is_empty());
    assert_eq!(v.participants.len(), 2, "left participants stay listed");

    // The recently-left window (5 s) passes; the customer is alone again 10 s after.
    let c = s.apply(Input::Tick, at("2026-08-21T14:09:35.899Z"));
    assert!(c.records.is_empty());
    let c = s.apply(Input::Tick, at("2026-08-21T14:09:35.9Z"));
    assert_eq!(kinds(&c), ["participant_updated"]);
    assert_eq!(
        view(&s).participant(id(ALICE_LEG)).unwrap().status,
        ParticipantStatus::Left
    );
    s.apply(Input::Tick, at("2026-08-21T14:09:41Z"));
    assert_eq!(alerts(&s), [(AlertKind::CustomerAlone, Severity::Warning)]);
    assert_eq!(
        view(&s).alerts[0].since,
        at(left),
        "alone since the worker left"
    );

    // The supervisor ends the conference: tm_delete takes it out of the live set at once.
    let c = s.apply(
        frame(&fixture("conference_deleted")),
        at("2026-08-21T14:10:00.2Z"),
    );
    assert_eq!(kinds(&c)[0], "conference_ended");
    assert_eq!(s.live_count(), 0);
    assert_eq!(s.ended().len(), 1);
    s.apply(
        frame(&fixture("call_updated_customer_leg")),
        at("2026-08-21T14:10:01.25Z"),
    );
    let c = s.apply(
        frame(&fixture("conference_deleted_terminated")),
        at("2026-08-21T14:10:01.3Z"),
    );
    // After `conference_ended` the room reports no more updates: the legs settling are in
    // the view (and the document's `ended` list); only its alerts still close.
    assert_eq!(kinds(&c), ["alert_cleared"]);
    let v = view(&s);
    assert!(v.ended);
    assert_eq!(v.live_participant_count, 0);
    let customer = v.participant(id(CUSTOMER_LEG)).unwrap();
    assert_eq!(customer.left_at, Some(at("2026-08-21T14:10:01.270385Z")));
    assert!(v.alerts.is_empty());
}

/// Supervisor kicks a leg: it goes `leaving`, the call leaves the bridge (call_updated),
/// then the conference drops the id. The pending kick clears when the leg leaves.
#[test]
fn kick_is_pending_until_the_leg_leaves() {
    let mut s = state();
    let t = at("2026-08-21T14:05:00Z");
    s.apply(frame(&fixture("conference_updated")), t);
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(frame(&customer_call_progressing()), t);
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joined"))),
        t,
    );
    s.apply(frame(&fixture("call_progressing")), t);
    s.apply(frame(&fixture("agent_status_updated")), t);

    let kick = bridgetop::store::CommandId(1);
    let c = s.apply(
        Input::CommandIssued {
            id: kick,
            command: bridgetop::command::Command::Kick {
                conferencecall_id: id(CUSTOMER_LEG),
            },
        },
        t,
    );
    assert_eq!(kinds(&c), ["participant_updated"]);
    let pending = view(&s)
        .participant(id(CUSTOMER_LEG))
        .unwrap()
        .pending
        .clone();
    assert_eq!(pending.unwrap().id, kick);

    // The leg's state (fetched) and the call leaving the bridge: still listed, still pending.
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_leaving"))),
        t,
    );
    s.apply(frame(&fixture("call_updated_customer_leg")), t);
    let customer = view(&s).participant(id(CUSTOMER_LEG)).unwrap();
    assert!(customer.is_joined());
    assert!(customer.pending.is_some());

    let c = s.apply(
        frame(&conference_listing(&[ALICE_LEG], "2026-08-21T14:10:01.26Z")),
        at("2026-08-21T14:10:01.3Z"),
    );
    assert!(kinds(&c).contains(&"participant_left".to_owned()));
    let customer = view(&s).participant(id(CUSTOMER_LEG)).unwrap();
    assert_eq!(customer.status, ParticipantStatus::RecentlyLeft);
    assert!(
        customer.pending.is_none(),
        "the leg leaving settles the kick"
    );
    assert_eq!(view(&s).live_participant_count, 1);
    assert_eq!(view(&s).live_worker_count, 1);
}

/// "Supervisor ends conference": any of the frames may arrive out of order or duplicated.
/// Delivered newest first, twice each, the result equals in-order delivery.
#[test]
fn end_of_conference_out_of_order_and_duplicated() {
    let frames: Vec<Value> = vec![
        fixture("conference_updated"),
        conference_listing(&[CUSTOMER_LEG], "2026-08-21T14:09:30.9Z"),
        edited(
            "conference_deleted",
            &[
                ("tm_update", Value::from("2026-08-21T14:09:59.9Z")),
                ("tm_delete", Value::Null),
            ],
        ),
        fixture("conference_deleted"),
        fixture("call_updated_customer_leg"),
        fixture("conference_deleted_terminated"),
    ];
    let now = at("2026-08-21T14:10:02Z");
    let mut in_order = state();
    for f in &frames {
        in_order.apply(frame(f), now);
    }
    let mut shuffled = state();
    for f in frames.iter().rev().chain(frames.iter()) {
        shuffled.apply(frame(f), now);
    }
    assert_eq!(in_order.to_json(now), shuffled.to_json(now));
    assert_eq!(shuffled.stats().duplicate_frames, frames.len() as u64);

    let doc = shuffled.to_document(now);
    assert!(doc.conferences.is_empty());
    let ended = &doc.ended[0];
    assert_eq!(ended.summary.status.as_deref(), Some("terminated"));
    let statuses: Vec<_> = ended
        .participants
        .iter()
        .map(|p| (p.conferencecall_id, p.status))
        .collect();
    assert_eq!(
        statuses,
        [
            (id(CUSTOMER_LEG), ParticipantStatus::RecentlyLeft),
            (id(ALICE_LEG), ParticipantStatus::Left),
        ]
    );
}

/// A deleted conference that still holds legs after the threshold is stuck terminating;
/// it shows in the ended list and clears when the last leg goes.
#[test]
fn stuck_terminating_on_an_ended_conference() {
    let mut s = state();
    let t = at("2026-08-21T14:10:00.2Z");
    s.apply(frame(&fixture("conference_deleted")), t);
    assert!(view(&s).ended);
    assert!(view(&s).alerts.is_empty());
    s.apply(Input::Tick, t + TimeDelta::seconds(59));
    assert!(view(&s).alerts.is_empty());
    let c = s.apply(Input::Tick, at("2026-08-21T14:11:00.131442Z"));
    assert_eq!(kinds(&c), ["alert_raised"]);
    let alert = &view(&s).alerts[0];
    assert_eq!(alert.kind, AlertKind::StuckTerminating);
    assert_eq!(alert.conferencecall_id, None);
    assert_eq!(alert.since, at("2026-08-21T14:10:00.131442Z"));
    let c = s.apply(
        frame(&fixture("conference_deleted_terminated")),
        at("2026-08-21T14:11:01Z"),
    );
    assert!(kinds(&c).contains(&"alert_cleared".to_owned()));
}

/// A leg listed while its conferencecall is still `joining` is connecting; past 30 s it is
/// stuck.
#[test]
fn stuck_connecting_leg() {
    let mut s = state();
    let t = at("2026-08-21T14:00:28.7Z");
    s.apply(
        frame(&conference_listing(&[ALICE_LEG], "2026-08-21T14:00:28.6Z")),
        t,
    );
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joining"))),
        t,
    );
    s.apply(frame(&fixture("call_progressing")), t);
    let p = view(&s).participant(id(ALICE_LEG)).unwrap();
    assert!(p.connecting);
    assert!(view(&s).alerts.is_empty());
    let due: Timestamp = at("2026-08-21T14:00:27.902118Z") + TimeDelta::seconds(30);
    s.apply(Input::Tick, due - TimeDelta::milliseconds(1));
    assert!(view(&s).alerts.is_empty());
    s.apply(Input::Tick, due);
    assert_eq!(
        alerts(&s),
        [(AlertKind::StuckConnecting, Severity::Warning)]
    );
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joined"))),
        due,
    );
    assert!(!view(&s).participant(id(ALICE_LEG)).unwrap().connecting);
    assert!(view(&s).alerts.is_empty());
}

/// A caller nobody has answered yet is waiting for an agent (a minute is normal); a caller
/// whose agent left is left alone (ten seconds is too long). Each has its own threshold.
#[test]
fn waiting_for_an_agent_is_not_being_left_alone() {
    let mut s = state();
    let t = at("2026-08-21T14:00:08.5Z");
    s.apply(frame(&fixture("conference_updated")), t);
    s.apply(Input::Fetched(resource(&customer_leg_joined())), t);
    s.apply(frame(&customer_call_progressing()), t);
    s.apply(
        frame(&conference_listing(
            &[CUSTOMER_LEG],
            "2026-08-21T14:00:08.2Z",
        )),
        t,
    );
    let joined = at("2026-08-21T14:00:07.330512Z");

    s.apply(Input::Tick, joined + TimeDelta::seconds(59));
    assert!(alerts(&s).is_empty(), "a minute's wait is normal");
    s.apply(Input::Tick, joined + TimeDelta::seconds(60));
    assert_eq!(
        alerts(&s),
        [(AlertKind::WaitingForAgent, Severity::Warning)]
    );
    assert_eq!(view(&s).alerts[0].since, joined);

    // Alice answers: no alert. She leaves: the caller is left alone ten seconds later.
    let answered = joined + TimeDelta::seconds(70);
    s.apply(frame(&fixture("call_progressing")), answered);
    s.apply(frame(&fixture("agent_status_updated")), answered);
    s.apply(
        Input::Fetched(resource(&fixture("conferencecall_joined"))),
        answered,
    );
    s.apply(
        frame(&conference_listing(
            &[CUSTOMER_LEG, ALICE_LEG],
            "2026-08-21T14:01:17.4Z",
        )),
        answered,
    );
    assert_eq!(view(&s).live_worker_count, 1);
    assert!(alerts(&s).is_empty());
    let left = "2026-08-21T14:02:00Z";
    s.apply(frame(&conference_listing(&[CUSTOMER_LEG], left)), at(left));
    s.apply(Input::Tick, at(left) + TimeDelta::seconds(9));
    assert!(alerts(&s).is_empty(), "within the grace period");
    s.apply(Input::Tick, at(left) + TimeDelta::seconds(10));
    assert_eq!(alerts(&s), [(AlertKind::CustomerAlone, Severity::Warning)]);
    assert_eq!(view(&s).alerts[0].since, at(left));
}
