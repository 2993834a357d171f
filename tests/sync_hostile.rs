//! The whole client (`bridgetop watch`, the real binary) against a small fake platform in
//! this file that misbehaves on purpose, one behaviour per run: bad REST answers (invalid
//! JSON, deep nesting, a wrong type in one record, huge, endless and stalled bodies,
//! absurd `Retry-After`, a 5xx storm, a cross-origin redirect) and bad WebSockets
//! (binary, junk and invalid UTF-8 frames, a flood during the snapshot, closing at once).
//! Each run asserts that the process is still running, that its state says what is wrong
//! in words, and that its peak memory stays bounded; the peaks are printed.

mod client_common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use client_common::{bridgetop, spawn_watch};

const KEY: &str = "vb_hostile_engine_key";
/// Peak resident memory allowed for any run: a small multiple of an idle client's.
const MAX_PEAK_MB: u64 = 120;

#[derive(Debug, Clone)]
enum Rest {
    Healthy,
    InvalidJson,
    DeepNesting,
    WrongTypeInOneRecord,
    HugeBody,
    EndlessBody,
    StalledBody,
    TooManyRequests(&'static str),
    Storm,
    Redirect(String),
    /// Every list takes this long to answer.
    Slow(Duration),
}

#[derive(Debug, Clone, Copy)]
enum Ws {
    Quiet,
    Binary,
    Junk,
    InvalidUtf8,
    Flood,
    CloseAtOnce,
}

#[derive(Debug, Default)]
struct Counts {
    rest: AtomicUsize,
    ws: AtomicUsize,
}

const CONFERENCE: &str = r#"{"id":"0d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f","type":"conference","status":"progressing","name":"steady room","conferencecall_ids":[],"tm_create":"2026-12-01 10:00:00.000000","tm_update":"2026-12-01 10:00:00.000000"}"#;

fn reply(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn list(records: &str) -> String {
    format!(r#"{{"result":[{records}],"next_page_token":""}}"#)
}

/// A server→client WebSocket frame (unmasked), `opcode` 1 text, 2 binary, 8 close.
fn ws_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x80 | opcode];
    match payload.len() {
        n if n < 126 => frame.push(n as u8),
        n if n < 65_536 => {
            frame.push(126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return None,
        }
        if head.len() > 64 * 1024 {
            return None;
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

async fn serve_rest(mut stream: TcpStream, path: &str, rest: &Rest) {
    let lists = path.starts_with("/v1.0/conferences")
        || path.starts_with("/v1.0/conferencecalls")
        || path.starts_with("/v1.0/calls")
        || path.starts_with("/v1.0/agents");
    let healthy = if path.starts_with("/v1.0/customer") {
        reply(
            "200 OK",
            "",
            r#"{"id":"5e4f3a2b-1c4a-4d8e-9f6a-5b4c3d2e1f00","name":"fake"}"#,
        )
    } else if path.starts_with("/v1.0/conferences") {
        reply("200 OK", "", &list(CONFERENCE))
    } else {
        reply("200 OK", "", &list(""))
    };
    let answer = match rest {
        Rest::Healthy => healthy,
        Rest::InvalidJson => reply("200 OK", "", "{\"id\": not json"),
        Rest::DeepNesting if lists => {
            let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
            reply(
                "200 OK",
                "",
                &list(&format!(r#"{CONFERENCE},{{"id":"x","name":{deep}}}"#)),
            )
        }
        Rest::WrongTypeInOneRecord if path.starts_with("/v1.0/conferences") => {
            let bad =
                r#"{"id":"1d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f","type":"conference","name":42}"#;
            reply("200 OK", "", &list(&format!("{CONFERENCE},{bad}")))
        }
        Rest::HugeBody if lists => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\n\r\n{\"result\":[")
                .await;
            let _ = stream.write_all(&vec![b' '; 1 << 20]).await;
            return;
        }
        Rest::EndlessBody if lists => {
            let head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            while stream.write_all(&framed).await.is_ok() {}
            return;
        }
        Rest::StalledBody if lists => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n{\"res")
                .await;
            tokio::time::sleep(Duration::from_secs(120)).await;
            return;
        }
        Rest::TooManyRequests(after) => reply(
            "429 Too Many Requests",
            &format!("retry-after: {after}\r\n"),
            r#"{"error":{"reason":"RATE_LIMITED","message":"slow down","request_id":"r1"}}"#,
        ),
        Rest::Storm => reply("503 Service Unavailable", "", ""),
        Rest::Redirect(location) => reply(
            "302 Found",
            &format!("location: {location}/v1.0/customer?stolen=1\r\n"),
            "",
        ),
        Rest::Slow(delay) if lists => {
            tokio::time::sleep(*delay).await;
            healthy
        }
        _ => healthy,
    };
    let _ = stream.write_all(&answer).await;
}

async fn serve_ws(mut stream: TcpStream, head: &str, ws: Ws) {
    let key = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("sec-websocket-key")
                .then(|| value.trim().to_string())
        })
        .unwrap_or_default();
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let upgrade = format!(
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: {accept}\r\n\r\n"
    );
    if stream.write_all(upgrade.as_bytes()).await.is_err() {
        return;
    }
    // Read (and ignore) what the client sends, so its writes never block.
    let (mut read, mut write) = stream.into_split();
    tokio::spawn(async move {
        let mut sink = vec![0u8; 4096];
        while matches!(read.read(&mut sink).await, Ok(n) if n > 0) {}
    });
    let junk = |n: usize| format!(r#"{{"type":"conference_updated","data":{{"id":{n}}}}}"#);
    let frame = |n: usize| match ws {
        Ws::Quiet => ws_frame(9, b""),
        Ws::Binary => ws_frame(2, &[0xde, 0xad, 0xbe, 0xef]),
        // Each one different, or the client would drop them as duplicates.
        Ws::Junk => ws_frame(1, junk(n).as_bytes()),
        Ws::InvalidUtf8 => ws_frame(1, &[b'{', 0xff, 0xfe, b'}']),
        Ws::Flood => ws_frame(1, &[b'x'; 2048]),
        Ws::CloseAtOnce => ws_frame(8, &[0x03, 0xe8]),
    };
    if matches!(ws, Ws::CloseAtOnce) {
        let _ = write.write_all(&frame(0)).await;
        return;
    }
    let pause = match ws {
        Ws::Flood => Duration::ZERO,
        _ => Duration::from_millis(200),
    };
    for n in 0.. {
        if write.write_all(&frame(n)).await.is_err() {
            return;
        }
        if pause.is_zero() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(pause).await;
        }
    }
}

async fn fake_platform(rest: Rest, ws: Ws) -> (String, Arc<Counts>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let counts = Arc::new(Counts::default());
    let seen = counts.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let rest = rest.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let Some(head) = read_head(&mut stream).await else {
                    return;
                };
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                if path.starts_with("/v1.0/ws") {
                    seen.ws.fetch_add(1, Ordering::SeqCst);
                    serve_ws(stream, &head, ws).await;
                } else {
                    seen.rest.fetch_add(1, Ordering::SeqCst);
                    serve_rest(stream, &path, &rest).await;
                }
            });
        }
    });
    (format!("http://{addr}/v1.0"), counts)
}

