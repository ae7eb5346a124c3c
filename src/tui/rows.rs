//! `Rows`: the table's rows (the known list's one copy in memory), kept in chunks shared
//! copy-on-write. Saving the list takes a `SavedRows` copy of a few hundred chunk pointers
//! instead of a million rows; a row changed while that copy is being written copies only its
//! own chunk.

use std::ops::{Index, IndexMut};
use std::sync::Arc;

use super::row::Row;
use crate::store::{KnownVideo, ListSource};

/// Rows per chunk: big enough that a million rows are 245 pointers to copy, small enough
/// that a row changed during a save copies well under a millisecond's worth.
const CHUNK_BITS: u32 = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Rows in list order, addressed by row number like a `Vec`. Rows are only ever appended:
/// a row number stays valid for the session (forgetting a row hides it instead).
#[derive(Clone, Debug, Default)]
pub struct Rows {
    /// Every chunk but the last is full.
    chunks: Vec<Arc<Vec<Row>>>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.chunks
            .last()
            .map_or(0, |last| (self.chunks.len() - 1) * CHUNK + last.len())
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    pub fn push(&mut self, row: Row) {
        if self.len().is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk with room");
        Arc::make_mut(last).push(row);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Row> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }

    /// The rows as they are now, to write on another thread while these change.
    pub fn saved(&self) -> SavedRows {
        SavedRows {
            chunks: self.chunks.clone(),
        }
    }
}

impl Extend<Row> for Rows {
    fn extend<I: IntoIterator<Item = Row>>(&mut self, rows: I) {
        rows.into_iter().for_each(|row| self.push(row));
    }
}

impl Index<usize> for Rows {
    type Output = Row;

    /// Panics past the end, as a `Vec` does (every chunk but the last is full).
    fn index(&self, row: usize) -> &Row {
        &self.chunks[row >> CHUNK_BITS][row & (CHUNK - 1)]
    }
}

impl IndexMut<usize> for Rows {
    /// Copies the row's chunk first when a `SavedRows` still shares it.
    fn index_mut(&mut self, row: usize) -> &mut Row {
        &mut Arc::make_mut(&mut self.chunks[row >> CHUNK_BITS])[row & (CHUNK - 1)]
    }
}

/// The rows as of one moment (`Rows::saved`): the known list to write, which is every row
/// still in it.
#[derive(Debug)]
pub struct SavedRows {
    chunks: Vec<Arc<Vec<Row>>>,
}

impl ListSource for SavedRows {
    fn videos(&self) -> impl Iterator<Item = &KnownVideo> {
        self.chunks
            .iter()
            .flat_map(|chunk| chunk.iter())
            .filter(|row| row.is_listed())
            .map(|row| &row.video)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Outcome, OutcomeKind};
    use crate::tui::row::tests::row;

    fn rows(n: usize) -> Rows {
        let mut rows = Rows::default();
        rows.extend((0..n).map(|i| row(Some(&i.to_string()))));
        rows
    }

    fn labels<'a>(videos: impl Iterator<Item = &'a KnownVideo>) -> Vec<String> {
        videos
            .map(|video| video.label.as_deref().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn rows_are_addressed_across_chunks_in_order() {
        let rows = rows(CHUNK * 2 + 3);
        assert_eq!(rows.len(), CHUNK * 2 + 3);
        for i in [0, CHUNK - 1, CHUNK, CHUNK * 2 + 2] {
            assert_eq!(rows[i].video.label.as_deref(), Some(i.to_string().as_str()));
        }
        assert_eq!(rows.iter().count(), CHUNK * 2 + 3);
    }

    #[test]
    fn a_saved_copy_keeps_its_moment_while_the_rows_change() {
        let mut rows = rows(CHUNK + 1);
        let saved = rows.saved();
        rows[1].finish(
            Outcome::unsent(OutcomeKind::Deleted),
            jiff::Timestamp::UNIX_EPOCH,
        );
        rows.push(row(Some("late")));
        let before: Vec<String> = (0..=CHUNK).map(|i| i.to_string()).collect();
        assert_eq!(labels(saved.videos()), before);
        let after = labels(rows.saved().videos());
        assert_eq!(after.len(), CHUNK + 1, "one gone, one added");
        assert!(!after.contains(&"1".to_owned()) && after.last().unwrap() == "late");
    }

    #[test]
    fn changing_a_row_copies_only_a_chunk_a_saved_copy_still_holds() {
        let mut rows = rows(CHUNK * 2);
        let saved = rows.saved();
        rows[CHUNK].state = crate::tui::row::RowState::Queued;
        assert!(Arc::ptr_eq(&rows.chunks[0], &saved.chunks[0]));
        assert!(!Arc::ptr_eq(&rows.chunks[1], &saved.chunks[1]));
        drop(saved);
        let chunk = Arc::as_ptr(&rows.chunks[1]);
        rows[CHUNK + 1].state = crate::tui::row::RowState::Queued;
        assert_eq!(Arc::as_ptr(&rows.chunks[1]), chunk, "no copy once unshared");
    }
}
