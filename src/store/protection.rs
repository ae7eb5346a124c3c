//! The IDs protected on a profile, in the database: read whole (the rails hold them), and
//! protected or unprotected a few at a time, so two processes changing the set at once
//! never undo each other. Each change bumps `meta.protected_rev`, which tells another
//! process showing the list to read the set again.

use rusqlite::Transaction;

use super::Store;
use super::columns::{id_blob, read_id};
use crate::api::VideoId;
use crate::store::{IdSet, StoreError};

impl Store {
    /// The IDs protected on this profile.
    pub fn protected(&self) -> Result<IdSet, StoreError> {
        protected_ids(self.conn()).map_err(|e| self.error(e))
    }

    /// Protects these IDs (known or not); returns how many were not protected before.
    pub fn protect(&mut self, ids: &[VideoId]) -> Result<usize, StoreError> {
        self.change_protection(
            "INSERT INTO protected (id) VALUES (?1) ON CONFLICT DO NOTHING",
            ids,
        )
    }

    /// Takes these IDs off the protected list; returns how many were on it.
    pub fn unprotect(&mut self, ids: &[VideoId]) -> Result<usize, StoreError> {
        self.change_protection("DELETE FROM protected WHERE id = ?1", ids)
    }

    fn change_protection(&mut self, sql: &str, ids: &[VideoId]) -> Result<usize, StoreError> {
        self.write(|tx| {
            let mut statement = tx.prepare(sql)?;
            let mut changed = 0;
            for id in ids {
                changed += statement.execute([&id_blob(id)[..]])?;
            }
            if changed > 0 {
                bump_protected(tx)?;
            }
            Ok(changed)
        })
    }
}

/// Every protected ID.
pub fn protected_ids(conn: &rusqlite::Connection) -> rusqlite::Result<IdSet> {
    let mut statement = conn.prepare("SELECT id FROM protected")?;
    let ids = statement.query_map([], |row| read_id(row, 0))?;
    ids.collect()
}

/// Says the protected set changed.
pub fn bump_protected(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE meta SET value = value + 1 WHERE key = 'protected_rev'",
        [],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{id, open};

    #[test]
    fn protecting_and_unprotecting_count_what_changed_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        assert!(store.protected().unwrap().is_empty());
        assert_eq!(store.protect(&[id(3), id(1), id(3)]).unwrap(), 2);
        assert_eq!(store.protect(&[id(1), id(2)]).unwrap(), 1);
        assert_eq!(store.unprotect(&[id(2), id(9)]).unwrap(), 1);
        let expected: IdSet = [id(1), id(3)].into_iter().collect();
        assert_eq!(store.protected().unwrap(), expected);
        let again = open(&dir);
        assert_eq!(again.protected().unwrap(), expected);
    }
}
