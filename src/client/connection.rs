//! The connection to the platform (or to whatever feeds the store): one type for the sync
//! engine, the dashboard's header and `watch`'s lines.

use chrono::TimeDelta;
use serde::Serialize;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ConnectionState {
    /// First connection and snapshot in progress.
    Connecting,
    /// Subscribed and reconciled: the store follows the platform.
    Live { since: Timestamp },
    /// The socket is up but nothing (not even a keep-alive) has arrived since `since`.
    Stale { since: Timestamp },
    /// Lost; the next attempt is number `attempt`. Data is stale since `stale_since`.
    Reconnecting {
        attempt: u32,
        stale_since: Timestamp,
        /// Why the last attempt or connection failed (no secrets: paths and reasons only).
        last_error: String,
    },
    /// The platform refused our credentials: retrying cannot help until they change.
    AuthFailed { message: String },
}

impl ConnectionState {
    pub fn is_live(&self) -> bool {
        matches!(self, ConnectionState::Live { .. })
    }

    /// `live`, `connecting`, `reconnecting (3) · stale 12s`, `stale 12s`.
    pub fn describe(&self, now: Timestamp) -> String {
        let age = |since: &Timestamp| (now - *since).max(TimeDelta::zero()).num_seconds();
        match self {
            ConnectionState::Connecting => "connecting".into(),
            ConnectionState::Live { .. } => "live".into(),
            ConnectionState::Stale { since } => format!("stale {}s", age(since)),
            ConnectionState::Reconnecting {
                attempt,
                stale_since,
                ..
            } => format!("reconnecting ({attempt}) · stale {}s", age(stale_since)),
            ConnectionState::AuthFailed { message } => format!("failed: {message}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    #[test]
    fn words() {
        let now = Utc.with_ymd_and_hms(2026, 8, 21, 14, 0, 12).unwrap();
        let since = Utc.with_ymd_and_hms(2026, 8, 21, 14, 0, 0).unwrap();
        assert_eq!(ConnectionState::Live { since }.describe(now), "live");
        assert_eq!(ConnectionState::Connecting.describe(now), "connecting");
        let reconnecting = ConnectionState::Reconnecting {
            attempt: 3,
            stale_since: since,
            last_error: "x".into(),
        };
        assert_eq!(reconnecting.describe(now), "reconnecting (3) · stale 12s");
        assert_eq!(ConnectionState::Stale { since }.describe(now), "stale 12s");
    }
}
