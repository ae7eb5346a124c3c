//! `history.jsonl`: the append-only journal, one JSON line per finished delete, and its
//! writer. Bytes are only ever appended and flushed, never rewritten or cut: when the file
//! ends mid-line (a last record missing its newline, or a line a kill or a full disk cut
//! short) the next entry starts on a fresh line after it. Reading is `history_read`'s.

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
    /// The file ends without a newline: the first append starts a fresh line, so what is
    /// there stays as it is (a record is then whole, a torn line stays a line of its own).
    ends_mid_line: bool,
}

impl HistoryWriter {
    /// Opens (creating 0600) for appending. Call only while holding the data lock.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let io_err = |source| StoreError::io(path, source);
        let mut file = private_options()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err)?;
        let ends_mid_line = ends_mid_line(&mut file).map_err(io_err)?;
        Ok(Self {
            file: BufWriter::new(file),
            path: path.to_path_buf(),
            ends_mid_line,
        })
    }

    pub fn append(&mut self, entry: &HistoryEntry) -> Result<(), StoreError> {
        let io_err = |source| StoreError::io(&self.path, source);
        if self.ends_mid_line {
            self.file.write_all(b"\n").map_err(io_err)?;
            self.ends_mid_line = false;
        }
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

/// Whether the file's last byte is something other than a newline.
pub(super) fn ends_mid_line(file: &mut File) -> io::Result<bool> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8];
    file.seek(SeekFrom::Start(len - 1))?;
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
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
    use crate::store::read_history;

    fn entry(n: u128) -> HistoryEntry {
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(n));
        let outcome = Outcome::unsent(OutcomeKind::Deleted);
        HistoryEntry::new(Timestamp::UNIX_EPOCH, id, &outcome, Some("api.example"))
    }

    fn line(n: u128) -> String {
        serde_json::to_string(&entry(n)).unwrap()
    }

    fn append(path: &Path, entries: &[u128]) {
        let mut writer = HistoryWriter::open(path).unwrap();
        for &n in entries {
            writer.append(&entry(n)).unwrap();
        }
        writer.flush().unwrap();
    }

    #[test]
    fn appends_across_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        for n in 1..=3 {
            append(&path, &[n]);
        }
        assert_eq!(
            read_history(&path, None).unwrap(),
            [entry(1), entry(2), entry(3)]
        );
    }

    #[test]
    fn a_record_missing_its_newline_gets_one_before_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let before = format!("{}\n{}", line(1), line(2));
        std::fs::write(&path, &before).unwrap();
        HistoryWriter::open(&path).unwrap().flush().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            before,
            "opening writes nothing"
        );
        append(&path, &[3]);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{before}\n{}\n", line(3))
        );
    }

    #[test]
    fn a_torn_last_line_is_kept_and_the_next_entry_starts_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let before = format!("{}\n{{\"at\":\"19", line(1));
        std::fs::write(&path, &before).unwrap();
        append(&path, &[2]);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{before}\n{}\n", line(2))
        );
        assert_eq!(read_history(&path, None).unwrap(), [entry(1), entry(2)]);
    }
}
