//! The conference table: one row per live conference; only the visible rows are built.
//! Which columns there are, and what they show, is `columns::COLUMNS`.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table, TableState};
use ratatui::Frame;

use super::columns::Column;
use super::format;
use super::theme::Theme;
use super::{data_pane, is_focused};
use crate::app::view::{Focus, Subset};
use crate::app::App;
use crate::voipbin::Timestamp;

pub(super) fn draw(frame: &mut Frame, area: Rect, app: &App, now: Timestamp, theme: &Theme) {
    let columns: Vec<&Column> = app.view.columns.fit(area.width);
    let height = usize::from(area.height.saturating_sub(3));
    let offset = app.view.table_offset.min(app.table_len());
    let visible = window(app, offset, height);

    let widths: Vec<Constraint> = columns.iter().map(|c| c.width.constraint()).collect();
    let room = column_widths(area, &widths);
    let rows: Vec<Row> = visible
        .iter()
        .filter_map(|id| app.conference(*id))
        .map(|c| {
            let cells: Vec<Line> = columns
                .iter()
                .zip(&room)
                .map(|(col, width)| fit_cell((col.cell)(c, now, theme), *width))
                .collect();
            // Only a selected room that ended is shown ended: it stays until the user moves.
            let style = if c.ended {
                theme.dim
            } else {
                ratatui::style::Style::new()
            };
            Row::new(cells).style(style)
        })
        .collect();
    let sorted = app.view.sort.column();
    let header: Vec<String> = columns
        .iter()
        .map(|c| {
            if std::ptr::eq(*c, sorted) {
                format!("{}{}", c.header, app.view.sort.arrow(app.view.reversed))
            } else {
                c.header.to_owned()
            }
        })
        .collect();

    let title = title(app, offset, visible.len());
    let mut state = TableState::default();
    state.select(app.cursor().and_then(|c| c.checked_sub(offset)));
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header_row))
        .block(data_pane(
            title,
            is_focused(app, Focus::Conferences),
            app,
            now,
            theme,
        ))
        .row_highlight_style(theme.selected)
        .highlight_symbol("› ");
    frame.render_stateful_widget(table, area, &mut state);
}

/// Room for a row marker and two borders, as the table lays its columns out.
const CHROME: u16 = 4;

/// How wide each column is drawn in `area`, as the table lays it out.
fn column_widths(area: Rect, widths: &[Constraint]) -> Vec<usize> {
    let inner = Rect::new(0, 0, area.width.saturating_sub(CHROME), 1);
    Layout::horizontal(widths.iter().copied())
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| usize::from(r.width))
        .collect()
}

/// A cell too long for its column is cut in the middle, `…` marking the cut: a room named
/// "Support · +14155550123" keeps the digits that tell it from the next one.
fn fit_cell(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let style = line.spans.first().map(|s| s.style).unwrap_or_default();
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    Line::from(Span::styled(format::ellipsize_middle(&text, width), style))
}

/// The conference ids of table rows `offset..offset + height`: the listed ones, with a
/// selected room that ended at the row it had.
fn window(app: &App, offset: usize, height: usize) -> Vec<uuid::Uuid> {
    let overview = app.overview();
    let Some((pinned_row, pinned)) = app.pinned_ended() else {
        return overview.rows_from(offset).take(height).collect();
    };
    if pinned_row < offset {
        return overview.rows_from(offset - 1).take(height).collect();
    }
    let mut ids: Vec<uuid::Uuid> = overview.rows_from(offset).take(height).collect();
    ids.insert((pinned_row - offset).min(ids.len()), pinned.id());
    ids.truncate(height);
    ids
}

fn title(app: &App, offset: usize, shown: usize) -> String {
    let overview = app.overview();
    let mut title = if app.store.has_snapshot() {
        format!("Conferences ({})", overview.len())
    } else {
        format!("Conferences ({} · not synced yet)", overview.len())
    };
    if app.table_len() > shown {
        title.push_str(&format!(" {}-{}", offset + 1, offset + shown));
    }
    match app.view.subset {
        Subset::All => {}
        Subset::Held => title.push_str(" · held only"),
        Subset::Alerting => title.push_str(" · alerts only"),
    }
    if let Some(filter) = &app.view.filter {
        title.push_str(&format!(" · /{}", filter.text));
        if let Some(reason) = &filter.not_a_regex {
            title.push_str(&format!(" (not a regex: {reason}; matched as text)"));
        }
    }
    let arrow = app.view.sort.arrow(app.view.reversed);
    title.push_str(&format!(" · sort {}{arrow} ", app.view.sort.label()));
    title
}
