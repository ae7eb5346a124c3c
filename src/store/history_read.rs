//! Reading `history.jsonl`: all of it, its newest lines (read backwards, a block at a time),
//! or what follows an offset. A line that is not a record (the last line a kill or a full
//! disk cut short, or a line edited by hand) never stops a reader: it is skipped and named
//! (`SkippedLine`, file and line) for the caller to report. Reads only; nothing here changes
//! the file.

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::StoreError;
use super::error::json_reason;
use super::history::{HistoryEntry, ends_mid_line};

/// A line of the journal that is not a record: skipped, and left in the file as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedLine {
    pub path: PathBuf,
    /// From 1.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for SkippedLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: not a whole record, skipped ({}); the line stays in the file",
            self.path.display(),
            self.line,
            self.reason
        )
    }
}

/// What reading the journal found: the records, oldest first, and the lines that were not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalRead {
    pub entries: Vec<HistoryEntry>,
    pub skipped: Vec<SkippedLine>,
}

/// The journal's records, oldest first, keeping only the last `limit` lines' when given;
/// lines that are not records are skipped (and logged). A missing file is an empty history.
pub fn read_history(path: &Path, limit: Option<usize>) -> Result<Vec<HistoryEntry>, StoreError> {
    Ok(read_journal(path, limit)?.entries)
}

/// As `read_history`, with the lines skipped, for a caller that reports them.
pub fn read_journal(path: &Path, limit: Option<usize>) -> Result<JournalRead, StoreError> {
    let Some(limit) = limit else {
        return read_journal_from(path, 0);
    };
    // The newest `limit` lines are the newest `limit` records unless some are not records
    // (a torn last line, say): then read further back, twice as far each time.
    let mut lines = limit;
    loop {
        let offset = tail_offset(path, lines).map_err(|err| StoreError::io(path, err))?;
        let mut read = read_journal_from(path, offset)?;
        if read.entries.len() >= limit || offset == 0 {
            let older = read.entries.len().saturating_sub(limit);
            read.entries.drain(..older);
            return Ok(read);
        }
        lines = lines.saturating_mul(2);
    }
}

/// Where the newest `limit` lines start, found by reading backwards from the end a block at
/// a time: after a million deletes the journal is hundreds of megabytes, and the history
/// view and `history --limit` want its tail.
fn tail_offset(path: &Path, limit: usize) -> io::Result<u64> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err),
    };
    let mut end = file.metadata()?.len();
    if limit == 0 {
        return Ok(end);
    }
    // Each newline from the end closes a line; a last line with no newline is a line too,
    // and then the first newline found is where it starts.
    let mut lines = usize::from(ends_mid_line(&mut file)?);
    let mut block = vec![0u8; BLOCK];
    while end > 0 {
        let start = end.saturating_sub(BLOCK as u64);
        let chunk = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        for (at, _) in chunk.iter().enumerate().rev().filter(|(_, b)| **b == b'\n') {
            if lines == limit {
                return Ok(start + at as u64 + 1);
            }
            lines += 1;
        }
        end = start;
    }
    Ok(0)
}

const BLOCK: usize = 64 * 1024;

/// The records from byte `offset` on (an offset past the end reads nothing), and the lines
/// there that are not records, each named by its line in the whole file.
pub(crate) fn read_journal_from(path: &Path, offset: u64) -> Result<JournalRead, StoreError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(JournalRead::default()),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_to_end(&mut text))
        .map_err(|err| StoreError::io(path, err))?;
    let mut read = JournalRead::default();
    let mut bad = Vec::new();
    for (index, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice(line) {
            Ok(entry) => read.entries.push(entry),
            Err(err) => bad.push((index, describe(&err))),
        }
    }
    if !bad.is_empty() {
        let before = lines_before(path, offset).map_err(|err| StoreError::io(path, err))?;
        read.skipped = bad
            .into_iter()
            .map(|(index, reason)| SkippedLine {
                path: path.to_path_buf(),
                line: before + index + 1,
                reason,
            })
            .inspect(|skipped| tracing::warn!("{skipped}"))
            .collect();
    }
    Ok(read)
}

/// The longest last line still parsed to tell a record missing its newline from a torn
/// line; a longer one is torn (a record is a few hundred bytes).
const LONGEST_RECORD: u64 = 1 << 20;

/// The journal's last line when it is torn: no newline after it, and not a record. This is
/// what a kill or a full disk mid-append leaves, and what `DataDir::open` looks for so the
/// commands can say so. `None` when the file is missing or its last line is whole.
pub(crate) fn torn_tail(path: &Path) -> Result<Option<SkippedLine>, StoreError> {
    let io_err = |source| StoreError::io(path, source);
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(io_err(err)),
    };
    if !ends_mid_line(&mut file).map_err(io_err)? {
        return Ok(None);
    }
    let len = file.metadata().map_err(io_err)?.len();
    let start = tail_offset(path, 1).map_err(io_err)?;
    let reason = if len - start > LONGEST_RECORD {
        format!("a last line of {} bytes with no end", len - start)
    } else {
        let mut last = Vec::new();
        file.seek(SeekFrom::Start(start))
            .and_then(|_| (&mut file).take(len - start).read_to_end(&mut last))
            .map_err(io_err)?;
        match serde_json::from_slice::<HistoryEntry>(&last) {
            Ok(_) => return Ok(None),
            Err(err) => describe(&err),
        }
    };
    let line = lines_before(path, start).map_err(io_err)? + 1;
    Ok(Some(SkippedLine {
        path: path.to_path_buf(),
        line,
        reason,
    }))
}

