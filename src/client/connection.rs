//! The connection to the platform (or to whatever feeds the store): one type for the sync
//! engine, the dashboard's header and `watch`'s lines.

use chrono::TimeDelta;
use serde::Serialize;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ConnectionState {
    /// Nothing synced yet. `attempt` 1 is the first try; later ones follow a failure,
    /// named in `last_error`, and start at `retry_at` (absent while an attempt runs).
    Connecting {
        attempt: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        last_error: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_at: Option<Timestamp>,
    },
    /// Subscribed, and the first snapshot is under way: `pages` of conferences have come
    /// in so far, holding `rooms` live rooms (already on screen, their legs to follow).
    Syncing { pages: usize, rooms: usize },
    /// Subscribed: the store follows the platform. `resyncing` while a snapshot that
    /// reconciles what a short drop may have missed is still being taken.
    Live { since: Timestamp, resyncing: bool },
    /// The socket is up but nothing (not even a keep-alive) has arrived since `since`.
    Stale { since: Timestamp },
    /// Lost after having synced; the next attempt is number `attempt`, at `retry_at`
    /// (absent while it runs). Data is stale since `stale_since`.
    Reconnecting {
        attempt: u32,
        stale_since: Timestamp,
        /// Why the last attempt or connection failed (no secrets: paths and reasons only).
        last_error: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_at: Option<Timestamp>,
    },
    /// The platform refused our credentials: retrying cannot help until they change.
    AuthFailed { message: String },
}

impl ConnectionState {
    /// The state before anything was tried.
    pub fn first_attempt() -> Self {
        ConnectionState::Connecting {
            attempt: 1,
            last_error: None,
            retry_at: None,
        }
    }

    pub fn is_live(&self) -> bool {
        matches!(self, ConnectionState::Live { .. })
    }

    /// Live and reconciled: no resync is catching up on a gap.
    pub fn is_reconciled(&self) -> bool {
        matches!(
            self,
            ConnectionState::Live {
                resyncing: false,
                ..
            }
        )
    }

    /// Since when the data on screen is old: the socket went silent, or the connection
    /// was lost after having synced.
    pub fn stale_since(&self) -> Option<Timestamp> {
        match self {
            ConnectionState::Stale { since } => Some(*since),
            ConnectionState::Reconnecting { stale_since, .. } => Some(*stale_since),
            _ => None,
        }
    }

    /// Why the last attempt failed, for the message line (the header has no room).
    pub fn last_error(&self) -> Option<&str> {
        match self {
            ConnectionState::Connecting { last_error, .. } => last_error.as_deref(),
            ConnectionState::Reconnecting { last_error, .. } => Some(last_error),
            ConnectionState::AuthFailed { message } => Some(message),
            _ => None,
        }
    }

    /// `live`, `live · resyncing`, `connecting`, `connecting (2) · retry in 4s`,
    /// `reconnecting (3) · stale 12s · retry in 7s`, `stale 12s`.
    pub fn describe(&self, now: Timestamp) -> String {
        let age = |since: &Timestamp| (now - *since).max(TimeDelta::zero()).num_seconds();
        let retry = |at: &Option<Timestamp>| match at {
            Some(at) => {
                let wait = (*at - now).max(TimeDelta::zero());
                if wait < TimeDelta::seconds(1) {
                    // A quick retry after a drop: "retry in 0s" or "1s" would both be wrong.
                    return " · retrying".to_string();
                }
                // Round up: "retry in 0s" would be a promise already broken.
                let seconds = (wait.num_milliseconds() + 999) / 1000;
                format!(" · retry in {seconds}s")
            }
            None => String::new(),
        };
        match self {
            ConnectionState::Connecting {
                attempt: 1,
                retry_at: None,
                ..
            } => "connecting".into(),
            ConnectionState::Connecting {
                attempt, retry_at, ..
            } => format!("connecting ({attempt}){}", retry(retry_at)),
            ConnectionState::Syncing { pages: 0, .. } => "syncing…".into(),
            ConnectionState::Syncing { pages, rooms } => {
                let pages = if *pages == 1 {
                    "1 page".into()
                } else {
                    format!("{pages} pages")
                };
                let rooms = if *rooms == 1 {
                    "1 room".into()
                } else {
                    format!("{rooms} rooms")
                };
                format!("syncing… {pages}, {rooms}")
            }
            ConnectionState::Live {
                resyncing: false, ..
            } => "live".into(),
            ConnectionState::Live { .. } => "live · resyncing".into(),
            ConnectionState::Stale { since } => format!("stale {}s", age(since)),
            ConnectionState::Reconnecting {
                attempt,
                stale_since,
                retry_at,
                ..
            } => format!(
                "reconnecting ({attempt}) · stale {}s{}",
                age(stale_since),
                retry(retry_at)
            ),
            ConnectionState::AuthFailed { message } => format!("failed: {message}"),
        }
    }
}

