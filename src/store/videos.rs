//! The known videos in the database: read in list order (whole, by ID, or as they are
//! stored, for a caller that keeps its own copy), added (new ones appended, known ones given
//! the title or creation time they lacked) and forgotten. Every write gives the rows it
//! touches the next change number (`rev`), and a forgotten video leaves a `removed` row, so
//! another process showing the list can follow (`watch`).

use jiff::Timestamp;
use rusqlite::{Row, Transaction, params};

use super::Store;
use super::columns::{
    GENERATION_FIELDS, id_blob, read_generation, read_id, read_last, read_time, read_time_always,
    time,
};
use crate::api::VideoId;
use crate::store::{
    Details, GenerationRow, IdMap, KnownVideo, KnownVideos, Labels, LastOutcome, StoreError,
    VideoDetails,
};

/// The columns a video is read from, in the order `VideoRow::read` takes them (the
/// generation's from `GENERATION_AT`).
pub fn video_columns() -> String {
    format!(
        "id, added_s, added_ns, label, title, created_s, created_ns, last_outcome, last_status, \
         last_error_code, last_message, last_request_id, last_attempts, last_at_s, last_at_ns, \
         {GENERATION_FIELDS}"
    )
}

/// Where the generation's columns start in `video_columns`.
const GENERATION_AT: usize = 15;

/// One video's fields, its text borrowed from where it is read: a row of the database, or a
/// `KnownVideo` (`of`).
#[derive(Clone, Debug)]
pub struct VideoRow<'r> {
    pub id: VideoId,
    pub added_at: Timestamp,
    pub label: Option<&'r str>,
    pub title: Option<&'r str>,
    pub created_at: Option<Timestamp>,
    pub last: Option<Box<LastOutcome>>,
    pub generation: GenerationRow<'r>,
}

impl<'r> VideoRow<'r> {
    pub fn of(video: &'r KnownVideo) -> Self {
        Self {
            id: video.id,
            added_at: video.added_at,
            label: video.label.as_deref(),
            title: video.title(),
            created_at: video.created_at(),
            last: video.last.clone(),
            generation: video
                .details
                .as_ref()
                .map(|details| GenerationRow::of(&details.generation))
                .unwrap_or_default(),
        }
    }

    /// Reads the columns of `video_columns`, from the first.
    pub fn read(row: &'r Row<'r>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: read_id(row, 0)?,
            added_at: read_time_always(row, 1)?,
            label: row.get_ref(3)?.as_str_or_null()?,
            title: row.get_ref(4)?.as_str_or_null()?,
            created_at: read_time(row, 5)?,
            last: read_last(row, 7)?,
            generation: read_generation(row, GENERATION_AT)?,
        })
    }

    /// An owned copy, sharing a label with the video before it when they are equal.
    pub fn to_known(&self, labels: &mut Labels) -> KnownVideo {
        let generation = self.generation.to_owned();
        let details = (self.title.is_some() || self.created_at.is_some() || !generation.is_empty())
            .then(|| {
                Box::new(VideoDetails {
                    title: self.title.map(Box::from),
                    created_at: self.created_at,
                    generation,
                })
            });
        KnownVideo {
            id: self.id,
            added_at: self.added_at,
            label: self.label.map(|label| labels.intern(label)),
            details,
            last: self.last.clone(),
        }
    }
}

/// Which stored videos a scan reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every one.
    All,
    /// Those written by a change after this one (added or changed since).
    ChangedAfter(i64),
}

/// What `Store::add` did with the IDs it was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddReport {
    pub added: usize,
    pub already_known: usize,
    /// Already known videos that gained a title or a creation time they lacked.
    pub filled: usize,
}

impl Store {
    /// The known list, in list order.
    pub fn videos(&mut self) -> Result<KnownVideos, StoreError> {
        let mut videos = Vec::new();
        let mut labels = Labels::default();
        self.scan_videos(Scope::All, |row| videos.push(row.to_known(&mut labels)))?;
        // The IDs are unique in the table.
        Ok(KnownVideos::from_videos(videos).unwrap_or_default())
    }

    /// The known videos among `ids`, by ID (what a protect rule reads of an ID asked by ID).
    pub fn videos_of(&self, ids: &[VideoId]) -> Result<IdMap<KnownVideo>, StoreError> {
        let sql = format!("SELECT {} FROM videos WHERE id = ?1", video_columns());
        let mut statement = self.conn().prepare(&sql).map_err(|e| self.error(e))?;
        let mut labels = Labels::default();
        let mut found = IdMap::default();
        for id in ids {
            let mut rows = statement
                .query([&id_blob(id)[..]])
                .map_err(|e| self.error(e))?;
            if let Some(row) = rows.next().map_err(|e| self.error(e))? {
                let video = VideoRow::read(row).map_err(|e| self.error(e))?;
                found.insert(*id, video.to_known(&mut labels));
            }
        }
        Ok(found)
    }

