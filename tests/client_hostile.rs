//! The REST client against servers that misbehave on purpose (a small fake server in the
//! test): a redirect to another host is not followed and no Referer or key goes there; a
//! huge or endless body is a clear error, not a memory blow-up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use bridgetop::client::api;
use bridgetop::client::credentials::{Credential, Secret};
use bridgetop::client::rest::{Endpoint, RestClient, RestError, MAX_BODY_BYTES};

const KEY: &str = "vb_hostile_test_key";

/// Serves every connection with `respond` after reading the request head; counts them.
async fn fake_server<F>(respond: F) -> (String, Arc<AtomicUsize>)
where
    F: Fn(tokio::net::TcpStream) -> tokio::task::JoinHandle<()> + Send + Sync + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte).await {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            respond(stream);
        }
    });
    (format!("http://{addr}/v1.0"), count)
}

fn client(url: &str) -> RestClient {
    RestClient::new(
        Endpoint::new(url),
        Credential::AccessKey(Secret::new(KEY)),
        100.0,
    )
    .unwrap()
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_nothing_goes_there() {
    let (elsewhere, visits) = fake_server(|mut s| {
        tokio::spawn(async move {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}")
                .await;
        })
    })
    .await;
    let target = elsewhere.trim_end_matches("/v1.0").to_string();
    let location = format!("{target}/v1.0/customer?stolen=1");
    let (url, _) = fake_server(move |mut s| {
        let location = location.clone();
        tokio::spawn(async move {
            let reply =
                format!("HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n");
            let _ = s.write_all(reply.as_bytes()).await;
        })
    })
    .await;
    let error = api::customer(&client(&url)).await.unwrap_err();
    assert!(matches!(error, RestError::Redirected { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains(&target), "names the target host: {text}");
    assert!(!text.contains("stolen") && !text.contains(KEY), "{text}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        visits.load(Ordering::SeqCst),
        0,
        "the other host was contacted"
    );
}

#[tokio::test]
async fn huge_and_endless_bodies_are_refused_with_their_size() {
    // Announces 100 MB.
    let (huge, _) = fake_server(|mut s| {
        tokio::spawn(async move {
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\n\r\n{")
                .await;
        })
    })
    .await;
    let error = api::customer(&client(&huge)).await.unwrap_err();
    assert!(error.to_string().contains("104857600 bytes"), "{error}");

    // Never ends: chunks of 64 KiB for ever.
    let (endless, _) = fake_server(|mut s| {
        tokio::spawn(async move {
            let head = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
            if s.write_all(head).await.is_err() {
                return;
            }
            let chunk = vec![b' '; 64 * 1024];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            while s.write_all(&framed).await.is_ok() {}
        })
    })
    .await;
    let error = tokio::time::timeout(Duration::from_secs(30), api::customer(&client(&endless)))
        .await
        .expect("the read stops at the cap")
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains(&format!("{} MiB", MAX_BODY_BYTES >> 20)),
        "{text}"
    );
}

#[tokio::test]
async fn reads_are_retried_through_a_short_5xx_storm_and_then_given_up() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    // The first two answers are 503, then the customer.
    let (flaky, _) = fake_server(move |mut s| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(async move {
            let reply: &[u8] = if n < 2 {
                b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"
            } else {
                b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"
            };
            let _ = s.write_all(reply).await;
        })
    })
    .await;
    api::customer(&client(&flaky))
        .await
        .expect("the third try succeeds");
    assert_eq!(calls.load(Ordering::SeqCst), 3);

    // Always 500: one try and READ_RETRIES more, then the error.
    let (broken, tries) = fake_server(|mut s| {
        tokio::spawn(async move {
            let _ = s
                .write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")
                .await;
        })
    })
    .await;
    let error = api::customer(&client(&broken)).await.unwrap_err();
    assert_eq!(error.status(), Some(500));
    let expected = 1 + bridgetop::client::rest::READ_RETRIES as usize;
    assert_eq!(tries.load(Ordering::SeqCst), expected);
}

#[tokio::test]
async fn one_bad_record_is_skipped_and_counted_not_the_whole_page() {
    let body = r#"{"result":[
        {"id":"0d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f","type":"conference","name":"good"},
        {"id":"1d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f","type":"conference","name":42},
        {"id":"2d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f","tm_create":"year 99999"}
    ],"next_page_token":""}"#;
    let (url, _) = fake_server(move |mut s| {
        tokio::spawn(async move {
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(reply.as_bytes()).await;
        })
    })
    .await;
    let rest = client(&url);
    let page = api::conferences_page(&rest, None)
        .await
        .expect("the page is used");
    assert_eq!(page.result.len(), 1);
    assert_eq!(page.result[0].name, "good");
    assert_eq!(rest.skipped_records(), 2);
}
