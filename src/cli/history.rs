//! `history`: print the journal of finished deletes, oldest first.

use std::io::Write;

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
    let status = entry
        .status
        .map_or("-".to_owned(), |status| status.to_string());
    let detail = entry
        .message
        .as_deref()
        .or(entry.error_code.as_deref())
        .unwrap_or("");
    format!(
        "{:.0}  {}  {:<12}  {status:>3}  {detail}",
        entry.at,
        entry.id,
        entry.outcome.label()
    )
}
