//! The conference table's columns as data: one list drives the header, the widths, the
//! cells, the sort cycle and which columns a narrow terminal drops, so adding a column is
//! one entry here.

use ratatui::layout::Constraint;
use ratatui::text::Line;

use super::cells;
use super::theme::Theme;
use crate::app::row_order::{self, SortValue};
use crate::store::ConferenceView;
use crate::voipbin::Timestamp;

/// What one cell shows for a conference at a given time.
pub type Cell = fn(&ConferenceView, Timestamp, &Theme) -> Line<'static>;

/// A row's place in ascending order; reversing the sort flips it.
pub type Rank = fn(&ConferenceView) -> SortValue;

/// How rows are ordered when the table is sorted by a column.
#[derive(Debug)]
pub struct Sort {
    /// The word the table title and the message line use.
    pub label: &'static str,
    pub rank: Rank,
    /// The natural order goes up in what the column shows (names A→Z); the others put
    /// the largest first (the longest hold, the busiest room, the worst alert).
    pub ascending: bool,
}

/// How much room a column takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    Fixed(u16),
    /// Takes what is left, but never less than `min`.
    Fill {
        min: u16,
    },
}

impl Width {
    fn least(self) -> u16 {
        match self {
            Width::Fixed(n) | Width::Fill { min: n } => n,
        }
    }

    pub fn constraint(self) -> Constraint {
        match self {
            Width::Fixed(n) => Constraint::Length(n),
            Width::Fill { .. } => Constraint::Fill(1),
        }
    }
}

/// A column narrow terminals never drop.
pub const ALWAYS: u8 = u8::MAX;

#[derive(Debug)]
pub struct Column {
    /// The name `[table] columns` uses.
    pub id: &'static str,
    pub header: &'static str,
    pub width: Width,
    /// When the table is too narrow for every chosen column, the lowest priority goes
    /// first: the columns whose value is nearly always the same (type, status) before
    /// those that tell rooms apart.
    pub priority: u8,
    pub sort: Option<Sort>,
    pub cell: Cell,
}

/// In the default order; `sort_next` cycles through the sortable ones in this order too.
pub static COLUMNS: [Column; 13] = [
    // The marker column shows the worst alert, so it carries the attention sort.
    Column {
        id: "marker",
        header: "",
        width: Width::Fixed(3),
        priority: ALWAYS,
        sort: Some(Sort {
            label: "attention",
            rank: row_order::by_attention,
            ascending: false,
        }),
        cell: cells::marker,
    },
    Column {
        id: "name",
        header: "Name",
        width: Width::Fill { min: 14 },
        priority: ALWAYS,
        sort: Some(Sort {
            label: "name",
            rank: row_order::by_name,
            ascending: true,
        }),
        cell: cells::name,
    },
    Column {
        id: "agent",
        header: "Agent",
        width: Width::Fixed(16),
        priority: 9,
        sort: None,
        cell: cells::agents,
    },
    Column {
        id: "caller",
        header: "Caller",
        width: Width::Fixed(15),
        priority: 8,
        sort: None,
        cell: cells::callers,
    },
    Column {
        id: "type",
        header: "Type",
        width: Width::Fixed(10),
        priority: 0,
        sort: None,
        cell: cells::kind,
    },
    Column {
        id: "status",
        header: "Status",
        width: Width::Fixed(11),
        priority: 1,
        sort: None,
        cell: cells::status,
    },
    Column {
        id: "age",
        header: "Age",
        width: Width::Fixed(6),
        priority: 6,
        sort: Some(Sort {
            label: "age",
            rank: row_order::by_age,
            ascending: false,
        }),
        cell: cells::age,
    },
    Column {
        id: "live",
        header: "Live",
        width: Width::Fixed(4),
        priority: 10,
        sort: Some(Sort {
            label: "participants",
            rank: row_order::by_participants,
            ascending: false,
        }),
        cell: cells::live,
    },
    Column {
        id: "workers",
        header: "Wkrs",
        width: Width::Fixed(4),
        priority: 7,
        sort: Some(Sort {
            label: "workers",
            rank: row_order::by_workers,
            ascending: false,
        }),
        cell: cells::workers,
    },
    Column {
        id: "hold",
        header: "On hold",
        width: Width::Fixed(10),
        priority: 11,
        sort: Some(Sort {
            label: "hold",
            rank: row_order::by_hold,
            ascending: false,
        }),
        cell: cells::hold,
    },
    Column {
        id: "muted",
        header: "Mute",
        width: Width::Fixed(4),
        priority: 3,
        sort: None,
        cell: cells::muted,
    },
    Column {
        id: "alert",
        header: "Alert",
        width: Width::Fixed(20),
        priority: 5,
        sort: None,
        cell: cells::alert,
    },
    Column {
        id: "rec",
        header: "Rec",
        width: Width::Fixed(5),
        priority: 2,
        sort: None,
        cell: cells::recording,
    },
];

