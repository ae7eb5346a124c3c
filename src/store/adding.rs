//! Adding videos to the known list, in one transaction: all at once (`Store::add`), or a
//! batch at a time while the rest is still being read (`Store::add_batches`, an import from
//! a file). New IDs are appended in order; known ones gain the title or creation time they
//! lacked (one they have is never replaced). Into an empty list the rows are appended with
//! the ID index set aside and the index built once at the end (`Adder::Append`); into a list
//! that has videos each ID is looked up.

use jiff::Timestamp;
use rusqlite::{Connection, Statement, Transaction, params};

use super::Store;
use super::columns::{id_blob, time};
use super::sync::merge_saved;
use super::videos::next_rev;
use crate::api::{ListedVideo, VideoId};
use crate::store::{Details, StoreError, VideoDetails};

/// What `Store::add` did with the IDs it was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddReport {
    pub added: usize,
    pub already_known: usize,
    /// Already known videos that gained a title or a creation time they lacked.
    pub filled: usize,
}

/// A piece of an input handed to `Store::add_batches` while the rest is still being read:
/// the IDs first seen in it, in order, with their details (by position in `ids`), and the
/// details given since to IDs of earlier batches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddBatch {
    pub ids: Vec<VideoId>,
    pub details: Details,
    pub late: Vec<LateDetails>,
}

/// Details given to an ID seen again after the batch that took it: they fill what its
/// first mention lacked, as if both had come in one batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LateDetails {
    /// The ID's position in the whole input, from 0.
    pub at: usize,
    pub id: VideoId,
    pub details: VideoDetails,
}

impl Store {
    /// Appends the IDs not known yet, in order, all with the same label and time, each with
    /// its `details` (by position in `ids`); videos already known gain the title and creation
    /// time they lacked. One transaction.
    pub fn add(
        &mut self,
        ids: &[VideoId],
        details: &Details,
        label: Option<&str>,
        at: Timestamp,
    ) -> Result<AddReport, StoreError> {
        self.add_with_listing(ids, details, &[], label, at)
    }

    /// As `add`, and the fields of a saved listing's videos (`listed`, each also in `ids`)
    /// merged in the same transaction (`merge_saved`): an import adds all of it or nothing.
    pub fn add_with_listing(
        &mut self,
        ids: &[VideoId],
        details: &Details,
        listed: &[ListedVideo],
        label: Option<&str>,
        at: Timestamp,
    ) -> Result<AddReport, StoreError> {
        let big = ids.len() >= BULK_FROM;
        let add_all = |tx: &Transaction<'_>, how: AddingTo| -> rusqlite::Result<AddReport> {
            let mut adder = Adder::new(tx, label, at, next_rev(tx)?, how)?;
            adder.take(ids, details)?;
            let report = adder.finish()?;
            merge_saved(tx, listed, at)?;
            Ok(report)
        };
        if big {
            // Given an ID twice, building the index fails, nothing is kept, and they go one
            // by one.
            let appended = self.write(|tx| {
                if list_is_empty(tx)? {
                    add_all(tx, AddingTo::Empty).map(Some)
                } else {
                    Ok(None)
                }
            });
            match appended {
                Ok(Some(report)) => return Ok(report),
                Ok(None) => {}
                Err(StoreError::Database { source, .. })
                    if source.sqlite_error_code()
                        == Some(rusqlite::ErrorCode::ConstraintViolation) => {}
                Err(err) => return Err(err),
            }
        }
        let added = self.write(|tx| add_all(tx, AddingTo::Known { big }));
        self.cache_size(DEFAULT_CACHE_KIB)?;
        added
    }

    /// Adds what `batches` yield as they come, in one transaction: the same as one `add` of
    /// all their IDs and details, given no ID twice (the import's scan drops repeats: into
    /// an empty list a repeat fails the index build and rolls everything back). When they end, `verdict` decides: a refusal (the input was
    /// not what it seemed, after all) rolls everything back and is handed on as it is;
    /// otherwise what it says comes back with the report, the saved listing it names
    /// (`listed_in`) merged in the same transaction.
    pub fn add_batches<V, E>(
        &mut self,
        label: Option<&str>,
        at: Timestamp,
        batches: impl IntoIterator<Item = AddBatch>,
        verdict: impl FnOnce() -> Result<V, E>,
        listed_in: impl FnOnce(&V) -> &[ListedVideo],
    ) -> Result<Result<(AddReport, V), E>, StoreError> {
        let added = self.write_unless(|tx| {
            let rev = next_rev(tx)?;
            let into = if list_is_empty(tx)? {
                AddingTo::Empty
            } else {
                AddingTo::Known { big: true }
            };
            let mut adder = Adder::new(tx, label, at, rev, into)?;
            for batch in batches {
                adder.take(&batch.ids, &batch.details)?;
                adder.take_late(batch.late)?;
            }
            match verdict() {
                Ok(said) => {
                    let report = adder.finish()?;
                    merge_saved(tx, listed_in(&said), at)?;
                    Ok(Ok((report, said)))
                }
                Err(refusal) => Ok(Err(refusal)),
            }
        });
        self.cache_size(DEFAULT_CACHE_KIB)?;
        added
    }
}

