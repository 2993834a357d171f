//! No log filter can reveal a secret: `watch` (REST and the WebSocket handshake, where the
//! access key travels) under several RUST_LOG settings that name the transport crates'
//! own modules, and the key is never in `bridgetop.log`.

mod client_common;

use std::process::Stdio;
use std::time::Duration;

use client_common::*;
use tokio::io::{AsyncBufReadExt, BufReader};
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_rust_log_setting_writes_the_key() {
    let emu = emulator(51, "", 10.0).await;
    let key = emu.account.accesskey.clone();
    for rust_log in [
        "trace",
        "tungstenite::handshake=trace",
        "hyper=trace,hyper_util::client::legacy=trace",
        "reqwest::connect=trace,h2=trace,rustls=trace",
        "[{uri}]=trace,tokio_tungstenite=trace",
    ] {
        let dir = std::env::temp_dir().join(format!("bridgetop-logs-{}", Uuid::new_v4()));
        let mut command = bridgetop(&api_url(&emu), &dir, &key);
        command.env("RUST_LOG", rust_log);
        let mut watch = spawn_watch(command, Stdio::null());
        let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
        // Live means the WebSocket handshake (key in its URL) and the REST sync are done.
        loop {
            let line = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
                .await
                .expect("watch goes live in time")
                .unwrap()
                .expect("watch keeps running");
            if line.contains("\"state\":\"live\"") {
                break;
            }
        }
        watch.kill().await.unwrap();
        let log = std::fs::read_to_string(dir.join("bridgetop.log")).unwrap_or_default();
        assert!(!log.contains(&key), "RUST_LOG={rust_log} wrote the key");
        assert!(
            !log.contains("accesskey="),
            "RUST_LOG={rust_log} wrote a key query"
        );
    }
    emu.shutdown().await.unwrap();
}
