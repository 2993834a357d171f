//! Shared helpers for the emulator's integration tests: an in-process emulator on a free
//! loopback port, an HTTP client, and polling with a deadline (never fixed sleeps).

#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bridgetop::emulator::bus::PlatformEvent;
use bridgetop::emulator::launch::{spawn, EmulatorConfig, RunningEmulator};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Long enough for a loaded 2-core machine; only reached when something is wrong.
pub(crate) const DEADLINE: Duration = Duration::from_secs(20);

pub(crate) struct Emu {
    pub run: RunningEmulator,
    pub http: reqwest::Client,
}

impl Emu {
    /// Rate limits off, platform time 4× real time so call flows settle quickly.
    pub(crate) async fn start() -> Emu {
        let mut config = EmulatorConfig::for_tests();
        config.platform.speed = 4.0;
        Emu::start_with(config).await
    }

    pub(crate) async fn start_with(config: EmulatorConfig) -> Emu {
        let run = spawn(config).await.expect("emulator starts");
        Emu {
            run,
            http: reqwest::Client::new(),
        }
    }

    pub(crate) fn key(&self) -> &str {
        &self.run.account.accesskey
    }

    pub(crate) fn customer(&self) -> Uuid {
        self.run.account.customer_id
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.run.base_url(), path)
    }

    /// A `/v1.0` request authenticated with the demo access key (`?accesskey=`).
    pub(crate) fn v1(&self, method: Method, path: &str) -> RequestBuilder {
        self.v1_as(self.key(), method, path)
    }

    pub(crate) fn v1_as(&self, key: &str, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(&format!("/v1.0{path}")))
            .query(&[("accesskey", key)])
    }

    /// A `/v1.0` request with an agent JWT as Bearer.
    pub(crate) fn v1_token(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(&format!("/v1.0{path}")))
            .header("Authorization", format!("Bearer {token}"))
    }

    pub(crate) async fn json(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.v1(method, path);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.expect("request");
        status_json(res).await
    }

    pub(crate) async fn get(&self, path: &str) -> Value {
        let (status, body) = self.json(Method::GET, path, None).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Logs in as a demo agent; returns the JWT.
    pub(crate) async fn login(&self, username: &str, password: &str) -> String {
        let res = self
            .http
            .post(self.url("/auth/login"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.expect("login json");
        body["token"].as_str().expect("token").to_owned()
    }

    /// Creates a conference through REST and returns it.
    pub(crate) async fn create_conference(&self, body: Value) -> Value {
        let (status, conf) = self.json(Method::POST, "/conferences", Some(body)).await;
        assert_eq!(status, 200, "{conf}");
        conf
    }

    pub(crate) fn events(&self) -> Events {
        Events {
            rx: self.run.state.bus.subscribe(),
            seen: Vec::new(),
        }
    }
}

pub(crate) async fn status_json(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, body)
}

pub(crate) fn id_of(v: &Value) -> Uuid {
    Uuid::parse_str(v["id"].as_str().expect("id")).expect("uuid")
}

/// Polls `probe` until it yields `Some`, failing after [`DEADLINE`].
pub(crate) async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = tokio::time::Instant::now();
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Everything published on the event bus since subscribing.
pub(crate) struct Events {
    rx: broadcast::Receiver<Arc<PlatformEvent>>,
    pub seen: Vec<(String, Value)>,
}

impl Events {
    pub(crate) fn drain(&mut self) {
        while let Ok(e) = self.rx.try_recv() {
            let frame = serde_json::from_str(&e.frame).expect("frame is JSON");
            self.seen.push((e.event_type.clone(), frame));
        }
    }

    /// Waits until an event satisfies `pred`; returns its index in `seen`.
    pub(crate) async fn wait_for(
        &mut self,
        what: &str,
        pred: impl Fn(&str, &Value) -> bool,
    ) -> usize {
        let start = tokio::time::Instant::now();
        loop {
            self.drain();
            if let Some(i) = self.seen.iter().position(|(t, v)| pred(t, v)) {
                return i;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "timed out waiting for event {what}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The events about one resource id, in order.
    pub(crate) fn about(&self, id: Uuid) -> Vec<(String, Value)> {
        let id = id.to_string();
        self.seen
            .iter()
            .filter(|(_, v)| v["id"].as_str() == Some(id.as_str()))
            .cloned()
            .collect()
    }

    pub(crate) fn types_about(&self, id: Uuid) -> Vec<String> {
        self.about(id).into_iter().map(|(t, _)| t).collect()
    }
}
