//! Reading an ID source: a file, or standard input for `-` (or no file at all).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::CliError;

/// The whole input as bytes (the scanner is byte-based and needs no UTF-8).
pub fn read_source(path: Option<&Path>) -> Result<(Vec<u8>, PathBuf), CliError> {
    let path = path.unwrap_or(Path::new("-")).to_path_buf();
    let read = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .map(|_| bytes)
    } else {
        std::fs::read(&path)
    };
    match read {
        Ok(bytes) => Ok((bytes, path)),
        Err(source) => Err(CliError::Read { path, source }),
    }
}
