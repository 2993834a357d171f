//! The REST transport: one reqwest client (rustls), credentials attached per request, a
//! client-side request budget (governor), 429 `Retry-After` honoured, and typed errors
//! that carry the platform's error envelope. URLs in errors and logs are paths only: the
//! access key travels in the query string.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;
use thiserror::Error;
use tokio::time::Instant;

use super::credentials::Credential;
use crate::voipbin::ErrorEnvelope;

/// Longest we obey a `Retry-After`; a larger value is clamped so the app stays responsive.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest `Retry-After` a read waits out by itself before telling its caller.
const SHORT_PAUSE: Duration = Duration::from_secs(2);
/// Extra tries for a read that failed transiently (5xx, timeout, connection lost).
pub const READ_RETRIES: u32 = 3;

/// 200 ms, 400 ms, 800 ms, each with up to half again of jitter.
fn retry_delay(attempt: u32) -> Duration {
    let base = Duration::from_millis(200) * 2u32.pow(attempt.min(4));
    base + base.mul_f64(rand::random::<f64>() / 2.0)
}

/// The largest response body read; the platform's largest (a 100-item page) is far less.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Error, PartialEq)]
pub enum RestError {
    /// The platform answered with an error status (envelope fields when it sent one).
    #[error(
        "{request}: {status} {reason}: {message}{}{}",
        request_id.as_deref().map(|r| format!(" (request {r})")).unwrap_or_default(),
        retry_after.map(|d| format!(" (retry after {}s)", d.as_secs())).unwrap_or_default()
    )]
    Api {
        /// Method and path, e.g. `GET /customer` (never the query: it may hold the key).
        request: String,
        status: u16,
        reason: String,
        message: String,
        request_id: Option<String>,
        retry_after: Option<Duration>,
    },
    /// No answer: connection refused, reset, timeout, TLS failure.
    #[error("{request}: {message}")]
    Transport { request: String, message: String },
    /// The request (or its body) took longer than the request timeout.
    #[error("{request}: {message}")]
    TimedOut { request: String, message: String },
    /// A redirect: never followed, since the access key would go along to another host.
    #[error("{request}: the server redirected to {target}; not followed (credentials never leave for another address)")]
    Redirected { request: String, target: String },
    /// An answer that is not what the platform sends.
    #[error("{request}: unexpected response: {message}")]
    Decode {
        request: String,
        message: String,
        request_id: Option<String>,
    },
}

impl RestError {
    pub fn status(&self) -> Option<u16> {
        match self {
            RestError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }
    pub fn reason(&self) -> &str {
        match self {
            RestError::Api { reason, .. } => reason,
            RestError::Transport { .. } => "NETWORK_ERROR",
            RestError::TimedOut { .. } => "TIMEOUT",
            RestError::Decode { .. } => "UNEXPECTED_RESPONSE",
            RestError::Redirected { .. } => "REDIRECTED",
        }
    }
    pub fn message(&self) -> String {
        match self {
            RestError::Api { message, .. } => message.clone(),
            RestError::Transport { message, .. }
            | RestError::TimedOut { message, .. }
            | RestError::Decode { message, .. } => message.clone(),
            RestError::Redirected { target, .. } => {
                format!("redirected to {target}; not followed")
            }
        }
    }
    pub fn request_id(&self) -> Option<&str> {
        match self {
            RestError::Api { request_id, .. } | RestError::Decode { request_id, .. } => {
                request_id.as_deref()
            }
            RestError::Transport { .. }
            | RestError::TimedOut { .. }
            | RestError::Redirected { .. } => None,
        }
    }
    pub fn is_auth(&self) -> bool {
        matches!(self.status(), Some(401 | 403))
    }
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }
    /// Worth asking again later (for reads only; commands are never retried blindly).
    pub fn is_transient(&self) -> bool {
        match self {
            RestError::Transport { .. } | RestError::TimedOut { .. } => true,
            RestError::Api { status, .. } => *status == 429 || *status >= 500,
            RestError::Decode { .. } | RestError::Redirected { .. } => false,
        }
    }
}

/// A successful answer: the raw body (call-control endpoints send none) and its request id.
#[derive(Debug, Clone)]
pub struct Reply {
    pub request_id: Option<String>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self, method: &Method, path: &str) -> Result<T, RestError> {
        serde_json::from_slice(&self.body).map_err(|e| RestError::Decode {
            request: format!("{method} {path}"),
            message: e.to_string(),
            request_id: self.request_id.clone(),
        })
    }
}

