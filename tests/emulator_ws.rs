//! The emulator's WebSocket over loopback, driven as a real client would: subscription
//! rules, duplicates from prefix matching, keep-alive, drops, faults, and a whole
//! conference lifecycle seen frame by frame.

use std::collections::HashMap;
use std::time::Duration;

use bridgetop::emulator::director::Director;
use bridgetop::emulator::faults::FaultPlan;
use bridgetop::emulator::launch::{spawn, EmulatorConfig, RunningEmulator};
use bridgetop::emulator::scenario::StepAction;
use bridgetop::emulator::ws::WsConfig;
use bridgetop::voipbin::{
    decode_text, AgentStatus, CallStatus, ConferenceStatus, Resource, ResourceKind,
};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

const PATIENCE: Duration = Duration::from_secs(20);

async fn emulator(faults: &str, ws: WsConfig) -> RunningEmulator {
    let mut config = EmulatorConfig::for_tests();
    config.faults = faults.parse::<FaultPlan>().unwrap();
    config.ws = ws;
    config.platform.speed = 4.0;
    spawn(config).await.unwrap()
}

async fn connect(emu: &RunningEmulator, credential: &str) -> Ws {
    let url = format!("{}?{credential}", emu.ws_url());
    connect_async(url).await.expect("websocket upgrade").0
}

async fn connect_with_key(emu: &RunningEmulator) -> Ws {
    connect(emu, &format!("accesskey={}", emu.account.accesskey)).await
}

async fn send_json(ws: &mut Ws, value: serde_json::Value) {
    ws.send(Message::Text(value.to_string().into()))
        .await
        .unwrap();
}

fn customer_topics(emu: &RunningEmulator) -> Vec<String> {
    let c = emu.account.customer_id;
    ["conference", "call", "agent"]
        .iter()
        .map(|r| format!("customer_id:{c}:{r}:"))
        .collect()
}

/// Waits for the next text frame, answering nothing itself (tungstenite pongs for us).
async fn next_text(ws: &mut Ws, until: Instant) -> Option<String> {
    loop {
        let left = until.saturating_duration_since(Instant::now());
        match timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => return Some(text.to_string()),
            Ok(Some(Ok(_))) => continue,
            _ => return None,
        }
    }
}

/// Events published before the server has read our subscribe message are lost, as on the
/// platform; nudge an agent's status until a frame shows the subscription is live.
async fn wait_until_subscribed(emu: &RunningEmulator, ws: &mut Ws, frames: &mut Vec<String>) {
    let agent = emu.account.agents[0].id;
    let deadline = Instant::now() + PATIENCE;
    while Instant::now() < deadline {
        emu.platform
            .set_agent_status(emu.account.customer_id, agent, AgentStatus::Away)
            .unwrap();
        if let Some(text) = next_text(ws, Instant::now() + Duration::from_millis(300)).await {
            frames.push(text);
            return;
        }
    }
    panic!("subscription never delivered a frame");
}

/// Reads frames into `frames` until `done` holds for the last decoded one.
async fn read_until(
    ws: &mut Ws,
    frames: &mut Vec<String>,
    what: &str,
    done: impl Fn(&Resource) -> bool,
) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = next_text(ws, deadline)
            .await
            .unwrap_or_else(|| panic!("timed out waiting for {what}"));
        let resource = decode_text(&text).expect("every frame decodes").resource;
        frames.push(text);
        if done(&resource) {
            return;
        }
    }
}

/// The connection ends without a close frame (the platform drops the TCP connection).
async fn assert_dropped(ws: &mut Ws) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match timeout(left, ws.next()).await {
            Err(_) => panic!("connection was not dropped"),
            Ok(None) | Ok(Some(Err(_))) => return,
            Ok(Some(Ok(Message::Close(frame)))) => panic!("got a close frame {frame:?}"),
            Ok(Some(Ok(_))) => continue,
        }
    }
}

fn conference_with(
    id: Uuid,
    check: impl Fn(&bridgetop::voipbin::Conference) -> bool,
) -> impl Fn(&Resource) -> bool {
    move |r| matches!(r, Resource::Conference(c) if c.id == id && check(c))
}

