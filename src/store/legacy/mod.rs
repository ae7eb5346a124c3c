//! The files of earlier versions (`videos.json`, `pending.json`, `protected.json`,
//! `history.jsonl`), read for the move into the database and for nothing else: nothing here
//! writes. A damaged `videos.json`, `pending.json` or `protected.json` is an error naming the
//! file, line and column, as it always was; a line of `history.jsonl` that is not a record
//! is skipped and named (`SkippedLine`), as it always was.

mod history_file;
mod pending_file;
mod protected_file;
mod videos_file;

use std::path::{Path, PathBuf};
use std::{fmt, io};

use serde::de::DeserializeOwned;

use crate::store::StoreError;
use crate::store::error::DataFile;

pub use history_file::for_each_record;
pub use pending_file::{PendingIds, read_pending_file};
pub use protected_file::load_protected;
pub use videos_file::load_known_file;

/// A line of `history.jsonl` that is not a record: not imported, and kept in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedLine {
    pub path: PathBuf,
    /// From 1.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: not a whole record, not imported ({}); the line stays in the file, \
             renamed {}.migrated",
            self.path.display(),
            self.line,
            self.reason,
            self.path.file_name().unwrap_or_default().to_string_lossy()
        )
    }
}

/// A file of earlier versions that says its version: `pending.json`, `protected.json`.
trait Versioned: DeserializeOwned {
    /// What it is, for errors.
    const FILE: DataFile;
    /// The one version it was ever written in.
    const VERSION: u32;
    fn version(&self) -> u32;
}

/// `path` as written; `None` when there is none. A file that does not parse is an error
/// naming its line and column, and one of another version an error saying so.
fn read_versioned<T: Versioned>(path: &Path) -> Result<Option<T>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    let file: T = serde_json::from_slice(&bytes)
        .map_err(|err| StoreError::json(path, T::FILE, err.line(), &err))?;
    if file.version() != T::VERSION {
        return Err(StoreError::UnknownVersion {
            path: path.to_owned(),
            file: T::FILE,
            found: file.version().to_string(),
            supported: T::VERSION,
        });
    }
    Ok(Some(file))
}
