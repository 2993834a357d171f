//! Logs go to a file in the data directory (owner-only), never to the terminal.

use crate::config::Overrides;

/// Transport crates log request lines and headers (the access key in the WebSocket URL,
/// the bearer token) at debug and trace: they never log below info, whatever RUST_LOG says.
const TRANSPORT_CRATES: [&str; 8] = [
    "tungstenite",
    "tokio_tungstenite",
    "reqwest",
    "hyper",
    "hyper_util",
    "h2",
    "rustls",
    "tower_http",
];

/// The filter: RUST_LOG (default `info`) without span filters or any directive that names
/// a transport crate or one of its modules (`tungstenite::handshake=trace` would beat a crate-wide
/// `tungstenite=info`), then those crates capped at info.
pub(crate) fn log_filter(rust_log: Option<&str>) -> String {
    let names_transport = |directive: &str| {
        let target = directive.split(['=', '[']).next().unwrap_or("").trim();
        TRANSPORT_CRATES
            .iter()
            .any(|c| target == *c || target.starts_with(&format!("{c}::")) || directive.contains(c))
    };
    // A span or field filter (`[{uri}]=trace`) enables events of any crate inside the
    // spans it matches, so none is taken.
    let dynamic = |directive: &str| directive.contains('[');
    let mut directives: Vec<String> = rust_log
        .unwrap_or("info")
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty() && !names_transport(d) && !dynamic(d))
        .map(str::to_string)
        .collect();
    directives.extend(TRANSPORT_CRATES.iter().map(|c| format!("{c}=info")));
    directives.join(",")
}

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
    let rust_log = std::env::var("RUST_LOG").ok();
    let filter = tracing_subscriber::EnvFilter::try_new(log_filter(rust_log.as_deref()))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(log_filter(None)));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_directive_can_raise_a_transport_crate() {
        let filter = log_filter(Some(
            "trace,tungstenite::handshake=trace,hyper=trace,reqwest::connect=debug,\
             [{uri}]=trace,bridgetop=debug",
        ));
        for leak in ["handshake", "hyper=trace", "reqwest::connect", "uri"] {
            assert!(!filter.contains(leak), "{leak} in {filter}");
        }
        assert!(filter.starts_with("trace,bridgetop=debug,"), "{filter}");
        assert!(filter.contains("tungstenite=info") && filter.contains("hyper=info"));
        assert!(tracing_subscriber::EnvFilter::try_new(&filter).is_ok());
        assert!(log_filter(None).starts_with("info,"));
    }
}
