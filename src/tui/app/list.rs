//! Which rows exist: the list arriving from the store, adding and forgetting videos, and the
//! rows an action on "the marked rows, else the current one" applies to. Rows are only
//! appended; a row that leaves is hidden, so row numbers hold.

use super::App;
use crate::api::VideoId;
use crate::store::IdIndex;
use crate::store::{GenerationRow, VideoRow};
use crate::tui::app::filter::matching;
use crate::tui::app::rows::Rows;

impl App {
    /// Appends rows read so far; those the filter lets through show at once (the list is
    /// in list order while it loads: sorting waits for it).
    pub fn append_rows(&mut self, more: Rows) {
        let added = self.list.append(more);
        self.selection.marks.resize(self.list.len());
        let shown = matching(
            self.list.rows(),
            added.len(),
            |i| added.start + i as u32,
            &self.filter_now(),
        );
        self.visible.extend(shown);
        if let Some(count) = &mut self.loading {
            *count = self.list.len();
        }
        self.settle_cursor();
    }

    /// The whole list is in, with `index` over all its rows (built where the list was read,
    /// off the UI thread): allow what waited for it.
    pub(super) fn loaded(&mut self, index: IdIndex) {
        self.loading = None;
        self.follow_end = false;
        self.list.set_index(index);
    }

    /// The whole list is in, with its index; the rows of an interrupted batch (`pending`)
    /// come back marked.
    pub fn finish_loading(&mut self, index: IdIndex, pending: &[VideoId]) {
        self.loaded(index);
        self.offer_resume(pending);
    }

    /// Says why a key that edits the list or sends a delete did nothing yet.
    pub fn refuse_while_loading(&mut self) {
        self.status.notice = Some(format!(
            "Still reading the list ({} videos so far): marking, adding and deleting wait for it.",
            self.loading.unwrap_or(0)
        ));
    }

    /// The rows an action applies to and their IDs, in one pass: the marked rows (markable
    /// only), else the current row.
    pub fn targets(&self) -> (Vec<u32>, Vec<VideoId>) {
        let current = self.cursor.filter(|_| self.selection.marks.count() == 0);
        let mut targets = (Vec::new(), Vec::new());
        for row in self.selection.marks.iter().chain(current) {
            let r = &self.list[row as usize];
            if r.is_markable() {
                targets.0.push(row);
                targets.1.push(r.id);
            }
        }
        targets
    }

    /// Takes the rows of `ids` out of the list; the others keep their marks, and the cursor
    /// stays on its video (or moves to the next one shown, when its own was forgotten).
    pub fn forget(&mut self, ids: &[VideoId]) {
        let rows = ids.iter().filter_map(|id| self.row_of(id)).collect();
        self.remove(rows);
    }

    /// Appends the IDs not known yet, labelled; an ID forgotten earlier this session comes
    /// back in its old row. Returns the IDs added.
    pub fn add(&mut self, ids: Vec<VideoId>, label: Option<String>) -> Vec<VideoId> {
        let mut added = Vec::new();
        for id in ids {
            let row = VideoRow {
                id,
                added_at: self.now,
                label: label.as_deref(),
                title: None,
                created_at: None,
                last: None,
                generation: GenerationRow::default(),
            };
            match self.row_of(&id) {
                Some(known) if self.list.bring_back(known) => {
                    self.list.set_video(known, row);
                    added.push(known);
                }
                Some(_) => {}
                None => added.push(self.list.push(row)),
            }
        }
        if added.is_empty() {
            return Vec::new();
        }
        self.selection.marks.resize(self.list.len());
        added.sort_unstable();
        self.resort();
        self.show(&added);
        added
            .iter()
            .map(|&row| self.list[row as usize].id)
            .collect()
    }

    /// Takes `rows` out of the list (see `RowState::Removed`): unmarked, hidden.
    pub(super) fn remove(&mut self, mut rows: Vec<u32>) {
        rows.sort_unstable();
        rows.dedup();
        for &row in &rows {
            self.selection.marks.set(row, false);
            self.list.remove(row);
        }
        self.hide(&rows);
    }
}
