//! The order rows are shown in: list order, or sorted by a column (`sort::SortOrder`). Sorting
//! permutes what is shown, never the rows: row numbers, marks and the cursor's row stay, and
//! the cursor stays on its video. The order is taken when the user sorts (and when rows are
//! added); outcomes arriving later do not move rows under the cursor.

use super::App;
use crate::sort::{SortKey, SortOrder, Ties, reverse_sorted, sort_rows};
use crate::tui::app::marks::Marks;

/// Every row in a sorted order, and each row's place in it.
#[derive(Clone, Debug, Default)]
pub struct Sorted {
    /// Row numbers, in order.
    rows: Vec<u32>,
    /// By row number: its place in `rows`.
    ranks: Vec<u32>,
    /// Which rows tie, for reversing.
    ties: Ties,
}

impl Sorted {
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// `rows` in order, with each one's rank.
    fn ranked(rows: Vec<u32>, ties: Ties) -> Self {
        let mut ranks = vec![0; rows.len()];
        for (rank, &row) in rows.iter().enumerate() {
            ranks[row as usize] = rank as u32;
        }
        Self { rows, ranks, ties }
    }
}

impl App {
    /// Sorts by the next column (in the table's order: `ColumnOrder::next_sort`), ascending.
    pub fn sort_by_next_column(&mut self) {
        let filled = self.list.filled();
        let key = (self.settings.columns)
            .next_sort(self.order.key, |column| (column.filled)(filled, self));
        self.sort(SortOrder {
            key,
            descending: false,
        });
    }

    /// The same column the other way round. An order already taken is reversed in one pass
    /// rather than sorted again, unless by status or what a sync lists: outcomes and pages
    /// arriving since may have changed those values.
    pub fn reverse_order(&mut self) {
        let order = SortOrder {
            descending: !self.order.descending,
            ..self.order
        };
        match self.sorted.take() {
            Some(Sorted {
                rows: mut sorted,
                mut ties,
                ..
            }) if !matches!(
                order.key,
                SortKey::Status | SortKey::State | SortKey::Size | SortKey::Duration
            ) =>
            {
                reverse_sorted(&mut sorted, &mut ties);
                self.show_in(order, Some(Sorted::ranked(sorted, ties)));
            }
            _ => self.sort(order),
        }
    }

    /// Shows the rows in `order`; the visible ones stay visible, the cursor on its row.
    pub fn sort(&mut self, order: SortOrder) {
        let sorted = (!order.is_list_order()).then(|| {
            let (rows, reads) = (self.list.rows(), order.key.reads());
            let mut sorted: Vec<u32> = (0..rows.len() as u32).collect();
            let ties = sort_rows(&mut sorted, order, |row| rows.subject(row, reads));
            Sorted::ranked(sorted, ties)
        });
        self.show_in(order, sorted);
    }

    /// Shows the rows in `order`, `sorted` in it (`None` in list order).
    fn show_in(&mut self, order: SortOrder, sorted: Option<Sorted>) {
        self.order = order;
        self.sorted = sorted;
        // The same rows, in the new order: one pass over the order, not a sort of `visible`.
        let mut shown = Marks::new(self.list.len());
        for &row in &self.visible {
            shown.set(row, true);
        }
        self.visible = match &self.sorted {
            Some(sorted) => sorted
                .rows
                .iter()
                .copied()
                .filter(|&row| shown.contains(row))
                .collect(),
            None => shown.iter().collect(),
        };
        self.selection.range_anchor = None;
        self.settle_cursor();
        self.status.notice = Some(match order.key {
            SortKey::Added if !order.descending => "In the order added.".to_owned(),
            key => format!(
                "Sorted by {}, {}.",
                key.name(),
                if order.descending {
                    "descending"
                } else {
                    "ascending"
                }
            ),
        });
    }

    /// Sorts again, the rows added since included.
    pub(super) fn resort(&mut self) {
        if self.sorted.is_some() {
            let notice = self.status.notice.take();
            self.sort(self.order);
            self.status.notice = notice;
        }
    }

    /// Where `row` comes in the order shown (its row number, in list order).
    pub(super) fn rank(&self, row: u32) -> u32 {
        match &self.sorted {
            Some(sorted) => sorted.ranks[row as usize],
            None => row,
        }
    }
}
