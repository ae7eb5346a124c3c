//! Moving the files of earlier versions (`videos.json` of version 1 or 2, `pending.json`,
//! `protected.json`, `history.jsonl`) into a new database. They are all read and checked
//! first (`read`: a damaged one stops everything with its file, line and column, and nothing
//! has been created); then `import` writes them in the transaction that makes the schema,
//! applying what the history holds past the list's last save by the one rule
//! (`batch::apply`); once that is committed, `finish` renames them `*.migrated`. A kill before
//! the commit leaves nothing done; after it, the next open finishes the renames. A file of
//! an earlier version found beside a database that did not come from it (or again, beside
//! its `.migrated` copy) is refused, never imported over what the database holds.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::batch::{RecordedResult, answers, apply};
use super::columns::{id_blob, time};
use super::legacy::{
    PendingIds, SkippedLine, for_each_record, load_known_file, load_protected, read_pending_file,
};
use super::protection::bump_protected;
use super::videos::next_rev;
use super::{HistoryEntry, IdSet, KnownVideos, Paths, StoreError};
use crate::api::VideoId;

/// The files of earlier versions, read and checked, ready to import.
#[derive(Debug)]
pub struct OldFiles {
    paths: Paths,
    /// `videos.json`: the list, and how much of the history it reflected when saved.
    videos: Option<(KnownVideos, Option<u64>)>,
    /// `pending.json`: the IDs queued, and from where in the history answers take them off.
    pending: Option<PendingIds>,
    protected: Option<IdSet>,
    /// `history.jsonl` is there: read line by line while importing (it can be hundreds of
    /// megabytes), each line that is not a record skipped and named, as it always was.
    history: bool,
}

/// What was moved in, for the one message that says so.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Migrated {
    pub database: PathBuf,
    pub videos: usize,
    pub pending: usize,
    pub protected: usize,
    pub history: usize,
    /// History lines that were not records (a line a kill cut short, a hand edit): not
    /// imported; they stay in `history.jsonl.migrated`.
    pub skipped: Vec<SkippedLine>,
    /// The files moved in, renamed `*.migrated` once the import is committed.
    pub files: Vec<PathBuf>,
}

impl fmt::Display for Migrated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = [
            ("videos.json", self.videos, "video(s)"),
            ("pending.json", self.pending, "queued"),
            ("protected.json", self.protected, "protected"),
            ("history.jsonl", self.history, "entries"),
        ];
        let parts: Vec<String> = counts
            .iter()
            .filter(|(name, _, _)| self.files.iter().any(|file| file.ends_with(name)))
            .map(|(name, count, what)| format!("{name} ({count} {what})"))
            .collect();
        write!(
            f,
            "moved {} into {}; the old files are kept beside it, renamed *.migrated",
            parts.join(", "),
            self.database.display()
        )
    }
}

/// The files of earlier versions, in the data folder.
pub fn names(paths: &Paths) -> [PathBuf; 4] {
    [
        paths.videos(),
        paths.pending(),
        paths.protected(),
        paths.history(),
    ]
}

/// Whether any file of an earlier version is there.
pub fn any_present(paths: &Paths) -> Result<bool, StoreError> {
    for file in names(paths) {
        if present(&file)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn present(path: &Path) -> Result<bool, StoreError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(StoreError::io(path, err)),
    }
}

/// Reads and checks every file of an earlier version that is there. Reads only.
pub fn read(paths: &Paths) -> Result<OldFiles, StoreError> {
    let videos = if present(&paths.videos())? {
        Some(load_known_file(&paths.videos())?)
    } else {
        None
    };
    let protected = if present(&paths.protected())? {
        Some(load_protected(paths)?)
    } else {
        None
    };
    Ok(OldFiles {
        paths: paths.clone(),
        videos,
        pending: read_pending_file(paths)?,
        protected,
        history: present(&paths.history())?,
    })
}

impl OldFiles {
    fn is_empty(&self) -> bool {
        self.videos.is_none() && self.pending.is_none() && self.protected.is_none() && !self.history
    }

    /// Writes everything read into the new database, inside its first transaction. `None`
    /// when there was nothing to move in.
    pub fn import(self, tx: &Transaction<'_>) -> Result<Option<Migrated>, StoreError> {
        if self.is_empty() {
            return Ok(None);
        }
        let database = self.paths.database();
        let db_err = |err| StoreError::database(&database, err);
        let mut migrated = Migrated {
            database: database.clone(),
            files: names(&self.paths)
                .into_iter()
                .filter(|file| present(file).unwrap_or(false))
                .collect(),
            ..Migrated::default()
        };
        let (list, list_offset) = self.videos.unwrap_or_default();
        migrated.videos = list.len();
        insert_videos(tx, &list).map_err(db_err)?;
        if let Some(ids) = &self.protected {
            migrated.protected = ids.len();
            insert_protected(tx, ids).map_err(db_err)?;
        }
        let (queued, pending_offset) = self.pending.unwrap_or_default();
        let mut answered = IdSet::default();
        let mut missed: Vec<RecordedResult> = Vec::new();
        if self.history {
            let path = self.paths.history();
            let mut insert = tx.prepare(INSERT_OUTCOME).map_err(db_err)?;
            migrated.skipped = for_each_record(&path, |start, entry| {
                insert_outcome(&mut insert, &entry).map_err(db_err)?;
                migrated.history += 1;
                if list_offset.is_some_and(|offset| start >= offset) {
                    missed.push((entry.id, entry.outcome(), entry.at));
                }
                if pending_offset.is_some_and(|offset| start >= offset) && answers(entry.outcome) {
                    answered.insert(entry.id);
                }
                Ok(())
            })?;
        }
        // The answers the list did not show yet when it was last saved (a session killed
        // between the two), by the rule every outcome goes through.
        apply(tx, &missed, false).map_err(db_err)?;
        let queued: Vec<VideoId> = queued
            .into_iter()
            .filter(|id| !answered.contains(id))
            .collect();
        migrated.pending = queued.len();
        let mut insert = tx
            .prepare("INSERT INTO pending (id) VALUES (?1) ON CONFLICT DO NOTHING")
            .map_err(db_err)?;
        for id in &queued {
            insert.execute([&id_blob(id)[..]]).map_err(db_err)?;
        }
        let files: Vec<String> = migrated
            .files
            .iter()
            .filter_map(|file| file.file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .collect();
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('migrated_files', ?1)",
            [files.join("\n")],
        )
        .map_err(db_err)?;
        Ok(Some(migrated))
    }
}