/// Whether a source has ever been live, which decides what refused credentials mean: before
/// the first `live` a wrong key (the dashboard and `watch` end with exit 3), after it a
/// token that expired under a running console (shown, retried).
#[derive(Debug, Default, Clone, Copy)]
pub struct FirstLive {
    seen: bool,
}

impl FirstLive {
    /// Notes `state`; the refusal message when it ends the consumer.
    pub fn refusal<'a>(&mut self, state: &'a ConnectionState) -> Option<&'a str> {
        match state {
            ConnectionState::Live { .. } => {
                self.seen = true;
                None
            }
            ConnectionState::AuthFailed { message } if !self.seen => Some(message),
            _ => None,
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
        let live = |resyncing| ConnectionState::Live { since, resyncing };
        assert_eq!(live(false).describe(now), "live");
        assert_eq!(live(true).describe(now), "live · resyncing");
        assert_eq!(ConnectionState::first_attempt().describe(now), "connecting");
        let waiting = ConnectionState::Connecting {
            attempt: 2,
            last_error: Some("GET /customer: 503".into()),
            retry_at: Some(now + TimeDelta::milliseconds(3_200)),
        };
        assert_eq!(waiting.describe(now), "connecting (2) · retry in 4s");
        assert_eq!(waiting.last_error(), Some("GET /customer: 503"));
        let reconnecting = ConnectionState::Reconnecting {
            attempt: 3,
            stale_since: since,
            last_error: "x".into(),
            retry_at: None,
        };
        assert_eq!(reconnecting.describe(now), "reconnecting (3) · stale 12s");
        let quick = ConnectionState::Reconnecting {
            attempt: 1,
            stale_since: since,
            last_error: "x".into(),
            retry_at: Some(now + TimeDelta::milliseconds(120)),
        };
        assert_eq!(
            quick.describe(now),
            "reconnecting (1) · stale 12s · retrying"
        );
        assert_eq!(ConnectionState::Stale { since }.describe(now), "stale 12s");
        let syncing = |pages, rooms| ConnectionState::Syncing { pages, rooms }.describe(now);
        assert_eq!(syncing(0, 0), "syncing…");
        assert_eq!(syncing(1, 1), "syncing… 1 page, 1 room");
        assert_eq!(syncing(3, 250), "syncing… 3 pages, 250 rooms");
    }

    #[test]
    fn refused_credentials_end_a_consumer_only_before_it_was_live() {
        let now = Utc.with_ymd_and_hms(2026, 8, 21, 14, 0, 12).unwrap();
        let refused = ConnectionState::AuthFailed {
            message: "401".into(),
        };
        let mut first = FirstLive::default();
        assert_eq!(first.refusal(&ConnectionState::first_attempt()), None);
        assert_eq!(first.refusal(&refused), Some("401"));
        let live = ConnectionState::Live {
            since: now,
            resyncing: false,
        };
        assert_eq!(first.refusal(&live), None);
        assert_eq!(
            first.refusal(&refused),
            None,
            "expired under a running console"
        );
    }
}
