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
    let stale_note = if app.connection.stale_since().is_some() {
        " · ? stale"
    } else {
        ""
    };
    let block = data_pane(
        format!(
            "Alerts · {} critical · {} warning{stale_note} ",
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
    // Borders, the sign, what, for, and the spaces between columns.
    let where_width = usize::from(area.width.saturating_sub(2 + 3 + 16 + 6 + 3));
    let rows: Vec<Row> = overview
        .alerts_from(offset)
        .take(height)
        .map(|row| {
            let conference = app.conference(row.conference_id);
            let room = conference.map(conference_label).unwrap_or_default();
            let person = row.alert.conferencecall_id.and_then(|id| {
                conference?
                    .participants
                    .iter()
                    .find(|p| p.conferencecall_id == id)
                    .map(|p| participant_label(p))
            });
            let place = place(person.as_deref(), &room, where_width);
            let style = theme.severity(row.alert.severity);
            // Raised from old data: the sign says so, as the title explains.
            let sign = if app.raised_while_stale(row.conference_id, &row.alert) {
                format!("{}?", symbol::severity(row.alert.severity).trim_end())
            } else {
                symbol::severity(row.alert.severity).to_owned()
            };
            Row::new(vec![
                Line::from(Span::styled(sign, style)),
                Line::from(format::alert_kind(row.alert.kind)),
                Line::from(place),
                Line::from(format::duration(now - row.alert.since)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(3),
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

/// Who and where in `width` columns, the person first: two alerts of a kind differ by
/// their person (a caller's number) before their room. A room that already names the
/// person ("Support · +14155550123") is not repeated after them. When both do not fit,
/// the room is cut at its end; when the person leaves too little room for the room, the
/// person is shown alone, whole where possible and never without their last digits.
fn place(person: Option<&str>, room: &str, width: usize) -> String {
    /// Less of the room than this tells nothing.
    const ROOM_MIN: usize = 6;
    const SEPARATOR: &str = " · ";
    let person = person.filter(|p| !p.is_empty() && !room.contains(p));
    let Some(person) = person else {
        return format::ellipsize_middle(room, width);
    };
    let person_width = person.chars().count();
    let room_width = width.saturating_sub(person_width + SEPARATOR.len() - 1);
    if room_width >= ROOM_MIN.min(room.chars().count()) && room_width > 0 {
        format!("{person}{SEPARATOR}{}", format::fit(room, room_width))
    } else {
        format::ellipsize_middle(person, width)
    }
}

#[cfg(test)]
mod tests {
    use super::place;

    #[test]
    fn where_keeps_what_tells_alerts_apart() {
        let wide = place(Some("+442071234567"), "Billing dispute", 40);
        assert_eq!(wide, "+442071234567 · Billing dispute");
        assert_eq!(
            place(Some("+442071234567"), "Billing dispute", 24),
            "+442071234567 · Billing…"
        );
        // Too narrow for both: the person, whole.
        assert_eq!(
            place(Some("+442071234567"), "Billing dispute", 16),
            "+442071234567"
        );
        // Narrower than the person: the end (the distinguishing digits) stays.
        let cut = place(Some("+442071234567"), "Billing dispute", 9);
        assert!(cut.ends_with("4567") && cut.contains('…'), "{cut}");
        // A room named for its caller is not repeated.
        assert_eq!(
            place(Some("+14155550123"), "Support · +14155550123", 40),
            "Support · +14155550123"
        );
        assert_eq!(place(None, "Team huddle", 40), "Team huddle");
        assert_eq!(place(Some("Bob"), "Support 3", 14), "Bob · Support…");
    }
}
