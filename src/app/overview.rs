//! What the screen needs that spans every conference: the ordered, filtered rows, the
//! header totals and the alert list. Built once when the view settings change, then kept
//! up to date from the conferences each store input re-derived: a changed room moves its
//! own row, totals and alerts and nothing else, so a frame at 10,000 rooms costs what one
//! at 10 does. Drawing reads only the window it shows.

use std::cmp::Ordering;
use std::collections::HashMap;

use uuid::Uuid;

use super::ordered_index::OrderedIndex;
use super::row_order::SortValue;
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

impl Totals {
    fn of(view: &ConferenceView) -> Totals {
        Totals {
            conferences: 1,
            participants: view.live_participant_count,
            live_workers: view.live_worker_count,
            on_hold: view.on_hold_count(),
            alerts: view.alerts.len(),
            critical_alerts: view
                .alerts
                .iter()
                .filter(|a| a.severity == Severity::Critical)
                .count(),
        }
    }

    fn add(&mut self, other: &Totals) {
        self.conferences += other.conferences;
        self.participants += other.participants;
        self.live_workers += other.live_workers;
        self.on_hold += other.on_hold;
        self.alerts += other.alerts;
        self.critical_alerts += other.critical_alerts;
    }

    fn subtract(&mut self, other: &Totals) {
        self.conferences -= other.conferences;
        self.participants -= other.participants;
        self.live_workers -= other.live_workers;
        self.on_hold -= other.on_hold;
        self.alerts -= other.alerts;
        self.critical_alerts -= other.critical_alerts;
    }
}

/// One alert in the alert list: critical first, then the oldest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub conference_id: Uuid,
    pub alert: Alert,
}

impl Ord for AlertRow {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .alert
            .severity
            .cmp(&self.alert.severity)
            .then(self.alert.since.cmp(&other.alert.since))
            .then(self.conference_id.cmp(&other.conference_id))
            .then(self.alert.kind.cmp(&other.alert.kind))
            .then(
                self.alert
                    .conferencecall_id
                    .cmp(&other.alert.conferencecall_id),
            )
    }
}

