//! The emulator's state machines over time (PROTOCOL.md §7, §12): joining, kicking,
//! hanging up, connect bridges, conference deletion and timeouts, ring-all agents.
//! Every wait polls with a deadline; nothing asserts on timing.

mod emulator_support;

use bridgetop::emulator::bus::EventBus;
use bridgetop::emulator::launch::EmulatorConfig;
use bridgetop::emulator::platform::{Platform, PlatformConfig};
use emulator_support::{eventually, id_of, Emu};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

async fn conference(emu: &Emu, kind: &str) -> Uuid {
    id_of(&emu.create_conference(json!({ "type": kind })).await)
}

/// A customer phones in and is put into the conference; returns (call, conferencecall).
async fn customer_joins(emu: &Emu, conf: Uuid, from: &str) -> (Uuid, Uuid) {
    let call = emu
        .run
        .platform
        .customer_joins_conference(emu.customer(), from, conf);
    let cc = eventually("participant joined", || async {
        let truth = emu.run.platform.truth(emu.customer());
        let cc = truth.conferencecall_of_call(call.id)?;
        truth
            .conference(conf)?
            .conferencecall_ids
            .contains(&cc.id)
            .then_some(cc.id)
    })
    .await;
    (call.id, cc)
}

fn ids(conf: &Value) -> Vec<String> {
    conf.get("conferencecall_ids")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn joining_emits_the_platforms_sequence() {
    let emu = Emu::start().await;
    let mut events = emu.events();
    let conf = conference(&emu, "conference").await;
    let (call, cc) = customer_joins(&emu, conf, "+15550002222").await;
    events
        .wait_for("conference_updated with the id", |t, v| {
            t == "conference_updated" && ids(v).contains(&cc.to_string())
        })
        .await;
    let call_events = events.about(call);
    let types: Vec<&str> = call_events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "call_created",
            "call_progressing",
            "call_updated",
            "call_updated"
        ]
    );
    assert_eq!(
        call_events[0].1["status"], "ringing",
        "incoming calls start ringing"
    );
    assert_eq!(call_events[0].1["direction"], "incoming");
    assert_eq!(call_events[0].1["owner_type"], "", "a customer leg");
    assert_eq!(call_events[2].1["action"]["type"], "conference_join");
    assert_eq!(call_events[3].1["action"]["type"], "confbridge_join");
    let bridge = call_events[3].1["action"]["option"]["confbridge_id"].clone();
    assert!(
        bridge.is_string() && bridge != json!(conf.to_string()),
        "hidden bridge id"
    );
    // The bridge join comes before the conference update; no conferencecall events.
    let bridge_at = events
        .seen
        .iter()
        .position(|(t, v)| t == "call_updated" && v["action"]["type"] == "confbridge_join")
        .unwrap();
    let update_at = events
        .seen
        .iter()
        .position(|(t, v)| t == "conference_updated" && !ids(v).is_empty())
        .unwrap();
    assert!(bridge_at < update_at);
    assert!(events
        .seen
        .iter()
        .all(|(t, _)| !t.starts_with("conferencecall")));

    let cc_json = emu.get(&format!("/conferencecalls/{cc}")).await;
    assert_eq!(cc_json["status"], "joined");
    assert_eq!(cc_json["reference_type"], "call");
    assert_eq!(cc_json["reference_id"], call.to_string());
    assert_eq!(cc_json["conference_id"], conf.to_string());
}

