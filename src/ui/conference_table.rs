//! The conference table: one row per live conference; only the visible rows are built.

use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, TableState};
use ratatui::Frame;

use super::format;
use super::theme::{symbol, Theme};
use super::{is_focused, pane, WIDE};
use crate::app::view::{Focus, Subset};
use crate::app::App;
use crate::store::ConferenceView;
use crate::voipbin::Timestamp;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: Timestamp, theme: &Theme) {
    let wide = area.width >= WIDE;
    let overview = app.overview();
    let height = usize::from(area.height.saturating_sub(3));
    let offset = app.view.table_offset.min(overview.rows.len());
    let visible = &overview.rows[offset..(offset + height).min(overview.rows.len())];

    let rows: Vec<Row> = visible
        .iter()
        .filter_map(|id| app.conference(*id))
        .map(|c| row(c, now, wide, theme))
        .collect();

    let mut header = vec!["", "Name"];
    if wide {
        header.push("Type");
    }
    header.extend(["Status", "Age", "Live", "Wkrs", "On hold"]);
    if wide {
        header.extend(["Alert", "Rec"]);
    }
    let widths = widths(wide);

    let title = title(app, offset, visible.len());
    let mut state = TableState::default();
    state.select(app.cursor().and_then(|c| c.checked_sub(offset)));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header_row))
        .block(pane(title, is_focused(app, Focus::Conferences), theme))
        .row_highlight_style(theme.selected)
        .highlight_symbol("› ");
    frame.render_stateful_widget(table, area, &mut state);
}

fn widths(wide: bool) -> Vec<Constraint> {
    let mut widths = vec![Constraint::Length(3), Constraint::Fill(1)];
    if wide {
        widths.push(Constraint::Length(10));
    }
    widths.extend([
        Constraint::Length(11),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(10),
    ]);
    if wide {
        widths.extend([Constraint::Length(20), Constraint::Length(5)]);
    }
    widths
}

fn title(app: &App, offset: usize, shown: usize) -> String {
    let overview = app.overview();
    let mut title = format!("Conferences ({})", overview.rows.len());
    if overview.rows.len() > shown {
        title.push_str(&format!(" {}-{}", offset + 1, offset + shown));
    }
    match app.view.subset {
        Subset::All => {}
        Subset::Held => title.push_str(" · held only"),
        Subset::Alerting => title.push_str(" · alerts only"),
    }
    if let Some(filter) = &app.view.filter {
        title.push_str(&format!(" · /{}", filter.text));
    }
    let direction = if app.view.descending { "↑" } else { "↓" };
    title.push_str(&format!(" · sort {}{direction} ", app.view.sort.label()));
    title
}

fn row<'a>(c: &'a ConferenceView, now: Timestamp, wide: bool, theme: &Theme) -> Row<'a> {
    let worst = c
        .alerts
        .iter()
        .max_by_key(|a| (a.severity, std::cmp::Reverse(a.since)));
    let mine = c.participants.iter().any(|p| p.is_myself && p.is_joined());
    let marker = match worst {
        Some(alert) => Span::styled(
            symbol::severity(alert.severity),
            theme.severity(alert.severity),
        ),
        None if mine => Span::styled(symbol::ME, theme.me),
        None => Span::raw(""),
    };
    let held: Vec<Timestamp> = c
        .participants
        .iter()
        .filter(|p| p.is_joined() && p.on_hold)
        .filter_map(|p| p.hold_since)
        .collect();
    let hold = match held.iter().min() {
        Some(longest) => Span::styled(
            format!(
                "{} {} {}",
                held.len(),
                symbol::HOLD,
                format::duration(now - *longest)
            ),
            theme.hold,
        ),
        None => Span::styled("-", theme.dim),
    };
    let status = match (&c.pending, c.conference.status.as_ref()) {
        (Some(p), _) => format!("{}{}", symbol::PENDING, p.command.words()),
        (None, Some(s)) => s.to_string(),
        (None, None) => "-".into(),
    };
    let name = if c.conference.name.is_empty() {
        conference_short_id(c)
    } else {
        c.conference.name.clone()
    };
    let name = if mine {
        Line::from(vec![
            Span::raw(name),
            Span::styled(format!(" {} me", symbol::ME), theme.me),
        ])
    } else {
        Line::from(name)
    };
    let mut cells: Vec<Line> = vec![Line::from(marker), name];
    if wide {
        let kind = c
            .conference
            .kind
            .as_ref()
            .map(std::string::ToString::to_string);
        cells.push(Line::from(kind.unwrap_or_else(|| "-".into())));
    }
    cells.extend([
        Line::from(status),
        Line::from(format::since(c.conference.tm_create, now)),
        Line::from(c.live_participant_count.to_string()),
        Line::from(c.live_worker_count.to_string()),
        Line::from(hold),
    ]);
    if wide {
        let alert = match worst {
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
        cells.push(Line::from(alert));
        let rec = if c.conference.recording_id.is_nil() {
            Span::raw("")
        } else {
            Span::styled(format!("{}rec", symbol::RECORDING), theme.critical)
        };
        cells.push(Line::from(rec));
    }
    Row::new(cells)
}

fn conference_short_id(c: &ConferenceView) -> String {
    let id = c.id().to_string();
    format!("({})", &id[..8])
}
