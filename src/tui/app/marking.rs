//! Marking: toggle, range, all visible, invert, retry-failed, clear. Only rows that can still
//! be deleted are ever marked. Marks on visible rows leave the count of marked rows the
//! filter hides as it is; the others recount it. In the marked-only view a row unmarked
//! leaves the view at once, and one marked elsewhere (`mark-failed`) joins it.

use super::App;
use crate::api::VideoId;

impl App {
    /// Marks the range being drawn, if any; else toggles the current row and moves down (in
    /// the marked-only view, unmarking takes the row away, which is moving down).
    pub fn mark(&mut self) {
        if self.mark_range() {
            self.marks_changed();
            return;
        }
        let mut left_view = false;
        if let Some(row) = self.cursor {
            if self.rows[row as usize].is_markable() {
                let on = !self.marks.contains(row);
                self.marks.set(row, on);
                left_view = self.marked_only && !on;
            } else {
                self.notice =
                    Some("That row cannot be marked (already gone or in a batch).".into());
            }
        }
        if left_view {
            self.marks_changed();
        } else {
            self.move_by(1);
        }
    }

    /// The marked rows' IDs, in list order.
    pub fn marked_ids(&self) -> Vec<VideoId> {
        self.marks
            .iter()
            .map(|row| self.rows[row as usize].video.id)
            .collect()
    }

    /// Marks changed beyond the visible rows' own: the marked-only view shows the marked
    /// rows again.
    pub(super) fn marks_changed(&mut self) {
        if self.marked_only {
            self.refilter(false);
        }
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
        self.marks_changed();
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
        self.marks_changed();
        n
    }

    pub fn clear_marks(&mut self) {
        self.marks.clear();
        self.marked_hidden = 0;
        self.marks_changed();
    }
}
