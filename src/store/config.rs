//! Store settings: the recently-left window, retention periods and alert thresholds.

use chrono::TimeDelta;
use uuid::Uuid;

/// When each alert starts (PROTOCOL.md has no alert concept; these are dashboard policy).
/// The `[alerts]` table of the config file, in whole seconds; unset keys keep the defaults
/// (which `assets/config.toml` repeats, checked by a test).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertThresholds {
    /// A customer whose worker left, with no live worker, is tolerated this long (a
    /// transfer's next worker joins late).
    #[serde(deserialize_with = "seconds")]
    pub customer_alone_grace: TimeDelta,
    /// A customer who has had no worker since joining may wait this long.
    #[serde(deserialize_with = "seconds")]
    pub waiting_for_agent: TimeDelta,
    #[serde(deserialize_with = "seconds")]
    pub hold_warning: TimeDelta,
    #[serde(deserialize_with = "seconds")]
    pub hold_critical: TimeDelta,
    #[serde(deserialize_with = "seconds")]
    pub stuck_connecting: TimeDelta,
    #[serde(deserialize_with = "seconds")]
    pub stuck_terminating: TimeDelta,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            customer_alone_grace: TimeDelta::seconds(10),
            waiting_for_agent: TimeDelta::seconds(60),
            hold_warning: TimeDelta::seconds(60),
            hold_critical: TimeDelta::seconds(180),
            stuck_connecting: TimeDelta::seconds(30),
            stuck_terminating: TimeDelta::seconds(60),
        }
    }
}

/// A whole number of seconds (capped far beyond any useful threshold).
fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<TimeDelta, D::Error> {
    let secs = <u64 as serde::Deserialize>::deserialize(deserializer)?;
    Ok(TimeDelta::seconds(secs.min(u32::MAX.into()) as i64))
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
    /// Describe what changed about conferences, participants and alerts as records (what
    /// `watch` prints). A console reads only which conferences changed, so it turns this
    /// off and no record is built per frame.
    pub change_records: bool,
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
            change_records: true,
        }
    }
}
