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
    let area = dialog_area(frame.area(), &lines);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(pane(title.to_string(), true, theme)),
        area,
    );
}

/// Wide enough for the longest line (a long name stays on one line where the screen
/// allows, up to 100 columns), never narrower than 60, and tall enough for the lines as wrapped.
fn dialog_area(screen: Rect, lines: &[Line]) -> Rect {
    const CHROME: u16 = 4; // borders, and room to spare for word wrapping
    let longest = lines.iter().map(Line::width).max().unwrap_or(0);
    let width = u16::try_from(longest)
        .unwrap_or(u16::MAX)
        .saturating_add(CHROME)
        .clamp(60, screen.width.saturating_sub(2).clamp(20, 100));
    let inner = usize::from(width.saturating_sub(2).max(1));
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .saturating_add(CHROME);
    centered(screen, width, height)
}

/// A scrolling overlay (help, `:ended`): at most `max_width` wide with two columns to
/// spare, and `margin` rows shorter than the screen.
pub(super) fn overlay_area(screen: Rect, max_width: u16, margin: u16) -> Rect {
    centered(
        screen,
        screen.width.saturating_sub(4).min(max_width),
        screen.height.saturating_sub(margin),
    )
}

/// How far `lines` scroll in `area` when `chrome` of its rows are not lines: scrolling
/// stops with the last line at the bottom.
pub(super) fn max_scroll(lines: usize, area: Rect, chrome: u16) -> u16 {
    let visible = usize::from(area.height.saturating_sub(chrome));
    u16::try_from(lines.saturating_sub(visible)).unwrap_or(u16::MAX)
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
