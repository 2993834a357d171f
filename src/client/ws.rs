//! The WebSocket: connect (rustls), subscribe to the customer's conference, call and agent
//! topics, then read. Reading is what answers the server's pings, so the reader never
//! stops while the connection is up; every text frame goes out untouched.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use thiserror::Error;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

use super::credentials::Credential;
use super::rest::Endpoint;
use crate::voipbin::topic::{customer_resource_topic, SubscriptionMessage};

pub type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum WsError {
    #[error("websocket refused: HTTP {status}")]
    Refused { status: u16 },
    #[error("websocket: {0}")]
    Transport(String),
    #[error("websocket closed by the server")]
    Closed,
    #[error("websocket silent for {0:?}; assuming it is dead")]
    Idle(Duration),
}

impl WsError {
    pub fn is_auth(&self) -> bool {
        matches!(self, WsError::Refused { status: 401 | 403 })
    }
}

/// `http(s)://host/v1.0` → `ws(s)://host/v1.0/ws`.
pub fn ws_url(endpoint: &Endpoint) -> String {
    let base = &endpoint.base_url;
    let rest = base
        .strip_prefix("https://")
        .map(|r| format!("wss://{r}"))
        .or_else(|| base.strip_prefix("http://").map(|r| format!("ws://{r}")))
        .unwrap_or_else(|| base.clone());
    format!("{rest}/ws")
}

/// The three customer-wide topics; the trailing `:` keeps `conference` from also
/// matching `conferencecall`.
pub fn topics(customer_id: Uuid) -> Vec<String> {
    ["conference", "call", "agent"]
        .iter()
        .map(|r| customer_resource_topic(customer_id, r))
        .collect()
}

fn tls_connector(endpoint: &Endpoint) -> Result<Connector, WsError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(pem) = &endpoint.ca_cert_pem {
        for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
            let cert = cert.map_err(|e| WsError::Transport(format!("--ca-cert: {e}")))?;
            roots
                .add(cert)
                .map_err(|e| WsError::Transport(format!("--ca-cert: {e}")))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| WsError::Transport(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Connector::Rustls(Arc::new(config)))
}

/// Error text with the secret removed, whatever the library put in it.
fn scrub(message: String, credential: &Credential) -> String {
    let secret = credential.secret().expose();
    if secret.is_empty() {
        return message;
    }
    // The key travels percent-encoded in the query, so scrub that form too.
    let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    message
        .replace(secret, "<redacted>")
        .replace(&encoded, "<redacted>")
}

/// The largest frame or message we accept. Platform frames are a few KB (a room with a
/// hundred legs is under 10 KB); anything near this is a broken or hostile server, and
/// with the frame queues bounded in count this bounds the memory a flood can take.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

fn socket_limits() -> WebSocketConfig {
    WebSocketConfig::default()
        .max_message_size(Some(MAX_MESSAGE_BYTES))
        .max_frame_size(Some(MAX_MESSAGE_BYTES))
}

pub async fn connect(endpoint: &Endpoint, credential: &Credential) -> Result<WsStream, WsError> {
    let mut url = ws_url(endpoint);
    if let Credential::AccessKey(key) = credential {
        let mut parsed =
            reqwest::Url::parse(&url).map_err(|e| WsError::Transport(e.to_string()))?;
        parsed
            .query_pairs_mut()
            .append_pair("accesskey", key.expose());
        url = parsed.to_string();
    }
    let mut request = url
        .into_client_request()
        .map_err(|e| WsError::Transport(scrub(e.to_string(), credential)))?;
    if let Credential::Token(token) = credential {
        let value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            .map_err(|_| WsError::Transport("token is not a valid header value".into()))?;
        request.headers_mut().insert("authorization", value);
    }
    let connector = tls_connector(endpoint)?;
    let connecting = tokio_tungstenite::connect_async_tls_with_config(
        request,
        Some(socket_limits()),
        false,
        Some(connector),
    );
    let (stream, _response) = tokio::time::timeout(Duration::from_secs(15), connecting)
        .await
        .map_err(|_| WsError::Transport("connect timed out".into()))?
        .map_err(|e| match e {
            tungstenite::Error::Http(response) => WsError::Refused {
                status: response.status().as_u16(),
            },
            other => WsError::Transport(scrub(other.to_string(), credential)),
        })?;
    Ok(stream)
}

pub async fn subscribe(stream: &mut WsStream, customer_id: Uuid) -> Result<(), WsError> {
    let message = serde_json::to_string(&SubscriptionMessage::subscribe(topics(customer_id)))
        .expect("a subscription serialises");
    stream
        .send(Message::text(message))
        .await
        .map_err(|e| WsError::Transport(e.to_string()))
}

/// Reads until the socket fails; `heard` is set to the time of every message, keep-alives
/// included, so the engine can tell a quiet platform from a silent socket.
pub async fn read_frames(
    stream: &mut WsStream,
    frames: &mpsc::Sender<String>,
    idle: Duration,
    heard: &tokio::sync::watch::Sender<std::time::Instant>,
) -> WsError {
    loop {
        let next = match tokio::time::timeout(idle, stream.next()).await {
            Err(_) => return WsError::Idle(idle),
            Ok(None) => return WsError::Closed,
            Ok(Some(Err(e))) => return WsError::Transport(e.to_string()),
            Ok(Some(Ok(message))) => message,
        };
        heard.send_replace(std::time::Instant::now());
        match next {
            Message::Text(text) if frames.send(text.as_str().to_owned()).await.is_err() => {
                return WsError::Closed;
            }
            Message::Close(_) => return WsError::Closed,
            // Pings are answered by tungstenite as part of reading; binary frames are not
            // part of the protocol.
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ws_url_follows_the_base() {
        assert_eq!(
            ws_url(&Endpoint::new("https://api.voipbin.net/v1.0")),
            "wss://api.voipbin.net/v1.0/ws"
        );
        assert_eq!(
            ws_url(&Endpoint::new("http://127.0.0.1:3000/v1.0/")),
            "ws://127.0.0.1:3000/v1.0/ws"
        );
    }

    #[test]
    fn topics_are_exact_prefixes() {
        let c = Uuid::nil();
        assert_eq!(
            topics(c),
            vec![
                format!("customer_id:{c}:conference:"),
                format!("customer_id:{c}:call:"),
                format!("customer_id:{c}:agent:"),
            ]
        );
    }
}
