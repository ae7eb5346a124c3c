//! Printing a listing to stdout: JSON Lines with `--json`, else one table row per record,
//! through one buffered writer (`printable::out::Stdout`: rows printable, JSON exact).
//! Shared by `list` and `history`; knows nothing of either.

use serde::Serialize;

use super::CliError;
use crate::printable::out::Stdout;

/// Writes every record, then flushes. Returns how many were written.
pub fn print_records<T, J: Serialize>(
    records: impl IntoIterator<Item = T>,
    json: bool,
    as_json: impl Fn(&T) -> J,
    as_row: impl Fn(&T) -> String,
) -> Result<usize, CliError> {
    let mut out = Stdout::lock();
    let mut count = 0;
    for record in records {
        if json {
            out.json(&as_json(&record))
        } else {
            out.line(&as_row(&record))
        }
        .map_err(CliError::Output)?;
        count += 1;
    }
    out.flush().map_err(CliError::Output)?;
    Ok(count)
}
