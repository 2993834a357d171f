//! View toggles: esc (back), freeze, the audit pane and the sort order.

use super::view::{Focus, MessageLevel, Subset};
use super::{App, Frozen};
use crate::voipbin::Timestamp;

impl App {
    /// `esc`: undo the innermost thing: overlay, then filter, then subset, then focus.
    pub(super) fn back(&mut self) {
        if self.view.overlay.take().is_some() {
            return;
        }
        if self.view.filter.take().is_some() {
            self.rebuild_overview();
        } else if self.view.subset != Subset::All {
            self.view.subset = Subset::All;
            self.rebuild_overview();
        } else if self.view.show_audit && self.view.focus == Focus::Audit {
            self.view.show_audit = false;
            self.view.focus = Focus::Conferences;
        } else {
            self.view.focus = Focus::Conferences;
        }
    }

    pub(super) fn toggle_freeze(&mut self, now: Timestamp) {
        if self.frozen.take().is_some() {
            self.rebuild_overview();
            self.say(MessageLevel::Info, "live again".into(), now);
        } else {
            // Freeze what the data says now, not what the last frame showed.
            self.bring_overview_up_to_date();
            // A selected room that ended stays on screen too (`App::pinned_ended`).
            let pinned = self.pinned_ended().map(|(_, view)| view.id());
            let conferences = self
                .overview
                .rows_from(0)
                .chain(pinned)
                .filter_map(|id| self.store.conference(id))
                .map(|view| (view.id(), view.clone()))
                .collect();
            self.frozen = Some(Frozen {
                conferences,
                overview: self.overview.clone(),
                at: now,
            });
            self.say(
                MessageLevel::Info,
                "frozen: data keeps syncing; press freeze again to catch up".into(),
                now,
            );
        }
    }

    pub(super) fn toggle_audit(&mut self) {
        self.view.show_audit = !self.view.show_audit;
        self.view.focus = if self.view.show_audit {
            Focus::Audit
        } else {
            Focus::Conferences
        };
    }

    pub(super) fn sort_next(&mut self, now: Timestamp) {
        self.view.sort = self.view.sort.next();
        self.view.reversed = false;
        self.change_view();
        let label = self.view.sort.label();
        let arrow = self.view.sort.arrow(false);
        self.say(MessageLevel::Info, format!("sorted by {label}{arrow}"), now);
    }

    pub(super) fn sort_reverse(&mut self) {
        self.view.reversed = !self.view.reversed;
        self.change_view();
    }
}
