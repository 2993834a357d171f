//! The help screen, generated from the keymap and the command-line verbs: a rebinding in
//! the config file shows up here.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::dialog::{max_scroll, overlay_area};
use super::pane;
use super::theme::{symbol, Theme};
use crate::app::command_line::VERBS;
use crate::app::view::Overlay;
use crate::app::{App, HelpGroup, UserCommand};

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let Some(Overlay::Help { scroll }) = &app.view.overlay else {
        return;
    };
    let area = help_area(frame.area());
    let inner = usize::from(area.width.saturating_sub(2));
    let lines: Vec<Line> = help_lines(app, theme)
        .into_iter()
        .map(|line| cut_to_width(line, inner))
        .collect();
    let scroll = (*scroll).min(max_scroll(lines.len(), area, CHROME));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll, 0)).block(pane(
            "Help · ↑↓ scroll · esc close ".into(),
            true,
            theme,
        )),
        area,
    );
}

/// A line longer than the pane ends in `…` instead of stopping mid-word unannounced.
fn cut_to_width(line: Line<'_>, width: usize) -> Line<'_> {
    if line.width() <= width || width == 0 {
        return line;
    }
    let mut left = width - 1;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w > left {
                left = 0;
                break;
            }
            text.push(c);
            left -= w;
        }
        spans.push(Span::styled(text, span.style));
    }
    spans.push(Span::raw("…"));
    Line::from(spans)
}

fn help_area(screen: Rect) -> Rect {
    overlay_area(screen, 100, 2)
}

/// Lines of the help box that are not help: its borders.
const CHROME: u16 = 2;

/// How far the help can scroll on a screen this size: scrolling stops at its last line.
pub(super) fn help_max_scroll(app: &App, screen: Rect) -> u16 {
    max_scroll(help_lines(app, &app.theme).len(), help_area(screen), CHROME)
}

pub(super) fn help_lines<'a>(app: &App, theme: &Theme) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let scopes = [
        HelpGroup::General,
        HelpGroup::Navigation,
        HelpGroup::Participant,
        HelpGroup::Conference,
        HelpGroup::Agent,
    ];
    for scope in scopes {
        let commands: Vec<UserCommand> = UserCommand::ALL
            .iter()
            .copied()
            .filter(|c| c.scope() == scope)
            .filter(|c| !(app.view.readonly && c.changes_platform()))
            .collect();
        if commands.is_empty() {
            continue;
        }
        let mut title = scope.title().to_string();
        if scope == HelpGroup::Agent && !app.agent_mode() {
            title.push_str(" (start with --me AGENT)");
        }
        lines.push(Line::from(Span::styled(title, theme.title)));
        for command in commands {
            let keys: Vec<String> = app
                .keymap
                .keys_for(command)
                .iter()
                .map(std::string::ToString::to_string)
                .collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.join(", ")
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<14}"), theme.key),
                Span::raw(command.help()),
            ]));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from(Span::styled("Command line (:)", theme.title)));
    for (verb, takes_arg, what) in VERBS {
        let usage = if *takes_arg {
            format!(":{verb} NAME")
        } else {
            format!(":{verb}")
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  {usage:<14}"), theme.key),
            Span::raw(*what),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Signs", theme.title)));
    for (sign, meaning) in [
        (symbol::CRITICAL, "critical alert"),
        (symbol::WARNING.trim_end(), "warning"),
        (symbol::HOLD, "on hold, with how long (holds made by this console only: VoIPbin does not report hold)"),
        (symbol::ME, "me (agent mode)"),
        (symbol::PENDING, "command sent, waiting for the platform"),
        (symbol::FAILED, "command failed (reason in the message line and the audit pane)"),
        (symbol::RECORDING, "recording"),
        ("▶", "the focused pane"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {sign:<14}"), theme.key),
            Span::raw(meaning),
        ]));
    }
    if app.view.readonly {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "Read-only: commands that change anything are hidden and refused.",
            theme.warning,
        )));
    }
    lines
}
