//! The mouse (`mouse = true` in the config file): a click selects the row under it and
//! focuses its pane, the wheel moves the cursor of the pane under it. Pure: the loop
//! passes the pointer and the screen size, the regions come from the same layout the
//! frame is drawn with.

use ratatui::layout::{Position, Rect};

use super::view::Focus;
use super::{participant_order, App};

/// What the pointer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointer {
    Click,
    WheelUp,
    WheelDown,
}

/// Rows the wheel moves per notch.
const WHEEL_STEP: isize = 3;
/// A data pane's first row: below its border and its column header.
const FIRST_ROW: u16 = 2;

impl App {
    pub(super) fn pointer(&mut self, pointer: Pointer, at: Position, screen: Rect) {
        // Dialogs and prompts take the keyboard only; so does the help.
        if self.view.overlay.is_some() || self.view.prompt.is_some() {
            return;
        }
        let regions = crate::ui::layout(screen);
        let (focus, pane) = if regions.table.contains(at) {
            (Focus::Conferences, regions.table)
        } else if self.view.show_audit && regions.lower_full.contains(at) {
            (Focus::Audit, regions.lower_full)
        } else if let Some(side) = regions.side.filter(|side| side.contains(at)) {
            (Focus::Alerts, side)
        } else if regions.lower.contains(at) {
            // Narrow: the lower pane shows the alerts while they have the focus.
            let shown = if regions.side.is_none() && self.view.focus == Focus::Alerts {
                Focus::Alerts
            } else {
                Focus::Participants
            };
            (shown, regions.lower)
        } else {
            return;
        };
        self.view.focus = focus;
        match pointer {
            Pointer::WheelUp => self.move_cursor(-WHEEL_STEP),
            Pointer::WheelDown => self.move_cursor(WHEEL_STEP),
            Pointer::Click => {
                let Some(row) = at.y.checked_sub(pane.y + FIRST_ROW) else {
                    return;
                };
                let visible = pane.height.saturating_sub(FIRST_ROW + 1);
                if row < visible {
                    self.click_row(focus, usize::from(row), usize::from(visible));
                }
            }
        }
    }

    fn click_row(&mut self, focus: Focus, row: usize, visible: usize) {
        match focus {
            Focus::Conferences => {
                let index = self.view.table_offset + row;
                if let Some(id) = self.overview().row(index) {
                    self.pick_conference(Some(id));
                    self.view.last_cursor = index;
                }
            }
            Focus::Participants => {
                let Some(conference) = self.selected_conference() else {
                    return;
                };
                let order = participant_order(conference);
                // A list longer than the pane scrolls with its cursor: rows are not known.
                if order.len() <= visible {
                    if let Some(p) = order.get(row) {
                        self.view.selected_participant = Some(p.conferencecall_id);
                    }
                }
            }
            Focus::Alerts => {
                // The pane keeps its cursor on its last row when it scrolls (see there).
                let offset = self
                    .view
                    .alert_cursor
                    .saturating_sub(visible.saturating_sub(1));
                let index = offset + row;
                if index < self.overview().alert_count() {
                    self.view.alert_cursor = index;
                    self.move_cursor(0);
                }
            }
            Focus::Audit => {}
        }
    }
}