/// Appends the list, the ID index set aside and built once at the end (see
/// `adding::Adder`; the file's IDs are each there once).
fn insert_videos(tx: &Transaction<'_>, list: &KnownVideos) -> rusqlite::Result<()> {
    let rev = next_rev(tx)?;
    tx.execute_batch("DROP INDEX videos_by_id")?;
    let mut insert = tx.prepare(
        "INSERT INTO videos (id, added_s, added_ns, label, title, created_s, created_ns,
             last_outcome, last_status, last_error_code, last_message, last_request_id,
             last_attempts, last_at_s, last_at_ns, rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    for video in list.iter() {
        let (added_s, added_ns) = time(video.added_at);
        let (created_s, created_ns) = video.created_at().map(time).unzip();
        let last = video.last.as_deref();
        let outcome = last.map(|last| &last.outcome);
        let (last_s, last_ns) = last.map(|last| time(last.at)).unzip();
        insert.execute(params![
            &id_blob(&video.id)[..],
            added_s,
            added_ns,
            video.label.as_deref(),
            video.title(),
            created_s,
            created_ns,
            outcome.map(|o| o.kind.as_str()),
            outcome.and_then(|o| o.status),
            outcome.and_then(|o| o.error_code.as_deref()),
            outcome.and_then(|o| o.message.as_deref()),
            outcome.and_then(|o| o.request_id.as_deref()),
            outcome.map(|o| o.attempts),
            last_s,
            last_ns,
            rev
        ])?;
    }
    tx.execute_batch("CREATE UNIQUE INDEX videos_by_id ON videos (id)")
}

fn insert_protected(tx: &Transaction<'_>, ids: &IdSet) -> rusqlite::Result<()> {
    let mut sorted: Vec<&VideoId> = ids.iter().collect();
    sorted.sort_unstable();
    let mut insert = tx.prepare("INSERT INTO protected (id) VALUES (?1)")?;
    for id in sorted {
        insert.execute([&id_blob(id)[..]])?;
    }
    bump_protected(tx)
}

/// An entry of `history.jsonl`, with the title of its video when the list holds it (inserted
/// before the history): the file kept no titles.
const INSERT_OUTCOME: &str = "INSERT INTO outcomes (at_s, at_ns, id, outcome, status,
    error_code, message, request_id, attempts, host, title)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT title FROM videos WHERE id = ?3))";

fn insert_outcome(
    insert: &mut rusqlite::Statement<'_>,
    entry: &HistoryEntry,
) -> rusqlite::Result<()> {
    let (at_s, at_ns) = time(entry.at);
    insert.execute(params![
        at_s,
        at_ns,
        &id_blob(&entry.id)[..],
        entry.outcome.as_str(),
        entry.status,
        entry.error_code,
        entry.message,
        entry.request_id,
        entry.attempts,
        entry.host
    ])?;
    Ok(())
}

/// After the import is committed (by this open or an earlier one that was killed): renames
/// the files it moved in to `*.migrated`, and sweeps the temp files their killed saves
/// left. A file of an earlier version that the database did not come from is refused.
pub fn finish(paths: &Paths, conn: &Connection, database: &Path) -> Result<(), StoreError> {
    let moved: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'migrated_files'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(|err| StoreError::database(database, err))?;
    let moved: Vec<&str> = moved.as_deref().map_or(Vec::new(), |m| m.lines().collect());
    for file in names(paths) {
        if !present(&file)? {
            continue;
        }
        let name = file.file_name().unwrap_or_default().to_string_lossy();
        let renamed = migrated_name(&file);
        if !moved.contains(&name.as_ref()) {
            return Err(StoreError::OldFileBesideDatabase {
                path: file,
                database: database.to_path_buf(),
            });
        }
        if present(&renamed)? {
            return Err(StoreError::OldFileAfterMigration {
                path: file,
                migrated: renamed,
            });
        }
        std::fs::rename(&file, &renamed).map_err(|err| StoreError::io(&file, err))?;
    }
    for file in names(paths) {
        super::atomic::sweep_temp_files(&file)
            .map_err(|err| StoreError::io(&paths.data_dir, err))?;
    }
    Ok(())
}

/// `videos.json` -> `videos.json.migrated`, in the same folder.
pub fn migrated_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".migrated");
    path.with_file_name(name)
}

#[cfg(test)]
mod tests;