/// Why a line is not a record, in the user's terms.
pub(crate) fn describe(err: &serde_json::Error) -> String {
    if err.is_eof() {
        "it stops mid-record, as a write cut short by a kill or a full disk leaves it".to_owned()
    } else {
        json_reason(err)
    }
}

/// How many lines precede byte `offset`, to name a skipped line (the rare path), counted a
/// block at a time.
fn lines_before(path: &Path, offset: u64) -> io::Result<usize> {
    let mut prefix = File::open(path)?.take(offset);
    let mut block = vec![0u8; BLOCK];
    let mut lines = 0;
    loop {
        let n = prefix.read(&mut block)?;
        if n == 0 {
            return Ok(lines);
        }
        lines += block[..n].iter().filter(|&&b| b == b'\n').count();
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind, VideoId};
    use crate::store::HistoryWriter;

    fn entry(n: u128) -> HistoryEntry {
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(n));
        let outcome = Outcome::unsent(OutcomeKind::Deleted);
        HistoryEntry::new(Timestamp::UNIX_EPOCH, id, &outcome, Some("api.example"))
    }

    fn line(n: u128) -> String {
        serde_json::to_string(&entry(n)).unwrap()
    }

    fn lines_of(read: &JournalRead) -> Vec<usize> {
        read.skipped.iter().map(|skipped| skipped.line).collect()
    }

    #[test]
    fn the_newest_entries_are_read_from_the_end_of_a_long_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let mut writer = HistoryWriter::open(&path).unwrap();
        // Well over one 64 KiB block.
        for n in 1..=3000 {
            writer.append(&entry(n)).unwrap();
        }
        writer.flush().unwrap();
        drop(writer);
        let newest = |limit| read_history(&path, Some(limit)).unwrap();
        assert_eq!(newest(2), [entry(2999), entry(3000)]);
        assert_eq!(newest(1000)[0], entry(2001));
        assert_eq!(newest(3000).len(), 3000);
        assert_eq!(newest(5000).len(), 3000);
        assert!(newest(0).is_empty());
    }

    #[test]
    fn a_last_record_missing_its_newline_is_read_and_counted_as_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        std::fs::write(&path, format!("{}\n{}\n{}", line(1), line(2), line(3))).unwrap();
        let all = read_journal(&path, None).unwrap();
        assert_eq!(all.entries, [entry(1), entry(2), entry(3)]);
        assert!(all.skipped.is_empty());
        assert_eq!(read_history(&path, Some(2)).unwrap(), [entry(2), entry(3)]);
        assert_eq!(torn_tail(&path).unwrap(), None);
    }

    #[test]
    fn lines_that_are_not_records_are_skipped_and_named_wherever_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let torn = &line(3)[..40];
        let text = format!(
            "{}\nnot json\n\n{}\n{torn}\n{}\n{torn}",
            line(1),
            line(2),
            line(4)
        );
        std::fs::write(&path, &text).unwrap();
        let all = read_journal(&path, None).unwrap();
        assert_eq!(all.entries, [entry(1), entry(2), entry(4)]);
        assert_eq!(lines_of(&all), [2, 5, 7]);
        assert!(
            all.skipped[1].reason.contains("stops mid-record"),
            "{:?}",
            all.skipped
        );
        let shown = all.skipped[0].to_string();
        assert!(
            shown.starts_with(&format!("{}:2: not a whole record", path.display())),
            "{shown}"
        );

        let tail = read_journal(&path, Some(1)).unwrap();
        assert_eq!(tail.entries, [entry(4)]);
        assert_eq!(lines_of(&tail), [7], "named by its line in the whole file");
        let tail = read_journal(&path, Some(2)).unwrap();
        assert_eq!(
            tail.entries,
            [entry(2), entry(4)],
            "the newest records, not lines"
        );
        assert_eq!(read_history(&path, Some(9)).unwrap().len(), 3);
        let torn_tail = torn_tail(&path).unwrap().unwrap();
        assert_eq!(torn_tail.line, 7);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "read only");
    }

    #[test]
    fn a_clean_or_missing_journal_has_no_torn_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        assert_eq!(torn_tail(&path).unwrap(), None);
        std::fs::write(&path, format!("{}\n", line(1))).unwrap();
        assert_eq!(torn_tail(&path).unwrap(), None);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"at\":\"19").unwrap();
        assert_eq!(torn_tail(&path).unwrap().map(|torn| torn.line), Some(2));
    }
}