impl PartialOrd for AlertRow {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A row's place in the table: my rooms first (agent mode), then the sort, then the id.
/// Every key in one overview has the same `reversed`; equality is the order's.
#[derive(Debug, Clone)]
struct RowKey {
    not_mine: bool,
    value: SortValue,
    reversed: bool,
    id: Uuid,
}

impl Ord for RowKey {
    fn cmp(&self, other: &Self) -> Ordering {
        let value = self.value.cmp(&other.value);
        let value = if self.reversed {
            value.reverse()
        } else {
            value
        };
        self.not_mine
            .cmp(&other.not_mine)
            .then(value)
            .then(self.id.cmp(&other.id))
    }
}

impl PartialEq for RowKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for RowKey {}

impl PartialOrd for RowKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// What one live conference adds to the overview, kept so that it can be taken out again.
#[derive(Debug, Clone, PartialEq)]
struct Contribution {
    /// `None` when the filter or subset hides it.
    row: Option<RowKey>,
    totals: Totals,
    alerts: Vec<AlertRow>,
}

/// How the table is cut and ordered.
#[derive(Debug, Clone)]
pub struct OverviewRequest {
    pub filter: Option<Filter>,
    pub subset: Subset,
    pub sort: SortKey,
    pub reversed: bool,
    /// Agent mode: my conferences first, whatever the sort.
    pub mine_first: bool,
}

impl Default for OverviewRequest {
    fn default() -> Self {
        OverviewRequest {
            filter: None,
            subset: Subset::All,
            sort: SortKey::first(),
            reversed: false,
            mine_first: false,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Overview {
    request: OverviewRequest,
    /// Over every live conference, whatever the filter.
    pub totals: Totals,
    contributions: HashMap<Uuid, Contribution>,
    rows: OrderedIndex<RowKey>,
    alerts: OrderedIndex<AlertRow>,
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

impl Overview {
    /// From scratch, over the live conferences.
    pub fn build<'a>(
        conferences: impl Iterator<Item = &'a ConferenceView>,
        request: OverviewRequest,
    ) -> Overview {
        let mut overview = Overview {
            request,
            ..Overview::default()
        };
        let mut rows = Vec::new();
        let mut alerts = Vec::new();
        for view in conferences {
            let contribution = overview.contribution(view);
            overview.totals.add(&contribution.totals);
            rows.extend(contribution.row.clone());
            alerts.extend(contribution.alerts.iter().cloned());
            overview.contributions.insert(view.id(), contribution);
        }
        overview.rows = OrderedIndex::from_unsorted(rows);
        overview.alerts = OrderedIndex::from_unsorted(alerts);
        overview
    }

    /// Re-reads the conferences an input re-derived; `live` answers with a conference's
    /// view while it is live, `None` once it ended or went.
    pub fn refresh<'a>(
        &mut self,
        ids: impl IntoIterator<Item = Uuid>,
        live: impl Fn(Uuid) -> Option<&'a ConferenceView>,
    ) {
        for id in ids {
            let new = live(id).map(|view| self.contribution(view));
            // Most changes (a mute, a name) move no row, total or alert: nothing to re-file.
            if new.is_some() && self.contributions.get(&id) == new.as_ref() {
                continue;
            }
            if let Some(old) = self.contributions.remove(&id) {
                self.totals.subtract(&old.totals);
                if let Some(row) = &old.row {
                    self.rows.remove(row);
                }
                for alert in &old.alerts {
                    self.alerts.remove(alert);
                }
            }
            if let Some(new) = new {
                self.totals.add(&new.totals);
                if let Some(row) = &new.row {
                    self.rows.insert(row.clone());
                }
                for alert in &new.alerts {
                    self.alerts.insert(alert.clone());
                }
                self.contributions.insert(id, new);
            }
        }
    }

    /// Rows listed (after the filter and subset).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn row(&self, index: usize) -> Option<Uuid> {
        self.rows.get(index).map(|key| key.id)
    }

    /// Listed conference ids in display order, from the `offset`-th row on.
    pub fn rows_from(&self, offset: usize) -> impl Iterator<Item = Uuid> + '_ {
        self.rows.iter_from(offset).map(|key| key.id)
    }

    /// A listed conference's row index.
    pub fn position(&self, id: Uuid) -> Option<usize> {
        let key = self.contributions.get(&id)?.row.as_ref()?;
        self.rows.rank(key)
    }

    pub fn is_listed(&self, id: Uuid) -> bool {
        self.contributions.get(&id).is_some_and(|c| c.row.is_some())
    }

    pub fn alert_count(&self) -> usize {
        self.alerts.len()
    }

    pub fn alert(&self, index: usize) -> Option<&AlertRow> {
        self.alerts.get(index)
    }

    /// Every alert in list order, from the `offset`-th on.
    pub fn alerts_from(&self, offset: usize) -> impl Iterator<Item = &AlertRow> + '_ {
        self.alerts.iter_from(offset)
    }

    fn contribution(&self, view: &ConferenceView) -> Contribution {
        let request = &self.request;
        let row = keep(view, request).then(|| RowKey {
            not_mine: request.mine_first && !view.is_mine(),
            value: request.sort.rank(view),
            reversed: request.reversed,
            id: view.id(),
        });
        Contribution {
            row,
            totals: Totals::of(view),
            alerts: view
                .alerts
                .iter()
                .map(|alert| AlertRow {
                    conference_id: view.id(),
                    alert: alert.clone(),
                })
                .collect(),
        }
    }
}

fn keep(view: &ConferenceView, request: &OverviewRequest) -> bool {
    let in_subset = match request.subset {
        Subset::All => true,
        Subset::Held => view.longest_hold_since().is_some(),
        Subset::Alerting => view.worst_alert().is_some(),
    };
    in_subset
        && request
            .filter
            .as_ref()
            .is_none_or(|f| f.regex.is_match(&haystack(view)))
}
