//! `protected.json` of earlier versions: the IDs the user protected on one profile, one a
//! line. A damaged or unknown-version file is reported with its line and column.

use std::io;

use serde::Deserialize;

use crate::api::VideoId;
use crate::store::error::DataFile;
use crate::store::{IdSet, Paths, StoreError};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
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