/// How to reach the platform.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Base including `/v1.0`, without a trailing slash.
    pub base_url: String,
    pub ca_cert_pem: Option<Vec<u8>>,
}

impl Endpoint {
    pub fn new(base_url: &str) -> Self {
        Endpoint {
            base_url: base_url.trim_end_matches('/').to_string(),
            ca_cert_pem: None,
        }
    }

    pub fn with_ca_cert_file(mut self, path: Option<&Path>) -> std::io::Result<Self> {
        if let Some(path) = path {
            self.ca_cert_pem = Some(std::fs::read(path)?);
        }
        Ok(self)
    }

    /// Where `/auth/*` lives: the base without its `/v1.0` segment.
    pub fn origin(&self) -> &str {
        self.base_url
            .strip_suffix("/v1.0")
            .unwrap_or(self.base_url.as_str())
    }

    pub fn http_client(&self) -> Result<reqwest::Client, String> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            // The key travels in the query: no redirect is followed, no Referer ever sent.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .user_agent(concat!("bridgetop/", env!("CARGO_PKG_VERSION")));
        if let Some(pem) = &self.ca_cert_pem {
            for cert in reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| format!("--ca-cert: {}", e.without_url()))?
            {
                builder = builder.add_root_certificate(cert);
            }
        }
        builder.build().map_err(describe)
    }
}

/// The client. Cheap to clone; clones share the budget, the 429 pause and the counter.
#[derive(Clone)]
pub struct RestClient {
    http: reqwest::Client,
    endpoint: Endpoint,
    credential: Credential,
    budget: Arc<DefaultDirectRateLimiter>,
    requests_per_second: f64,
    /// A lower pace for this clone's requests, inside the shared budget (see `share`).
    share: Option<Arc<DefaultDirectRateLimiter>>,
    paused_until: Arc<Mutex<Option<Instant>>>,
    requests: Arc<AtomicU64>,
    skipped_records: Arc<AtomicU64>,
}

impl std::fmt::Debug for RestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RestClient")
            .field("base_url", &self.endpoint.base_url)
            .finish_non_exhaustive()
    }
}

/// A failed request or body read: timed out, or no answer. `base_url` is named by its
/// address only.
fn transport_error(e: reqwest::Error, request: &str, base_url: &str) -> RestError {
    let request = request.to_string();
    let timed_out = e.is_timeout();
    let message = describe_for(e, &address_of(base_url));
    if timed_out {
        RestError::TimedOut { request, message }
    } else {
        RestError::Transport { request, message }
    }
}

/// A reqwest error in words a person can act on, without the URL (it may carry the
/// access key): `cannot reach http://host:port: Connection refused`, `no answer from …`.
pub fn describe_for(e: reqwest::Error, origin: &str) -> String {
    let e = e.without_url();
    let mut root: &dyn std::error::Error = &e;
    while let Some(cause) = root.source() {
        root = cause;
    }
    if e.is_timeout() {
        return format!(
            "no answer from {origin} within {}s",
            REQUEST_TIMEOUT.as_secs()
        );
    }
    if e.is_connect() {
        return format!("cannot reach {origin}: {root}");
    }
    describe(e)
}

/// A reqwest error with its causes, without the URL (it may carry the access key).
pub fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        text += &format!(": {cause}");
        source = cause.source();
    }
    text
}

/// A URL as scheme, host and port only (its user, path or query may carry anything): where
/// a redirect points, or which server did not answer.
fn address_of(location: &str) -> String {
    match Url::parse(location) {
        Ok(url) => format!(
            "{}://{}{}",
            url.scheme(),
            url.host_str().unwrap_or("?"),
            url.port().map(|p| format!(":{p}")).unwrap_or_default()
        ),
        Err(_) => "a relative location".to_string(),
    }
}

/// Reads a body up to `MAX_BODY_BYTES`: a larger (or endless) one is a clear error, never
/// a memory blow-up. A stalled body ends at the request timeout.
async fn read_capped(
    mut response: reqwest::Response,
    method: &Method,
    path: &str,
    request_id: Option<&str>,
    base_url: &str,
) -> Result<Vec<u8>, RestError> {
    let too_large = |size: String| RestError::Decode {
        request: format!("{method} {path}"),
        message: format!(
            "the body is {size}, over the {} MiB limit",
            MAX_BODY_BYTES >> 20
        ),
        request_id: request_id.map(str::to_string),
    };
    if let Some(length) = response.content_length() {
        if length > MAX_BODY_BYTES as u64 {
            return Err(too_large(format!("{length} bytes")));
        }
    }
    let mut body = Vec::new();
    loop {
        let chunk = response
            .chunk()
            .await
            .map_err(|e| transport_error(e, &format!("{method} {path}"), base_url))?;
        let Some(chunk) = chunk else {
            return Ok(body);
        };
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large("larger than that".to_string()));
        }
        body.extend_from_slice(&chunk);
    }
}

