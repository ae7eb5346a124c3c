//! `--query` for the commands that pick videos from the known list (`list`, `delete`): the
//! query language of the app's `/` filter (`query::Query`), its errors shown with a caret
//! under the part they are about.

use jiff::Timestamp;

use super::CliError;
use crate::printable::{self, Printable};
use crate::query::{Query, Subject};
use crate::store::KnownVideo;

/// The parsed `--query`, or the query that takes every video when there is none.
pub fn parse(text: Option<&str>) -> Result<Query, CliError> {
    let Some(text) = text else {
        return Ok(Query::default());
    };
    Query::parse(text).map_err(|err| {
        // The query as it shows (`printable`), the caret under the cells its part takes.
        let span = err.span();
        let before = printable::width(&text[..span.start]);
        let under = printable::width(&text[span]).max(1);
        CliError::Usage(format!(
            "--query: {}\n  {}\n  {}{}",
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
