//! Where a conference ranks under each sort, as a value: the overview keeps rows ordered by
//! these and re-computes one only when its conference changes. The columns in
//! `ui::columns` name them. Every order here is ascending: reversing is the caller's
//! business.

use std::cmp::Reverse;

use crate::store::{ConferenceView, Severity};
use crate::voipbin::Timestamp;

/// One conference's place under one sort. Rows in one table always hold the same variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortValue {
    Attention {
        alert: Reverse<Option<(Severity, Reverse<Timestamp>)>>,
        hold: HoldRank,
        age: Option<Timestamp>,
    },
    Name(Box<str>),
    Age(Option<Timestamp>),
    Participants(Reverse<usize>),
    Workers(Reverse<usize>),
    Hold(HoldRank),
}

/// The longest hold first; rooms with nobody on hold last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HoldRank {
    nobody_held: bool,
    since: Option<Timestamp>,
}

fn hold_rank(c: &ConferenceView) -> HoldRank {
    let since = c.longest_hold_since();
    HoldRank {
        nobody_held: since.is_none(),
        since,
    }
}

/// Worst alert first; among equals the oldest; then the longest hold; then the oldest room.
pub fn by_attention(c: &ConferenceView) -> SortValue {
    SortValue::Attention {
        alert: Reverse(
            c.worst_alert()
                .map(|alert| (alert.severity, Reverse(alert.since))),
        ),
        hold: hold_rank(c),
        age: c.conference.tm_create,
    }
}

/// A→Z, ignoring case.
pub fn by_name(c: &ConferenceView) -> SortValue {
    SortValue::Name(c.conference.name.to_lowercase().into_boxed_str())
}

/// Oldest first: the longest-running room is at the top.
pub fn by_age(c: &ConferenceView) -> SortValue {
    SortValue::Age(c.conference.tm_create)
}

/// Busiest first.
pub fn by_participants(c: &ConferenceView) -> SortValue {
    SortValue::Participants(Reverse(c.live_participant_count))
}

/// Most workers first.
pub fn by_workers(c: &ConferenceView) -> SortValue {
    SortValue::Workers(Reverse(c.live_worker_count))
}

pub fn by_hold(c: &ConferenceView) -> SortValue {
    SortValue::Hold(hold_rank(c))
}