/// `Retry-After` seconds, capped; anything that is not a finite number is ignored.
fn parse_retry_after(text: &str) -> Option<Duration> {
    let seconds = text.trim().parse::<f64>().ok().filter(|s| s.is_finite())?;
    Some(Duration::from_secs_f64(
        seconds.clamp(0.0, MAX_RETRY_AFTER.as_secs_f64()),
    ))
}

/// A governor quota for `per_second` requests, allowing a burst of one second's worth.
pub fn budget_quota(per_second: f64) -> Quota {
    let per_second = per_second.clamp(0.1, 10_000.0);
    let burst = NonZeroU32::new(per_second.floor().max(1.0) as u32).expect("burst is at least 1");
    Quota::with_period(Duration::from_secs_f64(1.0 / per_second))
        .expect("period is positive")
        .allow_burst(burst)
}

impl RestClient {
    pub fn new(
        endpoint: Endpoint,
        credential: Credential,
        requests_per_second: f64,
    ) -> Result<Self, RestError> {
        let http = endpoint
            .http_client()
            .map_err(|message| RestError::Transport {
                request: "client setup".into(),
                message,
            })?;
        Ok(RestClient {
            http,
            endpoint,
            credential,
            budget: Arc::new(RateLimiter::direct(budget_quota(requests_per_second))),
            requests_per_second,
            share: None,
            paused_until: Arc::new(Mutex::new(None)),
            requests: Arc::new(AtomicU64::new(0)),
            skipped_records: Arc::new(AtomicU64::new(0)),
        })
    }