    /// Hands each video of `scope` to `each`, in list order, all of one moment.
    pub fn scan_videos(
        &mut self,
        scope: Scope,
        mut each: impl FnMut(VideoRow<'_>),
    ) -> Result<(), StoreError> {
        self.read(|tx| scan(tx, scope, &mut each))
    }

    /// How many videos are known.
    pub fn count_videos(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT count(*) FROM videos", [], |row| row.get(0))
            .map_err(|e| self.error(e))
    }

    /// Appends the IDs not known yet, in order, all with the same label and time, each with
    /// its `details` (by position in `ids`); videos already known gain the title and creation
    /// time they lacked (one they have is never replaced). One transaction.
    pub fn add(
        &mut self,
        ids: &[VideoId],
        details: &Details,
        label: Option<&str>,
        at: Timestamp,
    ) -> Result<AddReport, StoreError> {
        let bulk = ids.len() >= BULK_FROM;
        let new = |rev| NewVideos {
            ids,
            details,
            label,
            at,
            rev,
        };
        if bulk {
            // A first import: appended with the ID index built once at the end. Given an ID
            // twice, building the index fails, nothing is kept, and they go one by one.
            let appended = self.write(|tx| {
                let rev = next_rev(tx)?;
                let empty: bool =
                    tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM videos)", [], |row| {
                        row.get(0)
                    })?;
                empty.then(|| append_to_empty(tx, &new(rev))).transpose()
            });
            match appended {
                Ok(Some(report)) => return Ok(report),
                Ok(None) => {}
                Err(StoreError::Database { source, .. })
                    if source.sqlite_error_code()
                        == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
                Err(err) => return Err(err),
            }
            self.cache_size(BULK_CACHE_KIB)?;
        }
        let added = self.write(|tx| {
            let rev = next_rev(tx)?;
            add_one_by_one(tx, &new(rev))
        });
        if bulk {
            self.cache_size(DEFAULT_CACHE_KIB)?;
        }
        added
    }

    /// Drops these IDs from the list (nothing is sent anywhere); returns how many were in it.
    pub fn forget(&mut self, ids: &[VideoId]) -> Result<usize, StoreError> {
        self.write(|tx| {
            let rev = next_rev(tx)?;
            let mut forgotten = 0;
            for id in ids {
                forgotten += remove(tx, id, rev, false)?;
            }
            if forgotten > 0 {
                prune_removed(tx, rev)?;
            }
            Ok(forgotten)
        })
    }
}

/// From this many videos added at once the connection keeps more of the database in memory
/// while it adds them (`BULK_CACHE_KIB`): the ID index of a million videos is about 30 MB,
/// and adding to it a page at a time from the disk is most of the time an import takes.
const BULK_FROM: usize = 10_000;
const BULK_CACHE_KIB: i64 = 32 * 1024;
const SORT_CACHE_KIB: i64 = 8 * 1024;
/// SQLite's own default (2 MB).
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// What `Store::add` adds, with the change number it writes on each row.
struct NewVideos<'a> {
    ids: &'a [VideoId],
    details: &'a Details,
    label: Option<&'a str>,
    at: Timestamp,
    rev: i64,
}

/// Adds to a list that has videos: each ID is looked up (known ones gain what they lacked).
fn add_one_by_one(tx: &Transaction<'_>, new: &NewVideos<'_>) -> rusqlite::Result<AddReport> {
    let (added_s, added_ns) = time(new.at);
    let mut insert = tx.prepare(
        "INSERT INTO videos (id, added_s, added_ns, label, title, created_s, created_ns, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
    )?;
    let mut fill = tx.prepare(
        "UPDATE videos SET title = coalesce(title, ?2),
             created_ns = CASE WHEN created_s IS NULL THEN ?4 ELSE created_ns END,
             created_s = coalesce(created_s, ?3), rev = ?5
         WHERE id = ?1
           AND ((title IS NULL AND ?2 IS NOT NULL) OR (created_s IS NULL AND ?3 IS NOT NULL))",
    )?;
    let mut report = AddReport::default();
    for (at, id) in new.ids.iter().enumerate() {
        let title = new.details.title(at);
        let (created_s, created_ns) = new.details.created_at(at).map(time).unzip();
        let inserted = insert.execute(params![
            &id_blob(id)[..],
            added_s,
            added_ns,
            new.label,
            title,
            created_s,
            created_ns,
            new.rev
        ])?;
        if inserted == 1 {
            report.added += 1;
            continue;
        }
        report.already_known += 1;
        if title.is_some() || created_s.is_some() {
            report.filled += fill.execute(params![
                &id_blob(id)[..],
                title,
                created_s,
                created_ns,
                new.rev
            ])?;
        }
    }
    Ok(report)
}