/// Room the table takes besides its columns: two borders and the `› ` row marker.
const TABLE_CHROME: u16 = 4;

/// The columns a table chooses (`[table] columns`), in its order.
#[derive(Debug, Clone)]
pub struct TableColumns(Vec<&'static Column>);

impl PartialEq for TableColumns {
    fn eq(&self, other: &Self) -> bool {
        self.0.iter().map(|c| c.id).eq(other.0.iter().map(|c| c.id))
    }
}

impl Eq for TableColumns {}

impl Default for TableColumns {
    fn default() -> Self {
        TableColumns(COLUMNS.iter().collect())
    }
}

impl TableColumns {
    /// Reads `[table] columns`: known names, each once, and `name` among them (the name
    /// is what a supervisor reads a row by).
    pub fn from_names(names: &[String]) -> Result<TableColumns, String> {
        let known = || COLUMNS.iter().map(|c| c.id).collect::<Vec<_>>().join(", ");
        let mut chosen: Vec<&'static Column> = Vec::with_capacity(names.len());
        for name in names {
            let column = COLUMNS
                .iter()
                .find(|c| c.id == name.trim())
                .ok_or_else(|| {
                    format!("[table] columns: no column {name:?} (known: {})", known())
                })?;
            if chosen.iter().any(|c| c.id == column.id) {
                return Err(format!("[table] columns: {name:?} is listed twice"));
            }
            chosen.push(column);
        }
        if !chosen.iter().any(|c| c.id == "name") {
            return Err("[table] columns must include \"name\"".into());
        }
        Ok(TableColumns(chosen))
    }

    /// What fits in `width` cells: the chosen columns, less the lowest priority ones
    /// until the rest fit, in the chosen order.
    pub fn fit(&self, width: u16) -> Vec<&'static Column> {
        let mut shown = self.0.clone();
        while needed(&shown) > width {
            let lowest = shown
                .iter()
                .enumerate()
                .filter(|(_, c)| c.priority != ALWAYS)
                .min_by_key(|(_, c)| c.priority)
                .map(|(i, _)| i);
            match lowest {
                Some(i) => {
                    shown.remove(i);
                }
                None => break,
            }
        }
        shown
    }
}

/// Cells a row of these columns needs at the least, spacing and chrome included.
fn needed(columns: &[&Column]) -> u16 {
    let cells: u16 = columns.iter().map(|c| c.width.least()).sum();
    let spacing = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    cells.saturating_add(spacing).saturating_add(TABLE_CHROME)
}

/// A sortable column, by its place in `COLUMNS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey(usize);

impl SortKey {
    /// The first sortable column: attention.
    pub fn first() -> SortKey {
        SortKey::after(None)
    }

    pub fn next(self) -> SortKey {
        SortKey::after(Some(self.0))
    }

