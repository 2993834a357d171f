//! The header: who and where, the connection as a word, the totals, and events per second.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::format;
use super::theme::Theme;
use crate::app::{short_id, App, UserCommand};
use crate::client::connection::ConnectionState;
use crate::voipbin::Timestamp;

const SPARK: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: Timestamp, theme: &Theme) {
    let connection = app.connection.describe(now);
    let (symbol, style) = match &app.connection {
        ConnectionState::Live { .. } => ("●", theme.good),
        ConnectionState::Connecting {
            last_error: None, ..
        } => ("◌", theme.info),
        ConnectionState::Connecting { .. } => ("↻", theme.warning),
        ConnectionState::Syncing { .. } => ("◌", theme.info),
        ConnectionState::Reconnecting { .. } => ("↻", theme.warning),
        ConnectionState::Stale { .. } => ("◌", theme.warning),
        ConnectionState::AuthFailed { .. } => ("✗", theme.critical),
    };
    let sep = || Span::styled(" │ ", theme.dim);
    // The connection comes first so that a narrow terminal never cuts it off.
    let mut first = vec![
        Span::styled(" bridgetop", theme.title),
        sep(),
        Span::styled(format!("{symbol} {connection}"), style),
    ];
    // While a retry is minutes away, say how not to wait for it.
    if waiting_to_retry(&app.connection, now) {
        if let Some(key) = app.keymap.keys_for(UserCommand::Retry).first() {
            first.push(Span::styled(format!(" ({key} now)"), theme.dim));
        }
    }
    first.extend([
        sep(),
        Span::raw(format!("profile {}", app.session.profile)),
        sep(),
        Span::raw(format!("customer {}", app.session.customer)),
    ]);
    if let Some(me) = app.session.me {
        first.push(sep());
        first.push(Span::styled(
            format!("{} agent {}", super::theme::symbol::ME, agent_name(app, me)),
            theme.me,
        ));
    }
    // Stays until the user has seen the message line and the write works again.
    if app.unrecorded.is_some() {
        first.push(sep());
        first.push(Span::styled(
            format!("{} NOT RECORDED", super::theme::symbol::FAILED),
            theme.critical,
        ));
    }
    if app.view.readonly {
        first.push(sep());
        first.push(Span::styled("READ-ONLY", theme.warning));
    }
    if let Some(frozen) = &app.frozen {
        first.push(sep());
        first.push(Span::styled(
            format!("FROZEN {} ago", format::duration(now - frozen.at)),
            theme.warning,
        ));
    }

    let totals = app.overview().totals;
    let mut second = vec![
        Span::raw(format!(
            " conferences {} · participants {} · live workers {} · ",
            totals.conferences, totals.participants, totals.live_workers
        )),
        Span::styled(
            format!("{} on hold {}", super::theme::symbol::HOLD, totals.on_hold),
            super::style_if(totals.on_hold > 0, theme.hold),
        ),
        Span::raw(" · "),
    ];
    let alert_style = if totals.critical_alerts > 0 {
        theme.critical
    } else if totals.alerts > 0 {
        theme.warning
    } else {
        theme.base
    };
    let alerts = if totals.critical_alerts > 0 {
        format!(
            "alerts {} ({} critical)",
            totals.alerts, totals.critical_alerts
        )
    } else {
        format!("alerts {}", totals.alerts)
    };
    second.push(Span::styled(alerts, alert_style));
    // Records the platform sent that could not be read: the picture has holes.
    let skipped = app.store.stats().skipped_records;
    if skipped > 0 {
        second.push(Span::raw(" · "));
        second.push(Span::styled(
            format!("{skipped} unreadable records (see bridgetop.log)"),
            theme.warning,
        ));
    }
    let used: usize = second.iter().map(ratatui::prelude::Span::width).sum();
    let room = usize::from(area.width).saturating_sub(used + 16);
    if room >= 8 {
        let series = app.event_rate.series();
        let width = room.min(30);
        second.push(sep());
        second.push(Span::raw("ev/s "));
        second.push(Span::styled(sparkline(&series, width), theme.info));
        second.push(Span::raw(format!(" {}", app.event_rate.last_second())));
    }
    let lines = vec![Line::from(first), Line::from(second)];
    frame.render_widget(Paragraph::new(lines), area);
}

/// The last `width` counts as block characters, scaled to the largest.
pub(super) fn sparkline(series: &[u64], width: usize) -> String {
    let tail = &series[series.len().saturating_sub(width)..];
    let max = tail.iter().copied().max().unwrap_or(0);
    let mut out = String::new();
    for _ in tail.len()..width {
        out.push(' ');
    }
    for &count in tail {
        let level = if max == 0 {
            0
        } else {
            ((count * 7).div_ceil(max)) as usize
        };
        out.push(SPARK[level.min(7)]);
    }
    out
}

/// The console's agent by name once the store knows it, by id prefix until then.
fn agent_name(app: &App, me: uuid::Uuid) -> String {
    app.store
        .agent(me)
        .map(|agent| agent.name.trim())
        .filter(|name| !name.is_empty())
        .map_or_else(|| short_id(me), str::to_owned)
}

/// A connection attempt is scheduled at least two seconds from now.
fn waiting_to_retry(connection: &ConnectionState, now: Timestamp) -> bool {
    let retry_at = match connection {
        ConnectionState::Connecting { retry_at, .. }
        | ConnectionState::Reconnecting { retry_at, .. } => *retry_at,
        _ => None,
    };
    retry_at.is_some_and(|at| at - now >= chrono::TimeDelta::seconds(2))
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn sparkline_scales_to_the_peak_and_pads_left() {
        assert_eq!(sparkline(&[0, 7, 14], 5), "  ▁▅█");
        assert_eq!(sparkline(&[], 3), "   ");
    }
}