/// Fills an empty list (a first import): the rows are appended with the ID index set aside,
/// and the index is built once at the end from the sorted IDs, in the same transaction. It
/// fails (a constraint violation) if an ID is given twice.
fn append_to_empty(tx: &Transaction<'_>, new: &NewVideos<'_>) -> rusqlite::Result<AddReport> {
    let (added_s, added_ns) = time(new.at);
    tx.execute_batch("DROP INDEX videos_by_id; DROP INDEX videos_by_rev")?;
    let mut insert = tx.prepare(
        "INSERT INTO videos (id, added_s, added_ns, label, title, created_s, created_ns, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    // What every row shares is bound once; each row binds only its own.
    insert.raw_bind_parameter(2, added_s)?;
    insert.raw_bind_parameter(3, added_ns)?;
    insert.raw_bind_parameter(4, new.label)?;
    insert.raw_bind_parameter(8, new.rev)?;
    for (at, id) in new.ids.iter().enumerate() {
        let (created_s, created_ns) = new.details.created_at(at).map(time).unzip();
        insert.raw_bind_parameter(1, &id_blob(id)[..])?;
        insert.raw_bind_parameter(5, new.details.title(at))?;
        insert.raw_bind_parameter(6, created_s)?;
        insert.raw_bind_parameter(7, created_ns)?;
        insert.raw_execute()?;
    }
    // The sort that builds the index keeps this much in memory before it uses temp files
    // (more made no difference measured at a million, and costs memory), on two threads.
    tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
    tx.pragma_update(None, "threads", 2)?;
    let built = tx.execute_batch(
        "CREATE UNIQUE INDEX videos_by_id ON videos (id); CREATE INDEX videos_by_rev ON videos (rev)",
    );
    tx.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB)?;
    built?;
    Ok(AddReport {
        added: new.ids.len(),
        ..AddReport::default()
    })
}

