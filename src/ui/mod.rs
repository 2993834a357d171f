//! Pure render functions: they read the app (store, view state) and draw; they never change
//! anything. One file per screen region.

mod alerts;
mod audit;
mod bottom_line;
mod cells;
pub mod columns;
mod conference_table;
mod dialog;
mod ended;
pub mod format;
mod header;
mod help;
mod participants;
pub mod theme;
pub mod theme_file;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::widgets::{Block, BorderType, Borders};
use ratatui::Frame;

use crate::app::view::{Focus, Overlay};
use crate::app::App;
use crate::voipbin::Timestamp;
use theme::Theme;

/// Where each region goes for a terminal of this size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    pub header: Rect,
    pub table: Rect,
    /// Everything below the table: the audit pane when it is open.
    pub lower_full: Rect,
    /// The participant pane; on narrow terminals the alerts pane when focused.
    pub lower: Rect,
    /// Alerts or audit beside the participants, on wide terminals only.
    pub side: Option<Rect>,
    pub bottom: Rect,
}

/// Terminals at least this wide get the extra columns.
pub const WIDE: u16 = 100;

pub fn layout(area: Rect) -> Regions {
    let [header, body, bottom] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(6),
        Constraint::Length(1),
    ])
    .areas(area);
    let [table, lower] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    if area.width < WIDE {
        return Regions {
            header,
            table,
            lower_full: lower,
            lower,
            side: None,
            bottom,
        };
    }
    let [left, side] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(lower);
    Regions {
        header,
        table,
        lower_full: lower,
        lower: left,
        side: Some(side),
        bottom,
    }
}

/// How many conference rows fit: the table's height less its border and column header.
pub fn table_rows(area: Rect) -> usize {
    usize::from(layout(area).table.height.saturating_sub(3))
}

/// How far the open scrolling overlay (help, `:ended`) can scroll on this screen;
/// `None` when none is open.
pub fn overlay_max_scroll(app: &App, screen: Rect, now: Timestamp) -> Option<u16> {
    match app.view.overlay {
        Some(Overlay::Help { .. }) => Some(help::help_max_scroll(app, screen)),
        Some(Overlay::Ended { minutes, .. }) => Some(ended::ended_max_scroll(
            app,
            screen,
            app.screen_time(now),
            minutes,
        )),
        _ => None,
    }
}

/// Draws one frame. `now` is the wall clock; frozen views use their own time.
pub fn draw(frame: &mut Frame, app: &App, now: Timestamp) {
    let theme = &app.theme;
    let regions = layout(frame.area());
    let shown_at = app.screen_time(now);
    header::draw(frame, regions.header, app, now, theme);
    conference_table::draw(frame, regions.table, app, shown_at, theme);
    if app.view.show_audit {
        audit::draw(frame, regions.lower_full, app, theme);
    } else {
        match regions.side {
            Some(side) => {
                participants::draw(frame, regions.lower, app, shown_at, theme);
                alerts::draw(frame, side, app, shown_at, theme);
            }
            // Narrow: one lower pane; the alerts take it while they have the focus.
            None if app.view.focus == Focus::Alerts => {
                alerts::draw(frame, regions.lower, app, shown_at, theme);
            }
            None => participants::draw(frame, regions.lower, app, shown_at, theme),
        }
    }
    bottom_line::draw(frame, regions.bottom, app, theme);
    dialog::draw(frame, app, theme);
    help::draw(frame, app, theme);
    ended::draw(frame, app, shown_at, theme);
}

/// A bordered pane; the focused one has a heavier, coloured border (and a `▶` in its title,
/// so focus does not rest on colour either).
pub(crate) fn pane<'a>(title: String, focused: bool, theme: &Theme) -> Block<'a> {
    let (border_style, border_type, marker) = if focused {
        (theme.focused_border, BorderType::Thick, "▶ ")
    } else {
        (theme.border, BorderType::Plain, "")
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(border_type)
        .border_style(border_style)
        .title(format!("{marker}{title}"))
        .title_style(theme.title)
}

/// A pane showing platform data: while that data is old (the connection lost or silent)
/// it is drawn dimmed and its title says for how long, so nothing on it passes for live.
pub(crate) fn data_pane<'a>(
    title: String,
    focused: bool,
    app: &App,
    now: Timestamp,
    theme: &Theme,
) -> Block<'a> {
    match app.connection.stale_since() {
        Some(since) => {
            let age = (now - since).num_seconds().max(0);
            let title = format!("{} · stale {age}s ", title.trim_end());
            pane(title, focused, theme).style(theme.dim)
        }
        None => pane(title, focused, theme),
    }
}

pub(crate) fn is_focused(app: &App, focus: Focus) -> bool {
    app.view.focus == focus && app.view.overlay.is_none()
}

pub(crate) fn style_if(condition: bool, style: Style) -> Style {
    if condition {
        style
    } else {
        Style::default()
    }
}
