//! `StoreError`: every way reading or writing the user's files can fail, each naming the file
//! and, for a damaged file, where the damage is and how to recover. Never "repairs" anything.

use std::io;
use std::path::PathBuf;

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
        "{}:{line}:{column}: the file is damaged ({reason}). It was left untouched. To recover, \
         restore it from a backup or fix it by hand; or move it aside to start with an empty list \
         (the history in history.jsonl is not affected)",
        path.display()
    )]
    Corrupt {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },

    #[error(
        "{}: file format version {found} is not one this elytron-tui understands (it reads \
         version {supported}). It was left untouched: use the elytron-tui that wrote it, or \
         move the file aside to start with an empty list",
        path.display()
    )]
    UnknownVersion {
        path: PathBuf,
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
        "another elytron-tui{} is using this data folder (the lock on {} is held). Close it \
         first, or point this one at another folder with --data-dir",
        holder.map(|pid| format!(" (process {pid})")).unwrap_or_default(),
        path.display()
    )]
    Locked { path: PathBuf, holder: Option<u32> },

    #[error(
        "no home folder found to keep data in; pass --data-dir DIR (or set ELYTRON_TUI_DATA_DIR) \
         and --config FILE (or ELYTRON_TUI_CONFIG)"
    )]
    NoHome,
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// A JSON parse failure as `Corrupt`, at `line` (the caller's count: serde's own line is
    /// right only for a file parsed whole) and serde's column, without serde's position text.
    pub(crate) fn json(path: impl Into<PathBuf>, line: usize, err: &serde_json::Error) -> Self {
        let text = err.to_string();
        let reason = match text.rsplit_once(" at line ") {
            Some((reason, _)) => reason.to_owned(),
            None => text,
        };
        Self::Corrupt {
            path: path.into(),
            line,
            column: err.column(),
            reason,
        }
    }
}
