//! `history.jsonl`: the append-only journal, one JSON line per finished delete. Finished lines
//! are only ever appended and flushed, never rewritten; the one exception is the unfinished
//! fragment a kill mid-append can leave after the last newline, which reading skips and the
//! next writer cuts off. Damage anywhere else is an error naming the line.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::private_options;
use crate::api::{Outcome, OutcomeKind, VideoId};

/// One finished delete, as journalled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub id: VideoId,
    pub outcome: OutcomeKind,
    pub status: Option<u16>,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub attempts: u32,
    /// The host of the base URL the request went to (sandbox vs production matters later).
    pub host: Option<String>,
}

impl HistoryEntry {
    pub fn new(at: Timestamp, id: VideoId, outcome: &Outcome, host: Option<&str>) -> Self {
        Self {
            at,
            id,
            outcome: outcome.kind,
            status: outcome.status,
            error_code: outcome.error_code.clone(),
            message: outcome.message.clone(),
            request_id: outcome.request_id.clone(),
            attempts: outcome.attempts,
            host: host.map(str::to_owned),
        }
    }

    /// The outcome as the engine reported it (what `replay` applies to the list).
    pub fn outcome(&self) -> Outcome {
        Outcome {
            kind: self.outcome,
            status: self.status,
            error_code: self.error_code.clone(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
        }
    }
}

/// The open journal. `append` buffers; `flush` makes what was appended durable.
#[derive(Debug)]
pub struct HistoryWriter {
    file: BufWriter<File>,
    path: PathBuf,
}

impl HistoryWriter {
    /// Opens (creating 0600) for appending. If a kill left an unfinished last line, it is cut
    /// off so the next entry starts on its own line. Call only while holding the data lock.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let io_err = |source| StoreError::io(path, source);
        let mut file = private_options()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err)?;
        cut_torn_tail(&mut file).map_err(io_err)?;
        Ok(Self {
            file: BufWriter::new(file),
            path: path.to_path_buf(),
        })
    }

    pub fn append(&mut self, entry: &HistoryEntry) -> Result<(), StoreError> {
        let io_err = |source| StoreError::io(&self.path, source);
        serde_json::to_writer(&mut self.file, entry).map_err(|err| io_err(err.into()))?;
        self.file.write_all(b"\n").map_err(io_err)
    }

    /// Writes the buffer out and fsyncs it.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        let io_err = |source| StoreError::io(&self.path, source);
        self.file.flush().map_err(io_err)?;
        self.file.get_ref().sync_data().map_err(io_err)
    }
}

/// Truncates the file after its last newline (or to empty when it has none).
fn cut_torn_tail(file: &mut File) -> io::Result<()> {
    const CHUNK: u64 = 4096;
    let len = file.metadata()?.len();
    let mut end = len;
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let chunk = &mut buf[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        if let Some(pos) = chunk.iter().rposition(|&b| b == b'\n') {
            let keep = start + pos as u64 + 1;
            if keep < len {
                file.set_len(keep)?;
            }
            return Ok(());
        }
        end = start;
    }
    if len > 0 {
        file.set_len(0)?;
    }
    Ok(())
}

/// Reads the journal, oldest first, keeping only the last `limit` entries when given. A
/// missing file is an empty history.
pub fn read_history(path: &Path, limit: Option<usize>) -> Result<Vec<HistoryEntry>, StoreError> {
    let offset = match limit {
        Some(limit) => tail_offset(path, limit).map_err(|err| StoreError::io(path, err))?,
        None => 0,
    };
    // At most `limit` lines follow the offset, so at most `limit` entries.
    read_history_from(path, offset)
}

/// Where the newest `limit` complete lines start, found by reading backwards from the end a
/// block at a time: after a million deletes the journal is hundreds of megabytes, and the
/// history view and `history --limit` want its tail.
fn tail_offset(path: &Path, limit: usize) -> io::Result<u64> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(err) => return Err(err),
    };
    let mut end = file.metadata()?.len();
    let mut block = vec![0u8; 64 * 1024];
    // The first newline from the end closes the newest complete line; the one after the
    // newest `limit` lines closes the line before them.
    let mut newlines = 0;
    while end > 0 {
        let start = end.saturating_sub(block.len() as u64);
        let chunk = &mut block[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(chunk)?;
        for (at, _) in chunk.iter().enumerate().rev().filter(|(_, b)| **b == b'\n') {
            newlines += 1;
            if newlines > limit {
                return Ok(start + at as u64 + 1);
            }
        }
        end = start;
    }
    Ok(0)
}

/// The complete entries from byte `offset` on (an offset past the end reads nothing).
pub fn read_history_from(path: &Path, offset: u64) -> Result<Vec<HistoryEntry>, StoreError> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_to_end(&mut text))
        .map_err(|err| StoreError::io(path, err))?;
    let complete = match text.iter().rposition(|&b| b == b'\n') {
        // A kill mid-append leaves a last line without its newline: it never finished.
        Some(end) => &text[..=end],
        None => &[][..],
    };
    let mut entries = Vec::new();
    for (index, line) in complete.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let entry = serde_json::from_slice(line).map_err(|err| {
            let line = lines_before(path, offset).map_or(index + 1, |before| before + index + 1);
            StoreError::json(path, line, &err)
        })?;
        entries.push(entry);
    }
    Ok(entries)
}

/// How many lines precede byte `offset`, for an error's line number (the rare path).
fn lines_before(path: &Path, offset: u64) -> io::Result<usize> {
    let mut prefix = Vec::new();
    File::open(path)?.take(offset).read_to_end(&mut prefix)?;
    Ok(prefix.iter().filter(|&&b| b == b'\n').count())
}

/// The journal's length in bytes (0 when there is none yet): the offset a list saved now
/// reflects, since results are journalled before they are applied to the list.
pub fn journal_len(path: &Path) -> Result<u64, StoreError> {
    match std::fs::metadata(path) {
        Ok(meta) => Ok(meta.len()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(0),
        Err(err) => Err(StoreError::io(path, err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: u128) -> HistoryEntry {
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(n));
        let outcome = Outcome::unsent(OutcomeKind::Deleted);
        HistoryEntry::new(Timestamp::UNIX_EPOCH, id, &outcome, Some("api.example"))
    }

    #[test]
    fn appends_across_opens_and_reads_the_tail() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        for n in 1..=3 {
            let mut writer = HistoryWriter::open(&path).unwrap();
            writer.append(&entry(n)).unwrap();
            writer.flush().unwrap();
        }
        assert_eq!(read_history(&path, None).unwrap().len(), 3);
        assert_eq!(read_history(&path, Some(2)).unwrap(), [entry(2), entry(3)]);
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
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"at\":\"19").unwrap();
        assert_eq!(newest(1), [entry(3000)], "a torn last line is not an entry");
    }

    #[test]
    fn a_torn_last_line_is_skipped_and_cut_by_the_next_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let mut writer = HistoryWriter::open(&path).unwrap();
        writer.append(&entry(1)).unwrap();
        writer.flush().unwrap();
        drop(writer);
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        file.write_all(b"{\"at\":\"19").unwrap();
        assert_eq!(read_history(&path, None).unwrap(), [entry(1)]);
        let mut writer = HistoryWriter::open(&path).unwrap();
        writer.append(&entry(2)).unwrap();
        writer.flush().unwrap();
        assert_eq!(read_history(&path, None).unwrap(), [entry(1), entry(2)]);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "fragment left in: {text}");
    }
}
