//! Navigation: moving the cursor and focus, jumping to what needs attention, selecting a conference.

use super::view::{Focus, MessageLevel, Subset};
use super::{participant_order, App};
use crate::store::ConferenceView;
use crate::voipbin::Timestamp;

impl App {
    pub(super) fn cycle_focus(&mut self, step: isize) {
        let panes = if self.view.show_audit {
            vec![Focus::Conferences, Focus::Audit]
        } else {
            vec![Focus::Conferences, Focus::Participants, Focus::Alerts]
        };
        let at = panes
            .iter()
            .position(|f| *f == self.view.focus)
            .unwrap_or(0) as isize;
        let next = (at + step).rem_euclid(panes.len() as isize) as usize;
        self.view.focus = panes[next];
    }

    /// Enter: drill into what is selected. A conference or an alert opens in the
    /// participants pane, on the leg the alert is about.
    pub(super) fn open_selected(&mut self) {
        match self.view.focus {
            Focus::Conferences
                if self.view.selected_conference.is_some() && !self.view.show_audit =>
            {
                self.view.focus = Focus::Participants;
            }
            Focus::Alerts if self.overview().alert_count() > 0 => {
                self.follow_alert(self.view.alert_cursor);
                self.view.focus = Focus::Participants;
            }
            _ => {}
        }
    }

    /// Moves the cursor of the focused pane by `delta` rows, stopping at either end.
    pub(super) fn move_cursor(&mut self, delta: isize) {
        let step = |current: usize, len: usize| -> Option<usize> {
            (len > 0).then(|| {
                (current as isize)
                    .saturating_add(delta)
                    .clamp(0, len as isize - 1) as usize
            })
        };
        match self.view.focus {
            Focus::Conferences => {
                let len = self.overview().len();
                let next = match self.pinned_ended() {
                    // The table has the ended room's row on top of the list's rows: the
                    // list's row at its index is the one below it.
                    Some((row, _)) => {
                        let target = (row as isize + delta).clamp(0, len as isize) as usize;
                        match target.cmp(&row) {
                            std::cmp::Ordering::Equal => None,
                            std::cmp::Ordering::Greater => Some(target - 1),
                            std::cmp::Ordering::Less => Some(target),
                        }
                    }
                    None => step(self.cursor().unwrap_or(0), len),
                };
                if let Some(next) = next {
                    let id = self.overview().row(next);
                    self.pick_conference(id);
                    self.view.last_cursor = next;
                }
            }
            Focus::Participants => {
                let Some(conference) = self.selected_conference() else {
                    return;
                };
                let order = participant_order(conference);
                let current = order
                    .iter()
                    .position(|p| Some(p.conferencecall_id) == self.view.selected_participant)
                    .unwrap_or(0);
                if let Some(next) = step(current, order.len()) {
                    self.view.selected_participant = Some(order[next].conferencecall_id);
                }
            }
            Focus::Alerts => {
                let len = self.overview().alert_count();
                if let Some(next) = step(self.view.alert_cursor, len) {
                    self.view.alert_cursor = next;
                    self.follow_alert(next);
                }
            }
            Focus::Audit => {
                let len = self.audit.len();
                if let Some(next) = step(self.view.audit_cursor, len) {
                    self.view.audit_cursor = next;
                }
            }
        }
    }

    /// Selecting an alert selects its conference and the leg it is about.
    fn follow_alert(&mut self, index: usize) {
        let Some(row) = self.overview().alert(index).cloned() else {
            return;
        };
        if !self.overview().is_listed(row.conference_id) {
            return;
        }
        self.pick_conference(Some(row.conference_id));
        if let Some(leg) = row.alert.conferencecall_id {
            self.view.selected_participant = Some(leg);
        }
    }

    /// `n` / `N`: the next listed conference, after the cursor, that has an alert.
    pub(super) fn jump_to_attention(&mut self, forward: bool, now: Timestamp) {
        let rows: Vec<_> = self.overview().rows_from(0).collect();
        if rows.is_empty() {
            return;
        }
        let start = self.cursor().unwrap_or(0);
        let len = rows.len();
        let found = (1..=len)
            .map(|i| {
                if forward {
                    (start + i) % len
                } else {
                    (start + len * 2 - i) % len
                }
            })
            .find(|&i| {
                self.conference(rows[i])
                    .is_some_and(|c| !c.alerts.is_empty())
            });
        match found {
            Some(index) => {
                self.pick_conference(Some(rows[index]));
                self.view.last_cursor = index;
                self.view.focus = Focus::Conferences;
                if let Some(leg) = self
                    .conference(rows[index])
                    .and_then(|c| c.alerts.iter().find_map(|a| a.conferencecall_id))
                {
                    self.view.selected_participant = Some(leg);
                }
            }
            None => self.say(MessageLevel::Info, "nothing needs attention".into(), now),
        }
    }

    pub(super) fn select_my_conference(&mut self, now: Timestamp) {
        if !self.agent_mode() {
            self.say(
                MessageLevel::Error,
                "agent mode is off: start with --me AGENT".into(),
                now,
            );
            return;
        }
        match self.my_conference_id() {
            Some(id) => {
                self.pick_conference(Some(id));
                self.view.focus = Focus::Participants;
            }
            None => self.say(
                MessageLevel::Info,
                "you are not in a conference".into(),
                now,
            ),
        }
    }

    /// Selects the best match: an exact name first, else the first that contains it.
    /// Clears the filter and subset if they hide it.
    pub(super) fn select_by(
        &mut self,
        wanted: &str,
        now: Timestamp,
        matches: impl Fn(&ConferenceView, &str) -> (bool, bool),
    ) {
        let wanted = wanted.to_lowercase();
        let mut candidates: Vec<&ConferenceView> = self
            .store
            .live()
            .filter(|c| {
                let (exact, partial) = matches(c, &wanted);
                exact || partial
            })
            .collect();
        candidates.sort_by_key(|c| (!matches(c, &wanted).0, c.conference.tm_create, c.id()));
        let Some(id) = candidates.first().map(|c| c.id()) else {
            self.say(
                MessageLevel::Error,
                format!("no conference matches {wanted:?}"),
                now,
            );
            return;
        };
        if self.frozen.is_some() {
            self.frozen = None;
        }
        if self.view.filter.is_some() || self.view.subset != Subset::All {
            self.view.filter = None;
            self.view.subset = Subset::All;
        }
        self.rebuild_overview();
        self.pick_conference(Some(id));
        self.view.focus = Focus::Participants;
    }
}
