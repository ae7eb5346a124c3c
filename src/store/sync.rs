//! The store's side of a sync: what it holds of a listed video (`Holdings`), merging a page
//! in place (one transaction, labels, protections and past outcomes untouched), which held
//! videos may still change, and what a sync's end writes (`meta.sync`; `listed` after a
//! complete walk of every state). Walking and sending are `account`'s and `sync`'s.
//!
//! A merge never loses what is known: a title (an import's, or the prompt) and a creation
//! time are only filled in when missing, and every generation field the listing leaves out
//! keeps its value. `Holdings::compare` says `Same` exactly when merging would change nothing,
//! so an incremental sync stops only on videos the store already holds as listed.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::Store;
use super::columns::{
    GENERATION_FIELDS, duration_column, id_blob, read_generation, read_id, read_time, size_column,
    time,
};
use super::videos::next_rev;
use crate::account::{Held, Holdings, Listed, ToMerge};
use crate::api::{GenerationState, ListedVideo, VideoId};
use crate::store::{LastSync, StoreError};

/// What merging one page did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Videos new to the known list, appended at its end.
    pub added: usize,
    /// Known videos updated in place.
    pub updated: usize,
}

/// How the last sync ended, as `meta.sync` keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastSyncRun {
    /// No sync yet.
    Never,
    /// A sync started and did not reach the end of a walk of every state (interrupted,
    /// failed, or of one state only): the next walks everything.
    Unfinished,
    /// The last sync walked every state to its end (or stopped early after one that did).
    Complete,
}

impl Holdings for Store {
    /// On a failure to read the store, `Changed`: the video is merged again, and an
    /// incremental walk does not stop on it.
    fn compare(&self, video: &ListedVideo) -> Held {
        self.held(video).unwrap_or(Held::Changed)
    }
}

impl Store {
    fn held(&self, video: &ListedVideo) -> rusqlite::Result<Held> {
        let sql = format!(
            "SELECT title IS NOT NULL, created_s, created_ns, {GENERATION_FIELDS} FROM videos \
             WHERE id = ?1"
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let held = statement
            .query_row([&id_blob(&video.id)[..]], |row| same(row, video))
            .optional()?;
        Ok(match held {
            None => Held::New,
            Some(true) => Held::Same,
            Some(false) => Held::Changed,
        })
    }

    /// Merges a page's videos in one transaction: new ones appended (added `at`, no label),
    /// known ones updated in place. Every video merged is marked listed.
    pub fn merge_listed(
        &mut self,
        videos: &[ToMerge],
        at: Timestamp,
    ) -> Result<Merged, StoreError> {
        if videos.is_empty() {
            return Ok(Merged::default());
        }
        self.write(|tx| {
            let mut merged = Merged::default();
            upsert(tx, Source::Sync, videos.iter().map(|each| &each.video), at)?;
            for ToMerge { held, .. } in videos {
                match held {
                    Held::New => merged.added += 1,
                    Held::Changed | Held::Same => merged.updated += 1,
                }
            }
            Ok(merged)
        })
    }

    /// The held videos whose generation may still change (pending, processing): an
    /// incremental walk must meet them again before it stops early.
    pub fn unsettled(&self) -> Result<Vec<VideoId>, StoreError> {
        let read = || -> rusqlite::Result<Vec<VideoId>> {
            let mut statement = self
                .conn()
                .prepare("SELECT id FROM videos WHERE state IN ('pending', 'processing')")?;
            statement.query_map([], |row| read_id(row, 0))?.collect()
        };
        read().map_err(|e| self.error(e))
    }

    /// How far `id`'s generation has come (0 to 100), as a status check said while its
    /// delete waits: shown with its state until a sync lists it again.
    pub fn set_progress(&mut self, id: VideoId, percent: u8) -> Result<(), StoreError> {
        self.write(|tx| {
            let rev = next_rev(tx)?;
            tx.prepare_cached("UPDATE videos SET progress = ?2, rev = ?3 WHERE id = ?1")?
                .execute(params![&id_blob(&id)[..], percent, rev])
                .map(drop)
        })
    }

    /// How the last sync ended.
    pub fn last_sync_run(&self) -> Result<LastSyncRun, StoreError> {
        let word: Option<String> = self
            .conn()
            .query_row("SELECT value FROM meta WHERE key = 'sync'", [], |row| {
                row.get(0)
            })
            .optional()
            .map_err(|e| self.error(e))?;
        Ok(match word.as_deref() {
            Some("complete") => LastSyncRun::Complete,
            Some("unfinished") => LastSyncRun::Unfinished,
            _ => LastSyncRun::Never,
        })
    }

    /// A sync starts: until it ends complete, the next one walks everything.
    pub fn sync_started(&mut self) -> Result<(), StoreError> {
        self.write(|tx| set_sync(tx, "unfinished"))
    }

    /// A walk of every state reached the end of the listing: every known video it did not
    /// list is marked not listed (never removed), and the next sync may stop early. A walk
    /// of one state proves nothing of the others, and marks nothing. Returns how many were
    /// newly marked not listed.
    pub fn sync_complete(&mut self, listed: &Listed) -> Result<usize, StoreError> {
        self.write(|tx| {
            let mut unlisted = Vec::new();
            {
                let mut statement = tx.prepare("SELECT id FROM videos WHERE listed IS NOT 0")?;
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    let id = read_id(row, 0)?;
                    if listed.proves_unlisted(id) {
                        unlisted.push(id);
                    }
                }
            }
            if !unlisted.is_empty() {
                let rev = next_rev(tx)?;
                let mut mark =
                    tx.prepare_cached("UPDATE videos SET listed = 0, rev = ?2 WHERE id = ?1")?;
                for id in &unlisted {
                    mark.execute(params![&id_blob(id)[..], rev])?;
                }
            }
            if listed.of_every_state() {
                set_sync(tx, "complete")?;
            }
            Ok(unlisted.len())
        })
    }

