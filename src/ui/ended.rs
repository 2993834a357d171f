//! `:ended`: the conferences that ended in the last minutes, newest first, with how long
//! they lasted and who was in them: the floor's recent history, from what the store keeps.

use chrono::TimeDelta;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Row, Table};
use ratatui::Frame;

use super::cells::person;
use super::dialog::{max_scroll, overlay_area};
use super::format;
use super::pane;
use super::theme::Theme;
use crate::app::view::Overlay;
use crate::app::{conference_label, App};
use crate::store::ConferenceView;
use crate::voipbin::Timestamp;

pub(super) fn draw(frame: &mut Frame, app: &App, now: Timestamp, theme: &Theme) {
    let Some(Overlay::Ended { minutes, scroll }) = &app.view.overlay else {
        return;
    };
    let area = ended_area(frame.area());
    let rooms = ended_within(app, now, *minutes);
    let kept = app.store.config().ended_retention.num_minutes();
    let kept_note = if i64::from(*minutes) > kept {
        format!(" (kept {kept} min)")
    } else {
        String::new()
    };
    let title = format!(
        "Ended in the last {minutes} min{kept_note} · {} · ↑↓ scroll · esc close ",
        rooms.len()
    );
    frame.render_widget(Clear, area);
    let block = pane(title, true, theme);
    if rooms.is_empty() {
        frame.render_widget(
            Paragraph::new(format!(
                "No conference ended in the last {minutes} minutes."
            ))
            .style(theme.dim)
            .block(block),
            area,
        );
        return;
    }
    let skip = usize::from((*scroll).min(max_scroll(rooms.len(), area, CHROME)));
    let rows: Vec<Row> = rooms
        .iter()
        .skip(skip)
        .map(|view| {
            let ago = view.ended_at().map_or_else(
                || "?".into(),
                |at| format!("{} ago", format::duration(now - at)),
            );
            Row::new(vec![
                Line::from(ago),
                Line::from(conference_label(view)),
                Line::from(lasted(view)),
                Line::from(people(view)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(10),
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Fill(3),
    ];
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(["Ended", "Name", "Lasted", "Who was in it"]).style(theme.header_row))
            .block(block),
        area,
    );
}

/// Ended rooms the store still keeps, ended within `minutes` of `now`, newest first.
pub(super) fn ended_within(app: &App, now: Timestamp, minutes: u32) -> Vec<&ConferenceView> {
    let since = now - TimeDelta::minutes(i64::from(minutes));
    app.store
        .ended()
        .into_iter()
        .filter(|view| view.ended_at().is_none_or(|at| at >= since))
        .collect()
}

fn lasted(view: &ConferenceView) -> String {
    match (view.conference.tm_create, view.ended_at()) {
        (Some(start), Some(end)) => format::duration(end - start),
        _ => "?".into(),
    }
}

/// Everyone listed in the room over its life, each once, in joining order.
fn people(view: &ConferenceView) -> String {
    let mut names: Vec<&str> = Vec::new();
    for participant in &view.participants {
        let name = person(participant);
        if name != "-" && !names.contains(&name) {
            names.push(name);
        }
    }
    if names.is_empty() {
        "-".into()
    } else {
        names.join(", ")
    }
}

fn ended_area(screen: Rect) -> Rect {
    overlay_area(screen, 110, 4)
}

/// Lines of the box that are not rooms: borders and the column header.
const CHROME: u16 = 3;

/// How far `:ended` can scroll on a screen this size.
pub(super) fn ended_max_scroll(app: &App, screen: Rect, now: Timestamp, minutes: u32) -> u16 {
    max_scroll(
        ended_within(app, now, minutes).len(),
        ended_area(screen),
        CHROME,
    )
}
