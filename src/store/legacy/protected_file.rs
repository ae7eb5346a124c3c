//! `protected.json` of earlier versions: the IDs the user protected on one profile, one a
//! line. A damaged or unknown-version file is reported with its line and column.

use serde::Deserialize;

use super::{Versioned, read_versioned};
use crate::api::VideoId;
use crate::store::error::DataFile;
use crate::store::{IdSet, Paths, StoreError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtectedFile {
    version: u32,
    ids: Vec<VideoId>,
}

impl Versioned for ProtectedFile {
    const FILE: DataFile = DataFile::Protected;
    const VERSION: u32 = 1;
    fn version(&self) -> u32 {
        self.version
    }
}

/// The protected IDs; empty when the file does not exist.
pub fn load_protected(paths: &Paths) -> Result<IdSet, StoreError> {
    let file: Option<ProtectedFile> = read_versioned(&paths.protected())?;
    Ok(file
        .map(|file| file.ids.into_iter().collect())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::id;

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
