//! `videos.json` on disk: a versioned JSON document, one video per line so a damaged spot has
//! a useful line number. Loading never modifies the file; a damaged or unknown-version file is
//! an error that says where and how to recover. Saving is atomic (see `atomic`).

use std::io::{self, Write};
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::atomic::write_atomic;
use super::{KnownVideo, KnownVideos, StoreError};

/// The format version this build writes and reads.
pub const KNOWN_FILE_VERSION: u32 = 1;

/// Read first, so a future format is reported as such rather than as damage.
#[derive(Deserialize)]
struct Header {
    version: Option<serde_json::Value>,
    #[serde(rename = "videos")]
    _videos: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownFile {
    #[serde(rename = "version")]
    _version: u32,
    videos: Vec<KnownVideo>,
}

/// Loads the list; a missing file is an empty list (first run).
pub fn load_known(path: &Path) -> Result<KnownVideos, StoreError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(KnownVideos::default()),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    let header: Header = serde_json::from_slice(&bytes).map_err(|err| corrupt(path, &err))?;
    match header.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(u64::from(KNOWN_FILE_VERSION)) => {
        }
        Some(other) => {
            return Err(StoreError::UnknownVersion {
                path: path.to_path_buf(),
                found: other.to_string(),
                supported: KNOWN_FILE_VERSION,
            });
        }
        None => {
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                reason: "it has no \"version\" field".to_owned(),
            });
        }
    }
    let file: KnownFile = serde_json::from_slice(&bytes).map_err(|err| corrupt(path, &err))?;
    KnownVideos::from_videos(file.videos).map_err(|id| StoreError::DuplicateVideo {
        path: path.to_path_buf(),
        id,
    })
}

/// Replaces the file with `videos`, atomically and 0600.
pub fn save_known(path: &Path, videos: &KnownVideos) -> Result<(), StoreError> {
    let bytes = encode(videos).map_err(|err| StoreError::io(path, err))?;
    write_atomic(path, &bytes).map_err(|err| StoreError::io(path, err))
}

fn encode(videos: &KnownVideos) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 + videos.len() * 120);
    write!(out, "{{\"version\":{KNOWN_FILE_VERSION},\"videos\":[")?;
    for (n, video) in videos.iter().enumerate() {
        out.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut out, video)?;
    }
    out.extend_from_slice(b"\n]}\n");
    Ok(out)
}

fn corrupt(path: &Path, err: &serde_json::Error) -> StoreError {
    let text = err.to_string();
    // serde_json appends " at line L column C"; the position is reported on its own.
    let reason = match text.rsplit_once(" at line ") {
        Some((reason, _)) => reason.to_owned(),
        None => text,
    };
    StoreError::Corrupt {
        path: path.to_path_buf(),
        line: err.line(),
        column: err.column(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    #[test]
    fn round_trips_and_writes_one_video_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        let mut list = KnownVideos::default();
        let ids: Vec<_> = (1..=3)
            .map(|n| crate::api::VideoId::from_uuid(uuid::Uuid::from_u128(n)))
            .collect();
        list.add(&ids, Some("batch \"1\""), Timestamp::UNIX_EPOCH);
        save_known(&path, &list).unwrap();
        assert_eq!(load_known(&path).unwrap(), list);
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 5);
    }

    #[test]
    fn missing_file_is_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            load_known(&dir.path().join("videos.json"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn damage_is_reported_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        std::fs::write(
            &path,
            "{\"version\":1,\"videos\":[\n{\"id\":\"nope\"}\n]}\n",
        )
        .unwrap();
        match load_known(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
}
