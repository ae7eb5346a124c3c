//! What the table shows: the filter and the rows it lets through (`visible`, in the order
//! shown), the cursor and the scroll offset, and the count of marked rows the filter hides.
//! Each change here leaves all of them consistent with each other.

use super::App;
use crate::api::VideoId;
use crate::sort::merge_by;
use crate::tui::app::filter::{Filter, matching};
use crate::tui::app::filter_line::Changed;
use crate::tui::app::marks::Marks;
use crate::tui::app::text_field::Edit;
use crate::tui::layout::Layout;

impl App {
    /// The filter line takes the keyboard.
    pub fn start_filter(&mut self) {
        self.filter.start();
    }

    /// The filter line lets go of the keyboard; the filter stays. Not while it does not
    /// parse: it keeps the keyboard, and the line under it says why (the table shows no row
    /// meanwhile, and it must not look like a filter that matched nothing).
    pub fn keep_filter(&mut self) {
        self.filter.keep();
    }

    /// No filter: every row shows again.
    pub fn clear_filter(&mut self) {
        let cleared = self.filter.clear();
        self.filter_changed(cleared);
    }

    /// Shows only the marked rows, or every row again (the filter applies either way).
    pub fn toggle_marked_only(&mut self) {
        self.marked_only = !self.marked_only;
        self.refilter(self.marked_only);
        self.status.notice = Some(if self.marked_only {
            format!(
                "Only the {} marked row(s) are shown.",
                self.selection.marks.count()
            )
        } else {
            "Every row is shown again.".to_owned()
        });
    }

    /// Types `c` into the filter line.
    pub fn type_in_filter(&mut self, c: char) {
        let typed = self.filter.type_char(c);
        self.filter_changed(typed);
    }

    /// Pastes into the filter line.
    pub fn paste_in_filter(&mut self, text: &str) {
        let pasted = self.filter.paste(text);
        self.filter_changed(pasted);
    }

    pub fn edit_filter(&mut self, edit: Edit) {
        let edited = self.filter.edit(edit);
        self.filter_changed(edited);
    }

    /// The rows shown follow the filter's change, if any (one that does not parse shows no
    /// row until it does); a narrowed query scans only the rows shown now.
    fn filter_changed(&mut self, changed: Option<Changed>) {
        if let Some(changed) = changed {
            self.refilter(changed == Changed::Narrowed);
        }
    }

    /// Puts the cursor on `id`'s row (the history's `go-to-row`): the filter and the
    /// marked-only view are cleared when they hide it.
    pub fn go_to(&mut self, id: &VideoId) {
        let Some(row) = self
            .row_of(id)
            .filter(|&row| self.list[row as usize].is_shown())
        else {
            self.status.notice = Some(format!("{id} is no longer in the list."));
            return;
        };
        if self.position_of(row).is_err() {
            self.marked_only = false;
            self.filter.clear();
            self.refilter(false);
            self.status.notice = Some("The filter hid that row: it is cleared.".to_owned());
        }
        if let Ok(pos) = self.position_of(row) {
            self.move_to(pos);
        }
    }

