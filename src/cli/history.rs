//! `history`: print the finished deletes, oldest first: those its query picks recorded
//! `--since` a time (the newest `--limit` of them when given), as a table, or with `--json`
//! one JSON line each, as `history.jsonl` held them and the video's title.

use jiff::Timestamp;

use super::delete_report::outcome_cells;
use super::open::open_existing;
use super::records::print_records;
use super::{CliError, Exit, HistoryArgs};
use super::{query, since};
use crate::printable::{self, out::say};
use crate::query::{Scope, Subject};
use crate::store::{HistoryEntry, Paths};

pub fn run(paths: &Paths, args: &HistoryArgs) -> Result<Exit, CliError> {
    let now = Timestamp::now();
    let query = query::parse_in(args.query.as_deref(), Scope::History, "QUERY")?;
    let since = args
        .since
        .as_deref()
        .map(|text| since::parse(text, now))
        .transpose()?;
    let entries = match open_existing(paths)? {
        Some(store) => store.history_picked(args.limit, since, |entry| {
            query.matches(&Subject::of_entry(entry), now)
        })?,
        None => Vec::new(),
    };
    let printed = print_records(
        &entries,
        args.json,
        |entry| *entry,
        |entry| table_row(entry),
    )?;
    if printed == 0 && !args.json {
        let picked = args.query.is_some() || since.is_some();
        say!(
            "{}",
            if picked {
                "no recorded delete matches"
            } else {
                "no deletes recorded yet"
            }
        );
    }
    Ok(Exit::Success)
}

/// The widest a title shows in the table (`--json` has it whole).
const TITLE_CELLS: usize = 32;

/// `2026-12-07T09:12:03Z  550e8400-…  a fox in the snow  deleted  204`: the title (printable,
/// cut and padded so the outcomes line up) between the ID and what happened.
fn table_row(entry: &HistoryEntry) -> String {
    let title = printable::cut(entry.title.as_deref().unwrap_or(""), TITLE_CELLS);
    format!(
        "{:.0}  {}  {}  {}",
        entry.at,
        entry.id,
        printable::padded(&title, TITLE_CELLS),
        outcome_cells(&entry.outcome())
    )
}
