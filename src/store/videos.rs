//! The known videos in the database: read in list order (whole, by ID, or as they are
//! stored, for a caller that keeps its own copy) and forgotten (adding is `adding`). Every write gives the rows it
//! touches the next change number (`rev`), and a forgotten video leaves a `removed` row, so
//! another process showing the list can follow (`watch`).

use jiff::Timestamp;
use rusqlite::{Row, Transaction, params};

use super::Store;
use super::columns::{
    GENERATION_FIELDS, id_blob, read_generation, read_id, read_last, read_time, read_time_always,
};
use crate::api::VideoId;
use crate::store::{
    GenerationRow, IdMap, KnownVideo, KnownVideos, Labels, LastOutcome, StoreError, VideoDetails,
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
    use crate::store::{AddReport, Details};

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
