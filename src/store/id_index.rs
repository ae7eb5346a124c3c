//! `IdIndex`: where in a list of IDs (the app's rows, an import's IDs) a video is, in O(1).
//! It keeps only positions (5 bytes a slot with the table's control byte; the IDs are read
//! from the list itself), so a million IDs cost about 10 MB, where a map from ID to position
//! costs 44 MB.

use std::hash::{BuildHasher, BuildHasherDefault};

use hashbrown::HashTable;

use super::IdHasher;
use crate::api::VideoId;

/// Positions to IDs: the app's rows, or IDs alone, in order.
pub trait IdsAt {
    fn id(&self, row: u32) -> &VideoId;
    fn count(&self) -> usize;
}

impl IdsAt for [VideoId] {
    fn id(&self, row: u32) -> &VideoId {
        &self[row as usize]
    }

    fn count(&self) -> usize {
        self.len()
    }
}

#[derive(Clone, Debug, Default)]
pub struct IdIndex {
    table: HashTable<u32>,
}

fn hash(id: &VideoId) -> u64 {
    BuildHasherDefault::<IdHasher>::default().hash_one(id)
}

impl IdIndex {
    /// Indexes every row. An ID held by two rows keeps the first: the list never holds one
    /// (loading refuses such a file, and adding skips known IDs).
    pub fn build(ids: &(impl IdsAt + ?Sized)) -> Self {
        let mut index = Self {
            table: HashTable::with_capacity(ids.count()),
        };
        for row in 0..ids.count() {
            index.insert(ids, row as u32);
        }
        index
    }

    /// An empty index with room for `count` IDs.
    pub fn with_capacity(count: usize) -> Self {
        Self {
            table: HashTable::with_capacity(count),
        }
    }

    /// How many rows are indexed.
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }

    /// The row holding `id`.
    pub fn get(&self, ids: &(impl IdsAt + ?Sized), id: &VideoId) -> Option<u32> {
        self.table.find(hash(id), |&row| ids.id(row) == id).copied()
    }

    /// Indexes `row` (already in `ids`); false, with nothing changed, when its ID is already
    /// held by another row.
    pub fn insert(&mut self, ids: &(impl IdsAt + ?Sized), row: u32) -> bool {
        self.first_or_insert(ids, row).is_none()
    }

    /// The row that already holds `row`'s ID, or none, `row` indexed: one lookup where
    /// `insert` then `get` hash and probe twice (an import's repeated IDs).
    pub fn first_or_insert(&mut self, ids: &(impl IdsAt + ?Sized), row: u32) -> Option<u32> {
        let id = ids.id(row);
        match self
            .table
            .entry(hash(id), |&r| ids.id(r) == id, |&r| hash(ids.id(r)))
        {
            hashbrown::hash_table::Entry::Occupied(first) => Some(*first.get()),
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(row);
                None
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
impl PartialEq for IdIndex {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.rows() == other.rows()
    }
}

impl Eq for IdIndex {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::id;

    #[test]
    fn finds_every_id_and_nothing_else() {
        let mut ids: Vec<VideoId> = (0..5000).map(|n| id(n << 64 | n)).collect();
        let mut index = IdIndex::build(&ids[..]);
        for (i, known) in ids.iter().enumerate() {
            assert_eq!(index.get(&ids[..], known), Some(i as u32));
        }
        assert_eq!(index.get(&ids[..], &id(7)), None);
        ids.push(id(7));
        assert!(index.insert(&ids[..], 5000));
        assert_eq!(index.get(&ids[..], &id(7)), Some(5000));
    }

    #[test]
    fn a_repeated_id_keeps_its_first_position() {
        let mut ids = vec![id(1), id(2), id(1)];
        let mut index = IdIndex::build(&ids[..]);
        assert_eq!(index.get(&ids[..], &id(1)), Some(0));
        ids.push(id(2));
        assert!(!index.insert(&ids[..], 3));
        assert_eq!(index.get(&ids[..], &id(2)), Some(1));
        ids.extend([id(2), id(9)]);
        assert_eq!(index.first_or_insert(&ids[..], 4), Some(1));
        assert_eq!(index.first_or_insert(&ids[..], 5), None);
        assert_eq!(index.get(&ids[..], &id(9)), Some(5));
    }
}