/// Peak resident memory of a process, in MB.
fn peak_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

struct Run {
    /// Every connection state `watch` printed, in order.
    states: Vec<Value>,
    rejected_frames: usize,
    peak_mb: u64,
    counts: Arc<Counts>,
}

impl Run {
    fn last(&self) -> &Value {
        self.states.last().expect("at least one connection line")
    }

    fn reasons(&self) -> String {
        self.states
            .iter()
            .filter_map(|s| s["last_error"].as_str())
            .collect::<Vec<_>>()
            .join(" | ")
    }

    fn was(&self, state: &str) -> bool {
        self.states.iter().any(|s| s["state"] == state)
    }
}

/// Runs `watch` against a fake platform for `run_for`; it must still be running then.
async fn watch(name: &str, rest: Rest, ws: Ws, run_for: Duration) -> Run {
    let (url, counts) = fake_platform(rest, ws).await;
    let dir = std::env::temp_dir().join(format!("bridgetop-hostile-{}", uuid::Uuid::new_v4()));
    let mut child = spawn_watch(bridgetop(&url, &dir, KEY), std::process::Stdio::null());
    let pid = child.id().expect("a pid");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut states = Vec::new();
    let mut rejected_frames = 0;
    let until = tokio::time::Instant::now() + run_for;
    while let Ok(line) = tokio::time::timeout_at(until, lines.next_line()).await {
        let Some(line) = line.expect("stdout reads") else {
            break;
        };
        assert!(!line.contains(KEY), "{name}: the key in a line: {line}");
        let value: Value = serde_json::from_str(&line).expect("every line is JSON");
        match value["change"].as_str() {
            Some("connection") => states.push(value["connection"].clone()),
            Some("frame_rejected") => rejected_frames += 1,
            _ => {}
        }
    }
    let peak = peak_mb(pid);
    assert!(
        child.try_wait().unwrap().is_none(),
        "{name}: watch exited: {:?}",
        child.wait().await
    );
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
    let run = Run {
        states,
        rejected_frames,
        peak_mb: peak,
        counts,
    };
    eprintln!(
        "{name}: peak {} MB, {} REST requests, {} sockets, last state {}, {} rejected frames",
        run.peak_mb,
        run.counts.rest.load(Ordering::SeqCst),
        run.counts.ws.load(Ordering::SeqCst),
        run.last(),
        run.rejected_frames,
    );
    assert!(
        run.peak_mb > 0 && run.peak_mb <= MAX_PEAK_MB,
        "{name}: peak memory {} MB",
        run.peak_mb
    );
    run
}

