//! The data folder's advisory lock: one running elytron-tui per data folder, so two writers
//! never clobber each other's saves. Released when the `DataLock` is dropped (or the process
//! dies). Readers (`list`, `history`) do not take it: saves are atomic renames.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::StoreError;
use super::atomic::private_options;

/// Proof that this process holds the data folder's lock.
#[derive(Debug)]
pub struct DataLock {
    _file: File,
    path: PathBuf,
}

impl DataLock {
    /// Takes the lock without waiting. When another process holds it, the error names the
    /// lock file and, when it could be read, the holder's process id.
    pub fn acquire(path: &Path) -> Result<Self, StoreError> {
        let io_err = |source| StoreError::io(path, source);
        let mut file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Locked {
                    path: path.to_path_buf(),
                    holder: read_holder(&mut file),
                });
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(io_err(source)),
        }
        // The pid is only for the message a second instance prints; the lock is the flock.
        file.set_len(0).map_err(io_err)?;
        file.rewind().map_err(io_err)?;
        write!(file, "{}", std::process::id()).map_err(io_err)?;
        Ok(Self {
            _file: file,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The pid the holder wrote; `None` when it is unreadable (it is only decoration).
fn read_holder(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_holder_is_refused_with_the_first_ones_pid_until_it_drops() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("elytron-tui.lock");
        let first = DataLock::acquire(&path).unwrap();
        match DataLock::acquire(&path) {
            Err(StoreError::Locked { path: p, holder }) => {
                assert_eq!(p, path);
                assert_eq!(holder, Some(std::process::id()));
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        drop(first);
        DataLock::acquire(&path).unwrap();
    }
}
