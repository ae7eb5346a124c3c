//! Crash-safe file replacement: a temp file in the same folder, fsync, rename over the target,
//! fsync the folder. A kill at any instant leaves the old file or the new one, never a torn
//! one. A path that is a symlink (dotfile managers link `config.toml`) is
//! written through: the file it points to is replaced in its own folder and the link stays.
//! Files and folders it creates are private to the user (0600 / 0700).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The prefix of temp files, so the ones a kill left behind can be swept.
pub(crate) const TEMP_MARKER: &str = ".tmp-";

/// Replaces `path` (or, for a symlink, the file it points to) with `bytes` atomically. The
/// temp file is removed if anything fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_file(&resolve_links(path)?, bytes, PRIVATE)
}

/// The mode of a file this tool creates.
const PRIVATE: u32 = 0o600;

/// Replaces the file `path` (no symlink: see `resolve_links`) with `bytes` atomically, the
/// new file with `mode` (umask or not). The temp file is removed if anything fails.
pub(crate) fn replace_file(path: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let dir = parent_dir(path);
    let temp = temp_path(path);
    let written = write_synced(&temp, bytes, mode).and_then(|()| fs::rename(&temp, path));
    if let Err(err) = written {
        // The write already failed; a temp file we cannot remove is swept on the next open.
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    sync_dir(dir)
}

/// As many links as the kernel follows before it gives up (Linux's `MAXSYMLINKS`).
const MAX_LINKS: usize = 40;

/// The file `path` names once every symlink in its last component is followed; `path`
/// itself when it is not a link. A link may dangle (its file is created by the write) and
/// may be relative (to the folder holding it). Only the last component is followed: a rename
/// through linked folders already lands in the folder they point to.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = parent_dir(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("more than {MAX_LINKS} symlinks in a row (a loop?)"),
    ))
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

fn write_synced(temp: &Path, bytes: &[u8], mode: u32) -> io::Result<()> {
    let mut file = private_options().write(true).create_new(true).open(temp)?;
    #[cfg(unix)]
    if mode != PRIVATE {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
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

/// Removes temp files of `path` (through a symlink: of the file it points to, in that
/// file's folder) left by a killed process. Call only while holding the lock.
pub(crate) fn sweep_temp_files(path: &Path) -> io::Result<()> {
    let path = &resolve_links(path)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}{TEMP_MARKER}");
    let entries = match fs::read_dir(parent_dir(path)) {
        // A link into a folder that is gone: there is nothing to sweep.
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        entries => entries?,
    };
    for entry in entries {
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

    #[cfg(unix)]
    #[test]
    fn writes_through_relative_chained_and_dangling_links_and_keeps_them() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let (data, dotfiles) = (dir.path().join("data"), dir.path().join("dotfiles"));
        fs::create_dir(&data).unwrap();
        fs::create_dir(&dotfiles).unwrap();
        let link = data.join("videos.json");
        let middle = data.join("middle.json");
        let target = dotfiles.join("list.json");
        symlink("middle.json", &link).unwrap();
        symlink("../dotfiles/list.json", &middle).unwrap();

        write_atomic(&link, b"created through a dangling chain").unwrap();
        write_atomic(&link, b"replaced").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"replaced");
        for kept in [&link, &middle] {
            assert!(fs::symlink_metadata(kept).unwrap().is_symlink());
        }
        assert_eq!(
            fs::read_dir(&dotfiles).unwrap().count(),
            1,
            "temp file left"
        );

        fs::write(dotfiles.join(".list.json.tmp-1-0"), b"torn").unwrap();
        sweep_temp_files(&link).unwrap();
        assert_eq!(fs::read_dir(&dotfiles).unwrap().count(), 1, "not swept");
    }

    #[cfg(unix)]
    #[test]
    fn a_loop_of_links_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(write_atomic(&a, b"x").is_err());
        assert!(fs::symlink_metadata(&a).unwrap().is_symlink());
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