const RUN: Duration = Duration::from_secs(6);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_rest_answers_are_named_and_survived() {
    let runs = [
        ("invalid JSON", Rest::InvalidJson, "unexpected response"),
        ("huge body", Rest::HugeBody, "104857600 bytes"),
        ("endless body", Rest::EndlessBody, "MiB"),
        ("5xx storm", Rest::Storm, "503"),
        ("429, Retry-After: NaN", Rest::TooManyRequests("NaN"), "429"),
        ("429, Retry-After: -5", Rest::TooManyRequests("-5"), "429"),
    ];
    for (name, rest, reason) in runs {
        let run = watch(name, rest, Ws::Quiet, RUN).await;
        assert!(!run.was("live"), "{name}: live on a broken platform");
        assert!(
            run.reasons().contains(reason),
            "{name}: reasons do not say {reason:?}: {}",
            run.reasons()
        );
        // Retried, but within the budget (8 requests a second) and backing off.
        let requests = run.counts.rest.load(Ordering::SeqCst);
        assert!(requests <= 8 * 6 + 8, "{name}: {requests} requests in 6 s");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_retry_after_is_capped_and_said() {
    let run = watch(
        "429, Retry-After: 1e12",
        Rest::TooManyRequests("1000000000000"),
        Ws::Quiet,
        RUN,
    )
    .await;
    // The first answer pauses every request (capped at 60 s): one request, and the state
    // says why and when the next try is, instead of a blank wait.
    assert_eq!(run.counts.rest.load(Ordering::SeqCst), 1);
    let last = run.last();
    assert_eq!(last["state"], "connecting");
    let reason = last["last_error"].as_str().unwrap_or_default();
    assert!(
        reason.contains("429") && reason.contains("retry after 60s"),
        "{reason}"
    );
    let retry_at =
        chrono::DateTime::parse_from_rfc3339(last["retry_at"].as_str().unwrap()).unwrap();
    let wait = retry_at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(
        wait.num_seconds() > 45,
        "the next try is announced in {wait}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_elsewhere_is_named_and_never_followed() {
    let (elsewhere, visits) = fake_platform(Rest::Healthy, Ws::Quiet).await;
    let target = elsewhere.trim_end_matches("/v1.0").to_string();
    let run = watch("redirect", Rest::Redirect(target.clone()), Ws::Quiet, RUN).await;
    assert!(
        run.reasons().contains(&format!("redirected to {target}")),
        "{}",
        run.reasons()
    );
    assert!(!run.reasons().contains("stolen"));
    assert_eq!(
        visits.rest.load(Ordering::SeqCst),
        0,
        "the other host was contacted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_records_are_skipped_and_the_rest_is_live() {
    for (name, rest) in [
        ("wrong type in one record", Rest::WrongTypeInOneRecord),
        ("deep nesting", Rest::DeepNesting),
    ] {
        let run = watch(name, rest, Ws::Quiet, RUN).await;
        assert_eq!(run.last()["state"], "live", "{name}: {:?}", run.states);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_times_out_and_is_retried() {
    let run = watch(
        "stalled body",
        Rest::StalledBody,
        Ws::Quiet,
        Duration::from_secs(24),
    )
    .await;
    assert!(!run.was("live"));
    assert!(
        run.reasons().contains("no answer from"),
        "{}",
        run.reasons()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_websockets_are_survived() {
    // Binary frames are not part of the protocol: ignored, the console stays live.
    let run = watch("binary frames", Rest::Healthy, Ws::Binary, RUN).await;
    assert_eq!(run.last()["state"], "live");
    // Junk text frames are rejected one by one; still live.
    let run = watch("junk frames", Rest::Healthy, Ws::Junk, RUN).await;
    assert_eq!(run.last()["state"], "live");
    assert!(run.rejected_frames > 5, "{} rejected", run.rejected_frames);
    // Invalid UTF-8 breaks the socket: reconnect, saying why.
    let run = watch("invalid UTF-8", Rest::Healthy, Ws::InvalidUtf8, RUN).await;
    assert!(run.reasons().contains("websocket"), "{}", run.reasons());
    assert!(run.counts.ws.load(Ordering::SeqCst) >= 2, "it reconnected");
    // Closed at once: backs off instead of hammering the server.
    let run = watch("close at once", Rest::Healthy, Ws::CloseAtOnce, RUN).await;
    assert!(
        run.reasons().contains("closed by the server"),
        "{}",
        run.reasons()
    );
    let sockets = run.counts.ws.load(Ordering::SeqCst);
    assert!((2..=6).contains(&sockets), "{sockets} sockets in 6 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_flood_during_a_slow_snapshot_stays_bounded() {
    let run = watch(
        "flood during a slow snapshot",
        Rest::Slow(Duration::from_secs(3)),
        Ws::Flood,
        Duration::from_secs(15),
    )
    .await;
    // More frames than are held back: they go to the store as they come (which drops
    // the junk, the same bytes over and over), memory stays bounded (checked by `watch`),
    // and the snapshot is never started over because of them, so the sync ends.
    assert!(
        run.states.iter().any(|s| s["state"] == "live"),
        "never live: {:?}",
        run.states
    );
    assert!(
        !run.reasons().contains("taking the snapshot again"),
        "{}",
        run.reasons()
    );
    // The flood does not drive the requests: snapshots run at their own pace.
    let requests = run.counts.rest.load(Ordering::SeqCst);
    assert!(requests <= 20, "{requests} requests in 15 s");
}
