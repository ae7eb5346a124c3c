//! `StoreError`: every way reading or writing the user's files can fail, each naming the file
//! and, for a damaged file, where the damage is and how to recover. Never "repairs" anything.

use std::io;
use std::path::{Path, PathBuf};

use crate::api::VideoId;

/// A failure touching the data folder. Every variant names the file involved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error(
        "{}:{line}:{column}: the file is damaged ({reason}). It was left untouched. {}",
        path.display(),
        file.when_damaged()
    )]
    Corrupt {
        path: PathBuf,
        file: DataFile,
        line: usize,
        column: usize,
        reason: String,
    },

    #[error(
        "{}: file format version {found} is not one this elytron-tui understands (it reads \
         versions up to {supported}). It was left untouched: use the elytron-tui that wrote it, or {}",
        path.display(),
        file.set_aside()
    )]
    UnknownVersion {
        path: PathBuf,
        file: DataFile,
        found: String,
        supported: u32,
    },

    #[error(
        "{}: the video {id} is listed twice. It was left untouched: remove one of the two \
         entries by hand",
        path.display()
    )]
    DuplicateVideo { path: PathBuf, id: VideoId },

    #[error(
        "{} is a file, not a folder, so the data folder cannot be there. It was left \
         untouched: move it aside, or keep the data elsewhere with --data-dir DIR (or \
         ELYTRON_TUI_DATA_DIR)",
        path.display()
    )]
    NotAFolder { path: PathBuf },

    #[error(
        "{} is a folder, not a file. It was left untouched: move it aside, and elytron-tui \
         starts this file afresh",
        path.display()
    )]
    NotAFile { path: PathBuf },

    #[error(
        "another elytron-tui{} is using this data folder (the lock on {} is held). Close it \
         first, or point this one at another folder with --data-dir",
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        path.display()
    )]
    Locked { path: PathBuf, holder: Option<u32> },

    /// A database operation failed; `describe` says why in the user's terms.
    #[error("{}: {}", path.display(), describe(source))]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    #[error(
        "{} is damaged ({reason}). It was left untouched, and elytron-tui never recreates it. \
         `elytron-tui doctor` runs SQLite's full check on it. To recover, restore it from a \
         backup (with its -wal file, if there is one), or move both aside to start with an \
         empty list",
        path.display()
    )]
    Damaged { path: PathBuf, reason: String },

    #[error(
        "{} was made by a newer elytron-tui (its schema version is {found}; this one reads up \
         to {supported}). It was left untouched: use the elytron-tui that made it",
        path.display()
    )]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        supported: u32,
    },

    #[error(
        "{} is not an elytron-tui database (it holds tables of something else). It was left \
         untouched: move it aside, or keep the data elsewhere with --data-dir DIR",
        path.display()
    )]
    ForeignDatabase { path: PathBuf },

    #[error(
        "{} is here again beside {}, which the move to the database left: an older \
         elytron-tui has written it since. It was left untouched, and not imported: move one \
         of the two aside",
        path.display(),
        migrated.display()
    )]
    OldFileAfterMigration { path: PathBuf, migrated: PathBuf },

    #[error(
        "{} is a file of an earlier elytron-tui, here beside {}, which was not made from it. \
         It was left untouched, and not imported: move it aside to go on with the database, \
         or move the database aside (with its -wal file) to start again from the file",
        path.display(),
        database.display()
    )]
    OldFileBesideDatabase { path: PathBuf, database: PathBuf },

    #[error(
        "another elytron-tui{} is sending deletes for this profile (it holds {}). Nothing was \
         sent: wait until its batch ends, or cancel it there",
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        path.display()
    )]
    Sending { path: PathBuf, holder: Option<u32> },

    #[error(
        "no home folder found to keep data in; pass --data-dir DIR (or set ELYTRON_TUI_DATA_DIR) \
         and --config FILE (or ELYTRON_TUI_CONFIG)"
    )]
    NoHome,
}

/// Which file of an earlier version a damaged or unknown-version error is about (they are
/// read to be moved into the database): each one holds something different, so each has its
/// own way back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFile {
    /// `videos.json`, the known list.
    KnownList,
    /// `pending.json`, the IDs an interrupted batch left unsent.
    Pending,
    /// `protected.json`, the IDs the user protected on a profile.
    Protected,
}

