//! Start-up with the platform down: `watch` (the real binary) starts against an address
//! where nothing listens, says `connecting` with the reason and the next retry on stdout
//! and stderr, keeps going, and reaches `live` once the emulator starts there, without a
//! restart. (The dashboard's half of this runs in tmux: `scripts/e2e-tmux.sh`.)

mod client_common;

use std::net::{SocketAddr, TcpListener};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};

use bridgetop::emulator::launch::{spawn, EmulatorConfig};

use client_common::{bridgetop, spawn_watch};

const SEED: u64 = 77;

fn config(bind: SocketAddr) -> EmulatorConfig {
    let mut config = EmulatorConfig::for_tests();
    config.bind = bind;
    config.platform.seed = SEED;
    config
}

/// A loopback port nothing listens on (free a moment ago).
fn free_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_started_before_the_platform_goes_live_when_it_comes() {
    // The emulator's demo key follows from its seed: learn it from a throwaway one.
    let probe = spawn(config(free_port())).await.expect("probe emulator");
    let key = probe.account.accesskey.clone();
    probe.shutdown().await.unwrap();

    let addr = free_port();
    let dir = std::env::temp_dir().join(format!("bridgetop-startup-{}", uuid::Uuid::new_v4()));
    let url = format!("http://{addr}/v1.0");
    let mut watch = spawn_watch(bridgetop(&url, &dir, &key), Stdio::piped());
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let mut errors = BufReader::new(watch.stderr.take().unwrap()).lines();
    let mut next = async || -> Value {
        let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
            .await
            .expect("watch reports in time")
            .unwrap()
            .expect("watch keeps running while the platform is down");
        serde_json::from_str(&line).expect("a JSON line")
    };

    // Down: a failed attempt names the reason and when the next one starts.
    let waiting = loop {
        let line = next().await;
        if line["connection"]["retry_at"].is_string() {
            break line;
        }
    };
    assert_eq!(waiting["connection"]["state"], "connecting");
    let reason = waiting["connection"]["last_error"].as_str().unwrap();
    assert!(
        reason.contains(&format!("cannot reach http://{addr}")),
        "{reason}"
    );
    assert!(!reason.contains(&key));
    let stderr = tokio::time::timeout(Duration::from_secs(10), errors.next_line())
        .await
        .expect("watch says something on stderr")
        .unwrap()
        .unwrap_or_default();
    assert!(
        stderr.starts_with("bridgetop watch: connecting"),
        "{stderr}"
    );

    // Up: the same process reaches live.
    let emulator = spawn(config(addr))
        .await
        .expect("the emulator starts on the port");
    let live = loop {
        let line = next().await;
        if line["connection"]["state"] == "live" {
            break line;
        }
        assert_ne!(line["connection"]["state"], "auth_failed", "{line}");
    };
    assert_eq!(live["change"], "connection");
    assert!(
        watch.try_wait().unwrap().is_none(),
        "watch is still running"
    );
    drop(watch);
    emulator.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
