//! The participant pane: every leg of the selected conference, joined ones first.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, TableState};
use ratatui::Frame;

use super::format;
use super::theme::{symbol, Theme};
use super::{data_pane, is_focused, pane};
use crate::app::view::Focus;
use crate::app::{conference_label, participant_order, App};
use crate::store::{Participant, ParticipantStatus, ParticipantType};
use crate::voipbin::Timestamp;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: Timestamp, theme: &Theme) {
    let focused = is_focused(app, Focus::Participants);
    let Some(conference) = app.selected_conference() else {
        let block = pane("Participants".into(), focused, theme);
        frame.render_widget(
            Paragraph::new("No conference selected.")
                .style(theme.dim)
                .block(block),
            area,
        );
        return;
    };
    let order = participant_order(conference);
    // The reason for the room's alert comes first: at 80 columns the table has no room
    // for it, and a long room name must not push it out of the title.
    let reason = conference.worst_alert().map_or(String::new(), |a| {
        let more = conference.alerts.len() - 1;
        let more = if more > 0 {
            format!(" +{more}")
        } else {
            String::new()
        };
        format!(
            "{} {} {}{more} · ",
            symbol::severity(a.severity).trim_end(),
            format::alert_kind(a.kind),
            format::duration(now - a.since)
        )
    });
    let title = if conference.ended {
        format!(
            "Participants · {reason}{} · ENDED ",
            conference_label(conference)
        )
    } else {
        format!(
            "Participants · {reason}{} · {} live ",
            conference_label(conference),
            conference.live_participant_count
        )
    };
    let rows: Vec<Row> = order.iter().map(|p| row(p, now, theme)).collect();
    let header = Row::new(["Type", "Name / number", "Status", "Hold", "Mute", "Note"])
        .style(theme.header_row);
    let widths = [
        Constraint::Length(10),
        Constraint::Fill(1),
        Constraint::Length(13),
        Constraint::Length(8),
        Constraint::Length(10),
        Constraint::Length(10),
    ];
    let mut state = TableState::default();
    state.select(
        order
            .iter()
            .position(|p| Some(p.conferencecall_id) == app.view.selected_participant),
    );
    let table = Table::new(rows, widths)
        .header(header)
        .block(data_pane(title, focused, app, now, theme))
        .row_highlight_style(theme.selected)
        .highlight_symbol("› ");
    frame.render_stateful_widget(table, area, &mut state);
}

fn row<'a>(p: &Participant, now: Timestamp, theme: &Theme) -> Row<'a> {
    let gone = p.status != ParticipantStatus::Joined;
    let name = super::cells::person(p).to_owned();
    let kind_style = match p.participant_type {
        ParticipantType::Customer => theme.base,
        ParticipantType::Supervisor => theme.info,
        _ => theme.base,
    };
    // A hold sent but never answered (the console died first): the platform may or may
    // not have done it. `⏸?` in the hold column, `unconfirmed` as the leg's status.
    let unsure = if p.hold_unconfirmed { "?" } else { "" };
    let hold = match p.hold_since.filter(|_| p.on_hold) {
        Some(since) => Span::styled(
            format!("{}{unsure} {}", symbol::HOLD, format::duration(now - since)),
            theme.hold,
        ),
        None => Span::raw(""),
    };
    let mute = Span::styled(format::mute(p.mute_direction.as_ref()), theme.muted);
    let mut note = Vec::new();
    if p.is_myself {
        note.push(Span::styled(format!("{} me ", symbol::ME), theme.me));
    }

    if let Some(pending) = &p.pending {
        note.push(Span::styled(
            format!("{}{}", symbol::PENDING, pending.command.words()),
            theme.pending,
        ));
    } else if let Some(error) = &p.last_error {
        note.push(Span::styled(
            format!("{} {}", symbol::FAILED, error.command.words()),
            theme.critical,
        ));
    }
    let status = if p.hold_unconfirmed {
        "unconfirmed"
    } else {
        format::participant_status(p.status, p.connecting)
    };
    let row = Row::new(vec![
        Line::from(Span::styled(
            format::participant_type(p.participant_type),
            kind_style,
        )),
        Line::from(name),
        Line::from(status),
        Line::from(hold),
        Line::from(mute),
        Line::from(note),
    ]);
    if gone {
        row.style(theme.dim)
    } else {
        row
    }
}
