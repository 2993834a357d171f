//! The alerts pane: critical first, then the oldest; `n` / `N` walk the same conferences.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::format;
use super::theme::{symbol, Theme};
use super::{data_pane, is_focused};
use crate::app::view::Focus;
use crate::app::{conference_label, participant_label, App};
use crate::voipbin::Timestamp;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: Timestamp, theme: &Theme) {
    let focused = is_focused(app, Focus::Alerts);
    let overview = app.overview();
    let alert_count = overview.alert_count();
    let totals = app.overview().totals;
    let block = data_pane(
        format!(
            "Alerts · {} critical · {} warning ",
            totals.critical_alerts,
            totals.alerts - totals.critical_alerts
        ),
        focused,
        app,
        now,
        theme,
    );
    if alert_count == 0 && !app.store.has_snapshot() {
        // Not "nothing needs attention": nothing is known yet.
        frame.render_widget(
            Paragraph::new("not synced yet: no alerts known")
                .style(theme.dim)
                .block(block),
            area,
        );
        return;
    }
    if alert_count == 0 {
        frame.render_widget(
            Paragraph::new(format!("{} nothing needs attention", symbol::OK))
                .style(theme.good)
                .block(block),
            area,
        );
        return;
    }
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let cursor = app.view.alert_cursor.min(alert_count - 1);
    let offset = cursor.saturating_sub(height - 1);
    let rows: Vec<Row> = overview
        .alerts_from(offset)
        .take(height)
        .map(|row| {
            let conference = app.conference(row.conference_id);
            let mut place = conference.map(conference_label).unwrap_or_default();
            let leg = row.alert.conferencecall_id.and_then(|id| {
                conference?
                    .participants
                    .iter()
                    .find(|p| p.conferencecall_id == id)
            });
            if let Some(leg) = leg {
                place.push_str(" · ");
                place.push_str(&participant_label(leg));
            }
            let style = theme.severity(row.alert.severity);
            Row::new(vec![
                Line::from(Span::styled(symbol::severity(row.alert.severity), style)),
                Line::from(format::alert_kind(row.alert.kind)),
                Line::from(place),
                Line::from(format::duration(now - row.alert.since)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(2),
        Constraint::Length(16),
        Constraint::Fill(1),
        Constraint::Length(6),
    ];
    let mut state = TableState::default();
    if focused {
        state.select(Some(cursor - offset));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(["", "What", "Where", "For"]).style(theme.header_row))
        .block(block)
        .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, area, &mut state);
}
