//! The emulator's REST surface against PROTOCOL.md §1–7: auth, envelopes, request ids,
//! pagination, permissions, call control, rate limits, and no panics on garbage.

mod emulator_support;

use bridgetop::emulator::auth::issue_token_expiring;
use bridgetop::emulator::launch::EmulatorConfig;
use bridgetop::emulator::ratelimit::{Rate, RateLimitConfig};
use emulator_support::{eventually, id_of, status_json, Emu};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

fn reason(body: &Value) -> &str {
    body["error"]["reason"].as_str().unwrap_or("")
}

#[tokio::test]
async fn ping_and_request_ids() {
    let emu = Emu::start().await;
    let res = emu.http.get(emu.url("/ping")).send().await.unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.starts_with("req_") && id.len() == 30, "{id}");
    assert_eq!(
        res.json::<Value>().await.unwrap(),
        json!({"message": "pong"})
    );

    // A safe client id is echoed, into the header and into the envelope.
    let res = emu
        .http
        .get(emu.url("/v1.0/conferences"))
        .header("X-Request-Id", "client_id-42")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "client_id-42");
    let (status, body) = status_json(res).await;
    assert_eq!(status, 401);
    assert_eq!(body["error"]["request_id"], "client_id-42");

    // An unsafe one is replaced.
    let res = emu
        .http
        .get(emu.url("/v1.0/nope"))
        .header("X-Request-Id", "has space!")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.starts_with("req_"));
    let (_, body) = status_json(res).await;
    assert_eq!(body["error"]["request_id"], id.as_str());
}

