//! `history`: print the journal of finished deletes, oldest first.

use super::delete_report::outcome_cells;
use super::records::print_records;
use super::{CliError, Exit, HistoryArgs};
use crate::store::{HistoryEntry, Paths, read_history};

pub fn run(paths: &Paths, args: &HistoryArgs) -> Result<Exit, CliError> {
    let entries = read_history(&paths.history(), args.limit)?;
    let printed = print_records(
        &entries,
        args.json,
        |entry| *entry,
        |entry| table_row(entry),
    )?;
    if printed == 0 && !args.json {
        eprintln!("no deletes recorded yet");
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