#[tokio::test]
async fn agent_destinations_ring_all_and_the_first_answer_wins() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let agent = emu.run.account.agents[2].id;
    let mut events = emu.events();
    let (s, out) = emu
        .json(
            Method::POST,
            "/calls",
            Some(json!({
                "source": {"type": "tel", "target": "+18885550100"},
                "destinations": [{"type": "agent", "target": agent}],
                "actions": [{"type": "conference_join", "option": {"conference_id": conf}}]
            })),
        )
        .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["calls"], json!([]));
    let group = &out["groupcalls"][0];
    assert_eq!(group["owner_id"], agent.to_string());
    let legs: Vec<Uuid> = group["call_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| Uuid::parse_str(v.as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(legs.len(), 2, "one leg per address (tel + extension)");

    let hung = eventually("the losing leg hung up", || async {
        let c = emu.get(&format!("/calls/{}", legs[1])).await;
        (c["status"] == "hangup").then_some(c)
    })
    .await;
    assert_eq!(hung["hangup_reason"], "cancel");
    let won = eventually("the winning leg joined", || async {
        let c = emu.get(&format!("/calls/{}", legs[0])).await;
        (c["action"]["type"] == "confbridge_join").then_some(c)
    })
    .await;
    assert_eq!(won["owner_type"], "agent");
    assert_eq!(won["owner_id"], agent.to_string());
    assert_eq!(emu.get(&format!("/agents/{agent}")).await["status"], "busy");

    events.drain();
    let statuses: Vec<String> = events
        .about(agent)
        .iter()
        .map(|(_, v)| v["status"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(statuses, ["ringing", "busy"]);
    assert_eq!(
        events.types_about(legs[1]),
        [
            "call_created",
            "call_ringing",
            "call_canceling",
            "call_hangup"
        ]
    );
    assert_eq!(
        &events.types_about(legs[0])[..3],
        ["call_created", "call_ringing", "call_progressing"]
    );
}

#[tokio::test]
async fn owner_is_the_agent_whose_address_matches() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let agent = emu
        .run
        .platform
        .agent(emu.customer(), emu.run.account.agents[0].id)
        .unwrap();
    let tel = agent.addresses[0].target.clone();
    // Outgoing to the agent's number: an agent leg.
    let out = emu
        .run
        .platform
        .dial_tel_into_conference(emu.customer(), &tel, conf)
        .unwrap();
    assert_eq!(out.calls[0].agent_owner(), Some(agent.id));
    // Incoming from the agent's number: also an agent leg.
    let call = emu
        .run
        .platform
        .customer_joins_conference(emu.customer(), &tel, conf);
    assert_eq!(call.agent_owner(), Some(agent.id));
    // Incoming from elsewhere: a customer leg.
    let call = emu
        .run
        .platform
        .customer_joins_conference(emu.customer(), "+15550009999", conf);
    assert_eq!(call.agent_owner(), None);
}

#[tokio::test]
async fn kick_leaves_the_call_running_with_its_next_action() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let (s, out) = emu
        .json(
            Method::POST,
            "/calls",
            Some(json!({
                "source": {"type": "tel", "target": "+18885550100"},
                "destinations": [{"type": "tel", "target": "+15550003333"}],
                "actions": [
                    {"type": "conference_join", "option": {"conference_id": conf}},
                    {"type": "talk", "option": {"text": "You have been moved."}}
                ]
            })),
        )
        .await;
    assert_eq!(s, 200);
    let call = id_of(&out["calls"][0]);
    let cc = eventually("joined", || async {
        ids(&emu.get(&format!("/conferences/{conf}")).await).pop()
    })
    .await;
    let mut events = emu.events();

    let (s, kicked) = emu
        .json(Method::DELETE, &format!("/conferencecalls/{cc}"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(kicked["status"], "leaving");
    let moved_on = eventually("the call runs its next action", || async {
        let c = emu.get(&format!("/calls/{call}")).await;
        (c["action"]["type"] == "talk").then_some(c)
    })
    .await;
    assert_eq!(moved_on["status"], "progressing", "a kick does not hang up");
    assert!(ids(&emu.get(&format!("/conferences/{conf}")).await).is_empty());
    let left = emu.get(&format!("/conferencecalls/{cc}")).await;
    assert_eq!(left["status"], "leaved");

    // Kicking again is a no-op answering the unchanged object.
    let (s, again) = emu
        .json(Method::DELETE, &format!("/conferencecalls/{cc}"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(again, left);

    // Sequence: call_updated (left the bridge) → conference_updated (id removed).
    events.drain();
    let first_call = events
        .seen
        .iter()
        .position(|(t, v)| t == "call_updated" && v["id"] == call.to_string())
        .unwrap();
    let removed = events
        .seen
        .iter()
        .position(|(t, v)| t == "conference_updated" && ids(v).is_empty())
        .unwrap();
    assert!(first_call < removed);
    assert_eq!(
        events.seen[first_call].1["action"]["type"],
        "confbridge_join"
    );

    // With the flow exhausted, the flow manager hangs up.
    let done = eventually("flow end hangup", || async {
        let c = emu.get(&format!("/calls/{call}")).await;
        (c["status"] == "hangup").then_some(c)
    })
    .await;
    assert_eq!(done["hangup_by"], "local");
    assert_eq!(done["hangup_reason"], "normal");
}

#[tokio::test]
async fn a_natural_hangup_goes_straight_to_leaved() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let (call, cc) = customer_joins(&emu, conf, "+15550004444").await;
    let mut events = emu.events();
    emu.run
        .platform
        .remote_hangup(emu.customer(), call)
        .unwrap();
    let c = emu.get(&format!("/calls/{call}")).await;
    assert_eq!(c["status"], "hangup");
    assert_eq!(c["hangup_by"], "remote");
    assert!(c["tm_hangup"].is_string());
    assert_eq!(
        emu.get(&format!("/conferencecalls/{cc}")).await["status"],
        "leaved"
    );
    events.drain();
    let types: Vec<&str> = events.seen.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(types, ["call_hangup", "conference_updated"]);
    assert!(ids(&events.seen[1].1).is_empty());
    // The room stays up.
    assert_eq!(
        emu.get(&format!("/conferences/{conf}")).await["status"],
        "progressing"
    );
}

#[tokio::test]
async fn hangup_cancels_unanswered_and_terminates_answered_calls() {
    let mut config = EmulatorConfig::for_tests();
    // A far end that takes its time, so the call is still ringing when we hang up.
    config.platform.timings.answer = std::time::Duration::from_secs(3600);
    let emu = Emu::start_with(config).await;
    let (_, out) = emu
        .json(
            Method::POST,
            "/calls",
            Some(json!({
                "source": {"type": "tel", "target": "+18885550100"},
                "destinations": [{"type": "tel", "target": "+15550005555"}],
                "actions": [{"type": "talk"}]
            })),
        )
        .await;
    let call = id_of(&out["calls"][0]);
    eventually("ringing", || async {
        (emu.get(&format!("/calls/{call}")).await["status"] == "ringing").then_some(())
    })
    .await;
    let (s, c) = emu
        .json(Method::POST, &format!("/calls/{call}/hangup"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(c["status"], "canceling");
    let c = eventually("hangup", || async {
        let c = emu.get(&format!("/calls/{call}")).await;
        (c["status"] == "hangup").then_some(c)
    })
    .await;
    assert_eq!(c["hangup_reason"], "cancel");

    // An answered (incoming) call terminates.
    let conf = conference(&emu, "conference").await;
    let in_call = emu
        .run
        .platform
        .customer_joins_conference(emu.customer(), "+15550006666", conf);
    eventually("answered", || async {
        (emu.get(&format!("/calls/{}", in_call.id)).await["status"] == "progressing").then_some(())
    })
    .await;
    let (_, c) = emu
        .json(Method::POST, &format!("/calls/{}/hangup", in_call.id), None)
        .await;
    assert_eq!(c["status"], "terminating");
    let c = eventually("hangup", || async {
        let c = emu.get(&format!("/calls/{}", in_call.id)).await;
        (c["status"] == "hangup").then_some(c)
    })
    .await;
    assert_eq!(
        (c["hangup_by"].as_str(), c["hangup_reason"].as_str()),
        (Some("local"), Some("normal"))
    );
}

#[tokio::test]
async fn delete_call_hangs_up_and_soft_deletes() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let (call, _) = customer_joins(&emu, conf, "+15550007777").await;
    let mut events = emu.events();
    let (s, c) = emu
        .json(Method::DELETE, &format!("/calls/{call}"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(c["status"], "hangup");
    assert!(c["tm_delete"].is_string());
    assert_eq!(c["tm_delete"], c["tm_update"]);
    events.drain();
    assert_eq!(
        events.types_about(call),
        ["call_terminating", "call_hangup", "call_deleted"]
    );
    let list = emu.get("/calls").await;
    assert!(list["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != call.to_string()));
}

#[tokio::test]
async fn connect_bridges_eject_the_last_participant() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "connect").await;
    let (a, _) = customer_joins(&emu, conf, "+15550001001").await;
    let (b, cc_b) = customer_joins(&emu, conf, "+15550001002").await;
    emu.run.platform.remote_hangup(emu.customer(), a).unwrap();
    eventually("the last party ejected", || async {
        let cc = emu.get(&format!("/conferencecalls/{cc_b}")).await;
        (cc["status"] == "leaved").then_some(())
    })
    .await;
    let c = emu.get(&format!("/conferences/{conf}")).await;
    assert_eq!(c["status"], "progressing", "the record itself stays up");
    assert!(ids(&c).is_empty());
    // Ejected, not hung up by the bridge: the flow ends and then hangs up.
    let b_call = emu.get(&format!("/calls/{b}")).await;
    assert_ne!(b_call["hangup_by"], "remote");

    // A `conference` room keeps a lone participant.
    let room = conference(&emu, "conference").await;
    let (x, _) = customer_joins(&emu, room, "+15550001003").await;
    let (_, cc_y) = customer_joins(&emu, room, "+15550001004").await;
    emu.run.platform.remote_hangup(emu.customer(), x).unwrap();
    assert_eq!(
        emu.get(&format!("/conferencecalls/{cc_y}")).await["status"],
        "joined"
    );
}

#[tokio::test]
async fn deleting_a_conference_follows_the_platforms_sequence() {
    let emu = Emu::start().await;
    let conf = conference(&emu, "conference").await;
    let (call_a, cc_a) = customer_joins(&emu, conf, "+15550002001").await;
    let (_, cc_b) = customer_joins(&emu, conf, "+15550002002").await;
    let mut events = emu.events();

    let (s, deleted) = emu
        .json(Method::DELETE, &format!("/conferences/{conf}"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(deleted["status"], "terminating");
    assert!(deleted["tm_delete"].is_string());
    assert!(deleted["tm_end"].is_null());
    // Gone from the list at once, still readable by id.
    let list = emu.get("/conferences").await;
    assert!(list["result"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != conf.to_string()));
    for cc in [cc_a, cc_b] {
        assert_eq!(
            emu.get(&format!("/conferencecalls/{cc}")).await["status"],
            "leaving"
        );
    }

    let end = events
        .wait_for("terminated", |t, v| {
            t == "conference_deleted" && v["status"] == "terminated"
        })
        .await;
    let conf_events: Vec<(String, Value)> = events.about(conf);
    let summary: Vec<(String, String, usize)> = conf_events
        .iter()
        .map(|(t, v)| {
            (
                t.clone(),
                v["status"].as_str().unwrap().to_owned(),
                ids(v).len(),
            )
        })
        .collect();
    let s = |t: &str, st: &str, n: usize| (t.to_owned(), st.to_owned(), n);
    assert_eq!(
        summary,
        [
            s("conference_updated", "terminating", 2),
            s("conference_deleted", "terminating", 2),
            s("conference_updated", "terminating", 1),
            s("conference_updated", "terminating", 0),
            s("conference_deleted", "terminated", 0),
        ]
    );
    assert!(events.seen[end].1["tm_end"].is_string());
    // Kicked participants leave the bridge; their calls carry on (then the flow ends).
    let call = emu.get(&format!("/calls/{call_a}")).await;
    assert_ne!(call["hangup_by"], "remote");

    // A repeated DELETE re-stamps tm_delete and re-emits conference_deleted.
    let first_delete = deleted["tm_delete"].clone();
    let (s, again) = emu
        .json(Method::DELETE, &format!("/conferences/{conf}"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(again["status"], "terminated", "status never moves back");
    assert_ne!(again["tm_delete"], first_delete);
    events
        .wait_for("second conference_deleted", |t, v| {
            t == "conference_deleted" && v["tm_delete"] == again["tm_delete"]
        })
        .await;
}

#[tokio::test]
async fn an_empty_deleted_conference_stays_terminating() {
    let emu = Emu::start().await;
    let mut events = emu.events();
    let conf = conference(&emu, "conference").await;
    let (_, c) = emu
        .json(Method::DELETE, &format!("/conferences/{conf}"), None)
        .await;
    assert_eq!(c["status"], "terminating");
    events.drain();
    assert_eq!(
        events.types_about(conf),
        [
            "conference_created",
            "conference_updated",
            "conference_deleted"
        ]
    );
    let c = emu.get(&format!("/conferences/{conf}")).await;
    assert_eq!(c["status"], "terminating");
    assert!(c["tm_end"].is_null());
}

#[tokio::test]
async fn a_timeout_deletes_the_conference() {
    let mut config = EmulatorConfig::for_tests();
    config.platform.speed = 120.0; // a 60 s timeout passes in half a second
    let emu = Emu::start_with(config).await;
    let conf = id_of(
        &emu.create_conference(json!({"type": "conference", "timeout": 60}))
            .await,
    );
    let c = eventually("timed out", || async {
        let c = emu.get(&format!("/conferences/{conf}")).await;
        c["tm_delete"].is_string().then_some(c)
    })
    .await;
    assert_eq!(c["status"], "terminating");
}

#[test]
fn the_same_seed_builds_the_same_demo() {
    let config = PlatformConfig {
        seed: 42,
        ..PlatformConfig::default()
    };
    let (_, a) = Platform::demo(config.clone(), EventBus::new(16));
    let (_, b) = Platform::demo(config, EventBus::new(16));
    assert_eq!(a.accesskey, b.accesskey);
    assert_eq!(a.customer_id, b.customer_id);
    assert!(a.accesskey.starts_with("vb_"));
    assert_eq!(a.agents.len(), 12);
    assert_eq!(a.agents.iter().filter(|x| x.permission == 64).count(), 2);
    let ids = |acc: &bridgetop::emulator::platform::DemoAccount| {
        acc.agents.iter().map(|x| x.id).collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    assert!(
        !format!("{a:?}").contains(&a.accesskey),
        "Debug redacts the key"
    );
}