    /// A clone whose own requests go at most at `fraction` of the budget (still inside
    /// it): background work such as a periodic resync then never takes the whole budget
    /// from what the user is waiting for, nor the whole platform budget from the team.
    pub fn share(&self, fraction: f64) -> RestClient {
        let per_second = self.requests_per_second * fraction.clamp(0.01, 1.0);
        let mut quota = budget_quota(per_second);
        // No burst: the point is to spread the requests.
        quota = quota.allow_burst(NonZeroU32::MIN);
        RestClient {
            share: Some(Arc::new(RateLimiter::direct(quota))),
            ..self.clone()
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    /// Requests sent so far (all clones together).
    pub fn request_count(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// List records that did not decode and were skipped, by every clone of this client.
    pub fn skipped_records(&self) -> u64 {
        self.skipped_records.load(Ordering::Relaxed)
    }

    pub(crate) fn note_skipped_record(&self) {
        self.skipped_records.fetch_add(1, Ordering::Relaxed);
    }

    /// The request URL; the error names the base URL only, never the query (access key).
    fn url(&self, path: &str, query: &[(&str, String)]) -> Result<Url, String> {
        let mut url = Url::parse(&format!("{}{}", self.endpoint.base_url, path))
            .map_err(|e| format!("API URL {:?} is not usable: {e}", self.endpoint.base_url))?;
        {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in query {
                pairs.append_pair(k, v);
            }
            if let Credential::AccessKey(key) = &self.credential {
                pairs.append_pair("accesskey", key.expose());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(url)
    }

    /// Waits for the budget and any 429 pause, then sends once.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<&Value>,
    ) -> Result<Reply, RestError> {
        if let Some(share) = &self.share {
            share.until_ready().await;
        }
        self.wait_for_pause().await;
        self.budget.until_ready().await;
        let url = self
            .url(path, query)
            .map_err(|message| RestError::Transport {
                request: format!("{method} {path}"),
                message,
            })?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut request = self.http.request(method.clone(), url);
        if let Credential::Token(token) = &self.credential {
            request = request.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        tracing::debug!(%method, path, "request");
        let base_url = self.endpoint.base_url.as_str();
        let response = request
            .send()
            .await
            .map_err(|e| transport_error(e, &format!("{method} {path}"), base_url))?;
        let status = response.status();
        let request_id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        if status.is_redirection() {
            let target = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .map_or_else(|| "an unnamed location".to_string(), address_of);
            return Err(RestError::Redirected {
                request: format!("{method} {path}"),
                target,
            });
        }
        let body = read_capped(response, &method, path, request_id.as_deref(), base_url).await?;
        if status.is_success() {
            return Ok(Reply { request_id, body });
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            self.pause_for(retry_after.unwrap_or(Duration::from_secs(1)));
        }
        let envelope = serde_json::from_slice::<ErrorEnvelope>(&body).ok();
        tracing::debug!(%method, path, status = status.as_u16(), "error response");
        Err(match envelope {
            Some(ErrorEnvelope { error }) => RestError::Api {
                request: format!("{method} {path}"),
                status: status.as_u16(),
                reason: error.reason,
                message: error.message,
                request_id: Some(error.request_id)
                    .filter(|r| !r.is_empty())
                    .or(request_id),
                retry_after,
            },
            None => RestError::Api {
                request: format!("{method} {path}"),
                status: status.as_u16(),
                reason: crate::voipbin::status_word(status.as_u16()).to_string(),
                message: status
                    .canonical_reason()
                    .unwrap_or("error without a body")
                    .to_string(),
                request_id,
                retry_after,
            },
        })
    }

    /// How long every request still waits for a 429's `Retry-After`.
    pub fn pause_remaining(&self) -> Duration {
        let until = *self.paused_until.lock().expect("pause lock");
        until.map_or(Duration::ZERO, |until| {
            until.saturating_duration_since(Instant::now())
        })
    }

    /// A read, retried a few times when that can help soon: a 5xx or a lost connection
    /// (short jittered waits), a 429 asking for a short pause. A long `Retry-After` or a
    /// timeout (20 s already spent) goes back to the caller at once, so that it can say
    /// why it waits.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, RestError> {
        let mut attempts = 0;
        loop {
            match self.send(Method::GET, path, query, None).await {
                Ok(reply) => return reply.json(&Method::GET, path),
                // A 429 already paused every request for its Retry-After.
                Err(e) if e.status() == Some(429) && attempts < READ_RETRIES => {
                    if self.pause_remaining() > SHORT_PAUSE {
                        return Err(e);
                    }
                    attempts += 1;
                }
                Err(e @ RestError::TimedOut { .. }) => return Err(e),
                // A read is safe to repeat: a 5xx or a lost connection gets a few more
                // tries, short and jittered, each inside the request budget.
                Err(e) if e.is_transient() && attempts < READ_RETRIES => {
                    tracing::debug!(path, error = %e, attempt = attempts + 1, "read retried");
                    tokio::time::sleep(retry_delay(attempts)).await;
                    attempts += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().expect("pause lock");
        if paused.is_none_or(|p| p < until) {
            *paused = Some(until);
        }
    }

    async fn wait_for_pause(&self) {
        let until = *self.paused_until.lock().expect("pause lock");
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn retry_after_is_capped_and_garbage_is_ignored() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-3"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("1e20"), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after("inf"), None);
        assert_eq!(parse_retry_after("NaN"), None);
        assert_eq!(parse_retry_after("soon"), None);
    }

    use super::*;
    use crate::client::credentials::Secret;

    #[test]
    fn access_key_goes_in_the_query_and_errors_show_paths_only() {
        let client = RestClient::new(
            Endpoint::new("http://127.0.0.1:9/v1.0/"),
            Credential::AccessKey(Secret::new("vb_secret")),
            8.0,
        )
        .unwrap();
        let url = client
            .url("/conferences", &[("page_size", "100".into())])
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/v1.0/conferences?page_size=100&accesskey=vb_secret"
        );
        assert_eq!(client.endpoint().origin(), "http://127.0.0.1:9");
        assert!(!format!("{client:?}").contains("vb_secret"));
    }

    #[tokio::test]
    async fn an_unusable_base_url_is_an_error_not_a_panic() {
        let client = RestClient::new(
            Endpoint::new("not a url"),
            Credential::AccessKey(Secret::new("vb_secret")),
            8.0,
        )
        .unwrap();
        let err = client
            .get::<serde_json::Value>("/customer", &[])
            .await
            .unwrap_err();
        assert!(err.to_string().contains("not usable"), "{err}");
        assert!(!err.to_string().contains("vb_secret"));
    }

    #[tokio::test]
    async fn transport_errors_do_not_leak_the_key() {
        let client = RestClient::new(
            Endpoint::new("http://127.0.0.1:9/v1.0"),
            Credential::AccessKey(Secret::new("vb_secret")),
            100.0,
        )
        .unwrap();
        let err = client
            .get::<Value>("/customer", &[])
            .await
            .expect_err("nothing listens on port 9");
        assert!(err.is_transient());
        assert!(!err.to_string().contains("vb_secret"), "{err}");
        assert!(!format!("{err:?}").contains("vb_secret"));
    }
}
