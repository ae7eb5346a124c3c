//! `history`: print the journal of finished deletes, oldest first.

use std::io::Write;

use super::delete_report::outcome_cells;
use super::{CliError, Exit, HistoryArgs};
use crate::store::{HistoryEntry, Paths, read_history};

pub fn run(paths: &Paths, args: &HistoryArgs) -> Result<Exit, CliError> {
    let entries = read_history(&paths.history(), args.limit)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for entry in &entries {
        if args.json {
            serde_json::to_writer(&mut out, entry).map_err(|err| CliError::Output(err.into()))?;
            writeln!(out)
        } else {
            writeln!(out, "{}", table_row(entry))
        }
        .map_err(CliError::Output)?;
    }
    out.flush().map_err(CliError::Output)?;
    if entries.is_empty() && !args.json {
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