    /// An incremental sync stopped early after a complete one: the account is as last
    /// listed, and the next sync may stop early again.
    pub fn sync_stopped_early(&mut self) -> Result<(), StoreError> {
        self.write(|tx| set_sync(tx, "complete"))
    }
}

/// Merges the videos of a saved listing (`import`, inside the transaction that adds its IDs):
/// a new one is appended (added `at`, no label); of a known one, only what the known list
/// lacks is filled in (a title, a creation time, each generation field), since the file may
/// be older than what a sync last listed. Whether a video is listed is left as it is: a
/// saved page says nothing of the account now.
pub(super) fn merge_saved(
    tx: &Transaction<'_>,
    videos: &[ListedVideo],
    at: Timestamp,
) -> rusqlite::Result<()> {
    if videos.is_empty() {
        return Ok(());
    }
    upsert(tx, Source::Saved, videos.iter(), at)
}

/// Where listed videos come from: what their fields may change of a known video.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// A listing just walked: each generation field it gives is the newest, and the video
    /// is listed.
    Sync,
    /// A saved listing (`import`), of any age: it only fills what is missing.
    Saved,
}

/// Appends each video, or merges it into the one held (`Source` says how), in `tx`.
fn upsert<'v>(
    tx: &Transaction<'_>,
    source: Source,
    videos: impl Iterator<Item = &'v ListedVideo>,
    at: Timestamp,
) -> rusqlite::Result<()> {
    let rev = next_rev(tx)?;
    let (added_s, added_ns) = time(at);
    let mut upsert = tx.prepare_cached(match source {
        Source::Sync => UPSERT_LISTED,
        Source::Saved => UPSERT_SAVED,
    })?;
    for video in videos {
        let (created_s, created_ns) = video.created_at.map(time).unzip();
        let (completed_s, completed_ns) = video.completed_at.map(time).unzip();
        upsert.execute(params![
            &id_blob(&video.id)[..],
            added_s,
            added_ns,
            video.prompt,
            created_s,
            created_ns,
            video.state.map(GenerationState::as_str),
            video.progress,
            video.file_size.map(size_column),
            video.duration.map(duration_column),
            completed_s,
            completed_ns,
            video.error,
            video.download_url,
            rev,
        ])?;
    }
    Ok(())
}

