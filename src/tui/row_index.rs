//! `RowIndex`: which row holds a video, in O(1), for engine events and added IDs. It keeps
//! only row numbers (5 bytes a slot with the table's control byte; the IDs are read from the
//! rows), so a million rows cost about 10 MB, where a map from ID to row costs 44 MB.

use std::hash::{BuildHasher, BuildHasherDefault};

use hashbrown::HashTable;

use super::rows::Rows;
use crate::api::VideoId;
use crate::store::IdHasher;

/// Row numbers to IDs: the rows themselves, or (while the list loads, on the loader's
/// thread) the IDs alone, in row order.
pub trait RowIds {
    fn id(&self, row: u32) -> &VideoId;
}

impl RowIds for [VideoId] {
    fn id(&self, row: u32) -> &VideoId {
        &self[row as usize]
    }
}

impl RowIds for Rows {
    fn id(&self, row: u32) -> &VideoId {
        &self[row as usize].id
    }
}

#[derive(Clone, Debug, Default)]
pub struct RowIndex {
    table: HashTable<u32>,
}

fn hash(id: &VideoId) -> u64 {
    BuildHasherDefault::<IdHasher>::default().hash_one(id)
}

impl RowIndex {
    /// Indexes every row. An ID held by two rows keeps the first: the list never holds one
    /// (loading refuses such a file, and adding skips known IDs).
    pub fn build(rows: &Rows) -> Self {
        let mut index = Self {
            table: HashTable::with_capacity(rows.len()),
        };
        for row in 0..rows.len() {
            index.insert(rows, row as u32);
        }
        index
    }

    /// How many rows are indexed.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The row holding `id`.
    pub fn get(&self, ids: &(impl RowIds + ?Sized), id: &VideoId) -> Option<u32> {
        self.table.find(hash(id), |&row| ids.id(row) == id).copied()
    }

    /// Indexes `row` (already in `ids`); false, with nothing changed, when its ID is already
    /// held by another row.
    pub fn insert(&mut self, ids: &(impl RowIds + ?Sized), row: u32) -> bool {
        let id = ids.id(row);
        match self
            .table
            .entry(hash(id), |&r| ids.id(r) == id, |&r| hash(ids.id(r)))
        {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(row);
                true
            }
        }
    }

    /// The row numbers indexed, ascending.
    fn rows(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.table.iter().copied().collect();
        rows.sort_unstable();
        rows
    }
}

/// Equal when they index the same row numbers (over the same rows, the same index).
impl PartialEq for RowIndex {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.rows() == other.rows()
    }
}

impl Eq for RowIndex {}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::store::KnownVideo;

    fn video(n: u128) -> KnownVideo {
        KnownVideo::new(
            VideoId::from_uuid(uuid::Uuid::from_u128(n)),
            Timestamp::UNIX_EPOCH,
            None,
        )
    }

    #[test]
    fn finds_every_row_and_nothing_else() {
        let mut rows: Rows = (0..5000).map(|n| video(n << 64 | n)).collect();
        let mut index = RowIndex::build(&rows);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(index.get(&rows, &r.id), Some(i as u32));
        }
        assert_eq!(index.get(&rows, &video(7).id), None);
        rows.extend([video(7)]);
        assert!(index.insert(&rows, 5000));
        assert_eq!(index.get(&rows, &video(7).id), Some(5000));
    }

    #[test]
    fn a_repeated_id_keeps_its_first_row() {
        let mut rows: Rows = [video(1), video(2), video(1)].into_iter().collect();
        let mut index = RowIndex::build(&rows);
        assert_eq!(index.get(&rows, &video(1).id), Some(0));
        rows.extend([video(2)]);
        assert!(!index.insert(&rows, 3));
        assert_eq!(index.get(&rows, &video(2).id), Some(1));
    }
}
