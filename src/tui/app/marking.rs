//! Marking: toggle, range, all visible, invert, retry-failed (forbidden rows only when asked
//! twice), clear. Only rows that can still be deleted are ever marked, and never a row the
//! profile protects: marking skips those and says how many it skipped. Marks on visible rows
//! leave the count of marked rows the filter hides as it is; the others recount it. In the
//! marked-only view a row unmarked leaves the view at once, and one marked elsewhere
//! (`mark-failed`) joins it.

use jiff::Timestamp;

use super::App;
use crate::api::{OutcomeKind, VideoId};
use crate::query::Reads;
use crate::rails::Rails;
use crate::tui::app::marks::Marks;
use crate::tui::app::rows::Rows;

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
            let marked = self.selection.marks.contains(row);
            if !self.list[row as usize].is_markable() {
                self.status.notice =
                    Some("That row cannot be marked (already gone or in a batch).".into());
            } else if let Some(protection) = self.protection(row).filter(|_| !marked) {
                self.status.notice = Some(format!(
                    "That video is protected ({}): it cannot be marked.",
                    self.settings.rails.reason(protection)
                ));
            } else {
                self.selection.marks.set(row, !marked);
                left_view = self.marked_only && marked;
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
        self.selection
            .marks
            .iter()
            .map(|row| self.list[row as usize].id)
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
        self.selection.range_anchor = None;
        let hi = hi.min(self.visible.len().saturating_sub(1));
        let rows = self.visible.get(lo..=hi).unwrap_or_default();
        let skipped = mark_unprotected(
            rows,
            self.list.rows(),
            &mut self.selection.marks,
            &self.settings.rails,
            self.now,
        );
        self.say_skipped(skipped);
        true
    }

    pub fn mark_all_visible(&mut self) {
        let skipped = mark_unprotected(
            &self.visible,
            self.list.rows(),
            &mut self.selection.marks,
            &self.settings.rails,
            self.now,
        );
        self.say_skipped(skipped);
    }

    pub fn invert_visible(&mut self) {
        let mut to_mark = Vec::new();
        for &row in &self.visible {
            if self.list[row as usize].is_markable() {
                if self.selection.marks.contains(row) {
                    self.selection.marks.set(row, false);
                } else {
                    to_mark.push(row);
                }
            }
        }
        let skipped = mark_unprotected(
            &to_mark,
            self.list.rows(),
            &mut self.selection.marks,
            &self.settings.rails,
            self.now,
        );
        self.say_skipped(skipped);
        self.marks_changed();
    }

    /// Marks every row whose last delete did not succeed, visible or not, but those refused
    /// as forbidden (403: a permanent answer, which a retry only repeats) unless
    /// `with_forbidden`. Protected rows are skipped as ever.
    pub fn mark_failed(&mut self, with_forbidden: bool) -> MarkedFailed {
        let mut forbidden = 0;
        let failed: Vec<u32> = (0..self.list.len() as u32)
            .filter(|&row| {
                let r = &self.list[row as usize];
                if !(r.last_failed() && r.is_markable()) {
                    return false;
                }
                let refused = r.outcome_kind() == Some(OutcomeKind::Forbidden);
                forbidden += usize::from(refused && !with_forbidden);
                with_forbidden || !refused
            })
            .collect();
        let protected = mark_unprotected(
            &failed,
            self.list.rows(),
            &mut self.selection.marks,
            &self.settings.rails,
            self.now,
        );
        self.recount_hidden();
        self.marks_changed();
        self.selection.forbidden_offered = forbidden > 0;
        MarkedFailed {
            marked: failed.len() - protected,
            protected,
            forbidden,
        }
    }

    /// Whether the last table key offered the forbidden rows `mark-failed` skipped; the
    /// offer goes with this call, so only the very next key can take it.
    pub fn take_forbidden_offer(&mut self) -> bool {
        std::mem::take(&mut self.selection.forbidden_offered)
    }

    pub fn clear_marks(&mut self) {
        self.selection.marks.clear();
        self.selection.hidden = 0;
        self.marks_changed();
    }

    /// Says in the footer how many rows marking skipped as protected, if any.
    fn say_skipped(&mut self, skipped: usize) {
        if skipped > 0 {
            self.status.notice = Some(format!(
                "Skipped {skipped} protected video(s): they are never marked or sent."
            ));
        }
    }
}

/// What `mark_failed` did: rows marked, and rows it left unmarked as protected or as
/// forbidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkedFailed {
    pub marked: usize,
    pub protected: usize,
    pub forbidden: usize,
}

/// Marks those of `rows` that can be deleted and are not protected, in one pass of the
/// rules (none at all when nothing can be protected); returns how many it skipped as
/// protected. Takes the model's fields apart, so a million visible rows are not copied.
fn mark_unprotected(
    rows: &[u32],
    table: &Rows,
    marks: &mut Marks,
    rails: &Rails,
    now: Timestamp,
) -> usize {
    let markable = rows
        .iter()
        .copied()
        .filter(|&row| table[row as usize].is_markable());
    if !rails.protects_anything() {
        markable.for_each(|row| marks.set(row, true));
        return 0;
    }
    let mut pass = rails.pass(now);
    let mut skipped = 0;
    for row in markable {
        if pass.protects(&table.subject(row, Reads::ALL)).is_some() {
            skipped += 1;
        } else {
            marks.set(row, true);
        }
    }
    skipped
}
