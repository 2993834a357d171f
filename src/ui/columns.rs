//! The conference table's columns as data: one list drives the header, the widths, the
//! cells and the sort cycle, so adding a column is one entry here.

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
}

#[derive(Debug)]
pub struct Column {
    pub header: &'static str,
    pub width: Constraint,
    /// Shown only on terminals at least `WIDE` columns wide.
    pub wide_only: bool,
    pub sort: Option<Sort>,
    pub cell: Cell,
}

impl Column {
    pub fn shown(&self, wide: bool) -> bool {
        wide || !self.wide_only
    }
}

/// In table order; `sort_next` cycles through the sortable ones in this order too.
pub static COLUMNS: [Column; 10] = [
    // The marker column shows the worst alert, so it carries the attention sort.
    Column {
        header: "",
        width: Constraint::Length(3),
        wide_only: false,
        sort: Some(Sort {
            label: "attention",
            rank: row_order::by_attention,
        }),
        cell: cells::marker,
    },
    Column {
        header: "Name",
        width: Constraint::Fill(1),
        wide_only: false,
        sort: Some(Sort {
            label: "name",
            rank: row_order::by_name,
        }),
        cell: cells::name,
    },
    Column {
        header: "Type",
        width: Constraint::Length(10),
        wide_only: true,
        sort: None,
        cell: cells::kind,
    },
    Column {
        header: "Status",
        width: Constraint::Length(11),
        wide_only: false,
        sort: None,
        cell: cells::status,
    },
    Column {
        header: "Age",
        width: Constraint::Length(6),
        wide_only: false,
        sort: Some(Sort {
            label: "age",
            rank: row_order::by_age,
        }),
        cell: cells::age,
    },
    Column {
        header: "Live",
        width: Constraint::Length(4),
        wide_only: false,
        sort: Some(Sort {
            label: "participants",
            rank: row_order::by_participants,
        }),
        cell: cells::live,
    },
    Column {
        header: "Wkrs",
        width: Constraint::Length(4),
        wide_only: false,
        sort: Some(Sort {
            label: "workers",
            rank: row_order::by_workers,
        }),
        cell: cells::workers,
    },
    Column {
        header: "On hold",
        width: Constraint::Length(10),
        wide_only: false,
        sort: Some(Sort {
            label: "hold",
            rank: row_order::by_hold,
        }),
        cell: cells::hold,
    },
    Column {
        header: "Alert",
        width: Constraint::Length(20),
        wide_only: true,
        sort: None,
        cell: cells::alert,
    },
    Column {
        header: "Rec",
        width: Constraint::Length(5),
        wide_only: true,
        sort: None,
        cell: cells::recording,
    },
];

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

    #[test]
    fn narrow_tables_drop_the_wide_only_columns() {
        let narrow: Vec<&str> = COLUMNS
            .iter()
            .filter(|c| c.shown(false))
            .map(|c| c.header)
            .collect();
        assert_eq!(
            narrow,
            ["", "Name", "Status", "Age", "Live", "Wkrs", "On hold"]
        );
    }
}
