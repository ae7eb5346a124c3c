//! Crash-safe file replacement: a temp file in the same folder, fsync, rename over the target,
//! fsync the folder. A kill at any instant leaves the old file or the new one, never a torn
//! one. Files and folders it creates are private to the user (0600 / 0700).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The prefix of temp files, so a later `Store::open` can sweep the ones a kill left behind.
pub(crate) const TEMP_MARKER: &str = ".tmp-";

/// Replaces `path` with `bytes` atomically. The temp file is removed if anything fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_dir(path);
    let temp = temp_path(path);
    let written = write_synced(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if let Err(err) = written {
        // The write already failed; a temp file we cannot remove is swept on the next open.
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    sync_dir(dir)
}

/// Creates `dir` (and parents) readable only by the user, when it does not exist yet.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Open options for a file this tool creates: never readable by group or others.
pub(crate) fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

fn write_synced(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(temp)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename durable: without this a power cut can forget the new directory entry.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// `.videos.json.tmp-<pid>-<n>`: unique per process and per call, hidden, in the same folder
/// (a rename is only atomic within one file system).
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = format!(".{name}{TEMP_MARKER}{}-{n}", std::process::id());
    parent_dir(path).join(temp)
}

/// Removes temp files of `path` left by a killed process. Call only while holding the lock.
pub(crate) fn sweep_temp_files(path: &Path) -> io::Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}{TEMP_MARKER}");
    for entry in fs::read_dir(parent_dir(path))? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn creates_files_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        write_atomic(&path, b"x").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn sweeps_only_its_own_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        fs::write(dir.path().join(".videos.json.tmp-1-0"), b"torn").unwrap();
        fs::write(dir.path().join("history.jsonl"), b"").unwrap();
        sweep_temp_files(&path).unwrap();
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["history.jsonl"]);
    }
}
