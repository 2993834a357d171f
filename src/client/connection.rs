//! The connection state the UI shows: connecting, live, reconnecting (attempt count), and
//! since when the data may be stale.

use serde::Serialize;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum ConnectionState {
    /// First connection and snapshot in progress.
    Connecting,
    /// Subscribed and reconciled: the store follows the platform.
    Live { since: Timestamp },
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

    /// When the shown data stopped being current, if it has.
    pub fn stale_since(&self) -> Option<Timestamp> {
        match self {
            ConnectionState::Reconnecting { stale_since, .. } => Some(*stale_since),
            _ => None,
        }
    }

    /// A short line for a status bar.
    pub fn label(&self) -> String {
        match self {
            ConnectionState::Connecting => "connecting".into(),
            ConnectionState::Live { .. } => "live".into(),
            ConnectionState::Reconnecting { attempt, .. } => {
                format!("reconnecting (attempt {attempt})")
            }
            ConnectionState::AuthFailed { .. } => "not authorised".into(),
        }
    }
}
