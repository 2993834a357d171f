//! Store settings: the recently-left window, retention periods and alert thresholds.

use chrono::TimeDelta;
use uuid::Uuid;

/// When each alert starts (PROTOCOL.md has no alert concept; these are dashboard policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertThresholds {
    /// A joined customer with no live worker is tolerated this long (workers resolve late).
    pub customer_alone_grace: TimeDelta,
    pub hold_warning: TimeDelta,
    pub hold_critical: TimeDelta,
    pub stuck_connecting: TimeDelta,
    pub stuck_terminating: TimeDelta,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            customer_alone_grace: TimeDelta::seconds(10),
            hold_warning: TimeDelta::seconds(60),
            hold_critical: TimeDelta::seconds(180),
            stuck_connecting: TimeDelta::seconds(30),
            stuck_terminating: TimeDelta::seconds(60),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// How long a participant shows as `recently_left` before `left`.
    pub recently_left_window: TimeDelta,
    /// How long an ended conference stays in the ended list.
    pub ended_retention: TimeDelta,
    /// How long frames for a forgotten conference are still ignored (late duplicates).
    pub tombstone_retention: TimeDelta,
    /// Calls and conferencecalls not linked to any known conference are dropped after this;
    /// the subscription delivers every call of the customer, not only conference legs.
    pub orphan_retention: TimeDelta,
    /// Byte-identical frames seen within this window are dropped.
    pub dedupe_window: TimeDelta,
    /// Upper bound on remembered frame hashes, whatever the window.
    pub dedupe_capacity: usize,
    /// Hold-ledger entries older than this are dropped: the platform kicks legs after 24 h.
    pub hold_ledger_max_age: TimeDelta,
    pub alerts: AlertThresholds,
    /// The console user's own agent id, if logged in as an agent.
    pub myself: Option<Uuid>,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            recently_left_window: TimeDelta::seconds(5),
            ended_retention: TimeDelta::minutes(10),
            tombstone_retention: TimeDelta::minutes(10),
            orphan_retention: TimeDelta::minutes(2),
            dedupe_window: TimeDelta::seconds(10),
            dedupe_capacity: 50_000,
            hold_ledger_max_age: TimeDelta::hours(24),
            alerts: AlertThresholds::default(),
            myself: None,
        }
    }
}
