//! What the screen needs that spans every conference: the ordered, filtered rows, the
//! header totals and the alert list. Rebuilt when the data changes (at most once per
//! frame), never while drawing, so a frame costs only the rows it shows.

use std::cmp::Ordering;
use std::collections::HashMap;

use uuid::Uuid;

use super::view::{Filter, Subset};
use crate::store::{Alert, ConferenceView, Severity};
use crate::ui::columns::SortKey;

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
        let mut listed = Vec::new();
        for view in conferences {
            totals.conferences += 1;
            totals.participants += view.live_participant_count;
            totals.live_workers += view.live_worker_count;
            totals.on_hold += view.on_hold_count();
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
            if keep(view, request) {
                listed.push(view);
            }
        }
        listed.sort_by(|a, b| {
            let mine = if request.mine_first {
                b.is_mine().cmp(&a.is_mine())
            } else {
                Ordering::Equal
            };
            let order = request.sort.compare(a, b);
            let order = if request.descending {
                order.reverse()
            } else {
                order
            };
            mine.then(order).then(a.id().cmp(&b.id()))
        });
        alerts.sort_by(|a, b| {
            b.alert
                .severity
                .cmp(&a.alert.severity)
                .then(a.alert.since.cmp(&b.alert.since))
                .then(a.conference_id.cmp(&b.conference_id))
                .then(a.alert.kind.cmp(&b.alert.kind))
        });
        let rows: Vec<Uuid> = listed.iter().map(|view| view.id()).collect();
        let position = rows.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        Overview {
            rows,
            position,
            totals,
            alerts,
        }
    }
}

fn keep(view: &ConferenceView, request: &OverviewRequest<'_>) -> bool {
    let in_subset = match request.subset {
        Subset::All => true,
        Subset::Held => view.longest_hold_since().is_some(),
        Subset::Alerting => view.worst_alert().is_some(),
    };
    in_subset
        && request
            .filter
            .is_none_or(|f| f.regex.is_match(&haystack(view)))
}
