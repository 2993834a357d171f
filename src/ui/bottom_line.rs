//! The bottom line: the prompt while typing, else the latest message, else the hint bar.
//! The hint bar is generated from the keymap, so a rebinding shows up here too.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::Theme;
use crate::app::view::{MessageLevel, Prompt};
use crate::app::{App, UserCommand};

/// The commands the hint bar offers, most useful first; it shows as many as fit.
const HINTS: &[UserCommand] = &[
    UserCommand::Help,
    UserCommand::CommandLine,
    UserCommand::Filter,
    UserCommand::Hold,
    UserCommand::Mute,
    UserCommand::Kick,
    UserCommand::Hangup,
    UserCommand::EndConference,
    UserCommand::NextAttention,
    UserCommand::FocusNext,
    UserCommand::Freeze,
    UserCommand::SortNext,
    UserCommand::Recording,
    UserCommand::Audit,
    UserCommand::Quit,
];

const AGENT_HINTS: &[UserCommand] = &[
    UserCommand::MyConference,
    UserCommand::HoldMyCustomer,
    UserCommand::MuteMyself,
];

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = if let Some(prompt) = &app.view.prompt {
        prompt_line(prompt, theme)
    } else if let Some(message) = &app.view.message {
        // The text carries its own ✓ / ✗, so the colour is never the only sign.
        let style = match message.level {
            MessageLevel::Info => theme.info,
            MessageLevel::Success => theme.good,
            MessageLevel::Warning => theme.warning,
            MessageLevel::Error => theme.critical,
        };
        Line::from(Span::styled(format!(" {}", message.text), style))
    } else {
        hint_line(app, usize::from(area.width), theme)
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn prompt_line<'a>(prompt: &Prompt, theme: &Theme) -> Line<'a> {
    let (sigil, editor) = match prompt {
        Prompt::Filter(editor) => ("/", editor),
        Prompt::CommandLine(editor) => (":", editor),
    };
    let mut spans = vec![
        Span::styled(sigil.to_string(), theme.key),
        Span::raw(editor.text.clone()),
        Span::styled("█", theme.dim),
    ];
    if !editor.candidates.is_empty() {
        spans.push(Span::styled(
            format!("   {}", editor.candidates.join("  ")),
            theme.dim,
        ));
    } else if matches!(prompt, Prompt::Filter(_)) {
        spans.push(Span::styled(
            "   regex over conference, agent and caller · enter keep · esc cancel",
            theme.dim,
        ));
    } else {
        spans.push(Span::styled(
            "   tab complete · enter run · esc cancel",
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// Every offered command that is bound and allowed, as `key hint` pairs, cut to fit.
pub(super) fn hint_line<'a>(app: &App, width: usize, theme: &Theme) -> Line<'a> {
    let agent = if app.agent_mode() { AGENT_HINTS } else { &[] };
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for &command in agent.iter().chain(HINTS) {
        if app.view.readonly && command.changes_platform() {
            continue;
        }
        let Some(key) = app.keymap.first_key(command) else {
            continue;
        };
        let key = key.to_string();
        let cost = key.chars().count() + command.hint().chars().count() + 3;
        if used + cost > width {
            break;
        }
        used += cost;
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::raw(format!(" {}  ", command.hint())));
    }
    Line::from(spans)
}
