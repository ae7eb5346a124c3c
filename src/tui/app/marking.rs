//! Marking: toggle, range, all visible, invert, retry-failed, clear. Only rows that can still
//! be deleted are ever marked. Marks on visible rows leave the count of marked rows the
//! filter hides as it is; the others recount it.

use super::App;

impl App {
    /// Marks the range being drawn, if any; else toggles the current row and moves down.
    pub fn mark(&mut self) {
        if self.mark_range() {
            return;
        }
        if let Some(row) = self.cursor {
            if self.rows[row as usize].is_markable() {
                let on = !self.marks.contains(row);
                self.marks.set(row, on);
            } else {
                self.notice =
                    Some("That row cannot be marked (already gone or in a batch).".into());
            }
        }
        self.move_by(1);
    }

    /// Marks the range being drawn, if any; else starts one at the cursor.
    pub fn mark_range_or_start(&mut self) {
        if !self.mark_range() {
            self.start_range();
        }
    }

    /// Marks every markable row between the range's anchor and the cursor, inclusive; false
    /// when no range was being drawn.
    fn mark_range(&mut self) -> bool {
        let Some((lo, hi)) = self.range() else {
            return false;
        };
        self.range_anchor = None;
        for pos in lo..=hi.min(self.visible.len().saturating_sub(1)) {
            let row = self.visible[pos];
            if self.rows[row as usize].is_markable() {
                self.marks.set(row, true);
            }
        }
        true
    }

    pub fn mark_all_visible(&mut self) {
        for &row in &self.visible {
            if self.rows[row as usize].is_markable() {
                self.marks.set(row, true);
            }
        }
    }

    pub fn invert_visible(&mut self) {
        for &row in &self.visible {
            if self.rows[row as usize].is_markable() {
                let on = !self.marks.contains(row);
                self.marks.set(row, on);
            }
        }
    }

    /// Marks every row whose last delete did not succeed, visible or not; says how many.
    pub fn mark_failed(&mut self) -> usize {
        let mut n = 0;
        for (i, row) in self.rows.iter().enumerate() {
            if row.last_failed() && row.is_markable() {
                self.marks.set(i as u32, true);
                n += 1;
            }
        }
        self.recount_hidden();
        n
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
        self.marked_hidden = 0;
    }
}