/// Reads the videos of `scope` in list order.
pub fn scan(
    tx: &Transaction<'_>,
    scope: Scope,
    each: &mut dyn FnMut(VideoRow<'_>),
) -> rusqlite::Result<()> {
    let after = match scope {
        Scope::All => i64::MIN,
        Scope::ChangedAfter(rev) => rev,
    };
    let sql = format!(
        "SELECT {} FROM videos WHERE rev > ?1 ORDER BY seq",
        video_columns()
    );
    let mut statement = tx.prepare(&sql)?;
    let mut rows = statement.query([after])?;
    while let Some(row) = rows.next()? {
        each(VideoRow::read(row)?);
    }
    Ok(())
}

/// The number the next change writes on the rows it touches (one per transaction).
pub fn next_rev(tx: &Transaction<'_>) -> rusqlite::Result<i64> {
    tx.query_row(
        "UPDATE meta SET value = value + 1 WHERE key = 'rev' RETURNING value",
        [],
        |row| row.get(0),
    )
}

/// Takes `id` out of the list, leaving a `removed` row (`gone`: the server said it is gone);
/// 1 if it was there.
pub fn remove(tx: &Transaction<'_>, id: &VideoId, rev: i64, gone: bool) -> rusqlite::Result<usize> {
    let blob = &id_blob(id)[..];
    let removed = tx
        .prepare_cached("DELETE FROM videos WHERE id = ?1")?
        .execute([blob])?;
    if removed > 0 {
        tx.prepare_cached("INSERT OR REPLACE INTO removed (id, rev, gone) VALUES (?1, ?2, ?3)")?
            .execute(params![blob, rev, gone])?;
    }
    Ok(removed)
}

/// How many `removed` rows are kept for processes following the list; past that, the older
/// ones go, and a process that has not looked since then reads the whole list again.
const REMOVED_KEPT: i64 = 200_000;

/// Drops old `removed` rows once there are too many, recording up to which change they are
/// gone (`meta.removed_before`).
pub fn prune_removed(tx: &Transaction<'_>, rev: i64) -> rusqlite::Result<()> {
    let count: i64 = tx.query_row("SELECT count(*) FROM removed", [], |row| row.get(0))?;
    if count <= REMOVED_KEPT {
        return Ok(());
    }
    tx.execute("DELETE FROM removed WHERE rev < ?1", [rev])?;
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('removed_before', ?1)",
        [rev],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{id, open, open_with};

    #[test]
    fn added_videos_read_back_in_the_order_added_and_a_known_id_is_counted_not_added() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let at: Timestamp = "2024-05-01T10:20:30.123456789Z".parse().unwrap();
        let report = store
            .add(
                &[id(3), id(1), id(3)],
                &Details::default(),
                Some("x \"y\""),
                at,
            )
            .unwrap();
        assert_eq!(
            report,
            AddReport {
                added: 2,
                already_known: 1,
                filled: 0
            }
        );
        let list = store.videos().unwrap();
        let order: Vec<_> = list.iter().map(|v| v.id).collect();
        assert_eq!(order, [id(3), id(1)]);
        assert_eq!(list.as_slice()[0].added_at, at);
        assert_eq!(list.as_slice()[1].label.as_deref(), Some("x \"y\""));
    }

    #[test]
    fn details_go_with_new_videos_and_fill_in_only_what_known_ones_lack() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let at = Timestamp::UNIX_EPOCH;
        let created: Timestamp = "2023-05-06T07:08:09.5Z".parse().unwrap();
        store
            .add(&[id(1), id(2)], &Details::default(), Some("old"), at)
            .unwrap();
        let details = |title: &str, created_at| VideoDetails {
            title: Some(title.into()),
            created_at,
            ..Default::default()
        };
        let mut given = Details::default();
        given.fill(0, &details("one", Some(created)));
        given.fill(2, &details("three", None));
        let report = store
            .add(&[id(1), id(2), id(3)], &given, Some("new"), at)
            .unwrap();
        assert_eq!(
            (report.added, report.already_known, report.filled),
            (1, 2, 1)
        );
        let mut again = Details::default();
        again.fill(0, &details("other", None));
        assert_eq!(
            store.add(&[id(1)], &again, None, at).unwrap().filled,
            0,
            "a title it has is kept"
        );
        let list = store.videos().unwrap();
        let one = list.get(&id(1)).unwrap();
        assert_eq!(
            (one.title(), one.created_at()),
            (Some("one"), Some(created))
        );
        assert_eq!(one.label.as_deref(), Some("old"));
        assert_eq!(list.get(&id(3)).unwrap().title(), Some("three"));
        assert_eq!(list.get(&id(2)).unwrap().details, None);
    }

    #[test]
    fn a_first_import_that_repeats_an_id_adds_it_once_and_keeps_the_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let mut ids: Vec<VideoId> = (0..BULK_FROM as u128 + 10).map(id).collect();
        ids.insert(3, id(7));
        let mut titled = Details::default();
        titled.fill(
            5,
            &VideoDetails {
                title: Some("kept".into()),
                created_at: None,
                ..Default::default()
            },
        );
        let report = store
            .add(&ids, &titled, None, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert_eq!((report.added, report.already_known), (ids.len() - 1, 1));
        let list = store.videos().unwrap();
        assert_eq!(list.as_slice()[3].id, id(7), "where it came first");
        assert_eq!(
            list.as_slice()[8].id,
            id(8),
            "not again where it came second"
        );
        assert_eq!(list.get(&ids[5]).unwrap().title(), Some("kept"));
        let again = store
            .add(&ids[..20], &Details::default(), None, Timestamp::UNIX_EPOCH)
            .unwrap();
        assert_eq!((again.added, again.already_known), (0, 20));
    }

    #[test]
    fn forget_counts_only_known_ids_and_a_forgotten_id_can_come_back_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_with(&dir, &[id(1), id(2), id(3)]);
        let at = Timestamp::UNIX_EPOCH;
        assert_eq!(store.forget(&[id(1), id(7)]).unwrap(), 1);
        assert_eq!(store.count_videos().unwrap(), 2);
        store.add(&[id(1)], &Details::default(), None, at).unwrap();
        let order: Vec<_> = store.videos().unwrap().iter().map(|v| v.id).collect();
        assert_eq!(order, [id(2), id(3), id(1)]);
    }

    #[test]
    fn a_scan_from_a_change_reads_only_what_was_written_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_with(&dir, &[id(1), id(2)]);
        let at = Timestamp::UNIX_EPOCH;
        let rev: i64 = store
            .conn()
            .query_row("SELECT value FROM meta WHERE key = 'rev'", [], |r| r.get(0))
            .unwrap();
        let mut titled = Details::default();
        titled.fill(
            0,
            &VideoDetails {
                title: Some("t".into()),
                created_at: None,
                ..Default::default()
            },
        );
        store.add(&[id(2), id(5)], &titled, None, at).unwrap();
        let mut seen = Vec::new();
        store
            .scan_videos(Scope::ChangedAfter(rev), |row| {
                seen.push((row.id, row.title.map(str::to_owned)));
            })
            .unwrap();
        assert_eq!(seen, [(id(2), Some("t".to_owned())), (id(5), None)]);
    }
}
