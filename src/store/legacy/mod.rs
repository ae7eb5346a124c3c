//! The files of earlier versions (`videos.json`, `pending.json`, `protected.json`,
//! `history.jsonl`), read for the move into the database and for nothing else: nothing here
//! writes. A damaged `videos.json`, `pending.json` or `protected.json` is an error naming the
//! file, line and column, as it always was; a line of `history.jsonl` that is not a record
//! is skipped and named (`SkippedLine`), as it always was.

mod history_file;
mod pending_file;
mod protected_file;
mod videos_file;

use std::fmt;
use std::path::PathBuf;

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
