//! What the screen needs that spans every conference: the ordered, filtered rows, the
//! header totals and the alert list. Rebuilt when the data changes (at most once per
//! frame), never while drawing, so a frame costs only the rows it shows.

use std::cmp::Ordering;
use std::collections::HashMap;

use uuid::Uuid;

use super::view::{Filter, SortKey, Subset};
use crate::store::{Alert, ConferenceView, Severity};
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub conferences: usize,
    pub participants: usize,
    pub live_workers: usize,
    pub on_hold: usize,
    pub alerts: usize,
    pub critical_alerts: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub conference_id: Uuid,
    pub alert: Alert,
}

#[derive(Debug, Clone, Default)]
pub struct Overview {
    /// Conference ids in display order, after the filter and subset.
    pub rows: Vec<Uuid>,
    /// Each row's index in `rows`.
    pub position: HashMap<Uuid, usize>,
    /// Over every live conference, whatever the filter.
    pub totals: Totals,
    /// Every alert, critical first, then oldest first.
    pub alerts: Vec<AlertRow>,
}

/// Per-conference facts used for ordering and filtering.
struct RowFacts<'a> {
    view: &'a ConferenceView,
    worst_alert: Option<(Severity, Timestamp)>,
    longest_hold_since: Option<Timestamp>,
    mine: bool,
}

impl<'a> RowFacts<'a> {
    fn of(view: &'a ConferenceView) -> Self {
        let worst_alert = view
            .alerts
            .iter()
            .map(|a| (a.severity, a.since))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let longest_hold_since = view
            .participants
            .iter()
            .filter(|p| p.is_joined() && p.on_hold)
            .filter_map(|p| p.hold_since)
            .min();
        let mine = view
            .participants
            .iter()
            .any(|p| p.is_myself && p.is_joined());
        RowFacts {
            view,
            worst_alert,
            longest_hold_since,
            mine,
        }
    }
}

/// The text `/` matches: the conference's name, its agents' names and its callers.
pub fn haystack(view: &ConferenceView) -> String {
    let mut text = view.conference.name.clone();
    for p in &view.participants {
        if let Some(name) = &p.agent_name {
            text.push('\n');
            text.push_str(name);
        }
        if let Some(address) = &p.address {
            text.push('\n');
            text.push_str(&address.target);
        }
    }
    text
}

#[derive(Debug)]
pub struct OverviewRequest<'a> {
    pub filter: Option<&'a Filter>,
    pub subset: Subset,
    pub sort: SortKey,
    pub descending: bool,
    /// Agent mode: my conferences first, whatever the sort.
    pub mine_first: bool,
}

impl Overview {
    pub fn build<'a>(
        conferences: impl Iterator<Item = &'a ConferenceView>,
        request: &OverviewRequest<'_>,
    ) -> Overview {
        let mut totals = Totals::default();
        let mut alerts = Vec::new();
        let mut facts = Vec::new();
        for view in conferences {
            totals.conferences += 1;
            totals.participants += view.live_participant_count;
            totals.live_workers += view.live_worker_count;
            totals.on_hold += view
                .participants
                .iter()
                .filter(|p| p.is_joined() && p.on_hold)
                .count();
            totals.alerts += view.alerts.len();
            for alert in &view.alerts {
                if alert.severity == Severity::Critical {
                    totals.critical_alerts += 1;
                }
                alerts.push(AlertRow {
                    conference_id: view.id(),
                    alert: alert.clone(),
                });
            }
            let row = RowFacts::of(view);
            if keep(&row, request) {
                facts.push(row);
            }
        }
        facts.sort_by(|a, b| {
            let mine = if request.mine_first {
                b.mine.cmp(&a.mine)
            } else {
                Ordering::Equal
            };
            let order = compare(a, b, request.sort);
            let order = if request.descending {
                order.reverse()
            } else {
                order
            };
            mine.then(order).then(a.view.id().cmp(&b.view.id()))
        });
        alerts.sort_by(|a, b| {
            b.alert
                .severity
                .cmp(&a.alert.severity)
                .then(a.alert.since.cmp(&b.alert.since))
                .then(a.conference_id.cmp(&b.conference_id))
                .then(a.alert.kind.cmp(&b.alert.kind))
        });
        let rows: Vec<Uuid> = facts.iter().map(|f| f.view.id()).collect();
        let position = rows.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        Overview {
            rows,
            position,
            totals,
            alerts,
        }
    }
}

fn keep(row: &RowFacts<'_>, request: &OverviewRequest<'_>) -> bool {
    let in_subset = match request.subset {
        Subset::All => true,
        Subset::Held => row.longest_hold_since.is_some(),
        Subset::Alerting => row.worst_alert.is_some(),
    };
    in_subset
        && request
            .filter
            .is_none_or(|f| f.regex.is_match(&haystack(row.view)))
}

fn compare(a: &RowFacts<'_>, b: &RowFacts<'_>, key: SortKey) -> Ordering {
    let created = |r: &RowFacts<'_>| r.view.conference.tm_create;
    match key {
        // Worst alert first; among equals the oldest; then the longest hold; then oldest room.
        SortKey::Attention => {
            let alert_rank = |r: &RowFacts<'_>| {
                r.worst_alert
                    .map(|(s, since)| (s, std::cmp::Reverse(since)))
            };
            alert_rank(b)
                .cmp(&alert_rank(a))
                .then(hold_order(a, b))
                .then(created(a).cmp(&created(b)))
        }
        SortKey::Name => a
            .view
            .conference
            .name
            .to_lowercase()
            .cmp(&b.view.conference.name.to_lowercase()),
        // Oldest first: the longest-running room is at the top.
        SortKey::Age => created(a).cmp(&created(b)),
        SortKey::Participants => b
            .view
            .live_participant_count
            .cmp(&a.view.live_participant_count),
        SortKey::Workers => b.view.live_worker_count.cmp(&a.view.live_worker_count),
        SortKey::Hold => hold_order(a, b),
    }
}

/// The longest hold first; rooms with nobody on hold last.
fn hold_order(a: &RowFacts<'_>, b: &RowFacts<'_>) -> Ordering {
    match (a.longest_hold_since, b.longest_hold_since) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
