//! Printing a listing to stdout: JSON Lines with `--json`, else one table row per record,
//! through one buffered writer. Shared by `list` and `history`; knows nothing of either.

use std::io::Write;

use serde::Serialize;

use super::CliError;

/// Writes every record, then flushes. Returns how many were written.
pub fn print_records<T, J: Serialize>(
    records: impl IntoIterator<Item = T>,
    json: bool,
    as_json: impl Fn(&T) -> J,
    as_row: impl Fn(&T) -> String,
) -> Result<usize, CliError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut count = 0;
    for record in records {
        if json {
            serde_json::to_writer(&mut out, &as_json(&record))
                .map_err(|err| CliError::Output(err.into()))?;
            writeln!(out)
        } else {
            writeln!(out, "{}", as_row(&record))
        }
        .map_err(CliError::Output)?;
        count += 1;
    }
    out.flush().map_err(CliError::Output)?;
    Ok(count)
}
