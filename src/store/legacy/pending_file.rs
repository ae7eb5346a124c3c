//! `pending.json` of earlier versions: the IDs of the batch in progress when it was written,
//! and how long `history.jsonl` was then (answers journalled after that took IDs off it).

use serde::Deserialize;

use super::{Versioned, read_versioned};
use crate::api::VideoId;
use crate::store::error::DataFile;
use crate::store::{Paths, StoreError};

#[derive(Deserialize)]
struct PendingFile {
    version: u32,
    /// Absent in the oldest files, whose IDs were rewritten as they were answered.
    #[serde(default)]
    journal_offset: Option<u64>,
    ids: Vec<VideoId>,
}

impl Versioned for PendingFile {
    const FILE: DataFile = DataFile::Pending;
    const VERSION: u32 = 1;
    fn version(&self) -> u32 {
        self.version
    }
}

/// The file as written: its IDs, and the history offset from which answers take them off.
pub type PendingIds = (Vec<VideoId>, Option<u64>);

/// The file as written; `None` when there is none.
pub fn read_pending_file(paths: &Paths) -> Result<Option<PendingIds>, StoreError> {
    let file: Option<PendingFile> = read_versioned(&paths.pending())?;
    Ok(file.map(|file| (file.ids, file.journal_offset)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_offset_read_as_written_and_damage_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        assert_eq!(read_pending_file(&paths).unwrap(), None);
        let id = "550e8400-e29b-41d4-a716-446655440000";
        std::fs::write(
            paths.pending(),
            format!("{{\"version\":1,\"ids\":[\"{id}\"]}}"),
        )
        .unwrap();
        let (ids, offset) = read_pending_file(&paths).unwrap().unwrap();
        assert_eq!((ids, offset), (vec![id.parse().unwrap()], None));
        std::fs::write(paths.pending(), "{\"version\":1,\n\"ids\":[\"x\"]}").unwrap();
        let message = read_pending_file(&paths).unwrap_err().to_string();
        assert!(message.contains("pending.json:2:"), "{message}");
        std::fs::write(paths.pending(), "{\"version\":9,\"ids\":[]}").unwrap();
        assert!(matches!(
            read_pending_file(&paths),
            Err(StoreError::UnknownVersion { .. })
        ));
    }
}
