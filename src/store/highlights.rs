//! The few facts about a room that the table, the sort and the filters all read: worked
//! out once when the view is derived, so no reader has to walk the participants again.

use std::sync::Arc;

use super::alerts::Alert;
use super::participant::Participant;
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Highlights {
    pub(crate) worst_alert: Option<Alert>,
    pub(crate) longest_hold_since: Option<Timestamp>,
    pub(crate) on_hold_count: usize,
    pub(crate) mine: bool,
}

impl Highlights {
    /// `mine` comes in already known: the live count needs it before the alerts exist.
    pub(crate) fn new(mine: bool, participants: &[Arc<Participant>], alerts: &[Alert]) -> Self {
        // Among equally severe alerts the oldest is the worst.
        let worst_alert = alerts
            .iter()
            .max_by_key(|a| (a.severity, std::cmp::Reverse(a.since)))
            .cloned();
        let held = participants.iter().filter(|p| p.is_joined() && p.on_hold);
        Highlights {
            worst_alert,
            longest_hold_since: held.clone().filter_map(|p| p.hold_since).min(),
            on_hold_count: held.count(),
            mine,
        }
    }
}

/// Whether the console's own agent has a joined leg in the room.
pub(crate) fn is_mine(participants: &[Arc<Participant>]) -> bool {
    participants.iter().any(|p| p.is_myself && p.is_joined())
}
