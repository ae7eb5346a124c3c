//! What the table shows: the filter and the rows it lets through (`visible`), the cursor and
//! the scroll offset, and the count of marked rows the filter hides. Each change here leaves
//! all of them consistent with each other.

use super::App;
use crate::tui::filter::{Needle, matching};
use crate::tui::text_field::Edit;

impl App {
    /// The filter line takes the keyboard.
    pub fn start_filter(&mut self) {
        self.filter_editing = true;
    }

    /// The filter line lets go of the keyboard; the filter stays.
    pub fn keep_filter(&mut self) {
        self.filter_editing = false;
    }

    /// No filter: every row shows again.
    pub fn clear_filter(&mut self) {
        if !self.filter.is_empty() {
            self.filter.clear();
            self.refilter(false);
        }
    }

    /// Types `c` into the filter line.
    pub fn type_in_filter(&mut self, c: char) {
        let before = self.filter.text().to_owned();
        if self.filter.type_char(c) {
            self.filter_changed(&before);
        }
    }

    /// Pastes into the filter line.
    pub fn paste_in_filter(&mut self, text: &str) {
        let before = self.filter.text().to_owned();
        if self.filter.paste(text) {
            self.filter_changed(&before);
        }
    }

    pub fn edit_filter(&mut self, edit: Edit) {
        let before = self.filter.text().to_owned();
        if self.filter.edit(edit) {
            self.filter_changed(&before);
        }
    }

    /// A filter that still contains the old one can only hide rows: only the rows shown
    /// now are scanned (typing at the end of the filter, the common case).
    fn filter_changed(&mut self, before: &str) {
        let narrowing = self.filter.text().contains(before);
        self.refilter(narrowing);
    }

    /// Recomputes `visible` from the filter. When `narrowing` only the currently visible
    /// rows are scanned.
    fn refilter(&mut self, narrowing: bool) {
        let needle = Needle::new(self.filter.text());
        self.visible = if narrowing {
            let visible = &self.visible;
            matching(&self.rows, visible.len(), |i| visible[i], &needle)
        } else {
            matching(&self.rows, self.rows.len(), |i| i as u32, &needle)
        };
        self.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Shows those of `rows` (ascending) that the filter lets through, in list order.
    pub(super) fn show(&mut self, rows: &[u32]) {
        let shown = matching(
            &self.rows,
            rows.len(),
            |i| rows[i],
            &Needle::new(self.filter.text()),
        );
        let Some(&first) = shown.first() else {
            return;
        };
        if self.visible.last().is_none_or(|&last| last < first) {
            self.visible.extend(shown);
        } else {
            self.visible = merge_ascending(&self.visible, &shown);
        }
        self.settle_cursor();
        self.recount_hidden();
    }

    /// Hides `rows` (ascending, deduplicated) from the table for good.
    pub(super) fn hide(&mut self, rows: &[u32]) {
        self.visible.retain(|row| rows.binary_search(row).is_err());
        self.range_anchor = None;
        self.settle_cursor();
        self.recount_hidden();
    }

    /// The cursor's position within `visible`.
    pub fn cursor_pos(&self) -> Option<usize> {
        let row = self.cursor?;
        self.visible.binary_search(&row).ok()
    }

    /// Keeps the cursor on a visible row (the nearest one when its row got hidden) and the
    /// offset such that the cursor is on screen.
    pub(super) fn settle_cursor(&mut self) {
        if self.visible.is_empty() {
            self.cursor = None;
            self.offset = 0;
            return;
        }
        let pos = match self.cursor {
            Some(row) => match self.visible.binary_search(&row) {
                Ok(pos) => pos,
                Err(pos) => pos.min(self.visible.len() - 1),
            },
            None => 0,
        };
        self.move_to(pos);
    }

    /// Puts the cursor on visible position `pos` (clamped) and scrolls just enough to show it.
    pub fn move_to(&mut self, pos: usize) {
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

    /// Rows of the table body that fit on screen (the layout's arithmetic, kept in one place).
    pub fn table_height(&self) -> usize {
        crate::tui::view::table_area(self.size)
            .height
            .saturating_sub(1) as usize
    }

    /// Starts a range of marks at the cursor.
    pub fn start_range(&mut self) {
        self.range_anchor = self.cursor_pos();
    }

    /// Abandons a range being marked; false when none was.
    pub fn abandon_range(&mut self) -> bool {
        self.range_anchor.take().is_some()
    }

    /// Recounts marked rows the filter hides. Called after marks or the filter change, not
    /// per frame: with a million marks it is a full scan.
    pub(super) fn recount_hidden(&mut self) {
        self.marked_hidden = self.hidden_among(self.marks.iter());
    }

    /// How many of `rows` (ascending) the filter hides: one walk along `visible`, not a
    /// search per row (a million marked rows are counted in milliseconds).
    pub fn hidden_among(&self, rows: impl IntoIterator<Item = u32>) -> usize {
        if self.filter.is_empty() {
            return 0;
        }
        let mut visible = self.visible.iter().peekable();
        rows.into_iter()
            .filter(|&row| {
                while visible.next_if(|&&shown| shown < row).is_some() {}
                visible.peek() != Some(&&row)
            })
            .count()
    }
}

/// Two ascending lists of row numbers as one.
fn merge_ascending(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] < b[j] {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}
