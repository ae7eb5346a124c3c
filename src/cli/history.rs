//! `history`: print the finished deletes, oldest first (the newest `--limit` only when given):
//! a table, or with `--json` one JSON line each, as `history.jsonl` held them.

use super::delete_report::outcome_cells;
use super::open::open_existing;
use super::records::print_records;
use super::{CliError, Exit, HistoryArgs};
use crate::printable::out::say;
use crate::store::{HistoryEntry, Paths};

pub fn run(paths: &Paths, args: &HistoryArgs) -> Result<Exit, CliError> {
    let entries = match open_existing(paths)? {
        Some(store) => store.history(args.limit)?,
        None => Vec::new(),
    };
    let printed = print_records(
        &entries,
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
