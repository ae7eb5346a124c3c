//! `pending.json`: the IDs of a batch that were queued when it was written, and how long the
//! journal was then. The IDs still pending are those with no answer journalled since, so the
//! file is written when a batch is queued and removed when nothing is left, never once per
//! answer (a million-ID batch would rewrite 40 MB four times a second). Written atomically.

use std::io;

use serde::{Deserialize, Serialize};

use super::atomic::{remove_file, write_atomic};
use super::db::answers;
use super::error::DataFile;
use super::history_read::read_journal_from;
use super::{IdSet, Paths, StoreError, journal_len};
use crate::api::VideoId;

const PENDING_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct PendingFile {
    version: u32,
    /// Answers journalled from here on take IDs off the list (absent in older files, whose
    /// IDs were rewritten as they were answered).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    journal_offset: Option<u64>,
    ids: Vec<VideoId>,
}

/// The IDs of the last interrupted batch still unanswered, in queue order; empty when there
/// is none.
pub fn load_pending(paths: &Paths) -> Result<Vec<VideoId>, StoreError> {
    let Some((ids, offset)) = read_pending_file(paths)? else {
        return Ok(Vec::new());
    };
    let Some(offset) = offset else {
        return Ok(ids);
    };
    let answered: IdSet = read_journal_from(&paths.history(), offset)?
        .entries
        .into_iter()
        .filter(|entry| answers(entry.outcome))
        .map(|entry| entry.id)
        .collect();
    let mut ids = ids;
    ids.retain(|id| !answered.contains(id));
    Ok(ids)
}

/// `pending.json` as written: its IDs, and the journal offset from which answers take them
/// off (`None` in older files).
pub(crate) type PendingIds = (Vec<VideoId>, Option<u64>);

/// The file as written; `None` when there is no file.
pub(crate) fn read_pending_file(paths: &Paths) -> Result<Option<PendingIds>, StoreError> {
    let path = paths.pending();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(StoreError::io(&path, err)),
    };
    let file: PendingFile = serde_json::from_slice(&bytes).map_err(|err| corrupt(&path, &err))?;
    if file.version != PENDING_VERSION {
        return Err(StoreError::UnknownVersion {
            path,
            file: DataFile::Pending,
            found: file.version.to_string(),
            supported: PENDING_VERSION,
        });
    }
    Ok(Some((file.ids, file.journal_offset)))
}

fn corrupt(path: &std::path::Path, err: &serde_json::Error) -> StoreError {
    StoreError::json(path, DataFile::Pending, err.line(), err)
}

/// Records `ids` as the resumable batch, as of the journal's current length; with none left,
/// the file is removed (through a symlink, the file it points to: the link stays).
pub fn save_pending(paths: &Paths, ids: &[VideoId]) -> Result<(), StoreError> {
    let path = paths.pending();
    if ids.is_empty() {
        return remove_file(&path).map_err(|err| StoreError::io(&path, err));
    }
    let bytes = encode(journal_len(&paths.history())?, ids);
    write_atomic(&path, &bytes).map_err(|err| StoreError::io(&path, err))
}

/// A `PendingFile` as JSON, written by hand: a million-ID batch is 40 MB, which a serializer
/// takes five times as long to write.
fn encode(journal_offset: u64, ids: &[VideoId]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + ids.len() * 39);
    out.extend_from_slice(
        format!("{{\"version\":{PENDING_VERSION},\"journal_offset\":{journal_offset},\"ids\":[")
            .as_bytes(),
    );
    for (n, id) in ids.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        id.push_json(&mut out);
    }
    out.extend_from_slice(b"]}");
    out
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind};
    use crate::store::{HistoryEntry, HistoryWriter};

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn journal(paths: &Paths, answers: &[(u128, OutcomeKind)]) {
        let mut writer = HistoryWriter::open(&paths.history()).unwrap();
        for &(n, kind) in answers {
            let entry =
                HistoryEntry::new(Timestamp::UNIX_EPOCH, id(n), &Outcome::unsent(kind), None);
            writer.append(&entry).unwrap();
        }
        writer.flush().unwrap();
    }

    #[test]
    fn the_file_is_what_serde_would_write() {
        let ids = [id(7), id(u128::MAX)];
        let file = PendingFile {
            version: PENDING_VERSION,
            journal_offset: Some(42),
            ids: ids.to_vec(),
        };
        assert_eq!(encode(42, &ids), serde_json::to_vec(&file).unwrap());
        assert_eq!(
            encode(0, &[]),
            br#"{"version":1,"journal_offset":0,"ids":[]}"#
        );
    }

    #[test]
    fn round_trips_and_empty_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        assert!(load_pending(&paths).unwrap().is_empty());
        save_pending(&paths, &[id(7)]).unwrap();
        assert_eq!(load_pending(&paths).unwrap(), [id(7)]);
        save_pending(&paths, &[]).unwrap();
        assert!(!paths.pending().exists());
    }

    #[test]
    fn answers_journalled_after_the_file_take_ids_off_and_earlier_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        journal(&paths, &[(1, OutcomeKind::Deleted)]);
        save_pending(&paths, &[id(1), id(2), id(3), id(4), id(5)]).unwrap();
        journal(
            &paths,
            &[
                (2, OutcomeKind::Deleted),
                (3, OutcomeKind::Cancelled),
                (4, OutcomeKind::Forbidden),
                (5, OutcomeKind::Unauthorized),
            ],
        );
        assert_eq!(
            load_pending(&paths).unwrap(),
            [id(1), id(3), id(5)],
            "1 was answered before it was queued again; 3 was never sent; 5's key was refused"
        );
    }

    #[test]
    fn a_file_without_an_offset_is_read_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        journal(&paths, &[(1, OutcomeKind::Deleted)]);
        std::fs::write(
            paths.pending(),
            format!("{{\"version\":1,\"ids\":[\"{}\"]}}", id(1)),
        )
        .unwrap();
        assert_eq!(load_pending(&paths).unwrap(), [id(1)]);
    }
}
