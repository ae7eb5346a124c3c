//! Reading an ID source: a file, or standard input for `-` (or no file at all), scanned a
//! chunk at a time as it is read (`import::scan_reader`), so no input is ever held whole.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::CliError;
use super::exit::InputName;
use crate::api::VideoId;
use crate::import::{ImportError, ImportScan, scan_reader};
use crate::printable::out::say;

/// The IDs (and the lines without one) in a source, and the source's name for messages.
pub fn scan_source(path: Option<&Path>) -> Result<(ImportScan, PathBuf), CliError> {
    let path = path.unwrap_or(Path::new("-")).to_path_buf();
    let scanned = if path == Path::new("-") {
        scan_reader(std::io::stdin().lock(), None)
    } else {
        File::open(&path)
            .map_err(ImportError::Read)
            .and_then(|file| {
                let size = file.metadata().ok().map(|meta| meta.len());
                scan_reader(file, size)
            })
    };
    let found = scanned.map_err(|err| scan_failed(path.clone(), err))?;
    Ok((found, path))
}

/// A scan of `path` that failed, said as the command's error.
pub fn scan_failed(path: PathBuf, err: ImportError) -> CliError {
    match err {
        ImportError::Read(source) => CliError::Read { path, source },
        ImportError::Syntax(source) => CliError::Syntax { path, source },
    }
}

/// Every video ID in a source, for commands that act on IDs (`delete --from`, `forget
/// --from`) rather than add them: lines with no ID are only warned about, by count and the
/// first line number (a table's or JSON's other fields are not read).
pub fn read_ids(path: &Path) -> Result<Vec<VideoId>, CliError> {
    let (found, path) = scan_source(Some(path))?;
    if let Some(first) = found.bad_lines.first() {
        say!(
            "warning: {}: {} line(s) had no video ID (first: line {first})",
            InputName(&path),
            found.bad_line_count,
        );
    }
    Ok(found.ids)
}