impl DataFile {
    fn when_damaged(self) -> &'static str {
        match self {
            Self::KnownList => {
                "Nothing was moved into the database yet. To recover, restore it from a \
                 backup or fix it by hand; or move it aside to start with an empty list (the \
                 history and the other files still move in)"
            }
            Self::Pending => {
                "It only holds the IDs an interrupted batch left unsent, and nothing was moved \
                 into the database yet: fix it by hand, or move it aside to drop that batch \
                 (nothing is resumed; the known list and the history still move in)"
            }
            Self::Protected => {
                "It lists the videos you protected, so nothing moves into the database (and \
                 nothing can be deleted on this profile) until it reads: fix it by hand or \
                 restore it from a backup (moving it aside unprotects every video it listed)"
            }
        }
    }

    fn set_aside(self) -> &'static str {
        match self {
            Self::KnownList => "move the file aside to start with an empty list",
            Self::Pending => "move it aside to drop the interrupted batch it holds",
            Self::Protected => "move it aside, which unprotects every video it listed",
        }
    }
}

/// A database failure in the user's terms, with what to do about it.
fn describe(err: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode;
    let Some(code) = err.sqlite_error_code() else {
        return err.to_string();
    };
    match code {
        ErrorCode::DiskFull => "the disk is full: free some space and run the command again \
            (what was recorded before is kept)"
            .to_owned(),
        ErrorCode::SystemIoFailure => format!(
            "it could not be written or read ({err}: a full disk, a limit on file size, or a \
             failing disk); what was recorded before is kept"
        ),
        ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => format!(
            "another elytron-tui kept it busy for over {} s: run the command again once that \
             one is done",
            super::BUSY_WAIT.as_secs()
        ),
        ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen => format!(
            "it cannot be opened for writing ({err}): check its permissions and its folder's"
        ),
        _ => err.to_string(),
    }
}

impl StoreError {
    /// A database failure on `path`: damage is named as such (`Damaged`), so it is never
    /// taken for a passing error.
    pub(crate) fn database(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        let path = path.into();
        match source.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                Self::Damaged {
                    path,
                    reason: source.to_string(),
                }
            }
            _ => Self::Database { path, source },
        }
    }

    /// An I/O failure on `path`. One the user can fix by moving something aside is named as
    /// such: a file where a folder on the path should be (`NotAFolder`, naming that file),
    /// or a folder where `path` should be a file (`NotAFile`).
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        let path = path.into();
        match source.kind() {
            io::ErrorKind::NotADirectory => match file_on_the_way(&path) {
                Some(file) => Self::NotAFolder { path: file },
                None => Self::Io { path, source },
            },
            io::ErrorKind::IsADirectory => Self::NotAFile { path },
            _ => Self::Io { path, source },
        }
    }

    /// A JSON parse failure as `Corrupt`, at `line` (the caller's count: serde's own line is
    /// right only for a file parsed whole) and serde's column, without serde's position text.
    pub(crate) fn json(
        path: impl Into<PathBuf>,
        file: DataFile,
        line: usize,
        err: &serde_json::Error,
    ) -> Self {
        Self::Corrupt {
            path: path.into(),
            file,
            line,
            column: err.column(),
            reason: json_reason(err),
        }
    }
}

/// serde's message without its " at line L column C" (the callers say where).
pub(crate) fn json_reason(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => text,
    }
}

/// `path` or its nearest ancestor that exists and is not a folder (what made an open fail
/// with "not a directory").
fn file_on_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .filter(|dir| !dir.as_os_str().is_empty())
        .find(|dir| std::fs::metadata(dir).is_ok_and(|meta| !meta.is_dir()))
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_where_a_folder_should_be_is_named_and_a_folder_where_a_file_should_be() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data");
        std::fs::write(&file, "mine").unwrap();
        for path in [
            file.join("videos.json"),
            file.join("a/b/history.jsonl"),
            file.clone(),
        ] {
            let err = std::fs::read_dir(&path).map(|_| ()).unwrap_err();
            match StoreError::io(&path, err) {
                StoreError::NotAFolder { path } => assert_eq!(path, file),
                other => panic!("{other:?}"),
            }
        }
        let err = std::fs::read(dir.path()).unwrap_err();
        assert!(matches!(
            StoreError::io(dir.path(), err),
            StoreError::NotAFile { .. }
        ));
    }
}
