//! Alerts: derived conditions worth a supervisor's attention, each with a severity and the
//! time the condition began. They are recomputed with their conference and clear by
//! themselves when the condition ends.

use std::sync::Arc;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::config::AlertThresholds;
use super::participant::{Participant, ParticipantType};
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// A joined customer whose worker left, with no live worker, past the grace period.
    CustomerAlone,
    /// A joined customer who has had no worker since joining, past the wait threshold:
    /// still waiting to be served, not abandoned.
    WaitingForAgent,
    /// A customer this console put on hold, past the warning or critical threshold.
    HoldTooLong,
    /// A customer on hold with no live worker left to take them back.
    StrandedOnHold,
    /// A leg still joining or unanswered past the threshold.
    StuckConnecting,
    /// A terminating conference that still has legs in it past the threshold.
    StuckTerminating,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Critical,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: AlertKind,
    pub severity: Severity,
    pub since: Timestamp,
    /// `None` for conference-wide alerts.
    pub conferencecall_id: Option<Uuid>,
}

/// What alert derivation needs to know about the conference itself.
pub(crate) struct ConferenceFacts {
    /// Set while the conference is `terminating` (not yet `terminated`).
    pub(crate) terminating_since: Option<Timestamp>,
    pub(crate) live_worker_count: usize,
    pub(crate) live_participant_count: usize,
}

/// The earliest future instant at which a derived value changes.
#[derive(Debug, Default)]
pub(crate) struct NextChange(pub(crate) Option<Timestamp>);

impl NextChange {
    pub(crate) fn at(&mut self, when: Timestamp, now: Timestamp) {
        if when > now {
            self.0 = Some(self.0.map_or(when, |t| t.min(when)));
        }
    }
}

/// Collects alerts and the next instant one of them would appear or escalate.
struct Collector<'a> {
    now: Timestamp,
    next: &'a mut NextChange,
    alerts: Vec<Alert>,
}

impl Collector<'_> {
    fn raise(&mut self, kind: AlertKind, severity: Severity, since: Timestamp, leg: Option<Uuid>) {
        self.alerts.push(Alert {
            kind,
            severity,
            since,
            conferencecall_id: leg,
        });
    }

    /// Raises once `since + delay` is reached, or books the wake-up for it.
    fn after(&mut self, kind: AlertKind, since: Timestamp, delay: TimeDelta, leg: Option<Uuid>) {
        if self.now >= since + delay {
            self.raise(kind, Severity::Warning, since, leg);
        } else {
            self.next.at(since + delay, self.now);
        }
    }
}

/// Alerts for one conference, sorted by kind then leg.
pub(crate) fn derive(
    facts: &ConferenceFacts,
    participants: &[Arc<Participant>],
    limits: &AlertThresholds,
    now: Timestamp,
    next: &mut NextChange,
) -> Vec<Alert> {
    let mut out = Collector {
        now,
        next,
        alerts: Vec::new(),
    };
    let no_worker = facts.live_worker_count == 0;
    // The moment the room last lost a worker: "alone" cannot have begun before it.
    let last_worker_left = participants
        .iter()
        .filter(|p| p.participant_type == ParticipantType::Worker && !p.is_joined())
        .filter_map(|p| p.left_at)
        .max();

    for p in participants.iter().filter(|p| p.is_joined()) {
        let leg = Some(p.conferencecall_id);
        if p.participant_type == ParticipantType::Customer {
            if let (true, Some(joined)) = (no_worker, p.joined_at) {
                match last_worker_left.filter(|left| *left > joined) {
                    // A worker was with them and left.
                    Some(left) => out.after(
                        AlertKind::CustomerAlone,
                        left,
                        limits.customer_alone_grace,
                        leg,
                    ),
                    None => out.after(
                        AlertKind::WaitingForAgent,
                        joined,
                        limits.waiting_for_agent,
                        leg,
                    ),
                }
            }
            if let Some(held) = p.hold_since.filter(|_| p.on_hold) {
                let critical_at = held + limits.hold_critical;
                if now >= critical_at {
                    out.raise(AlertKind::HoldTooLong, Severity::Critical, held, leg);
                } else {
                    out.after(AlertKind::HoldTooLong, held, limits.hold_warning, leg);
                    out.next.at(critical_at, now);
                }
                if no_worker {
                    let since = held.max(last_worker_left.unwrap_or(held));
                    out.raise(AlertKind::StrandedOnHold, Severity::Critical, since, leg);
                }
            }
        }
        if let Some(since) = p.connecting_since.filter(|_| p.connecting) {
            out.after(
                AlertKind::StuckConnecting,
                since,
                limits.stuck_connecting,
                leg,
            );
        }
    }

    if let Some(since) = facts.terminating_since {
        if facts.live_participant_count > 0 {
            out.after(
                AlertKind::StuckTerminating,
                since,
                limits.stuck_terminating,
                None,
            );
        }
    }

    let mut alerts = out.alerts;
    alerts.sort_by_key(|a| (a.kind, a.conferencecall_id));
    alerts
}
