//! `--query` for the commands that pick videos from the known list (`list`, `delete`), and
//! `history`'s query: the query language of the app's `/` filter (`query::Query`), its errors
//! shown with a caret under the part they are about.

use jiff::Timestamp;

use super::CliError;
use crate::printable::{self, Printable};
use crate::query::{Query, Scope, Subject};
use crate::store::KnownVideo;

/// The parsed `--query`, or the query that takes every video when there is none.
pub fn parse(text: Option<&str>) -> Result<Query, CliError> {
    parse_in(text, Scope::KnownList, "--query")
}

/// As `parse`, for what `scope` holds, the errors starting with `name` (the argument).
pub fn parse_in(text: Option<&str>, scope: Scope, name: &str) -> Result<Query, CliError> {
    let Some(text) = text else {
        return Ok(Query::default());
    };
    Query::parse_in(text, scope).map_err(|err| {
        // The query as it shows (`printable`), the caret under the cells its part takes.
        let span = err.span();
        let before = printable::width(&text[..span.start]);
        let under = printable::width(&text[span]).max(1);
        CliError::Usage(format!(
            "{name}: {}\n  {}\n  {}{}",
            Printable(&err),
            printable::printable(text),
            " ".repeat(before),
            "^".repeat(under)
        ))
    })
}

/// The row numbers (positions in `videos`) of the videos `query` picks, in list order.
pub fn matching_rows(videos: &[KnownVideo], query: &Query, now: Timestamp) -> Vec<u32> {
    let mut matcher = query.matcher(now);
    (0..videos.len() as u32)
        .filter(|&row| matcher.matches(&Subject::of(&videos[row as usize])))
        .collect()
}
