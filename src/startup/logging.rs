//! Logs go to a file in the data directory (owner-only), never to the terminal.

use crate::config::Overrides;

const QUIET_TRANSPORT_LOGS: [&str; 6] = [
    "tungstenite=info",
    "tokio_tungstenite=info",
    "reqwest=info",
    "hyper=info",
    "hyper_util=info",
    "h2=info",
];

/// Logs go to a file in the data directory (owner-only), never to the terminal.
pub fn init_logging(overrides: &Overrides) {
    let Ok(resolved) = super::Context::resolve(overrides) else {
        return;
    };
    if crate::data_dir::create(&resolved.data_dir).is_err() {
        return;
    }
    let Ok(file) = crate::data_dir::open_append(&resolved.data_dir.join("bridgetop.log")) else {
        return;
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Transport crates log request lines and headers (access key in the WebSocket URL, the
    // bearer token) at debug and trace: whatever RUST_LOG says, they stop at info.
    for quiet in QUIET_TRANSPORT_LOGS {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
