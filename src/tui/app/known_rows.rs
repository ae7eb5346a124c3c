//! The session's rows and what is derived from them, kept in step by every change made here:
//! the index by ID, which fields some row fills, and how many rows left the list or were
//! found gone. Rows are only appended; one that leaves the list stays (`RowState::Removed`),
//! so row numbers hold.

use std::collections::HashMap;
use std::ops::{Index, IndexMut, Range};

use jiff::Timestamp;

use super::filled::Filled;
use crate::api::{Outcome, VideoId};
use crate::store::{IdIndex, VideoRow};
use crate::tui::app::row::{Row, RowState, Wait};
use crate::tui::app::rows::Rows;

#[derive(Debug, Default)]
pub struct KnownRows {
    rows: Rows,
    /// Row by ID, so each engine event finds its row in O(1).
    index: IdIndex,
    /// Which fields some row fills (the table shows those columns then).
    filled: Filled,
    /// Rows that are `RowState::Removed`, so the footer's count needs no scan.
    removed: usize,
    /// Rows a delete of this session found gone (they stay on screen, and are no longer in
    /// the saved list).
    gone: usize,
    /// What each retrying or generating row waits for (kept here rather than in the row, so
    /// a million rows are 8 bytes smaller each); dropped when the row moves on.
    waits: HashMap<u32, Wait>,
}

impl KnownRows {
    pub fn rows(&self) -> &Rows {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn filled(&self) -> Filled {
        self.filled
    }

    /// Rows still in the list (neither removed nor found gone).
    pub fn in_list(&self) -> usize {
        self.rows.len() - self.removed - self.gone
    }

    pub fn row_of(&self, id: &VideoId) -> Option<u32> {
        self.index.get(&self.rows, id)
    }

    /// Rows read from the store so far; the index comes once all are in (`set_index`).
    pub fn append(&mut self, more: Rows) -> Range<u32> {
        let first = self.rows.len() as u32;
        self.rows.append(more);
        let added = first..self.rows.len() as u32;
        for row in added.clone() {
            self.filled.note(&self.rows, row);
        }
        added
    }

    /// The index over every row, built where the list was read.
    pub fn set_index(&mut self, index: IdIndex) {
        debug_assert_eq!(
            index.len(),
            self.rows.len(),
            "saved lists hold each ID once"
        );
        self.index = index;
    }

    /// A video not in the rows yet; its row.
    pub fn push(&mut self, video: VideoRow<'_>) -> u32 {
        self.rows.push(video);
        let row = self.rows.len() as u32 - 1;
        self.index.insert(&self.rows, row);
        self.filled.note(&self.rows, row);
        row
    }

    /// `row`'s video as it is now.
    pub fn set_video(&mut self, row: u32, video: VideoRow<'_>) {
        self.rows.set_video(row, video);
        self.filled.note(&self.rows, row);
    }

    /// A removed row comes back into the list; false when it was not removed.
    pub fn bring_back(&mut self, row: u32) -> bool {
        self.waits.remove(&row);
        let state = &mut self.rows[row as usize].state;
        let removed = *state == RowState::Removed;
        if removed {
            *state = RowState::Idle;
            self.removed -= 1;
        }
        removed
    }

    /// `row` leaves the list (it stays, hidden); false when it had already.
    pub fn remove(&mut self, row: u32) -> bool {
        self.waits.remove(&row);
        let state = &mut self.rows[row as usize].state;
        let leaves = *state != RowState::Removed;
        if leaves {
            *state = RowState::Removed;
            self.removed += 1;
        }
        leaves
    }

    /// `row`'s place in a batch of this session; a row in one shows the outcome column.
    pub fn set_state(&mut self, row: u32, state: RowState) {
        self.waits.remove(&row);
        let r = &mut self.rows[row as usize];
        r.state = state;
        self.filled.outcome |= r.is_active();
    }

    /// `row` waits (to be retried, or for its video's generation to end).
    pub fn set_waiting(&mut self, row: u32, wait: Wait) {
        self.set_state(row, wait.state());
        self.waits.insert(row, wait);
    }

    /// What `row` waits for, while it does.
    pub fn wait_of(&self, row: u32) -> Option<&Wait> {
        self.waits
            .get(&row)
            .filter(|wait| wait.state() == self.rows[row as usize].state)
    }

    /// `row`'s final outcome, at `now`.
    pub fn finish(&mut self, row: u32, outcome: Outcome, now: Timestamp) {
        self.waits.remove(&row);
        let r = &mut self.rows[row as usize];
        let was_gone = r.is_gone();
        r.finish(outcome, now);
        self.gone += usize::from(r.is_gone() && !was_gone);
        self.filled.outcome = true;
    }
}

impl Index<usize> for KnownRows {
    type Output = Row;

    fn index(&self, row: usize) -> &Row {
        &self.rows[row]
    }
}

/// A row's fields; its batch state goes through `set_state`, leaving and rejoining the list
/// and finishing through `remove`, `bring_back` and `finish`, which keep the counts.
impl IndexMut<usize> for KnownRows {
    fn index_mut(&mut self, row: usize) -> &mut Row {
        &mut self.rows[row]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OutcomeKind;
    use crate::tui::app::row::{Generation, Retry};
    use crate::tui::app::rows::tests::new as video;

    #[test]
    fn the_index_the_filled_fields_and_the_counts_follow_every_change() {
        let mut list = KnownRows::default();
        let first = list.push(video(1, None));
        let second = list.push(video(2, Some("ads")));
        assert_eq!(list.row_of(&list[1].id), Some(second));
        assert!(list.filled().label && !list.filled().outcome);

        assert!(list.remove(first));
        assert!(!list.remove(first), "removed once");
        assert_eq!(list.in_list(), 1);
        assert!(list.bring_back(first));
        assert!(!list.bring_back(first));
        assert_eq!(list.in_list(), 2);

        let deleted = Outcome {
            attempts: 1,
            ..Outcome::unsent(OutcomeKind::Deleted)
        };
        list.set_waiting(
            second,
            Wait::Generation(Generation {
                progress: Some(40),
                estimated_completion: None,
            }),
        );
        assert_eq!(list[1].state, RowState::Generating);
        assert!(matches!(list.wait_of(second), Some(Wait::Generation(_))));
        list.set_state(second, RowState::Deleting { attempt: 2 });
        assert_eq!(
            list.wait_of(second),
            None,
            "a row that moved on waits no more"
        );
        list.set_waiting(
            second,
            Wait::Retry(Retry {
                attempt: 2,
                next_at: Timestamp::UNIX_EPOCH,
                reason: "HTTP 503".into(),
            }),
        );
        list.finish(second, deleted.clone(), Timestamp::UNIX_EPOCH);
        assert_eq!(list.wait_of(second), None);
        assert!(list.waits.is_empty(), "nothing kept for a finished row");
        list.finish(second, deleted, Timestamp::UNIX_EPOCH);
        assert_eq!(list.in_list(), 1, "found gone, counted once");
        assert!(list.filled().outcome);
    }
}
