//! Reading an ID source: a file, or standard input for `-` (or no file at all).

use std::io::Read;
use std::path::{Path, PathBuf};

use super::CliError;
use super::exit::InputName;
use crate::api::VideoId;
use crate::import::scan;

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

/// Every video ID in a source, for commands that act on IDs (`delete --from`, `forget
/// --from`) rather than add them: lines with no ID are only warned about, by count and the
/// first line number.
pub fn read_ids(path: &Path) -> Result<Vec<VideoId>, CliError> {
    let (bytes, path) = read_source(Some(path))?;
    let found = scan(&bytes);
    if let Some(first) = found.bad_lines.first() {
        eprintln!(
            "warning: {}: {} line(s) had no video ID (first: line {first})",
            InputName(&path),
            found.bad_line_count,
        );
    }
    Ok(found.ids)
}