/// The insert both merges share. Parameters: id, added_s, added_ns, prompt, created_s,
/// created_ns, state, progress, file_size, duration_ms, completed_s, completed_ns, error,
/// download_url, rev; `listed` is the one word appended.
macro_rules! insert_video {
    ($listed:literal) => {
        concat!(
            "INSERT INTO videos (id, added_s, added_ns, title, created_s, created_ns, state,
                progress, file_size, duration_ms, completed_s, completed_ns, generation_error,
                download_url, rev, listed)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ",
            $listed,
            ")
            ON CONFLICT (id) DO UPDATE SET
                title = coalesce(title, excluded.title),
                created_ns = CASE WHEN created_s IS NULL THEN excluded.created_ns
                    ELSE created_ns END,
                created_s = coalesce(created_s, excluded.created_s),
                rev = excluded.rev,"
        )
    };
}

/// A sync's merge: a title and a creation time only where there is none, each generation
/// field the listing gives, and listed. Progress goes with the state it was listed with: a
/// new state without one clears a progress that was of the old.
const UPSERT_LISTED: &str = concat!(
    insert_video!("1"),
    "
        progress = CASE WHEN excluded.state IS NULL AND excluded.progress IS NULL
            THEN progress ELSE excluded.progress END,
        state = coalesce(excluded.state, state),
        file_size = coalesce(excluded.file_size, file_size),
        duration_ms = coalesce(excluded.duration_ms, duration_ms),
        completed_ns = CASE WHEN excluded.completed_s IS NULL THEN completed_ns
            ELSE excluded.completed_ns END,
        completed_s = coalesce(excluded.completed_s, completed_s),
        generation_error = coalesce(excluded.generation_error, generation_error),
        download_url = coalesce(excluded.download_url, download_url),
        listed = 1"
);

/// A saved listing's merge: every field only where there is none (progress only with the
/// state it goes with); `listed` untouched (and unknown for a video new to the list).
const UPSERT_SAVED: &str = concat!(
    insert_video!("NULL"),
    "
        progress = CASE WHEN state IS NULL THEN excluded.progress ELSE progress END,
        state = coalesce(state, excluded.state),
        file_size = coalesce(file_size, excluded.file_size),
        duration_ms = coalesce(duration_ms, excluded.duration_ms),
        completed_ns = CASE WHEN completed_s IS NULL THEN excluded.completed_ns
            ELSE completed_ns END,
        completed_s = coalesce(completed_s, excluded.completed_s),
        generation_error = coalesce(generation_error, excluded.generation_error),
        download_url = coalesce(download_url, excluded.download_url)"
);

/// Whether merging `video` into the held row (`has_title`, created, then
/// `GENERATION_FIELDS`) would change nothing.
fn same(row: &Row<'_>, video: &ListedVideo) -> rusqlite::Result<bool> {
    let has_title: bool = row.get(0)?;
    let created = read_time(row, 1)?;
    let held = read_generation(row, 3)?;
    let kept = |given: bool, has: bool| !given || has;
    fn keeps<T: PartialEq>(given: Option<T>, held: Option<T>) -> bool {
        given.is_none() || given == held
    }
    Ok(kept(video.prompt.is_some(), has_title)
        && kept(video.created_at.is_some(), created.is_some())
        && keeps(video.state, held.state)
        && keeps(video.progress, held.progress)
        && keeps(video.file_size, held.file_size)
        && keeps(
            video.duration.map(duration_column),
            held.duration.map(duration_column),
        )
        && keeps(video.completed_at, held.completed_at)
        && keeps(video.error.as_deref(), held.error)
        && keeps(video.download_url.as_deref(), held.download_url)
        && held.listed == LastSync::Listed)
}

fn set_sync(tx: &Transaction<'_>, word: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('sync', ?1)",
        [word],
    )
    .map(drop)
}

#[cfg(test)]
mod tests;
