//! Opening the data folder for a command, and saying on stderr which journal lines were
//! skipped on the way (a line a kill left torn, a line edited by hand). The lines stay in
//! `history.jsonl`; this only reports them.

use super::CliError;
use crate::printable::out::say;
use crate::store::{Paths, SkippedLine, Store};

/// `Store::open`, with a warning per journal line it skipped.
pub fn open_store(paths: &Paths) -> Result<Store, CliError> {
    let store = Store::open(paths)?;
    warn_skipped(store.skipped_journal_lines());
    Ok(store)
}

/// `warning: FILE:LINE: not a whole record, skipped (...)`, one line each.
pub fn warn_skipped(lines: &[SkippedLine]) {
    for line in lines {
        say!("warning: {line}");
    }
}
