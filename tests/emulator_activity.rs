//! Scripted scenarios and generated traffic, played on a sped-up platform clock and
//! checked against the platform's own state.

use std::time::Duration;

use bridgetop::emulator::launch::EmulatorConfig;
use bridgetop::emulator::platform::Truth;
use bridgetop::emulator::scenario::Scenario;
use bridgetop::emulator::server::{start, Activity, LiveEmulator};
use bridgetop::emulator::traffic::TrafficConfig;
use bridgetop::voipbin::{AgentStatus, CallStatus, ConferenceStatus, ConferencecallStatus};
use tokio::time::Instant;

async fn live(speed: f64, activity: Activity) -> LiveEmulator {
    let mut config = EmulatorConfig::for_tests();
    config.platform.speed = speed;
    start(config, activity).await.unwrap()
}

fn truth(live: &LiveEmulator) -> Truth {
    live.emulator
        .platform
        .truth(live.emulator.account.customer_id)
}

async fn wait_for(live: &LiveEmulator, what: &str, done: impl Fn(&Truth) -> bool) -> Truth {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let t = truth(live);
        if done(&t) {
            return t;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_escalation_scenario_plays_step_by_step() {
    let scenario = Scenario::parse(include_str!("../assets/scenarios/escalation.toml")).unwrap();
    let live = live(
        10.0,
        Activity {
            scenario: Some(scenario),
            traffic: None,
            ..Activity::default()
        },
    )
    .await;
    let alice = live
        .emulator
        .account
        .agents
        .iter()
        .find(|a| a.name == "Alice Kim")
        .unwrap()
        .id;

    // Caller, Alice and the supervisor all in the room, the supervisor muted "in".
    let t = wait_for(&live, "three participants", |t| {
        t.conferences
            .first()
            .is_some_and(|c| c.conferencecall_ids.len() == 3)
    })
    .await;
    assert_eq!(t.conferences.len(), 1);
    assert_eq!(t.conferences[0].name, "Escalation bridge");
    wait_for(&live, "the supervisor's mute", |t| {
        t.calls.iter().any(|c| {
            c.mute_direction
                .as_ref()
                .is_some_and(|d| d.as_str() == "in")
        })
    })
    .await;

    // Alice hangs up: the caller is left with the supervisor.
    let t = wait_for(&live, "alice leaving", |t| {
        t.calls
            .iter()
            .any(|c| c.owner_id == alice && c.status == Some(CallStatus::Hangup))
    })
    .await;
    assert!(t.conferences[0].status == Some(ConferenceStatus::Progressing));

    // The room ends, everyone leaves, and Alice is made available again.
    let t = wait_for(&live, "the end", |t| {
        t.conferences[0].status == Some(ConferenceStatus::Terminated)
            && t.agent(alice)
                .is_some_and(|a| a.status == Some(AgentStatus::Available))
    })
    .await;
    assert!(t.conferences[0].tm_delete.is_some() && t.conferences[0].tm_end.is_some());
    assert!(t
        .conferencecalls
        .iter()
        .all(|cc| cc.status == Some(ConferencecallStatus::Leaved)));
    live.shutdown().await.unwrap();
}

#[tokio::test]
async fn traffic_keeps_a_living_contact_center() {
    let traffic = TrafficConfig {
        seed: 11,
        calls_per_minute: 20.0,
        ..TrafficConfig::default()
    };
    let live = live(
        20.0,
        Activity {
            scenario: None,
            traffic: Some(traffic),
            ..Activity::default()
        },
    )
    .await;

    // Customers are bridged with agents...
    let t = wait_for(&live, "a customer talking to an agent", |t| {
        t.conferences.iter().any(|c| {
            let legs: Vec<_> = c
                .conferencecall_ids
                .iter()
                .filter_map(|id| t.conferencecall(*id))
                .filter_map(|cc| t.call(cc.reference_id))
                .collect();
            legs.iter().any(|call| call.agent_owner().is_none())
                && legs.iter().any(|call| call.agent_owner().is_some())
        })
    })
    .await;
    assert!(t.agents.iter().any(|a| a.status == Some(AgentStatus::Busy)));

    // ...and conversations end: rooms are torn down and calls hung up.
    let t = wait_for(&live, "conferences ending", |t| {
        t.conferences
            .iter()
            .filter(|c| c.status == Some(ConferenceStatus::Terminated))
            .count()
            >= 3
    })
    .await;
    assert!(t.calls.iter().any(|c| c.status == Some(CallStatus::Hangup)));
    // Every agent leg that ever joined belongs to a known agent.
    for call in &t.calls {
        if let Some(owner) = call.agent_owner() {
            assert!(t.agent(owner).is_some());
        }
    }
    live.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_rest_error_fault_answers_with_the_platform_envelope() {
    let mut config = EmulatorConfig::for_tests();
    config.faults = "rest_error=1.0".parse().unwrap();
    let live = start(config, Activity::default()).await.unwrap();
    let url = format!(
        "{}/v1.0/conferences?accesskey={}",
        live.emulator.base_url(),
        live.emulator.account.accesskey
    );
    let response = reqwest::get(&url).await.unwrap();
    assert_eq!(response.status(), 503);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["status"], "UNAVAILABLE");
    assert_eq!(body["error"]["reason"], "SERVICE_UNAVAILABLE");
    assert_eq!(body["error"]["request_id"], request_id.as_str());
    live.shutdown().await.unwrap();
}
