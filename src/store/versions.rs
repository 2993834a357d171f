//! Newest-version-wins, made order-independent.
//!
//! Frames are full snapshots and may arrive swapped (§11.5), so per resource only the
//! greatest `tm_update` (falling back to `tm_create`) is kept. Two different snapshots with
//! the same version are ordered by how far the resource has progressed and then by a hash
//! of their content, so every delivery order picks the same winner.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Serialize;

use super::call_record::CallRecord;
use crate::voipbin::{
    Agent, CallStatus, Conference, ConferenceStatus, Conferencecall, ConferencecallStatus,
    Timestamp,
};

pub(crate) trait Versioned: Serialize + PartialEq {
    fn version(&self) -> Option<Timestamp>;
    /// Forward-only progress (status, deletion): the later state wins a version tie.
    fn progress(&self) -> u8;
}

/// What to do with an incoming snapshot of a resource already held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Newer: replace the current one.
    Replace,
    /// Older, or the tie went to the current one: ignore.
    Stale,
    /// Exactly the snapshot already held.
    Same,
}

/// How far ahead of the local clock a version stamp may be and still be believed.
pub(crate) const MAX_CLOCK_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// `judge`, except that a held version stamped impossibly far in the future (one bad or
/// hostile frame) loses to any plausible one, so it cannot freeze the resource: the next
/// event or REST fetch wins.
pub(crate) fn judge_at<T: Versioned>(current: &T, incoming: &T, now: Timestamp) -> Verdict {
    let implausible = |v: Option<Timestamp>| v.is_some_and(|v| v > now + MAX_CLOCK_SKEW);
    if implausible(current.version()) && !implausible(incoming.version()) {
        return if incoming == current {
            Verdict::Same
        } else {
            Verdict::Replace
        };
    }
    judge(current, incoming)
}

pub(crate) fn judge<T: Versioned>(current: &T, incoming: &T) -> Verdict {
    let order = incoming
        .version()
        .cmp(&current.version())
        .then_with(|| incoming.progress().cmp(&current.progress()));
    match order {
        Ordering::Greater => Verdict::Replace,
        Ordering::Less => Verdict::Stale,
        Ordering::Equal if incoming == current => Verdict::Same,
        Ordering::Equal => match content_hash(incoming).cmp(&content_hash(current)) {
            Ordering::Greater => Verdict::Replace,
            Ordering::Less => Verdict::Stale,
            // A hash collision between different contents: keep what we have.
            Ordering::Equal => Verdict::Stale,
        },
    }
}

fn content_hash<T: Serialize>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    // Plain data structs always encode; an empty encoding still yields a stable hash.
    serde_json::to_vec(value)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

fn deleted(tm_delete: &Option<Timestamp>) -> u8 {
    u8::from(tm_delete.is_some())
}

impl Versioned for Conference {
    fn version(&self) -> Option<Timestamp> {
        Conference::version(self)
    }
    fn progress(&self) -> u8 {
        let status = match self.status {
            Some(ConferenceStatus::Terminating) => 2,
            Some(ConferenceStatus::Terminated) => 3,
            Some(ConferenceStatus::Progressing) => 1,
            _ => 0,
        };
        status * 2 + deleted(&self.tm_delete)
    }
}

impl Versioned for Conferencecall {
    fn version(&self) -> Option<Timestamp> {
        Conferencecall::version(self)
    }
    fn progress(&self) -> u8 {
        match self.status {
            Some(ConferencecallStatus::Joining) => 1,
            Some(ConferencecallStatus::Joined) => 2,
            Some(ConferencecallStatus::Leaving) => 3,
            Some(ConferencecallStatus::Leaved) => 4,
            _ => 0,
        }
    }
}

pub(crate) fn call_status_rank(status: &Option<CallStatus>) -> u8 {
    match status {
        Some(CallStatus::Dialing) => 1,
        Some(CallStatus::Ringing) => 2,
        Some(CallStatus::Progressing) => 3,
        Some(CallStatus::Terminating) | Some(CallStatus::Canceling) => 4,
        Some(CallStatus::Hangup) => 5,
        _ => 0,
    }
}

impl Versioned for CallRecord {
    fn version(&self) -> Option<Timestamp> {
        CallRecord::version(self)
    }
    fn progress(&self) -> u8 {
        call_status_rank(&self.status) * 2 + deleted(&self.tm_delete)
    }
}

impl Versioned for Agent {
    fn version(&self) -> Option<Timestamp> {
        Agent::version(self)
    }
    fn progress(&self) -> u8 {
        deleted(&self.tm_delete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::time::parse;
    use crate::voipbin::Call;

    fn call(update: &str, status: CallStatus) -> CallRecord {
        CallRecord::of(Call {
            status: Some(status),
            tm_update: parse(update).unwrap(),
            ..Call::default()
        })
    }

    #[test]
    fn a_future_stamp_loses_to_a_plausible_one() {
        let now = chrono::Utc::now();
        let future = Conference {
            tm_update: Some(now + chrono::TimeDelta::days(1)),
            ..Conference::default()
        };
        let truth = Conference {
            tm_update: Some(now),
            name: "truth".into(),
            ..Conference::default()
        };
        assert_eq!(judge(&future, &truth), Verdict::Stale);
        assert_eq!(judge_at(&future, &truth, now), Verdict::Replace);
        // Within the skew, ordinary rules.
        let mut soon = truth.clone();
        soon.tm_update = Some(now + chrono::TimeDelta::minutes(1));
        assert_eq!(judge_at(&soon, &truth, now), Verdict::Stale);
    }

    #[test]
    fn newer_replaces_older_is_ignored() {
        let old = call("2026-08-21T14:00:00Z", CallStatus::Ringing);
        let new = call("2026-08-21T14:00:01Z", CallStatus::Progressing);
        assert_eq!(judge(&old, &new), Verdict::Replace);
        assert_eq!(judge(&new, &old), Verdict::Stale);
        assert_eq!(judge(&new, &new.clone()), Verdict::Same);
    }

    #[test]
    fn ties_pick_the_same_winner_from_either_side() {
        let a = call("2026-08-21T14:00:00Z", CallStatus::Progressing);
        let mut b = a.clone();
        b.mute_direction = Some(crate::voipbin::MuteDirection::In);
        let forward = judge(&a, &b);
        let backward = judge(&b, &a);
        assert_ne!(forward, Verdict::Same);
        assert_ne!(forward, backward, "exactly one side wins");
        let later_status = call("2026-08-21T14:00:00Z", CallStatus::Hangup);
        assert_eq!(judge(&a, &later_status), Verdict::Replace);
    }
}