/// What the videos are added into: an empty list (appended, the ID index set aside), or one
/// with videos (each looked up; `big`: many of them, with a larger page cache).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AddingTo {
    Empty,
    Known { big: bool },
}

/// From this many videos added at once into an empty list, `add` sets the ID index aside.
pub(super) const BULK_FROM: usize = 10_000;
/// Adding to a list that has videos, the connection keeps more of the database in memory:
/// the ID index of a million videos is about 30 MB, and adding to it a page at a time from
/// the disk is most of the time such an import takes.
const BULK_CACHE_KIB: i64 = 32 * 1024;
/// The sort that builds the ID index keeps this much in memory before it uses temp files
/// (more made no difference measured at a million, and costs memory).
const SORT_CACHE_KIB: i64 = 8 * 1024;
/// SQLite's own default (2 MB).
const DEFAULT_CACHE_KIB: i64 = 2_000;

fn list_is_empty(tx: &Transaction<'_>) -> rusqlite::Result<bool> {
    tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM videos)", [], |row| {
        row.get(0)
    })
}

/// Adds IDs in one transaction, in as many calls as they come in.
struct Adder<'t> {
    conn: &'t Connection,
    /// Binds what every row shares once; each row binds its ID, title and creation time.
    insert: Statement<'t>,
    rev: i64,
    how: How<'t>,
    report: AddReport,
}