    /// The tests a row must pass to be shown.
    pub(super) fn filter_now(&self) -> Filter<'_> {
        Filter {
            query: self.filter.query(),
            now: self.now,
            only: self.marked_only.then_some(&self.selection.marks),
        }
    }

    /// Whether some row may be hidden by the filter or the marked-only view.
    fn filtering(&self) -> bool {
        !self.filter_now().lets_all_through()
    }

    /// Recomputes `visible` from the filter, in the order shown. When `narrowing` only the
    /// currently visible rows are scanned.
    pub(super) fn refilter(&mut self, narrowing: bool) {
        let filter = self.filter_now();
        let visible = if narrowing {
            let visible = &self.visible;
            matching(self.list.rows(), visible.len(), |i| visible[i], &filter)
        } else {
            match &self.sorted {
                Some(sorted) => {
                    let order = sorted.rows();
                    matching(self.list.rows(), order.len(), |i| order[i], &filter)
                }
                None => matching(self.list.rows(), self.list.len(), |i| i as u32, &filter),
            }
        };
        self.visible = visible;
        self.selection.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Shows those of `rows` (ascending) that the filter lets through, in the order shown.
    pub(super) fn show(&mut self, rows: &[u32]) {
        let mut shown = matching(
            self.list.rows(),
            rows.len(),
            |i| rows[i],
            &self.filter_now(),
        );
        shown.sort_unstable_by_key(|&row| self.rank(row));
        let Some(&first) = shown.first() else {
            return;
        };
        if self
            .visible
            .last()
            .is_none_or(|&last| self.rank(last) < self.rank(first))
        {
            self.visible.extend(shown);
        } else {
            self.visible = merge_by(&self.visible, &shown, |row| self.rank(row));
        }
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Hides `rows` (ascending, deduplicated) from the table for good.
    pub(super) fn hide(&mut self, rows: &[u32]) {
        self.visible.retain(|row| rows.binary_search(row).is_err());
        self.selection.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// The cursor's position within `visible`.
    pub fn cursor_pos(&self) -> Option<usize> {
        self.position_of(self.cursor?).ok()
    }

    /// Where `row` is in `visible`, or where it would be (`visible` is in rank order).
    fn position_of(&self, row: u32) -> Result<usize, usize> {
        let rank = self.rank(row);
        self.visible
            .binary_search_by_key(&rank, |&shown| self.rank(shown))
    }

    /// Keeps the cursor on a visible row (the nearest one when its row got hidden) and the
    /// offset such that the cursor is on screen.
    pub(super) fn settle_cursor(&mut self) {
        if self.visible.is_empty() {
            self.cursor_while_empty = self.cursor.take().or(self.cursor_while_empty);
            self.offset = 0;
            return;
        }
        let parked = self.cursor_while_empty.take();
        let cursor = self.cursor.or(parked);
        let pos = if self.follow_end {
            self.visible.len() - 1
        } else {
            match cursor {
                Some(row) => match self.position_of(row) {
                    Ok(pos) => pos,
                    Err(pos) => pos.min(self.visible.len() - 1),
                },
                None => 0,
            }
        };
        self.place_cursor(pos);
    }

    /// Moves the cursor to visible position `pos` (clamped): the user moved, so it no longer
    /// follows the end of a list being read.
    pub fn move_to(&mut self, pos: usize) {
        self.follow_end = false;
        self.place_cursor(pos);
    }

    /// To the last row; while the list is still being read, the cursor follows the end as
    /// rows arrive, until it is moved.
    pub fn move_to_end(&mut self) {
        self.place_cursor(usize::MAX);
        self.follow_end = self.loading.is_some();
    }

    /// Puts the cursor on visible position `pos` (clamped) and scrolls just enough to show it.
    fn place_cursor(&mut self, pos: usize) {
        let Some(last) = self.visible.len().checked_sub(1) else {
            return;
        };
        let pos = pos.min(last);
        self.cursor = Some(self.visible[pos]);
        let height = self.table_height().max(1);
        if pos < self.offset {
            self.offset = pos;
        } else if pos >= self.offset + height {
            self.offset = pos + 1 - height;
        }
        self.offset = self.offset.min(self.visible.len().saturating_sub(height));
    }

    /// Moves the cursor `rows` down (up when negative), stopping at either end.
    pub fn move_by(&mut self, rows: isize) {
        let pos = self.cursor_pos().unwrap_or(0);
        self.move_to(pos.saturating_add_signed(rows));
    }

    /// Rows of the table body that fit on screen.
    pub fn table_height(&self) -> usize {
        Layout::of_screen(self.size).body_rows()
    }

    /// Starts a range of marks at the cursor.
    pub fn start_range(&mut self) {
        self.selection.range_anchor = self.cursor_pos();
    }

    /// Abandons a range being marked; false when none was.
    pub fn abandon_range(&mut self) -> bool {
        self.selection.range_anchor.take().is_some()
    }

    /// Recounts marked rows the filter hides. Called after marks or the filter change, not
    /// per frame: it is a walk along the rows shown.
    pub(super) fn recount_hidden(&mut self) {
        // With nothing marked (most filter keystrokes) there is nothing to walk for.
        self.selection.hidden = if self.selection.marks.count() > 0 && self.filtering() {
            self.selection.marks.count() - self.count_shown(&self.selection.marks)
        } else {
            0
        };
    }

    /// How many of `rows` the filter hides: the rows shown are counted in a set of them (a
    /// million marked rows are counted in milliseconds).
    pub fn hidden_among(&self, rows: impl IntoIterator<Item = u32>) -> usize {
        if !self.filtering() {
            return 0;
        }
        let mut set = Marks::new(self.list.len());
        for row in rows {
            set.set(row, true);
        }
        set.count() - self.count_shown(&set)
    }

    /// How many of the rows shown are in `set`.
    fn count_shown(&self, set: &Marks) -> usize {
        self.visible
            .iter()
            .filter(|&&row| set.contains(row))
            .count()
    }
}