#[tokio::test]
async fn a_conference_lifecycle_arrives_as_bare_duplicated_frames() {
    let emu = emulator("", WsConfig::default()).await;
    let customer = emu.account.customer_id;
    let mut ws = connect_with_key(&emu).await;
    send_json(
        &mut ws,
        serde_json::json!({"type": "subscribe", "topics": customer_topics(&emu)}),
    )
    .await;
    let mut frames = Vec::new();
    wait_until_subscribed(&emu, &mut ws, &mut frames).await;

    let mut director = Director::new(emu.platform.clone(), customer);
    let step = |s: &str| -> StepAction { toml::from_str(s).unwrap() };
    director
        .execute(&step(
            "action = \"create_conference\"\nconference = \"room\"\nname = \"Lifecycle\"",
        ))
        .unwrap();
    let room = emu.platform.list_live_conferences(customer)[0].id;
    read_until(
        &mut ws,
        &mut frames,
        "conference_created",
        conference_with(room, |_| true),
    )
    .await;

    director
        .execute(&step("action = \"dial_customer\"\nconference = \"room\"\nleg = \"caller\"\nfrom = \"+14155550123\""))
        .unwrap();
    read_until(
        &mut ws,
        &mut frames,
        "the customer joining",
        conference_with(room, |c| c.conferencecall_ids.len() == 1),
    )
    .await;

    director
        .execute(&step(
            "action = \"dial_agent\"\nconference = \"room\"\nleg = \"alice\"\nagent = \"alice\"",
        ))
        .unwrap();
    read_until(
        &mut ws,
        &mut frames,
        "the agent joining",
        conference_with(room, |c| c.conferencecall_ids.len() == 2),
    )
    .await;

    director
        .execute(&step(
            "action = \"mute\"\nleg = \"alice\"\ndirection = \"in\"",
        ))
        .unwrap();
    read_until(&mut ws, &mut frames, "the mute", |r| {
        matches!(r, Resource::Call(c) if c.mute_direction.as_ref().is_some_and(|d| d.as_str() == "in"))
    })
    .await;

    director
        .execute(&step("action = \"kick\"\nleg = \"caller\""))
        .unwrap();
    read_until(
        &mut ws,
        &mut frames,
        "the kick",
        conference_with(room, |c| c.conferencecall_ids.len() == 1),
    )
    .await;

    director
        .execute(&step("action = \"end\"\nconference = \"room\""))
        .unwrap();
    read_until(
        &mut ws,
        &mut frames,
        "the teardown",
        conference_with(room, |c| c.status == Some(ConferenceStatus::Terminated)),
    )
    .await;

    // Let the second copy of the last frame arrive.
    while let Some(text) = next_text(&mut ws, Instant::now() + Duration::from_millis(500)).await {
        frames.push(text);
    }

    let mut copies: HashMap<&str, usize> = HashMap::new();
    for text in &frames {
        *copies.entry(text.as_str()).or_default() += 1;
    }
    for (text, n) in &copies {
        assert_eq!(
            n % 2,
            0,
            "legacy and new topic forms give two copies each: {text}"
        );
    }

    let decoded: Vec<Resource> = frames
        .iter()
        .map(|t| decode_text(t).unwrap().resource)
        .collect();
    assert!(
        frames
            .iter()
            .all(|t| decode_text(t).unwrap().event_type.is_none()),
        "frames are bare"
    );
    assert!(
        decoded
            .iter()
            .all(|r| r.kind() != ResourceKind::Conferencecall),
        "no conferencecall events"
    );

    let rooms: Vec<&bridgetop::voipbin::Conference> = decoded
        .iter()
        .filter_map(|r| match r {
            Resource::Conference(c) if c.id == room => Some(c),
            _ => None,
        })
        .collect();
    let sizes: Vec<usize> = rooms.iter().map(|c| c.conferencecall_ids.len()).collect();
    let mut seen_sizes = sizes.clone();
    seen_sizes.dedup();
    assert!(
        seen_sizes.starts_with(&[0, 1, 2, 1]),
        "participants over time: {seen_sizes:?}"
    );
    let deleted_terminating = rooms
        .iter()
        .any(|c| c.tm_delete.is_some() && c.status == Some(ConferenceStatus::Terminating));
    let deleted_terminated = rooms
        .iter()
        .any(|c| c.tm_end.is_some() && c.status == Some(ConferenceStatus::Terminated));
    assert!(
        deleted_terminating && deleted_terminated,
        "conference_deleted comes twice"
    );

    // Without faults frames arrive in order: each call's status only moves forward.
    let mut last: HashMap<Uuid, CallStatus> = HashMap::new();
    for r in &decoded {
        if let Resource::Call(call) = r {
            let status = call.status.clone().unwrap();
            if let Some(prev) = last.get(&call.id) {
                assert!(
                    *prev == status || prev.can_move_to(&status),
                    "{prev} then {status}"
                );
            }
            last.insert(call.id, status);
        }
    }
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn nothing_is_sent_before_a_subscription() {
    let emu = emulator("", WsConfig::default()).await;
    let mut ws = connect_with_key(&emu).await;
    let agent = emu.account.agents[1].id;
    emu.platform
        .set_agent_status(emu.account.customer_id, agent, AgentStatus::Busy)
        .unwrap();
    assert_eq!(
        next_text(&mut ws, Instant::now() + Duration::from_millis(600)).await,
        None
    );
}

#[tokio::test]
async fn an_invalid_topic_drops_the_connection_without_a_close_frame() {
    let emu = emulator("", WsConfig::default()).await;
    for bad in [
        format!("customer_id:{}:call:", Uuid::new_v4()),
        "customer_id:not-a-uuid:call:".to_owned(),
        "tenant:1:call".to_owned(),
        format!("agent_id:{}:call:", emu.account.agents[0].id),
    ] {
        let mut ws = connect_with_key(&emu).await;
        let good = customer_topics(&emu)[0].clone();
        send_json(
            &mut ws,
            serde_json::json!({"type": "subscribe", "topics": [good, bad]}),
        )
        .await;
        assert_dropped(&mut ws).await;
    }
    // An unsubscribe is validated the same way.
    let mut ws = connect_with_key(&emu).await;
    send_json(
        &mut ws,
        serde_json::json!({"type": "unsubscribe", "topics": ["nope"]}),
    )
    .await;
    assert_dropped(&mut ws).await;
}

#[tokio::test]
async fn invalid_json_is_ignored_but_a_binary_frame_drops_the_connection() {
    let emu = emulator("", WsConfig::default()).await;
    let mut ws = connect_with_key(&emu).await;
    ws.send(Message::Text("{not json".into())).await.unwrap();
    send_json(
        &mut ws,
        serde_json::json!({"type": "subscribe", "topics": customer_topics(&emu)}),
    )
    .await;
    let mut frames = Vec::new();
    wait_until_subscribed(&emu, &mut ws, &mut frames).await;
    ws.send(Message::Binary(vec![1, 2, 3].into()))
        .await
        .unwrap();
    assert_dropped(&mut ws).await;
}

#[tokio::test]
async fn unsubscribing_the_identical_string_stops_delivery() {
    let emu = emulator("", WsConfig::default()).await;
    let mut ws = connect_with_key(&emu).await;
    let topics = customer_topics(&emu);
    send_json(
        &mut ws,
        serde_json::json!({"type": "subscribe", "topics": topics}),
    )
    .await;
    let mut frames = Vec::new();
    wait_until_subscribed(&emu, &mut ws, &mut frames).await;
    send_json(
        &mut ws,
        serde_json::json!({"type": "unsubscribe", "topics": [topics[2]]}),
    )
    .await;
    // Drain whatever was in flight, then agent events must stop.
    while next_text(&mut ws, Instant::now() + Duration::from_millis(500))
        .await
        .is_some()
    {}
    emu.platform
        .set_agent_status(
            emu.account.customer_id,
            emu.account.agents[2].id,
            AgentStatus::Busy,
        )
        .unwrap();
    assert_eq!(
        next_text(&mut ws, Instant::now() + Duration::from_millis(600)).await,
        None
    );
}

async fn login(emu: &RunningEmulator, permission: u64) -> (Uuid, String) {
    let agent = emu.account.agent_with_permission(permission).unwrap();
    let response: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/auth/login", emu.base_url()))
        .json(&serde_json::json!({"username": agent.username, "password": agent.password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (agent.id, response["token"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_agent_token_sees_only_its_own_calls() {
    let emu = emulator("", WsConfig::default()).await;
    let customer = emu.account.customer_id;
    let (agent, token) = login(&emu, 16).await;

    let mut refused = connect(&emu, &format!("token={token}")).await;
    send_json(&mut refused, serde_json::json!({"type": "subscribe", "topics": [format!("customer_id:{customer}:call:")]})).await;
    assert_dropped(&mut refused).await;

    let mut ws = connect(&emu, &format!("token={token}")).await;
    send_json(
        &mut ws,
        serde_json::json!({"type": "subscribe", "topics": [format!("agent_id:{agent}:call:")]}),
    )
    .await;
    let room = emu
        .platform
        .create_conference(
            customer,
            bridgetop::emulator::platform::ConferenceSpec {
                kind: "conference".into(),
                ..Default::default()
            },
        )
        .unwrap();
    // Re-dial until the subscription is in place (events before it are lost).
    let deadline = Instant::now() + PATIENCE;
    let text = loop {
        assert!(Instant::now() < deadline, "no call frame for the agent");
        emu.platform
            .dial_agent_into_conference(customer, agent, room.id)
            .unwrap();
        if let Some(text) = next_text(&mut ws, Instant::now() + Duration::from_millis(500)).await {
            break text;
        }
    };
    let Resource::Call(call) = decode_text(&text).unwrap().resource else {
        panic!("an agent_id:…:call: subscription delivers calls");
    };
    assert_eq!(call.owner_id, agent);
}

#[tokio::test]
async fn the_server_pings_and_drops_a_client_that_never_pongs() {
    let config = WsConfig {
        ping_interval: Duration::from_millis(100),
        pong_timeout: Duration::from_millis(500),
        ..WsConfig::default()
    };
    let emu = emulator("", config).await;

    let mut ws = connect_with_key(&emu).await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        match timeout(
            deadline.saturating_duration_since(Instant::now()),
            ws.next(),
        )
        .await
        {
            Ok(Some(Ok(Message::Ping(_)))) => break,
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a ping, got {other:?}"),
        }
    }
    // A client that keeps reading answers pings and stays connected past the timeout.
    let until = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < until {
        match timeout(Duration::from_millis(200), ws.next()).await {
            Err(_) | Ok(Some(Ok(_))) => {}
            other => panic!("a ponging client was dropped: {other:?}"),
        }
    }

    // A client that stops reading sends no pongs and is dropped.
    let mut silent = connect_with_key(&emu).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_dropped(&mut silent).await;
}

#[tokio::test]
async fn the_duplicate_fault_doubles_every_frame() {
    let emu = emulator("ws_dup=1.0", WsConfig::default()).await;
    let mut ws = connect_with_key(&emu).await;
    send_json(
        &mut ws,
        serde_json::json!({"type": "subscribe", "topics": customer_topics(&emu)}),
    )
    .await;
    let mut frames = Vec::new();
    wait_until_subscribed(&emu, &mut ws, &mut frames).await;
    while let Some(text) = next_text(&mut ws, Instant::now() + Duration::from_millis(500)).await {
        frames.push(text);
    }
    let mut copies: HashMap<&str, usize> = HashMap::new();
    for text in &frames {
        *copies.entry(text.as_str()).or_default() += 1;
    }
    assert!(copies.values().all(|n| n % 4 == 0), "{copies:?}");
}

#[tokio::test]
async fn the_drop_fault_cuts_connections_periodically() {
    let emu = emulator("ws_drop=every:300ms", WsConfig::default()).await;
    let mut ws = connect_with_key(&emu).await;
    assert_dropped(&mut ws).await;
}

#[tokio::test]
async fn the_upgrade_needs_credentials() {
    let emu = emulator("", WsConfig::default()).await;
    let err = connect_async(emu.ws_url()).await.unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(response) => {
            assert_eq!(response.status(), 401);
            let body: serde_json::Value =
                serde_json::from_slice(response.body().as_deref().unwrap_or_default()).unwrap();
            assert_eq!(body["error"]["reason"], "AUTHENTICATION_REQUIRED");
        }
        other => panic!("expected an HTTP 401, got {other:?}"),
    }
}
