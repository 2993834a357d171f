//! How two conferences compare under each sort; the columns in `ui::columns` name these.
//! Every order here is ascending: reversing is the caller's business.

use std::cmp::{Ordering, Reverse};

use crate::store::ConferenceView;

/// Worst alert first; among equals the oldest; then the longest hold; then the oldest room.
pub fn by_attention(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    let alert_rank = |c: &ConferenceView| {
        c.worst_alert()
            .map(|alert| (alert.severity, Reverse(alert.since)))
    };
    alert_rank(b)
        .cmp(&alert_rank(a))
        .then(by_hold(a, b))
        .then(by_age(a, b))
}

pub fn by_name(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    a.conference
        .name
        .to_lowercase()
        .cmp(&b.conference.name.to_lowercase())
}

/// Oldest first: the longest-running room is at the top.
pub fn by_age(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    a.conference.tm_create.cmp(&b.conference.tm_create)
}

/// Busiest first.
pub fn by_participants(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    b.live_participant_count.cmp(&a.live_participant_count)
}

/// Most workers first.
pub fn by_workers(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    b.live_worker_count.cmp(&a.live_worker_count)
}

/// The longest hold first; rooms with nobody on hold last.
pub fn by_hold(a: &ConferenceView, b: &ConferenceView) -> Ordering {
    match (a.longest_hold_since(), b.longest_hold_since()) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