enum How<'t> {
    /// Into an empty list, its indexes dropped until `finish`, `ROWS_AT_ONCE` rows a
    /// statement (`insert` takes the rest): details given late wait for the ID index to be
    /// found by.
    Append {
        many: Statement<'t>,
        late: Vec<LateDetails>,
    },
    /// Into a list that has videos: each ID looked up, known ones filled.
    OneByOne {
        fill: Statement<'t>,
        /// What became of each position taken so far, so details given late count a known
        /// video as filled once, as one `add` of everything would.
        was: Vec<Was>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Was {
    Added,
    Known,
    KnownAndFilled,
}

impl<'t> Adder<'t> {
    fn new(
        conn: &'t Connection,
        label: Option<&str>,
        at: Timestamp,
        rev: i64,
        into: AddingTo,
    ) -> rusqlite::Result<Self> {
        let shared = Shared { label, at, rev };
        let empty = into == AddingTo::Empty;
        let how = if empty {
            conn.execute_batch("DROP INDEX videos_by_id; DROP INDEX videos_by_rev")?;
            How::Append {
                many: shared.insert(conn, ROWS_AT_ONCE, "")?,
                late: Vec::new(),
            }
        } else {
            if into == (AddingTo::Known { big: true }) {
                conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
            }
            How::OneByOne {
                fill: conn.prepare(FILL)?,
                was: Vec::new(),
            }
        };
        let on_conflict = if empty {
            ""
        } else {
            " ON CONFLICT (id) DO NOTHING"
        };
        let insert = shared.insert(conn, 1, on_conflict)?;
        Ok(Self {
            conn,
            insert,
            rev,
            how,
            report: AddReport::default(),
        })
    }

    /// The next IDs of the input, each with its `details` (by position in `ids`).
    fn take(&mut self, ids: &[VideoId], details: &Details) -> rusqlite::Result<()> {
        let mut taken = 0;
        if let How::Append { many, .. } = &mut self.how {
            for rows in ids.chunks_exact(ROWS_AT_ONCE) {
                for (row, id) in rows.iter().enumerate() {
                    bind_row(many, row, id, details, taken + row)?;
                }
                many.raw_execute()?;
                taken += ROWS_AT_ONCE;
            }
            self.report.added += taken;
        }
        for (at, id) in ids.iter().enumerate().skip(taken) {
            bind_row(&mut self.insert, 0, id, details, at)?;
            let inserted = self.insert.raw_execute()?;
            match &mut self.how {
                How::Append { .. } => self.report.added += 1,
                How::OneByOne { was, .. } if inserted == 1 => {
                    self.report.added += 1;
                    was.push(Was::Added);
                }
                How::OneByOne { fill, was } => {
                    self.report.already_known += 1;
                    let (title, created_at) = (details.title(at), details.created_at(at));
                    let filled = (title.is_some() || created_at.is_some())
                        && run_fill(fill, id, title, created_at, self.rev)? > 0;
                    self.report.filled += usize::from(filled);
                    was.push(if filled {
                        Was::KnownAndFilled
                    } else {
                        Was::Known
                    });
                }
            }
        }
        Ok(())
    }

    /// Details given to IDs taken before.
    fn take_late(&mut self, late: Vec<LateDetails>) -> rusqlite::Result<()> {
        match &mut self.how {
            How::Append { late: waiting, .. } => waiting.extend(late),
            How::OneByOne { fill, was } => {
                for given in late {
                    let filled = run_fill(
                        fill,
                        &given.id,
                        given.details.title.as_deref(),
                        given.details.created_at,
                        self.rev,
                    )? > 0;
                    if let Some(slot) = was.get_mut(given.at)
                        && filled
                        && *slot == Was::Known
                    {
                        *slot = Was::KnownAndFilled;
                        self.report.filled += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Builds the indexes an append set aside (it fails, a constraint violation, if an ID
    /// was given twice) and fills in the details that waited for them.
    fn finish(self) -> rusqlite::Result<AddReport> {
        let Self {
            conn,
            insert,
            rev,
            how,
            report,
        } = self;
        drop(insert);
        let How::Append { many, late } = how else {
            return Ok(report);
        };
        drop(many);
        conn.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
        conn.pragma_update(None, "threads", 2)?;
        let built = conn.execute_batch(
            "CREATE UNIQUE INDEX videos_by_id ON videos (id); \
             CREATE INDEX videos_by_rev ON videos (rev)",
        );
        conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB)?;
        built?;
        if !late.is_empty() {
            let mut fill = conn.prepare(FILL)?;
            for given in late {
                let details = &given.details;
                run_fill(
                    &mut fill,
                    &given.id,
                    details.title.as_deref(),
                    details.created_at,
                    rev,
                )?;
            }
        }
        Ok(report)
    }
}

/// How many rows an append into an empty list inserts with one statement: each statement
/// run opens a cursor, seeks the table's end and sets its constants up once for all of them
/// (a million rows appended in 64s took a third less CPU than one by one).
const ROWS_AT_ONCE: usize = 64;

/// What every row an `Adder` inserts shares: bound once in each insert statement.
struct Shared<'a> {
    label: Option<&'a str>,
    at: Timestamp,
    rev: i64,
}

impl Shared<'_> {
    /// An insert of `rows` rows, the shared values bound (parameters 1 to 4); row `n`'s own
    /// are parameters `5 + 4n` on (`bind_row`).
    fn insert<'t>(
        &self,
        conn: &'t Connection,
        rows: usize,
        then: &str,
    ) -> rusqlite::Result<Statement<'t>> {
        let values: Vec<String> = (0..rows)
            .map(|row| {
                let first = 5 + 4 * row;
                format!(
                    "(?{first}, ?1, ?2, ?3, ?{}, ?{}, ?{}, ?4)",
                    first + 1,
                    first + 2,
                    first + 3
                )
            })
            .collect();
        let mut insert = conn.prepare(&format!(
            "INSERT INTO videos (id, added_s, added_ns, label, title, created_s, created_ns, rev) \
             VALUES {}{then}",
            values.join(", ")
        ))?;
        let (added_s, added_ns) = time(self.at);
        insert.raw_bind_parameter(1, added_s)?;
        insert.raw_bind_parameter(2, added_ns)?;
        insert.raw_bind_parameter(3, self.label)?;
        insert.raw_bind_parameter(4, self.rev)?;
        Ok(insert)
    }
}

/// Binds the video at `at` in `ids` and `details` as row `row` of `insert`.
fn bind_row(
    insert: &mut Statement<'_>,
    row: usize,
    id: &VideoId,
    details: &Details,
    at: usize,
) -> rusqlite::Result<()> {
    let first = 5 + 4 * row;
    let (created_s, created_ns) = details.created_at(at).map(time).unzip();
    insert.raw_bind_parameter(first, &id_blob(id)[..])?;
    insert.raw_bind_parameter(first + 1, details.title(at))?;
    insert.raw_bind_parameter(first + 2, created_s)?;
    insert.raw_bind_parameter(first + 3, created_ns)
}

/// Gives a known video the title and creation time it lacks, with the change number.
const FILL: &str = "UPDATE videos SET title = coalesce(title, ?2),
         created_ns = CASE WHEN created_s IS NULL THEN ?4 ELSE created_ns END,
         created_s = coalesce(created_s, ?3), rev = ?5
     WHERE id = ?1
       AND ((title IS NULL AND ?2 IS NOT NULL) OR (created_s IS NULL AND ?3 IS NOT NULL))";

/// How many rows `FILL` changed (0 or 1).
fn run_fill(
    fill: &mut Statement<'_>,
    id: &VideoId,
    title: Option<&str>,
    created_at: Option<Timestamp>,
    rev: i64,
) -> rusqlite::Result<usize> {
    let (created_s, created_ns) = created_at.map(time).unzip();
    fill.execute(params![&id_blob(id)[..], title, created_s, created_ns, rev])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{id, open, open_with};

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

    fn titled(title: &str) -> VideoDetails {
        VideoDetails::titled(Some(title.into()), None)
    }

    /// The batches an input of `ids` makes, `size` IDs each: an ID seen again later gives
    /// `details` late.
    fn batch(ids: &[u128], details: &[(usize, &str)], late: &[(usize, u128, &str)]) -> AddBatch {
        let mut given = Details::default();
        for (at, title) in details {
            given.fill(*at, &titled(title));
        }
        AddBatch {
            ids: ids.iter().map(|&n| id(n)).collect(),
            details: given,
            late: late
                .iter()
                .map(|&(at, n, title)| LateDetails {
                    at,
                    id: id(n),
                    details: titled(title),
                })
                .collect(),
        }
    }

    fn titles(store: &mut Store) -> Vec<(VideoId, Option<String>)> {
        let list = store.videos().unwrap();
        list.iter()
            .map(|video| (video.id, video.title().map(str::to_owned)))
            .collect()
    }

    #[test]
    fn batches_add_what_one_add_of_them_all_would_late_details_included() {
        let at = Timestamp::UNIX_EPOCH;
        for known in [&[][..], &[id(2), id(9)][..]] {
            let (one, batched) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
            let (mut one, mut batched) = (open_with(&one, known), open_with(&batched, known));
            let mut all = Details::default();
            all.fill(1, &titled("b"));
            all.fill(0, &titled("a, given late"));
            all.fill(2, &titled("c, given late"));
            let ids = [id(1), id(2), id(3), id(4)];
            let expected = one.add(&ids, &all, Some("l"), at).unwrap();
            let batches = [
                batch(&[1, 2], &[(1, "b")], &[]),
                batch(&[3], &[], &[(0, 1, "a, given late")]),
                batch(&[4], &[], &[(2, 3, "c, given late"), (1, 2, "not b")]),
            ];
            let report = batched
                .add_batches(Some("l"), at, batches, || Ok::<(), ()>(()), |()| &[])
                .unwrap()
                .unwrap()
                .0;
            assert_eq!(report, expected, "known before: {known:?}");
            assert_eq!(titles(&mut batched), titles(&mut one));
            assert_eq!(
                titles(&mut batched)[known.len()].1.as_deref(),
                Some("a, given late")
            );
        }
    }

    #[test]
    fn a_known_video_filled_by_its_first_mention_and_again_late_counts_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_with(&dir, &[id(1)]);
        let created: Timestamp = "2024-05-01T10:00:00Z".parse().unwrap();
        let mut late = batch(&[2], &[], &[]);
        late.late.push(LateDetails {
            at: 0,
            id: id(1),
            details: VideoDetails::titled(None, Some(created)),
        });
        let report = store
            .add_batches(
                None,
                Timestamp::UNIX_EPOCH,
                [batch(&[1], &[(0, "t")], &[]), late],
                || Ok::<(), ()>(()),
                |()| &[],
            )
            .unwrap()
            .unwrap()
            .0;
        assert_eq!(
            (report.added, report.already_known, report.filled),
            (1, 1, 1)
        );
        let list = store.videos().unwrap();
        let one = list.get(&id(1)).unwrap();
        assert_eq!((one.title(), one.created_at()), (Some("t"), Some(created)));
    }

    #[test]
    fn an_append_of_many_rows_at_once_keeps_each_row_its_own_fields() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let count = 3 * ROWS_AT_ONCE + 5;
        let mut details = Details::default();
        for at in 0..count {
            let created = Timestamp::from_second(at as i64).unwrap();
            details.fill(
                at,
                &VideoDetails::titled((at % 3 > 0).then(|| format!("t{at}").into()), Some(created)),
            );
        }
        let ids: Vec<VideoId> = (0..count as u128).map(|n| id(1000 - n)).collect();
        let batches = [AddBatch {
            ids: ids.clone(),
            details: details.clone(),
            late: Vec::new(),
        }];
        let at: Timestamp = "2024-05-01T10:20:30.5Z".parse().unwrap();
        let (report, ()) = store
            .add_batches(Some("l"), at, batches, || Ok::<(), ()>(()), |()| &[])
            .unwrap()
            .unwrap();
        assert_eq!(report.added, count);
        let list = store.videos().unwrap();
        assert_eq!(list.len(), count);
        for (n, video) in list.iter().enumerate() {
            assert_eq!(video.id, ids[n]);
            assert_eq!(video.details.as_deref(), details.get(n).as_ref(), "row {n}");
            assert_eq!((video.added_at, video.label.as_deref()), (at, Some("l")));
        }
    }

    #[test]
    fn a_refused_verdict_leaves_the_list_as_it_was() {
        for known in [&[][..], &[id(9)][..]] {
            let dir = tempfile::tempdir().unwrap();
            let mut store = open_with(&dir, known);
            let refused = store
                .add_batches(
                    None,
                    Timestamp::UNIX_EPOCH,
                    [batch(&[1, 2], &[(0, "t")], &[]), batch(&[3], &[], &[])],
                    || Err::<(), _>("line 7"),
                    |()| &[],
                )
                .unwrap();
            assert_eq!(refused, Err("line 7"));
            let order: Vec<_> = store.videos().unwrap().iter().map(|v| v.id).collect();
            assert_eq!(order, known);
            store
                .add(&[id(1)], &Details::default(), None, Timestamp::UNIX_EPOCH)
                .unwrap();
            assert_eq!(
                store.count_videos().unwrap(),
                known.len() + 1,
                "the ID index is whole again"
            );
        }
    }
}
