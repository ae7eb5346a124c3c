//! `Watcher`: keeping a copy of the list (the app's rows) in step with the database while
//! other processes write it. It reads the whole list once (`load`), remembering the change
//! number (`meta.rev`) it was read at; then `poll` asks SQLite whether another connection
//! has committed since (`PRAGMA data_version`, which costs nothing when none has) and, if
//! so, reads only what changed: rows written after that number, `removed` rows after it,
//! and the protected IDs when their own number moved. Reads only.

use rusqlite::{OptionalExtension, Transaction};

use super::Store;
use super::columns::read_id;
use super::protection::protected_ids;
use super::videos::{Scope, VideoRow, scan};
use crate::api::VideoId;
use crate::store::{IdSet, Paths, StoreError};

/// The batch and protection as the list was loaded.
#[derive(Debug, Default)]
pub struct Loaded {
    /// What an interrupted batch left queued.
    pub pending: Vec<VideoId>,
    pub protected: IdSet,
}

/// What changed since the last look, for a copy of the list to take in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changes<V> {
    /// Videos added or changed since, in list order, as the caller keeps them.
    pub videos: Vec<V>,
    /// Videos that left the list since, and whether the server said they are gone.
    pub removed: Vec<(VideoId, bool)>,
    /// The protected IDs, when they changed.
    pub protected: Option<IdSet>,
    /// Every ID in the list now, when the record of what left it no longer reaches back to
    /// the last look (after a very large forget): the copy drops any other.
    pub present: Option<IdSet>,
}

#[derive(Debug)]
pub struct Watcher {
    store: Store,
    data_version: i64,
    rev: i64,
    protected_rev: i64,
}

impl Watcher {
    /// Opens the profile's database for following it.
    pub fn open(paths: &Paths) -> Result<Self, StoreError> {
        Ok(Self {
            store: Store::open(paths)?,
            data_version: 0,
            rev: 0,
            protected_rev: 0,
        })
    }

    /// Hands every video to `each`, in list order, and returns the batch and protection
    /// of the same moment; later polls report what changed after it.
    pub fn load(&mut self, mut each: impl FnMut(VideoRow<'_>)) -> Result<Loaded, StoreError> {
        let (data_version, rev, protected_rev, loaded) = self.store.read(|tx| {
            let marks = marks(tx)?;
            scan(tx, Scope::All, &mut each)?;
            let mut pending = tx.prepare("SELECT id FROM pending ORDER BY seq")?;
            let pending = pending
                .query_map([], |row| read_id(row, 0))?
                .collect::<rusqlite::Result<_>>()?;
            let loaded = Loaded {
                pending,
                protected: protected_ids(tx)?,
            };
            Ok((marks.0, marks.1, marks.2, loaded))
        })?;
        self.data_version = data_version;
        self.rev = rev;
        self.protected_rev = protected_rev;
        Ok(loaded)
    }

    /// What changed since the last look; `None` when nothing did. `keep` makes the caller's
    /// copy of each video added or changed.
    pub fn poll<V>(
        &mut self,
        mut keep: impl FnMut(VideoRow<'_>) -> V,
    ) -> Result<Option<Changes<V>>, StoreError> {
        let now: i64 = self
            .store
            .conn()
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(|e| self.store.error(e))?;
        if now == self.data_version {
            return Ok(None);
        }
        let (last_rev, last_protected) = (self.rev, self.protected_rev);
        let (marks, changes) = self.store.read(|tx| {
            let marks = marks(tx)?;
            let removed_before: Option<i64> = tx
                .query_row(
                    "SELECT value FROM meta WHERE key = 'removed_before'",
                    [],
                    |row| row.get(0),
                )
                .optional()?;
            let present = match removed_before {
                Some(before) if before > last_rev + 1 => Some(all_ids(tx)?),
                _ => None,
            };
            let mut removed = Vec::new();
            let mut gone =
                tx.prepare("SELECT id, gone FROM removed WHERE rev > ?1 ORDER BY rev")?;
            let mut rows = gone.query([last_rev])?;
            while let Some(row) = rows.next()? {
                removed.push((read_id(row, 0)?, row.get(1)?));
            }
            let mut videos = Vec::new();
            scan(tx, Scope::ChangedAfter(last_rev), &mut |row| {
                videos.push(keep(row));
            })?;
            let protected = if marks.2 == last_protected {
                None
            } else {
                Some(protected_ids(tx)?)
            };
            Ok((
                marks,
                Changes {
                    videos,
                    removed,
                    protected,
                    present,
                },
            ))
        })?;
        (self.data_version, self.rev, self.protected_rev) = (now.max(marks.0), marks.1, marks.2);
        Ok(Some(changes))
    }
}

/// `data_version`, `meta.rev` and `meta.protected_rev`, read together.
fn marks(tx: &Transaction<'_>) -> rusqlite::Result<(i64, i64, i64)> {
    let data_version = tx.query_row("PRAGMA data_version", [], |row| row.get(0))?;
    let value = |key: &str| {
        tx.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
            row.get::<_, i64>(0)
        })
    };
    Ok((data_version, value("rev")?, value("protected_rev")?))
}

fn all_ids(tx: &Transaction<'_>) -> rusqlite::Result<IdSet> {
    let mut statement = tx.prepare("SELECT id FROM videos")?;
    let ids = statement.query_map([], |row| read_id(row, 0))?;
    ids.collect()
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind};
    use crate::store::Details;
    use crate::store::testing::id;

    #[test]
    fn another_process_s_writes_arrive_as_what_changed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut other = Store::open(&paths).unwrap();
        let at = Timestamp::UNIX_EPOCH;
        other
            .add(&[id(1), id(2), id(3)], &Details::default(), None, at)
            .unwrap();
        other.enqueue(&[id(3)]).unwrap();
        let mut watcher = Watcher::open(&paths).unwrap();
        let mut loaded = Vec::new();
        let batch = watcher.load(|row| loaded.push(row.id)).unwrap();
        assert_eq!(loaded, [id(1), id(2), id(3)]);
        assert_eq!(batch.pending, [id(3)]);
        assert!(watcher.poll(|row| row.id).unwrap().is_none(), "nothing yet");

        other
            .add(&[id(4)], &Details::default(), Some("new"), at)
            .unwrap();
        other.forget(&[id(1)]).unwrap();
        let refused = Outcome {
            status: Some(403),
            attempts: 1,
            ..Outcome::unsent(OutcomeKind::Forbidden)
        };
        let deleted = Outcome {
            status: Some(204),
            attempts: 1,
            ..Outcome::unsent(OutcomeKind::Deleted)
        };
        other
            .record(&[(id(2), refused, at), (id(3), deleted, at)], None)
            .unwrap();
        other.protect(&[id(4)]).unwrap();
        let changes = watcher.poll(|row| row.id).unwrap().unwrap();
        assert_eq!(changes.videos, [id(2), id(4)]);
        assert_eq!(changes.removed, [(id(1), false), (id(3), true)]);
        assert_eq!(changes.protected, Some([id(4)].into_iter().collect()));
        assert_eq!(changes.present, None);
        assert!(watcher.poll(|row| row.id).unwrap().is_none(), "seen");
    }
}
