//! The emulator as a server: slow-header and idle sockets are closed after the header-read
//! timeout, and a conference `timeout` that is negative or overflows is refused.

mod emulator_support;

use std::time::Duration;

use emulator_support::*;
use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use bridgetop::emulator::launch::EmulatorConfig;

/// Whether the server has closed `socket` (a read returns end of stream or an error).
async fn closed_within(socket: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0) | Err(_)) => return true,
            // A response (e.g. 408) before the close.
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_header_and_idle_sockets_are_closed() {
    let mut config = EmulatorConfig::for_tests();
    config.header_read_timeout = Duration::from_secs(1);
    let emu = Emu::start_with(config).await;
    let addr = emu.run.addr;

    // 200 clients that start a request head and never finish it, and 20 that say nothing.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut socket = TcpStream::connect(addr).await.unwrap();
        socket
            .write_all(b"GET /v1.0/customer HTTP/1.1\r\nhost: x\r\n")
            .await
            .unwrap();
        slow.push(socket);
    }
    // Some that connect and never send a byte.
    for _ in 0..20 {
        slow.push(TcpStream::connect(addr).await.unwrap());
    }
    // One that made a whole request and then sits on the kept-alive connection.
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /v1.0/customer HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();

    let mut still_open = 0;
    for socket in &mut slow {
        if !closed_within(socket, Duration::from_secs(10)).await {
            still_open += 1;
        }
    }
    assert_eq!(still_open, 0, "slow-header sockets left open");
    assert!(
        closed_within(&mut idle, Duration::from_secs(10)).await,
        "an idle kept-alive socket was left open"
    );
    // The server still serves.
    let (status, _) = status_json(emu.v1(Method::GET, "/customer").send().await.unwrap()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_conference_timeout_must_be_a_sane_number_of_seconds() {
    let emu = Emu::start().await;
    for bad in [
        json!(-5),
        json!(i64::MAX),
        json!(bridgetop::emulator::rest::MAX_TIMEOUT_SECONDS + 1),
    ] {
        let body = json!({"type": "conference", "name": "t", "timeout": bad});
        let (status, error) = status_json(
            emu.v1(Method::POST, "/conferences")
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 400, "timeout {bad} was accepted");
        assert_eq!(error["error"]["reason"], "INVALID_ARGUMENT", "{error}");
    }
    // The platform's own rules for the rest: 1..59 become a day, 60 and more are kept.
    for (given, kept) in [(0, None), (30, Some(86_400)), (3_600, Some(3_600))] {
        let body = json!({"type": "conference", "name": "t", "timeout": given});
        let created = emu.create_conference(body).await;
        assert_eq!(created["timeout"].as_i64(), kept, "timeout {given}");
    }
    // An update is checked the same way.
    let created = emu
        .create_conference(json!({"type": "conference", "name": "u"}))
        .await;
    let path = format!("/conferences/{}", id_of(&created));
    let (status, _) = status_json(
        emu.v1(Method::PUT, &path)
            .json(&json!({"name": "u", "timeout": -1}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
}
