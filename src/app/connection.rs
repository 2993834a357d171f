//! The connection to the platform as the header shows it, in words.

use chrono::TimeDelta;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    /// The first connection attempt (or a login) is under way.
    Connecting,
    /// Subscribed and receiving events.
    Live,
    /// Lost; `attempt` counts the retries since the last success; the data on screen is
    /// stale since `stale_since`.
    Reconnecting {
        attempt: u32,
        stale_since: Option<Timestamp>,
    },
    /// The socket is up but nothing has arrived since `since` (keep-alives missed).
    Stale { since: Timestamp },
    /// Stopped for good (bad credentials, for one); the reason is shown.
    Failed { reason: String },
}

impl ConnectionState {
    /// `live`, `connecting`, `reconnecting (3)`, `stale 12s`.
    pub fn describe(&self, now: Timestamp) -> String {
        match self {
            ConnectionState::Connecting => "connecting".into(),
            ConnectionState::Live => "live".into(),
            ConnectionState::Reconnecting {
                attempt,
                stale_since,
            } => match stale_since {
                Some(since) => {
                    let secs = (now - *since).max(TimeDelta::zero()).num_seconds();
                    format!("reconnecting ({attempt}) · stale {secs}s")
                }
                None => format!("reconnecting ({attempt})"),
            },
            ConnectionState::Stale { since } => {
                let secs = (now - *since).max(TimeDelta::zero()).num_seconds();
                format!("stale {secs}s")
            }
            ConnectionState::Failed { reason } => format!("failed: {reason}"),
        }
    }

    pub fn is_healthy(&self) -> bool {
        matches!(self, ConnectionState::Live)
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
        assert_eq!(ConnectionState::Live.describe(now), "live");
        assert_eq!(ConnectionState::Connecting.describe(now), "connecting");
        let reconnecting = |stale_since| ConnectionState::Reconnecting {
            attempt: 3,
            stale_since,
        };
        assert_eq!(reconnecting(None).describe(now), "reconnecting (3)");
        assert_eq!(
            reconnecting(Some(since)).describe(now),
            "reconnecting (3) · stale 12s"
        );
        assert_eq!(ConnectionState::Stale { since }.describe(now), "stale 12s");
    }
}