#[tokio::test]
async fn credentials_are_looked_up_in_the_platforms_order() {
    let emu = Emu::start().await;
    let url = emu.url("/v1.0/customer");
    let key = emu.key().to_owned();

    let (s, b) = status_json(emu.http.get(&url).send().await.unwrap()).await;
    assert_eq!((s, reason(&b)), (401, "AUTHENTICATION_REQUIRED"));
    assert_eq!(b["error"]["status"], "UNAUTHENTICATED");

    // Access keys work only as cookie or ?accesskey=.
    let (s, b) = status_json(
        emu.http
            .get(&url)
            .query(&[("accesskey", &key)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(b["id"], emu.customer().to_string());
    assert_eq!(b["status"], "active");
    let s = emu
        .http
        .get(&url)
        .header("Cookie", format!("accesskey={key}"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 200);

    // A key where a JWT is expected is parsed as a JWT and fails.
    let (s, b) = status_json(emu.http.get(&url).bearer_auth(&key).send().await.unwrap()).await;
    assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"));
    let (s, b) = status_json(
        emu.http
            .get(&url)
            .query(&[("token", &key)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"));

    // First found wins: a stale token cookie beats a valid ?accesskey=.
    let (s, b) = status_json(
        emu.http
            .get(&url)
            .header("Cookie", "token=stale")
            .query(&[("accesskey", &key)])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"));

    let (s, b) = status_json(
        emu.http
            .get(&url)
            .query(&[("accesskey", "vb_unknown")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"));
    assert!(
        !b.to_string().contains("vb_unknown"),
        "secrets stay out of errors"
    );
}

#[tokio::test]
async fn login_issues_a_seven_day_agent_jwt() {
    let emu = Emu::start().await;
    let sup = emu.run.account.agent_with_permission(64).unwrap().clone();
    let res = emu
        .http
        .post(emu.url("/auth/login"))
        .json(&json!({"username": sup.username, "password": sup.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert_eq!(body["username"], sup.username.as_str());
    assert_eq!(
        cookie,
        format!("token={token}; Path=/; Max-Age=604800; Secure; HttpOnly; SameSite=Strict")
    );
    assert!(token.starts_with("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."));

    // Claims: type agent, the agent snapshot, a custom `expire` 7 days out.
    use base64::Engine;
    let payload = token.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["type"], "agent");
    assert_eq!(claims["agent"]["id"], sup.id.to_string());
    assert_eq!(claims["agent"]["permission"], 64);
    let expire = bridgetop::voipbin::time::parse(claims["expire"].as_str().unwrap())
        .unwrap()
        .unwrap();
    let days = (expire - emu.run.platform.now()).num_hours();
    assert!((167..=168).contains(&days), "{days}h");
    assert_eq!(claims["expire"].as_str().unwrap().len(), 27);

    // The token works as Bearer, ?token= and cookie.
    let me = emu
        .v1_token(token, Method::GET, "/me")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap()["id"], sup.id.to_string());
    let s = emu
        .http
        .get(emu.url("/v1.0/conferences"))
        .query(&[("token", token)])
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 200);
    let s = emu
        .http
        .get(emu.url("/v1.0/conferences"))
        .header("Cookie", format!("token={token}"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 200);
}

#[tokio::test]
async fn login_failures_are_bare_400s() {
    let emu = Emu::start().await;
    let agent = emu.run.account.agents[0].clone();
    let bodies = [
        json!({"username": agent.username, "password": "wrong"}).to_string(),
        json!({"username": "nobody", "password": agent.password}).to_string(),
        json!({"username": agent.username}).to_string(),
        "{not json".to_owned(),
        String::new(),
    ];
    for body in bodies {
        let res = emu
            .http
            .post(emu.url("/auth/login"))
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body}");
        assert!(res.headers().get("x-request-id").is_some());
        assert_eq!(res.text().await.unwrap(), "", "{body}");
    }
}

#[tokio::test]
async fn expired_or_forged_tokens_are_refused() {
    let emu = Emu::start().await;
    let sup = emu.run.account.agent_with_permission(64).unwrap().id;
    let agent = emu.run.platform.agent(emu.customer(), sup).unwrap();
    let past = emu.run.platform.now() - chrono::Duration::seconds(1);
    let expired = issue_token_expiring(&emu.run.platform, &agent, past);
    let (s, b) = status_json(
        emu.v1_token(&expired, Method::GET, "/me")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"));

    let future = emu.run.platform.now() + chrono::Duration::hours(1);
    let good = issue_token_expiring(&emu.run.platform, &agent, future);
    // Same signature, payload claiming another permission.
    let parts: Vec<&str> = good.split('.').collect();
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let claims = String::from_utf8(b64.decode(parts[1]).unwrap()).unwrap();
    let tampered = b64.encode(claims.replace("\"permission\":64", "\"permission\":65535"));
    assert_ne!(tampered, parts[1]);
    let forged = format!("{}.{}.{}", parts[0], tampered, parts[2]);
    for token in [forged.as_str(), "a.b.c", "garbage", "..."] {
        let (s, b) = status_json(
            emu.v1_token(token, Method::GET, "/me")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((s, reason(&b)), (401, "INVALID_CREDENTIALS"), "{token}");
    }
    let s = emu
        .v1_token(&good, Method::GET, "/me")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 200);
}

#[tokio::test]
async fn plain_agents_get_403_on_supervisor_endpoints() {
    let emu = Emu::start().await;
    let plain = emu.run.account.agent_with_permission(16).unwrap().clone();
    let other = emu.run.account.agents[1].id;
    let token = emu.login(&plain.username, &plain.password).await;
    for path in [
        "/conferences",
        "/conferencecalls",
        "/calls",
        "/agents",
        "/customer",
    ] {
        let (s, b) = status_json(
            emu.v1_token(&token, Method::GET, path)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((s, reason(&b)), (403, "PERMISSION_DENIED"), "{path}");
        assert_eq!(b["error"]["status"], "PERMISSION_DENIED");
    }
    // Itself: yes. Someone else: no.
    let own = format!("/agents/{}", plain.id);
    let (s, b) = status_json(
        emu.v1_token(&token, Method::GET, &own)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(b["permission"], 16);
    let (s, _) = status_json(
        emu.v1_token(&token, Method::GET, &format!("/agents/{other}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 403);
    let res = emu
        .v1_token(&token, Method::PUT, &format!("{own}/status"))
        .json(&json!({"status": "away"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "away");

    // /me refuses access keys.
    let (s, b) = emu.json(Method::GET, "/me", None).await;
    assert_eq!((s, reason(&b)), (403, "AGENT_AUTH_REQUIRED"));
}

#[tokio::test]
async fn other_customers_resources_are_403_not_404() {
    let emu = Emu::start().await;
    let (_, other_key) = emu.run.platform.add_customer("Other Corp");
    let conf = emu.create_conference(json!({"type": "conference"})).await;
    let id = id_of(&conf);
    for (method, path) in [
        (Method::GET, format!("/conferences/{id}")),
        (Method::DELETE, format!("/conferences/{id}")),
    ] {
        let (s, b) = status_json(emu.v1_as(&other_key, method, &path).send().await.unwrap()).await;
        assert_eq!((s, reason(&b)), (403, "PERMISSION_DENIED"), "{path}");
    }
    // And it does not show up in their lists.
    let (s, b) = status_json(
        emu.v1_as(&other_key, Method::GET, "/conferences")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(b, json!({"result": [], "next_page_token": ""}));
    // An unknown id of the right shape is a 404.
    let (s, b) = emu
        .json(
            Method::GET,
            &format!("/conferences/{}", Uuid::new_v4()),
            None,
        )
        .await;
    assert_eq!((s, reason(&b)), (404, "CONFERENCE_NOT_FOUND"));
    assert_eq!(b["error"]["status"], "NOT_FOUND");
}

#[tokio::test]
async fn pagination_is_newest_first_with_strict_tokens() {
    let emu = Emu::start().await;
    let mut created = Vec::new();
    for i in 0..5 {
        let c = emu
            .create_conference(json!({"type": "conference", "name": format!("room {i}")}))
            .await;
        created.push(c["id"].as_str().unwrap().to_owned());
    }
    // Hidden from the list: other types and deleted rooms.
    emu.create_conference(json!({"type": "connect"})).await;
    let gone = emu.create_conference(json!({"type": "conference"})).await;
    let (s, _) = emu
        .json(
            Method::DELETE,
            &format!("/conferences/{}", id_of(&gone)),
            None,
        )
        .await;
    assert_eq!(s, 200);

    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let page = emu
            .get(&format!("/conferences?page_size=2&page_token={token}"))
            .await;
        let items = page["result"].as_array().unwrap().clone();
        if items.is_empty() {
            assert_eq!(page, json!({"result": [], "next_page_token": ""}));
            break;
        }
        assert!(items.len() <= 2);
        let last = items.last().unwrap();
        let next = page["next_page_token"].as_str().unwrap().to_owned();
        let last_t = bridgetop::voipbin::time::parse(last["tm_create"].as_str().unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(next, bridgetop::voipbin::time::format_page_token(&last_t));
        seen.extend(items.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        token = next;
    }
    created.reverse();
    assert_eq!(seen, created, "newest first, nothing skipped or repeated");

    for size in ["0", "-3", "101", "100"] {
        let page = emu.get(&format!("/conferences?page_size={size}")).await;
        assert_eq!(
            page["result"].as_array().unwrap().len(),
            5,
            "page_size={size}"
        );
    }
    let (s, b) = emu
        .json(Method::GET, "/conferences?page_size=abc", None)
        .await;
    assert_eq!((s, reason(&b)), (400, "INVALID_REQUEST_PARAMETER"));
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_bad_input_get_envelopes() {
    let emu = Emu::start().await;
    let conf = emu.create_conference(json!({"type": "conference"})).await;
    let id = id_of(&conf);
    let cases: Vec<(Method, String, u16, &str)> = vec![
        (Method::GET, "/v1.0/nothing".into(), 404, "ROUTE_NOT_FOUND"),
        (
            Method::GET,
            "/v1/conferences".into(),
            404,
            "ROUTE_NOT_FOUND",
        ),
        (
            Method::PATCH,
            "/v1.0/conferences".into(),
            404,
            "ROUTE_NOT_FOUND",
        ),
        (
            Method::GET,
            format!("/v1.0/calls/{id}/hangup"),
            404,
            "ROUTE_NOT_FOUND",
        ),
        (
            Method::POST,
            format!("/v1.0/conferences/{id}"),
            404,
            "ROUTE_NOT_FOUND",
        ),
        (Method::GET, "/auth/login".into(), 404, "ROUTE_NOT_FOUND"),
        (
            Method::GET,
            "/v1.0/conferences/not-a-uuid".into(),
            400,
            "INVALID_ID",
        ),
        (
            Method::DELETE,
            "/v1.0/conferencecalls/123".into(),
            400,
            "INVALID_ID",
        ),
        (
            Method::GET,
            "/v1.0/agents?tag_ids=".into(),
            400,
            "INVALID_REQUEST_PARAMETER",
        ),
        (
            Method::GET,
            "/v1.0/agents?status=sleeping".into(),
            400,
            "INVALID_REQUEST_PARAMETER",
        ),
    ];
    for (method, path, status, why) in cases {
        let res = emu
            .http
            .request(method.clone(), emu.url(&path))
            .query(&[("accesskey", emu.key())])
            .send()
            .await
            .unwrap();
        let rid = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        let (s, b) = status_json(res).await;
        assert_eq!((s, reason(&b)), (status, why), "{method} {path}: {b}");
        assert_eq!(b["error"]["request_id"], rid.as_str());
    }
    // Bodies: malformed, empty, wrong types ⇒ INVALID_JSON_BODY, never axum's text.
    for body in ["{", "", "[1,2]", "{\"timeout\": \"long\"}", "null"] {
        let res = emu
            .v1(Method::POST, "/conferences")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let (s, b) = status_json(res).await;
        assert_eq!((s, reason(&b)), (400, "INVALID_JSON_BODY"), "body {body:?}");
    }
}

#[tokio::test]
async fn conference_create_update_and_key_presence() {
    let emu = Emu::start().await;
    let conf = emu
        .create_conference(json!({
            "type": "conference", "name": "Escalation", "detail": "tier 2",
            "data": {"ticket": "T-1"}, "timeout": 30, "pre_flow_id": "garbage"
        }))
        .await;
    assert_eq!(conf["status"], "progressing");
    assert_eq!(conf["timeout"], 86400, "1..59 becomes a day");
    assert_eq!(conf["pre_flow_id"], Uuid::nil().to_string());
    assert_eq!(conf["recording_id"], Uuid::nil().to_string());
    assert!(conf["direct_hash"].as_str().unwrap().starts_with("direct."));
    assert!(conf.get("conferencecall_ids").is_none());
    assert!(conf["tm_update"].is_null() && conf["tm_delete"].is_null() && conf["tm_end"].is_null());

    // Client-chosen id; reuse fails with 500.
    let chosen = Uuid::new_v4();
    let c = emu
        .create_conference(json!({"type": "conference", "id": chosen}))
        .await;
    assert_eq!(c["id"], chosen.to_string());
    let (s, b) = emu
        .json(Method::POST, "/conferences", Some(json!({"id": chosen})))
        .await;
    assert_eq!((s, reason(&b)), (500, "INTERNAL"));

    // No type: no `type` key, a connect-style room, not listed.
    let untyped = emu.create_conference(json!({})).await;
    assert!(untyped.get("type").is_none());

    // PUT is a full replace: omitted keys are emptied.
    let id = id_of(&conf);
    let (s, updated) = emu
        .json(
            Method::PUT,
            &format!("/conferences/{id}"),
            Some(json!({"name": "Renamed"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(updated["name"], "Renamed");
    assert!(updated.get("detail").is_none() && updated.get("data").is_none());
    assert!(updated.get("timeout").is_none());
    assert!(updated["tm_update"].is_string());
}

#[tokio::test]
async fn recording_start_has_the_zero_object_bug_and_emits_nothing() {
    let emu = Emu::start().await;
    let mut events = emu.events();
    let conf = emu.create_conference(json!({"type": "conference"})).await;
    let id = id_of(&conf);
    let path = format!("/conferences/{id}");
    let body = json!({"format": "wav", "duration": 0, "on_end_flow_id": ""});

    let (s, started) = emu
        .json(
            Method::POST,
            &format!("{path}/recording_start"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 200);
    let recording = started["recording_id"].as_str().unwrap().to_owned();
    assert_ne!(recording, Uuid::nil().to_string());
    assert_eq!(started["recording_ids"], json!([recording]));

    // Already recording: 200 with an all-zero conference.
    let (s, zero) = emu
        .json(
            Method::POST,
            &format!("{path}/recording_start"),
            Some(body.clone()),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(zero["id"], Uuid::nil().to_string());
    assert!(zero.get("status").is_none());

    let (s, stopped) = emu
        .json(Method::POST, &format!("{path}/recording_stop"), None)
        .await;
    assert_eq!(s, 200);
    assert_eq!(stopped["recording_id"], Uuid::nil().to_string());
    let (s, b) = emu
        .json(Method::POST, &format!("{path}/recording_stop"), None)
        .await;
    assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"));

    // Not progressing: the zero object again.
    emu.json(Method::DELETE, &path, None).await;
    let (s, zero) = emu
        .json(Method::POST, &format!("{path}/recording_start"), Some(body))
        .await;
    assert_eq!(s, 200);
    assert_eq!(zero["id"], Uuid::nil().to_string());

    events.drain();
    let types = events.types_about(id);
    assert_eq!(
        types,
        [
            "conference_created",
            "conference_updated",
            "conference_deleted"
        ],
        "recording changes emit no conference_updated"
    );
}

/// Starts an outgoing call to a plain number that sits in a conference; waits until joined.
async fn call_in_conference(emu: &Emu) -> (Uuid, Uuid) {
    let conf = emu.create_conference(json!({"type": "conference"})).await;
    let conf_id = id_of(&conf);
    let (s, out) = emu
        .json(
            Method::POST,
            "/calls",
            Some(json!({
                "source": {"type": "tel", "target": "+18885550100"},
                "destinations": [{"type": "tel", "target": "+15550001111"}],
                "actions": [{"type": "conference_join", "option": {"conference_id": conf_id}}]
            })),
        )
        .await;
    assert_eq!(s, 200, "{out}");
    assert_eq!(out["groupcalls"], json!([]));
    let call_id = id_of(&out["calls"][0]);
    assert_eq!(out["calls"][0]["status"], "dialing");
    eventually("call joined", || async {
        let c = emu.get(&format!("/conferences/{conf_id}")).await;
        c.get("conferencecall_ids").map(|_| ())
    })
    .await;
    (conf_id, call_id)
}

#[tokio::test]
async fn call_control_answers_empty_200s_and_hold_is_invisible() {
    let emu = Emu::start().await;
    let (_, call_id) = call_in_conference(&emu).await;
    let path = format!("/calls/{call_id}");
    let before = emu.get(&path).await;
    let mut events = emu.events();
    for (method, action) in [
        (Method::POST, "hold"),
        (Method::DELETE, "hold"),
        (Method::POST, "moh"),
        (Method::DELETE, "moh"),
        (Method::POST, "silence"),
        (Method::DELETE, "silence"),
    ] {
        let res = emu
            .v1(method.clone(), &format!("{path}/{action}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{method} {action}");
        assert_eq!(res.text().await.unwrap(), "", "{method} {action}");
    }
    assert_eq!(emu.get(&path).await, before, "hold stores nothing");
    events.drain();
    assert!(events.about(call_id).is_empty(), "hold emits nothing");

    // Mute needs a body, even to unmute; `{}` means both.
    for method in [Method::POST, Method::DELETE] {
        let (s, b) = status_json(
            emu.v1(method.clone(), &format!("{path}/mute"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!((s, reason(&b)), (400, "INVALID_JSON_BODY"), "{method}");
    }
    let res = emu
        .v1(Method::POST, &format!("{path}/mute"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "");
    assert_eq!(emu.get(&path).await["mute_direction"], "both");
    let i = events
        .wait_for("call_updated with mute", |t, v| {
            t == "call_updated" && v["mute_direction"] == "both"
        })
        .await;
    assert_eq!(events.seen[i].1["id"], call_id.to_string());
    let res = emu
        .v1(Method::DELETE, &format!("{path}/mute"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "");
    assert!(emu.get(&path).await.get("mute_direction").is_none());

    let (s, b) = emu
        .json(
            Method::POST,
            &format!("{path}/mute"),
            Some(json!({"direction": "sideways"})),
        )
        .await;
    assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"));

    // A dead channel: 400 INVALID_ARGUMENT.
    emu.run
        .platform
        .remote_hangup(emu.customer(), call_id)
        .unwrap();
    let (s, b) = emu.json(Method::POST, &format!("{path}/hold"), None).await;
    assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"));
    let (s, b) = emu
        .json(Method::POST, &format!("{path}/mute"), Some(json!({})))
        .await;
    assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"));
}

#[tokio::test]
async fn mute_direction_is_bookkeeping_not_a_union() {
    let emu = Emu::start().await;
    let (_, call_id) = call_in_conference(&emu).await;
    let path = format!("/calls/{call_id}");
    // (method, direction, stored afterwards), run in sequence.
    let table: [(Method, &str, Option<&str>); 10] = [
        (Method::POST, "in", Some("in")),
        (Method::POST, "out", Some("out")),
        (Method::DELETE, "in", Some("out")),
        (Method::DELETE, "out", None),
        (Method::POST, "both", Some("both")),
        (Method::DELETE, "in", Some("out")),
        (Method::POST, "both", Some("both")),
        (Method::DELETE, "out", Some("in")),
        (Method::DELETE, "both", Some("in")),
        (Method::DELETE, "in", None),
    ];
    for (i, (method, dir, stored)) in table.into_iter().enumerate() {
        let res = emu
            .v1(method.clone(), &format!("{path}/mute"))
            .json(&json!({ "direction": dir }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "step {i}");
        let call = emu.get(&path).await;
        assert_eq!(
            call["mute_direction"].as_str(),
            stored,
            "step {i}: {method} {dir}"
        );
    }
}

#[tokio::test]
async fn originate_validates_its_input() {
    let emu = Emu::start().await;
    let bad = [
        json!({"actions": [{"type": "talk"}]}),
        json!({"actions": [{"type": "talk"}], "destinations": [{"type": "email", "target": "a@b"}]}),
        json!({"actions": [{"type": "talk"}], "destinations": [{"type": "agent", "target": Uuid::new_v4()}]}),
    ];
    for body in bad {
        let (s, b) = emu.json(Method::POST, "/calls", Some(body.clone())).await;
        assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"), "{body}");
    }
}

#[tokio::test]
async fn agents_list_filters_and_status_updates() {
    let emu = Emu::start().await;
    let page = emu.get("/agents").await;
    assert_eq!(page["result"].as_array().unwrap().len(), 12);
    let a = page["result"][0].clone();
    assert!(a["tag_ids"].is_array() && a["addresses"].is_array());
    assert!(
        a.get("tm_update").is_none(),
        "agent timestamps are omitted when unset"
    );
    let id = id_of(&a);
    let mut events = emu.events();
    let (s, updated) = emu
        .json(
            Method::PUT,
            &format!("/agents/{id}/status"),
            Some(json!({"status": "away"})),
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(updated["status"], "away");
    events
        .wait_for("agent_status_updated", |t, v| {
            t == "agent_status_updated" && v["status"] == "away"
        })
        .await;
    let away = emu.get("/agents?status=away").await;
    assert_eq!(away["result"].as_array().unwrap().len(), 1);
    let tagged = emu
        .get(&format!("/agents?tag_ids={}", Uuid::new_v4()))
        .await;
    assert_eq!(tagged["result"], json!([]));
    let (s, b) = emu
        .json(
            Method::PUT,
            &format!("/agents/{id}/status"),
            Some(json!({"status": "asleep"})),
        )
        .await;
    assert_eq!((s, reason(&b)), (400, "INVALID_ARGUMENT"));
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let mut config = EmulatorConfig::for_tests();
    // Slow refill so the outcome does not depend on how fast this machine is.
    config.rate_limit = RateLimitConfig {
        enabled: true,
        customer: Rate::new(0.05, 3.0),
        ip_v1: Rate::new(200.0, 400.0),
        ip_auth: Rate::new(0.05, 2.0),
    };
    let emu = Emu::start_with(config).await;
    for _ in 0..3 {
        let (s, _) = emu.json(Method::GET, "/customer", None).await;
        assert_eq!(s, 200);
    }
    let res = emu.v1(Method::GET, "/customer").send().await.unwrap();
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    let (_, b) = status_json(res).await;
    assert_eq!(reason(&b), "RATE_LIMIT_EXCEEDED");
    assert_eq!(b["error"]["status"], "RESOURCE_EXHAUSTED");
    assert_eq!(b["error"]["details"], json!([{"limited_by": "customer"}]));

    // The budget is the customer's, shared by every identity of it.
    let sup = emu.run.account.agent_with_permission(64).unwrap().clone();
    let token = emu.login(&sup.username, &sup.password).await;
    let s = emu
        .v1_token(&token, Method::GET, "/customer")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(s, 429);

    // /auth has its own per-IP budget (one login used above).
    let _ = emu
        .http
        .post(emu.url("/auth/login"))
        .body("{}")
        .send()
        .await
        .unwrap();
    let res = emu
        .http
        .post(emu.url("/auth/login"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    assert!(res.headers().get("retry-after").is_some());
    let (_, b) = status_json(res).await;
    assert_eq!(b["error"]["details"], json!([{"limited_by": "ip"}]));
}

#[tokio::test]
async fn garbage_never_panics_the_server() {
    let emu = Emu::start().await;
    let id = Uuid::new_v4();
    let paths = [
        "/v1.0/conferences".to_owned(),
        format!("/v1.0/conferences/{id}"),
        format!("/v1.0/conferences/{id}/recording_start"),
        "/v1.0/calls".to_owned(),
        format!("/v1.0/calls/{id}/mute"),
        format!("/v1.0/agents/{id}/status"),
        "/auth/login".to_owned(),
        "/v1.0/conferences/%ZZ".to_owned(),
        "/v1.0/calls?page_token=yesterday&page_size=99999999999999999999".to_owned(),
        "/v1.0/agents?tag_ids=,,,".to_owned(),
        "/v1.0//calls".to_owned(),
        format!("/v1.0/conferences/{}", "9".repeat(5000)),
    ];
    let bodies: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"{\"destinations\": [{\"type\": 7}], \"actions\": {}}",
        b"{\"type\": null, \"data\": [], \"timeout\": 1e400}",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"{\"direction\": {\"nested\": true}, \"status\": 42}",
    ];
    for path in &paths {
        for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            for body in bodies {
                let res = emu
                    .http
                    .request(method.clone(), emu.url(path))
                    .query(&[("accesskey", emu.key())])
                    .header("Content-Type", "application/json")
                    .body(body.to_vec())
                    .send()
                    .await
                    .unwrap();
                let status = res.status().as_u16();
                assert!(
                    status < 500 || status == 500 && path.ends_with("/conferences"),
                    "{method} {path}: {status}"
                );
            }
        }
    }
    // Absurd timeouts are refused (see emulator_server.rs); the largest sane one arms a
    // timer that far out, nothing worse.
    let largest = bridgetop::emulator::rest::MAX_TIMEOUT_SECONDS;
    for timeout in [largest, 59] {
        emu.create_conference(json!({"type": "conference", "timeout": timeout}))
            .await;
    }
    let res = emu.http.get(emu.url("/ping")).send().await.unwrap();
    assert_eq!(res.status(), 200);
}
