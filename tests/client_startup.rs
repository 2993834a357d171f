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

/// The dashboard's retry-now key: a connection waiting out a long backoff tries again at
/// once when asked, instead of after the wait it announced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_now_cuts_a_long_backoff_short() {
    use bridgetop::client::connection::ConnectionState;
    use bridgetop::client::credentials::{Credential, Secret};
    use bridgetop::client::link::Inbound;
    use bridgetop::client::rest::{Endpoint, RestClient};
    use bridgetop::client::sync::{self, SyncOptions};

    let probe = spawn(config(free_port())).await.expect("probe emulator");
    let key = probe.account.accesskey.clone();
    probe.shutdown().await.unwrap();
    let addr = free_port();
    let rest = RestClient::new(
        Endpoint::new(&format!("http://{addr}/v1.0")),
        Credential::AccessKey(Secret::new(key)),
        8.0,
    )
    .unwrap();
    // Ten minutes between attempts: without the retry this test would time out.
    let options = SyncOptions {
        backoff_base: Duration::from_secs(600),
        backoff_max: Duration::from_secs(600),
        jitter_seed: Some(1),
        ..SyncOptions::default()
    };
    let (events_tx, mut events) = tokio::sync::mpsc::channel(1024);
    let source = sync::start(rest, None, options, events_tx);
    let state = async |events: &mut tokio::sync::mpsc::Receiver<Inbound>| loop {
        match events.recv().await.expect("the engine runs") {
            Inbound::Connection(state) => return state,
            _ => continue,
        }
    };
    // Down: it waits with a retry time; then the emulator comes up there.
    loop {
        let waiting = tokio::time::timeout(Duration::from_secs(30), state(&mut events))
            .await
            .expect("a state in time");
        if matches!(
            waiting,
            ConnectionState::Connecting {
                retry_at: Some(_),
                ..
            }
        ) {
            break;
        }
    }
    let emulator = spawn(config(addr)).await.expect("the emulator starts");
    source.retry_now();
    let live = tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            if let ConnectionState::Live { .. } = state(&mut events).await {
                return;
            }
        }
    })
    .await;
    assert!(
        live.is_ok(),
        "still waiting out the backoff after retry_now"
    );
    drop(source);
    emulator.shutdown().await.unwrap();
}
