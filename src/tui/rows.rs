//! `Rows`: the table's rows, kept in chunks of a few thousand so that appending to a million
//! never moves them all.

use std::ops::{Index, IndexMut};
use std::sync::Arc;

use super::row::Row;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::row::tests::row;

    fn rows(n: usize) -> Rows {
        let mut rows = Rows::default();
        rows.extend((0..n).map(|i| row(Some(&i.to_string()))));
        rows
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
}
