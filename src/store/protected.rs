//! `protected.json`: the IDs the user protected on one profile (the profile's `protect` rules
//! are in config.toml). One ID a line, sorted, so a hand edit and a diff read well. Written
//! atomically; a damaged or unknown-version file is reported and never overwritten, and
//! whatever reads it (the app, `delete`, `list`, `protect`) stops until it is fixed.

use std::io;

use serde::Deserialize;

use super::atomic::write_atomic;
use super::error::DataFile;
use super::{IdSet, Paths, StoreError};
use crate::api::VideoId;

const PROTECTED_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectedFile {
    version: u32,
    ids: Vec<VideoId>,
}

/// The protected IDs; empty when the file does not exist.
pub fn load_protected(paths: &Paths) -> Result<IdSet, StoreError> {
    let path = paths.protected();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(IdSet::default()),
        Err(err) => return Err(StoreError::io(&path, err)),
    };
    let file: ProtectedFile = serde_json::from_slice(&bytes)
        .map_err(|err| StoreError::json(&path, DataFile::Protected, err.line(), &err))?;
    if file.version != PROTECTED_VERSION {
        return Err(StoreError::UnknownVersion {
            path,
            file: DataFile::Protected,
            found: file.version.to_string(),
            supported: PROTECTED_VERSION,
        });
    }
    Ok(file.ids.into_iter().collect())
}

/// Replaces the file with `ids`, sorted, atomically (0600).
pub fn save_protected(paths: &Paths, ids: &IdSet) -> Result<(), StoreError> {
    let mut sorted: Vec<&VideoId> = ids.iter().collect();
    sorted.sort_unstable();
    let mut text = format!("{{\"version\": {PROTECTED_VERSION}, \"ids\": [\n");
    for (n, id) in sorted.iter().enumerate() {
        let comma = if n + 1 < sorted.len() { "," } else { "" };
        text.push_str(&format!("\"{id}\"{comma}\n"));
    }
    text.push_str("]}\n");
    let path = paths.protected();
    write_atomic(&path, text.as_bytes()).map_err(|err| StoreError::io(&path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn saved_ids_load_back_one_a_line_and_a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        assert!(load_protected(&paths).unwrap().is_empty());
        let ids: IdSet = [id(3), id(1), id(2)].into_iter().collect();
        save_protected(&paths, &ids).unwrap();
        assert_eq!(load_protected(&paths).unwrap(), ids);
        let text = std::fs::read_to_string(paths.protected()).unwrap();
        assert_eq!(text.lines().count(), 5, "{text}");
        assert!(text.lines().nth(1).unwrap().contains(&id(1).to_string()));
        save_protected(&paths, &IdSet::default()).unwrap();
        assert!(load_protected(&paths).unwrap().is_empty());
    }

    #[test]
    fn a_damaged_file_is_named_with_its_line_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let text = format!(
            "{{\"version\": 1, \"ids\": [\n\"{}\",\n\"not-an-id\"\n]}}\n",
            id(1)
        );
        std::fs::write(paths.protected(), &text).unwrap();
        let err = load_protected(&paths).unwrap_err();
        let message = err.to_string();
        assert!(
            matches!(err, StoreError::Corrupt { line: 3, .. }),
            "{message}"
        );
        assert!(message.contains("protected.json:3:"), "{message}");
        assert!(message.contains("nothing can be deleted"), "{message}");
        assert_eq!(std::fs::read_to_string(paths.protected()).unwrap(), text);

        std::fs::write(paths.protected(), "{\"version\": 7, \"ids\": []}").unwrap();
        assert!(matches!(
            load_protected(&paths),
            Err(StoreError::UnknownVersion { found, .. }) if found == "7"
        ));
    }
}
