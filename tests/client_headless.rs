//! The real binary against the in-process emulator: `snapshot --json`, `watch --jsonl`,
//! the one-shot commands with their audit lines and exit codes, and no secret anywhere in
//! what it prints or writes.

mod client_common;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use client_common::*;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use uuid::Uuid;

use bridgetop::emulator::launch::RunningEmulator;
use bridgetop::emulator::platform::Platform;

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bridgetop-headless-{name}-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn command(emu: &RunningEmulator, dir: &Path, key: &str) -> tokio::process::Command {
    let mut cmd = bridgetop(&api_url(emu), dir, key);
    cmd.env("RUST_LOG", "trace");
    cmd
}

/// Runs the binary; whatever it prints must not contain the key it was given.
async fn run(emu: &RunningEmulator, dir: &Path, key: &str, args: &[&str]) -> Output {
    let out = command(emu, dir, key)
        .args(args)
        .output()
        .await
        .expect("binary runs");
    assert!(!text(&out).contains(key), "{args:?} printed the access key");
    out
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Waits (bounded) until the conference lists `legs` participants.
async fn joined_legs(
    platform: &Platform,
    customer: Uuid,
    conference: Uuid,
    legs: usize,
) -> Vec<Uuid> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let ids = platform
            .conference(customer, conference)
            .unwrap()
            .conferencecall_ids;
        if ids.len() >= legs {
            return ids;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "participants never joined"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headless_modes_against_the_emulator() {
    let emu = emulator(21, "", 10.0).await;
    let key = emu.account.accesskey.clone();
    let platform = emu.platform.clone();
    let customer = emu.account.customer_id;
    let dir = data_dir("main");

    let conference = platform
        .create_conference(customer, conference_spec("escalation"))
        .unwrap()
        .id;
    platform.customer_joins_conference(customer, "+14155550123", conference);
    platform.customer_joins_conference(customer, "+14155550124", conference);
    let legs = joined_legs(&platform, customer, conference, 2).await;
    let leg = legs[0];
    let call = platform.conferencecall(customer, leg).unwrap().reference_id;

    // watch: starts following; a change made now must show up as a line.
    let mut watcher = spawn_watch(command(&emu, &dir, &key), Stdio::piped());
    let mut lines = BufReader::new(watcher.stdout.take().unwrap()).lines();
    let mut watched = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut muted_by_platform = false;
    loop {
        let line = tokio::time::timeout_at(deadline, lines.next_line())
            .await
            .expect("watch printed the expected lines in time")
            .unwrap()
            .expect("watch keeps running");
        let value: Value = serde_json::from_str(&line).expect("every line is JSON");
        watched.push(line.clone());
        if value["change"] == "connection"
            && value["connection"]["state"] == "live"
            && !muted_by_platform
        {
            platform
                .mute(customer, call, bridgetop::voipbin::MuteDirection::Both)
                .unwrap();
            muted_by_platform = true;
        }
        if value["change"] == "participant_updated"
            && value["participant"]["conferencecall_id"] == leg.to_string()
            && value["participant"]["muted"] == true
        {
            break;
        }
    }
    assert!(watched.iter().any(|l| l.contains("\"conference_added\"")));
    // Every line is numbered in order and stamped with when it was written.
    for (n, line) in watched.iter().enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["seq"], n as u64 + 1, "{line}");
        assert!(
            value["at"].as_str().is_some_and(|at| at.ends_with('Z')),
            "{line}"
        );
    }
    watcher.kill().await.unwrap();
    platform
        .unmute(customer, call, bridgetop::voipbin::MuteDirection::Both)
        .unwrap();

    // snapshot: the document holds the room and both participants.
    let out = run(&emu, &dir, &key, &["snapshot", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("snapshot prints JSON");
    let room = doc["conferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == conference.to_string())
        .expect("the room is in the snapshot");
    assert_eq!(room["participants"].as_array().unwrap().len(), 2);

    // one-shot commands, by conferencecall id and by call id.
    let out = run(
        &emu,
        &dir,
        &key,
        &["mute", &leg.to_string(), "--direction", "in"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    let muted = platform.call(customer, call).unwrap().mute_direction;
    assert_eq!(muted.map(|m| m.as_str().to_string()).as_deref(), Some("in"));
    let out = run(
        &emu,
        &dir,
        &key,
        &["unmute", &call.to_string(), "--direction", "in"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(platform.call(customer, call).unwrap().mute_direction, None);

    let out = run(&emu, &dir, &key, &["hold", &call.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));
    let ledger = std::fs::read_to_string(bridgetop::store::ledger_file::ledger_path(&dir)).unwrap();
    assert!(
        ledger.contains(&call.to_string()),
        "hold is in the ledger: {ledger}"
    );
    let out = run(&emu, &dir, &key, &["unhold", &leg.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));

    let out = run(&emu, &dir, &key, &["kick", &call.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));

    let stranger = Uuid::new_v4().to_string();
    let out = run(&emu, &dir, &key, &["hangup", &stranger]).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);

    let out = run(&emu, &dir, &key, &["end", &conference.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(platform
        .conference(customer, conference)
        .unwrap()
        .tm_delete
        .is_some());

    // auth and network failures: non-zero, one line.
    let out = run(&emu, &dir, "vb_wrongkey", &["snapshot", "--json"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    let mut offline = command(&emu, &dir, &key);
    let out = offline
        .args(["snapshot", "--json", "--url", "http://127.0.0.1:9/v1.0"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(
        !text(&out).contains(&key),
        "network failure printed the key"
    );

    // the audit trail: one line per command, accepted ones with request ids.
    let audit = std::fs::read_to_string(dir.join("audit.jsonl")).unwrap();
    let entries: Vec<Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Each command: a `sent` line before the request, then its outcome, with one intent id.
    let (sent, outcomes): (Vec<&Value>, Vec<&Value>) =
        entries.iter().partition(|e| e["result"] == "sent");
    let actions = |lines: &[&Value]| -> Vec<String> {
        lines
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect()
    };
    // The unknown id never reached the platform: nothing to audit.
    let expected = ["mute", "unmute", "hold", "unhold", "kick", "end"];
    assert_eq!(actions(&outcomes), expected);
    assert_eq!(actions(&sent), expected);
    for (sent, outcome) in sent.iter().zip(&outcomes) {
        assert_eq!(sent["intent"], outcome["intent"]);
        assert_eq!(outcome["result"], "accepted");
        assert_eq!(outcome["profile"], "default");
        assert!(outcome["time"].is_string());
        assert!(
            outcome["request_id"].is_string(),
            "request id kept: {outcome}"
        );
    }
    assert_eq!(outcomes[0]["conference"], conference.to_string());
    assert_eq!(outcomes[0]["conferencecall"], leg.to_string());
    assert_eq!(outcomes[0]["call"], call.to_string());

    // secrets: not in output, the audit trail or the log.
    let log = std::fs::read_to_string(dir.join("bridgetop.log")).unwrap_or_default();
    assert!(!log.is_empty(), "debug logging wrote something");
    for (what, body) in [
        ("audit", &audit),
        ("log", &log),
        ("watch", &watched.join("\n")),
    ] {
        assert!(!body.contains(&key), "access key leaked into the {what}");
        assert!(
            !body.contains("vb_wrongkey"),
            "bad key leaked into the {what}"
        );
    }
    emu.shutdown().await.unwrap();
}
