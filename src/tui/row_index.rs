//! `RowIndex`: which row holds a video, in O(1), for engine events and added IDs. It keeps
//! only row numbers (5 bytes a slot with the table's control byte; the IDs are read from the
//! rows), so a million rows cost about 10 MB, where a map from ID to row costs 44 MB.

use std::hash::{BuildHasher, BuildHasherDefault};

use hashbrown::HashTable;

use super::row::Row;
use crate::api::VideoId;
use crate::store::IdHasher;

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
    pub fn build(rows: &[Row]) -> Self {
        let mut index = Self {
            table: HashTable::with_capacity(rows.len()),
        };
        for row in 0..rows.len() {
            index.insert(rows, row as u32);
        }
        index
    }

    /// The row holding `id`.
    pub fn get(&self, rows: &[Row], id: &VideoId) -> Option<u32> {
        self.table
            .find(hash(id), |&row| rows[row as usize].video.id == *id)
            .copied()
    }

    /// Indexes `row` (already in `rows`); false, with nothing changed, when its ID is already
    /// held by another row.
    pub fn insert(&mut self, rows: &[Row], row: u32) -> bool {
        let id = &rows[row as usize].video.id;
        let id_of = |&r: &u32| hash(&rows[r as usize].video.id);
        match self
            .table
            .entry(hash(id), |&r| rows[r as usize].video.id == *id, id_of)
        {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(row);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::store::KnownVideo;

    fn row(n: u128) -> Row {
        Row::new(KnownVideo {
            id: VideoId::from_uuid(uuid::Uuid::from_u128(n)),
            added_at: Timestamp::UNIX_EPOCH,
            label: None,
            last: None,
        })
    }

    #[test]
    fn finds_every_row_and_nothing_else() {
        let mut rows: Vec<Row> = (0..5000).map(|n| row(n << 64 | n)).collect();
        let mut index = RowIndex::build(&rows);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(index.get(&rows, &r.video.id), Some(i as u32));
        }
        assert_eq!(index.get(&rows, &row(7).video.id), None);
        rows.push(row(7));
        assert!(index.insert(&rows, 5000));
        assert_eq!(index.get(&rows, &row(7).video.id), Some(5000));
    }

    #[test]
    fn a_repeated_id_keeps_its_first_row() {
        let mut rows = vec![row(1), row(2), row(1)];
        let mut index = RowIndex::build(&rows);
        assert_eq!(index.get(&rows, &row(1).video.id), Some(0));
        rows.push(row(2));
        assert!(!index.insert(&rows, 3));
        assert_eq!(index.get(&rows, &row(2).video.id), Some(1));
    }
}