    pub fn label(self) -> &'static str {
        self.sort().label
    }

    /// `↑` when the rows go up in what the column shows (A→Z), `↓` when down.
    pub fn arrow(self, reversed: bool) -> &'static str {
        if self.sort().ascending != reversed {
            "↑"
        } else {
            "↓"
        }
    }

    /// The column this sort belongs to.
    pub fn column(self) -> &'static Column {
        &COLUMNS[self.0]
    }

    pub fn rank(self, conference: &ConferenceView) -> SortValue {
        (self.sort().rank)(conference)
    }

    fn sort(self) -> &'static Sort {
        COLUMNS[self.0]
            .sort
            .as_ref()
            .expect("a SortKey only points at a sortable column")
    }

    /// The next sortable column after `index`, wrapping round to the first.
    fn after(index: Option<usize>) -> SortKey {
        let start = index.map_or(0, |i| i + 1);
        (start..COLUMNS.len())
            .chain(0..start)
            .find(|&i| COLUMNS[i].sort.is_some())
            .map(SortKey)
            .expect("some column is sortable")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_cycles_through_the_sortable_columns_in_order() {
        let mut key = SortKey::first();
        let mut labels = Vec::new();
        for _ in 0..6 {
            labels.push(key.label());
            key = key.next();
        }
        assert_eq!(
            labels,
            [
                "attention",
                "name",
                "age",
                "participants",
                "workers",
                "hold"
            ]
        );
        assert_eq!(key, SortKey::first());
    }

    fn ids(columns: &[&Column]) -> Vec<&'static str> {
        columns.iter().map(|c| c.id).collect()
    }

    #[test]
    fn narrow_tables_drop_type_and_status_first_and_never_the_name() {
        let all = TableColumns::default();
        assert_eq!(all.fit(400).len(), COLUMNS.len());
        let at_120 = ids(&all.fit(118));
        assert!(
            !at_120.contains(&"type") && !at_120.contains(&"status"),
            "{at_120:?}"
        );
        assert!(
            at_120.contains(&"agent") && at_120.contains(&"caller"),
            "{at_120:?}"
        );
        let at_60 = ids(&all.fit(58));
        assert!(
            at_60.contains(&"name") && at_60.contains(&"hold"),
            "{at_60:?}"
        );
        for width in [0, 10, 30] {
            let tiny = ids(&all.fit(width));
            assert_eq!(tiny, ["marker", "name"], "width {width}");
        }
        // Narrowing only ever removes columns, lowest priority first.
        let mut previous = all.fit(400);
        for width in (0..400).rev() {
            let now = all.fit(width);
            let (now_ids, previous_ids) = (ids(&now), ids(&previous));
            assert!(
                now_ids.iter().all(|c| previous_ids.contains(c)),
                "width {width}"
            );
            if let Some(dropped) = previous.iter().find(|c| !now_ids.contains(&c.id)) {
                assert!(now.iter().all(|c| c.priority >= dropped.priority));
            }
            previous = now;
        }
    }

    #[test]
    fn chosen_columns_keep_their_order_and_bad_names_are_explained() {
        let names = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let chosen = TableColumns::from_names(&names(&["hold", "name", "agent"])).unwrap();
        assert_eq!(ids(&chosen.fit(400)), ["hold", "name", "agent"]);
        let unknown = TableColumns::from_names(&names(&["name", "colour"])).unwrap_err();
        assert!(unknown.contains("\"colour\"") && unknown.contains("known: marker, name"));
        let twice = TableColumns::from_names(&names(&["name", "age", "age"])).unwrap_err();
        assert!(twice.contains("twice"), "{twice}");
        let nameless = TableColumns::from_names(&names(&["age"])).unwrap_err();
        assert!(nameless.contains("must include"), "{nameless}");
    }

    #[test]
    fn the_arrow_says_which_way_the_rows_go() {
        let name = SortKey::first().next();
        assert_eq!(name.label(), "name");
        assert_eq!(name.arrow(false), "↑");
        assert_eq!(name.arrow(true), "↓");
        assert_eq!(SortKey::first().arrow(false), "↓");
    }
}
