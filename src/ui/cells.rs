//! What each conference-table cell shows for one conference; `columns` puts them in order.

use ratatui::text::{Line, Span};

use super::format;
use super::theme::{symbol, Theme};
use crate::store::{ConferenceView, Participant, ParticipantType};
use crate::voipbin::Timestamp;

/// The worst alert's sign, else the agent-mode "me" sign.
pub(super) fn marker(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let span = match c.worst_alert() {
        Some(alert) => Span::styled(
            symbol::severity(alert.severity),
            theme.severity(alert.severity),
        ),
        None if c.is_mine() => Span::styled(symbol::ME, theme.me),
        None => Span::raw(""),
    };
    Line::from(span)
}

pub(super) fn name(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let name = if c.conference.name.is_empty() {
        short_id(c)
    } else {
        c.conference.name.clone()
    };
    if c.is_mine() {
        Line::from(vec![
            Span::raw(name),
            Span::styled(format!(" {} me", symbol::ME), theme.me),
        ])
    } else {
        Line::from(name)
    }
}

pub(super) fn kind(c: &ConferenceView, _now: Timestamp, _theme: &Theme) -> Line<'static> {
    let kind = c
        .conference
        .kind
        .as_ref()
        .map(std::string::ToString::to_string);
    Line::from(kind.unwrap_or_else(|| "-".into()))
}

/// A command still in flight shows instead of the platform's status.
pub(super) fn status(c: &ConferenceView, _now: Timestamp, _theme: &Theme) -> Line<'static> {
    let status = match (&c.pending, c.conference.status.as_ref()) {
        (Some(p), _) => format!("{}{}", symbol::PENDING, p.command.words()),
        (None, Some(s)) => s.to_string(),
        (None, None) => "-".into(),
    };
    Line::from(status)
}

pub(super) fn age(c: &ConferenceView, now: Timestamp, _theme: &Theme) -> Line<'static> {
    Line::from(format::since(c.conference.tm_create, now))
}

pub(super) fn live(c: &ConferenceView, _now: Timestamp, _theme: &Theme) -> Line<'static> {
    Line::from(c.live_participant_count.to_string())
}

pub(super) fn workers(c: &ConferenceView, _now: Timestamp, _theme: &Theme) -> Line<'static> {
    Line::from(c.live_worker_count.to_string())
}

/// How many are on hold and for how long the longest has waited.
pub(super) fn hold(c: &ConferenceView, now: Timestamp, theme: &Theme) -> Line<'static> {
    let span = match c.longest_hold_since() {
        Some(longest) => Span::styled(
            format!(
                "{} {} {}",
                c.on_hold_count(),
                symbol::HOLD,
                format::duration(now - longest)
            ),
            theme.hold,
        ),
        None => Span::styled("-", theme.dim),
    };
    Line::from(span)
}

/// The worst alert by name, and how many more there are.
pub(super) fn alert(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let span = match c.worst_alert() {
        Some(a) => {
            let more = if c.alerts.len() > 1 {
                format!(" +{}", c.alerts.len() - 1)
            } else {
                String::new()
            };
            let style = theme.severity(a.severity);
            Span::styled(format!("{}{more}", format::alert_kind(a.kind)), style)
        }
        None => Span::raw(""),
    };
    Line::from(span)
}

pub(super) fn recording(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let span = if c.conference.recording_id.is_nil() {
        Span::raw("")
    } else {
        Span::styled(format!("{}rec", symbol::RECORDING), theme.critical)
    };
    Line::from(span)
}

/// The agents in the room now, by name: who the customers are talking to.
pub(super) fn agents(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let names: Vec<&str> = c
        .participants
        .iter()
        .filter(|p| p.is_joined())
        .filter(|p| {
            matches!(
                p.participant_type,
                ParticipantType::Worker | ParticipantType::Supervisor
            )
        })
        .map(|p| person(p))
        .collect();
    first_and_more(&names, theme)
}

/// The customers in the room now, by number.
pub(super) fn callers(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let numbers: Vec<&str> = c
        .participants
        .iter()
        .filter(|p| p.is_joined() && p.participant_type == ParticipantType::Customer)
        .map(|p| person(p))
        .collect();
    first_and_more(&numbers, theme)
}

/// The first, then how many more: a narrow column keeps a whole name and the count.
fn first_and_more(items: &[&str], theme: &Theme) -> Line<'static> {
    match items {
        [] => Line::from(Span::styled("-", theme.dim)),
        [one] => Line::from((*one).to_owned()),
        [first, rest @ ..] => Line::from(format!("{first} +{}", rest.len())),
    }
}

/// How many of those in the room are muted.
pub(super) fn muted(c: &ConferenceView, _now: Timestamp, theme: &Theme) -> Line<'static> {
    let muted = c
        .participants
        .iter()
        .filter(|p| p.is_joined() && p.muted)
        .count();
    if muted == 0 {
        Line::from(Span::styled("-", theme.dim))
    } else {
        Line::from(Span::styled(muted.to_string(), theme.muted))
    }
}

/// A participant as the screen names them: the agent's name, else the far party.
pub(super) fn person(p: &Participant) -> &str {
    match (&p.agent_name, &p.address) {
        (Some(name), _) => name,
        (None, Some(address)) => &address.target,
        (None, None) if p.resolving => "(looking up…)",
        (None, None) => "-",
    }
}

/// An unnamed room goes by the start of its id.
fn short_id(c: &ConferenceView) -> String {
    format!("({})", crate::app::short_id(c.id()))
}
