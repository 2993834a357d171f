//! Dialogs over the dashboard: confirmation of destructive commands, and the mute
//! direction chooser.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::pane;
use super::theme::Theme;
use crate::app::view::Overlay;
use crate::app::App;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let (title, lines) = match &app.view.overlay {
        Some(Overlay::Confirm(confirmation)) => (
            "Confirm ",
            vec![
                Line::from(confirmation.question.clone()),
                Line::from(""),
                Line::from(vec![
                    Span::styled("y", theme.key),
                    Span::raw(" yes    "),
                    Span::styled("n", theme.key),
                    Span::raw(" / "),
                    Span::styled("esc", theme.key),
                    Span::raw(" no"),
                ]),
            ],
        ),
        Some(Overlay::MuteDirection { subject, muted, .. }) => {
            let now = match muted {
                Some(direction) => format!("{subject} is muted {direction}."),
                None => format!("{subject} is not muted."),
            };
            let choice = |key: &'static str, words: &'static str| {
                Line::from(vec![Span::styled(key, theme.key), Span::raw(words)])
            };
            (
                "Mute direction ",
                vec![
                    Line::from(now),
                    Line::from(""),
                    choice("i", " in: others cannot hear them"),
                    choice("o", " out: they cannot hear others"),
                    choice("b", " both"),
                    choice("u", " unmute"),
                    choice("esc", " cancel"),
                ],
            )
        }
        _ => return,
    };
    let height = lines.len() as u16 + 4;
    let area = centered(frame.area(), 60, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(pane(title.to_string(), true, theme)),
        area,
    );
}

/// A box `width` columns wide (at most the screen) and `height` rows high, centred.
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
