//! Reading `history.jsonl` a line at a time (after a million deletes it is hundreds of
//! megabytes): each record with the byte its line starts at, and the lines that are not
//! records (the last line a kill or a full disk cut short, a line edited by hand), skipped
//! and named.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::SkippedLine;
use crate::store::error::json_reason;
use crate::store::{HistoryEntry, StoreError};

/// Hands every record to `each`, in file order, with the byte its line starts at; returns
/// the lines skipped. Stops at the first error of `each`.
pub fn for_each_record(
    path: &Path,
    mut each: impl FnMut(u64, HistoryEntry) -> Result<(), StoreError>,
) -> Result<Vec<SkippedLine>, StoreError> {
    let io_err = |err| StoreError::io(path, err);
    let mut reader = BufReader::new(File::open(path).map_err(io_err)?);
    let (mut start, mut number) = (0u64, 0usize);
    let mut skipped = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line).map_err(io_err)?;
        if read == 0 {
            return Ok(skipped);
        }
        number += 1;
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        if !text.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<HistoryEntry>(text) {
                Ok(entry) => each(start, entry)?,
                Err(err) => skipped.push(SkippedLine {
                    path: path.to_path_buf(),
                    line: number,
                    reason: describe(&err),
                }),
            }
        }
        start += read as u64;
    }
}

/// Why a line is not a record, in the user's terms.
fn describe(err: &serde_json::Error) -> String {
    if err.is_eof() {
        "it stops mid-record, as a write cut short by a kill or a full disk leaves it".to_owned()
    } else {
        json_reason(err)
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind, VideoId};

    fn line(n: u128) -> String {
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(n));
        let outcome = Outcome::unsent(OutcomeKind::Deleted);
        let entry = HistoryEntry::new(Timestamp::UNIX_EPOCH, id, &outcome, Some("h"));
        serde_json::to_string(&entry).unwrap()
    }

    #[test]
    fn records_come_with_where_their_line_starts_and_other_lines_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let torn = &line(3)[..40];
        let text = format!("{}\nnot json\n\n{}\n{torn}", line(1), line(2));
        std::fs::write(&path, &text).unwrap();
        let mut seen = Vec::new();
        let skipped = for_each_record(&path, |start, entry| {
            seen.push((start, entry.id));
            Ok(())
        })
        .unwrap();
        let second = (line(1).len() + "not json\n\n".len() + 1) as u64;
        assert_eq!(seen.len(), 2);
        assert_eq!((seen[0].0, seen[1].0), (0, second));
        let lines: Vec<_> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, [2, 5]);
        assert!(
            skipped[1].reason.contains("stops mid-record"),
            "{skipped:?}"
        );
        let shown = skipped[0].to_string();
        assert!(
            shown.contains("history.jsonl:2: not a whole record"),
            "{shown}"
        );
        assert!(shown.contains("history.jsonl.migrated"), "{shown}");
    }
}
