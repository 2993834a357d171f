//! What a command leaves behind, through the real binary against the emulator: every mode
//! reads the same hold ledger and the same alert thresholds; intent is written before the
//! request (so kill -9 mid-command loses nothing); a failed write fails the command; a
//! corrupt ledger is set aside; the data directory is owner-only; a call is found however
//! old it is.

mod client_common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use client_common::*;
use serde_json::Value;
use uuid::Uuid;

use bridgetop::emulator::launch::RunningEmulator;

const BIN: &str = env!("CARGO_BIN_EXE_bridgetop");

fn data_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("bridgetop-records-{name}-{}", Uuid::new_v4()))
}

fn command(emu: &RunningEmulator, dir: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(BIN);
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir.with_extension("home"))
        .env("BRIDGETOP_ACCESSKEY", &emu.account.accesskey)
        .arg("--url")
        .arg(api_url(emu))
        .arg("--data-dir")
        .arg(dir)
        .kill_on_drop(true);
    cmd
}

async fn run(emu: &RunningEmulator, dir: &Path, args: &[&str]) -> Output {
    command(emu, dir).args(args).output().await.expect("runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

async fn snapshot(emu: &RunningEmulator, dir: &Path, extra: &[&str]) -> Value {
    let mut args = extra.to_vec();
    args.extend(["snapshot", "--json"]);
    let out = run(emu, dir, &args).await;
    assert!(out.status.success(), "{}", text(&out));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn participant(doc: &Value, leg: Uuid) -> Value {
    doc["conferences"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["participants"].as_array().unwrap())
        .find(|p| p["conferencecall_id"] == leg.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("leg {leg} not in the document"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_mode_reads_the_ledger_and_the_thresholds() {
    let emu = emulator(31, "", 10.0).await;
    let (conference, leg, call) = room_with_customer(&emu, "ledger").await;
    let dir = data_dir("ledger");

    let out = run(&emu, &dir, &["hold", &call.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));
    let doc = snapshot(&emu, &dir, &[]).await;
    let held = participant(&doc, leg);
    assert_eq!(held["on_hold"], true, "snapshot reads the ledger: {held}");
    assert!(held["hold_since"].is_string());
    assert_eq!(held["hold_unconfirmed"], false);

    // The customer has waited for an agent well past a 1 s threshold: the config's
    // threshold counts.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let config = dir.with_extension("toml");
    std::fs::write(&config, "[alerts]\nwaiting_for_agent = 1\n").unwrap();
    let doc = snapshot(&emu, &dir, &["--config", config.to_str().unwrap()]).await;
    let room = doc["conferences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == conference.to_string())
        .unwrap();
    let kinds: Vec<&str> = room["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"waiting_for_agent"), "{room}");

    // Owner-only: the data directory this run created, and every file in it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for name in ["hold-ledger.json", "audit.jsonl", "bridgetop.log"] {
            assert_eq!(mode(&dir.join(name)), 0o600, "{name}");
        }
    }
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_mid_hold_the_intent_survives() {
    // The platform applies the hold at once but answers only 30 s later.
    let emu = emulator(32, "slow_reply=30s", 10.0).await;
    let (_, leg, call) = room_with_customer(&emu, "kill").await;
    let dir = data_dir("kill");
    let mut hold = command(&emu, &dir)
        .args(["hold", &call.to_string()])
        .spawn()
        .expect("hold starts");
    let audit = dir.join("audit.jsonl");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&audit).is_ok_and(|a| a.contains("\"sent\"")) {
        assert!(tokio::time::Instant::now() < deadline, "no sent line");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    hold.start_kill().unwrap(); // SIGKILL: no handler runs
    hold.wait().await.unwrap();

    let lines: Vec<Value> = std::fs::read_to_string(&audit)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["action"], "hold");
    assert_eq!(lines[0]["result"], "sent");
    let doc = snapshot(&emu, &dir, &[]).await;
    let p = participant(&doc, leg);
    assert_eq!(p["on_hold"], true, "{p}");
    assert_eq!(p["hold_unconfirmed"], true, "{p}");
    emu.shutdown().await.unwrap();
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_fails_the_command_loudly() {
    let emu = emulator(33, "", 10.0).await;
    let (_, _, call) = room_with_customer(&emu, "full").await;
    let dir = data_dir("full");
    std::fs::create_dir_all(&dir).unwrap();
    // Every write to these fails with ENOSPC, as on a full disk.
    for name in ["audit.jsonl", "hold-ledger.json.tmp"] {
        std::os::unix::fs::symlink("/dev/full", dir.join(name)).unwrap();
    }
    let out = run(&emu, &dir, &["hold", &call.to_string()]).await;
    assert_eq!(out.status.code(), Some(5), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("not recorded"), "{said}");
    assert!(said.contains("audit trail"), "{said}");
    assert!(said.contains("hold ledger"), "{said}");
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_ledger_is_set_aside_and_said() {
    let emu = emulator(34, "", 10.0).await;
    room_with_customer(&emu, "corrupt").await;
    let dir = data_dir("corrupt");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hold-ledger.json"), "{\"holds\": [").unwrap();
    let out = run(&emu, &dir, &["snapshot", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("corrupt"));
    let aside = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(std::result::Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("hold-ledger.json.corrupt-")
        });
    assert!(aside, "the bad file is kept aside");
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_call_is_found_past_the_newest_page() {
    let emu = emulator(35, "", 20.0).await;
    let platform = emu.platform.clone();
    let customer = emu.account.customer_id;
    let (_, leg, call) = room_with_customer(&emu, "old").await;
    // More than a page (100) of newer conferencecalls in another room.
    let busy = platform
        .create_conference(customer, conference_spec("busy"))
        .unwrap()
        .id;
    for n in 0..110 {
        platform.customer_joins_conference(customer, &format!("+1415556{n:04}"), busy);
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while platform
        .conference(customer, busy)
        .unwrap()
        .conferencecall_ids
        .len()
        < 110
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the busy room never filled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let dir = data_dir("old");
    let out = run(&emu, &dir, &["hold", &call.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));
    let ledger = std::fs::read_to_string(dir.join("hold-ledger.json")).unwrap();
    assert!(
        ledger.contains(&leg.to_string()),
        "the leg is known: {ledger}"
    );
    let out = run(&emu, &dir, &["kick", &call.to_string()]).await;
    assert!(out.status.success(), "{}", text(&out));
    emu.shutdown().await.unwrap();
}
