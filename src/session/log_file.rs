//! The app's log: `tracing` goes to a file in the state folder, never to the screen (the
//! terminal belongs to the UI). The file is capped: past `CAP` it moves to `<name>.1`
//! (replacing the one before) and a new one starts, so the logs never take more than twice
//! the cap however long the app runs or however often it starts.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;

/// Bytes a log file may hold before it is moved aside: weeks of `info` lines.
const CAP: u64 = 5 * 1024 * 1024;

/// Installs the file logger; keep the guard alive for the session so lines are flushed.
/// `RUST_LOG` sets the level (default `info`). An error says why there will be no log; the
/// caller reports it and runs on, since a log is not worth refusing to start over.
pub fn install(path: &Path) -> Result<WorkerGuard, String> {
    let describe = |err: io::Error| format!("{}: {err}", path.display());
    if let Some(dir) = path.parent() {
        crate::store::create_private_dir(dir).map_err(describe)?;
    }
    let file = CappedFile::open(path, CAP).map_err(describe)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|err| err.to_string())?;
    Ok(guard)
}

/// A log file moved aside to `<path>.1` once it holds `cap` bytes. Lines arrive one write
/// each (the logger's worker writes whole lines), so a file is never cut mid-line.
struct CappedFile {
    path: PathBuf,
    file: File,
    len: u64,
    cap: u64,
}

impl CappedFile {
    /// Opens `path` for appending, moving it aside first if it is already full.
    fn open(path: &Path, cap: u64) -> io::Result<Self> {
        let file = append_to(path)?;
        let len = file.metadata()?.len();
        let mut log = Self {
            path: path.to_owned(),
            file,
            len,
            cap,
        };
        if log.len >= cap {
            log.move_aside()?;
        }
        Ok(log)
    }

    fn move_aside(&mut self) -> io::Result<()> {
        let mut older = self.path.clone().into_os_string();
        older.push(".1");
        std::fs::rename(&self.path, older)?;
        self.file = append_to(&self.path)?;
        self.len = 0;
        Ok(())
    }
}

impl Write for CappedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.len > 0 && self.len + buf.len() as u64 > self.cap {
            self.move_aside()?;
        }
        let written = self.file.write(buf)?;
        self.len += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// The file for appending, created 0600 (a log may name the account's host and videos).
fn append_to(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_log_moves_aside_between_lines_and_starts_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("app.log");
        let mut log = CappedFile::open(&path, 100).unwrap();
        let line = [b'x'; 39];
        for _ in 0..4 {
            log.write_all(&line).unwrap();
        }
        let older = std::fs::read(dir.path().join("app.log.1")).unwrap();
        assert_eq!(
            older.len(),
            78,
            "two whole lines, moved aside before a third"
        );
        assert_eq!(std::fs::read(&path).unwrap().len(), 78);
        let log = CappedFile::open(&path, 50).unwrap();
        assert_eq!(
            log.len, 0,
            "a log already full when opened moves aside at once"
        );
        assert_eq!(
            std::fs::read(dir.path().join("app.log.1")).unwrap().len(),
            78
        );
    }
}
