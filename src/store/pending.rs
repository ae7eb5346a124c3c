//! `pending.json`: the IDs of an interrupted batch that were still queued (never answered),
//! so the next start can offer to resume them. Written atomically; removed when empty.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::atomic::write_atomic;
use crate::api::VideoId;

const PENDING_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct PendingFile {
    version: u32,
    ids: Vec<VideoId>,
}

/// The queued IDs of the last interrupted batch, in queue order; empty when there is none.
pub fn load_pending(path: &Path) -> Result<Vec<VideoId>, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    let file: PendingFile =
        serde_json::from_slice(&bytes).map_err(|err| StoreError::json(path, err.line(), &err))?;
    if file.version != PENDING_VERSION {
        return Err(StoreError::UnknownVersion {
            path: path.to_path_buf(),
            found: file.version.to_string(),
            supported: PENDING_VERSION,
        });
    }
    Ok(file.ids)
}

/// Records `ids` as the resumable batch; with none left, the file is removed.
pub fn save_pending(path: &Path, ids: &[VideoId]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return match std::fs::remove_file(path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => Err(StoreError::io(path, err)),
            _ => Ok(()),
        };
    }
    let file = PendingFile {
        version: PENDING_VERSION,
        ids: ids.to_vec(),
    };
    let bytes = serde_json::to_vec(&file).map_err(|err| StoreError::io(path, err.into()))?;
    write_atomic(path, &bytes).map_err(|err| StoreError::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_empty_removes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pending.json");
        assert!(load_pending(&path).unwrap().is_empty());
        let ids = [VideoId::from_uuid(uuid::Uuid::from_u128(7))];
        save_pending(&path, &ids).unwrap();
        assert_eq!(load_pending(&path).unwrap(), ids);
        save_pending(&path, &[]).unwrap();
        assert!(!path.exists());
    }
}
