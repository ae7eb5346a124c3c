//! `history`: print the journal of finished deletes, oldest first, with a warning on stderr
//! for each line that is not a record (skipped; it stays in the file).

use super::delete_report::outcome_cells;
use super::open::warn_skipped;
use super::records::print_records;
use super::{CliError, Exit, HistoryArgs};
use crate::printable::out::say;
use crate::store::{HistoryEntry, Paths, read_journal};

pub fn run(paths: &Paths, args: &HistoryArgs) -> Result<Exit, CliError> {
    let read = read_journal(&paths.history(), args.limit)?;
    warn_skipped(&read.skipped);
    let printed = print_records(
        &read.entries,
        args.json,
        |entry| *entry,
        |entry| table_row(entry),
    )?;
    if printed == 0 && !args.json {
        say!("no deletes recorded yet");
    }
    Ok(Exit::Success)
}

fn table_row(entry: &HistoryEntry) -> String {
    format!(
        "{:.0}  {}  {}",
        entry.at,
        entry.id,
        outcome_cells(&entry.outcome())
    )
}
