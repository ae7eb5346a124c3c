//! The order rows are shown in: list order, or sorted by a column (`sort::SortOrder`). Sorting
//! permutes what is shown, never the rows: row numbers, marks and the cursor's row stay, and
//! the cursor stays on its video. The order is taken when the user sorts (and when rows are
//! added); outcomes arriving later do not move rows under the cursor.

use super::App;
use crate::query::Subject;
use crate::sort::{SortKey, SortOrder, sort_rows};
use crate::tui::marks::Marks;

/// Every row in a sorted order, and each row's place in it.
#[derive(Clone, Debug, Default)]
pub struct Sorted {
    /// Row numbers, in order.
    rows: Vec<u32>,
    /// By row number: its place in `rows`.
    ranks: Vec<u32>,
}

impl Sorted {
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }
}

impl App {
    /// Sorts by the next column (see `SortKey::ALL`), ascending.
    pub fn sort_by_next_column(&mut self) {
        let key = self.order.key.next();
        self.sort(SortOrder {
            key,
            descending: false,
        });
    }

    /// The same column the other way round.
    pub fn reverse_order(&mut self) {
        self.sort(SortOrder {
            descending: !self.order.descending,
            ..self.order
        });
    }

    /// Shows the rows in `order`; the visible ones stay visible, the cursor on its row.
    pub fn sort(&mut self, order: SortOrder) {
        self.order = order;
        self.sorted = (!order.is_list_order()).then(|| {
            let rows = &self.rows;
            let mut sorted: Vec<u32> = (0..rows.len() as u32).collect();
            sort_rows(&mut sorted, order, |row| {
                Subject::of(&rows[row as usize].video)
            });
            let mut ranks = vec![0; sorted.len()];
            for (rank, &row) in sorted.iter().enumerate() {
                ranks[row as usize] = rank as u32;
            }
            Sorted {
                rows: sorted,
                ranks,
            }
        });
        // The same rows, in the new order: one pass over the order, not a sort of `visible`.
        let mut shown = Marks::new(self.rows.len());
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
        self.range_anchor = None;
        self.settle_cursor();
        self.notice = Some(match order.key {
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
            let notice = self.notice.take();
            self.sort(self.order);
            self.notice = notice;
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
