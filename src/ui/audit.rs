//! The audit pane: this session's commands, newest first, with how each ended.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::theme::{symbol, Theme};
use super::{is_focused, pane};
use crate::app::audit::RowStatus;
use crate::app::view::Focus;
use crate::app::App;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let focused = is_focused(app, Focus::Audit);
    let block = pane(format!("Audit ({}) ", app.audit.len()), focused, theme);
    if app.audit.is_empty() {
        frame.render_widget(
            Paragraph::new("No commands yet this session.")
                .style(theme.dim)
                .block(block),
            area,
        );
        return;
    }
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let cursor = app.view.audit_cursor.min(app.audit.len() - 1);
    let offset = cursor.saturating_sub(height - 1);
    let rows: Vec<Row> = app
        .audit
        .newest_first()
        .skip(offset)
        .take(height)
        .map(|entry| {
            let outcome = match &entry.status {
                RowStatus::Pending => {
                    Span::styled(format!("{} pending", symbol::PENDING), theme.pending)
                }
                RowStatus::Confirmed => Span::styled(format!("{} ok", symbol::OK), theme.good),
                RowStatus::Failed { reason, message } => Span::styled(
                    format!("{} {reason}: {message}", symbol::FAILED),
                    theme.critical,
                ),
                RowStatus::Refused { why } => {
                    Span::styled(format!("{} refused: {why}", symbol::REFUSED), theme.warning)
                }
            };
            Row::new(vec![
                Line::from(entry.at.format("%H:%M:%S").to_string()),
                Line::from(entry.command.clone()),
                Line::from(entry.subject.clone()),
                Line::from(outcome),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(8),
        Constraint::Length(15),
        Constraint::Length(16),
        Constraint::Fill(1),
    ];
    let mut state = TableState::default();
    if focused {
        state.select(Some(cursor - offset));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(["Time", "Command", "Subject", "Result"]).style(theme.header_row))
        .block(block)
        .row_highlight_style(theme.selected);
    frame.render_stateful_widget(table, area, &mut state);
}
