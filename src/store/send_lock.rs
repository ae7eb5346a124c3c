//! `SendLock`: one batch sending deletes per profile. It is an advisory lock on `send.lock`
//! in the data folder, taken without waiting when a batch's first IDs are queued and held to
//! its end; the kernel drops it when the process ends however it ends, so a killed batch
//! never leaves the profile locked. Everything else (reading, importing, protecting, a dry
//! run) works beside a sending batch: the database takes turns.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use crate::store::atomic::private_options;
use crate::store::{Paths, StoreError};

/// Proof that this process's batch is the one sending on its profile.
#[derive(Debug)]
pub struct SendLock {
    _file: File,
    path: PathBuf,
}

impl SendLock {
    /// Takes the lock without waiting. When another process holds it, the error names the
    /// lock file and, when it could be read, that process's id.
    pub fn acquire(paths: &Paths) -> Result<Self, StoreError> {
        let path = paths.send_lock();
        let io_err = |source| StoreError::io(&path, source);
        let mut file = private_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::Sending {
                    holder: read_holder(&mut file),
                    path,
                });
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(io_err(source)),
        }
        // The pid is only for the message another process prints; the lock is the flock.
        file.set_len(0).map_err(io_err)?;
        file.rewind().map_err(io_err)?;
        write!(file, "{}", std::process::id()).map_err(io_err)?;
        Ok(Self { _file: file, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether another process's batch is sending on the profile now (`Some`, with its
    /// process id when it could be read). Creates no file. It looks by taking a shared
    /// lock for an instant: a batch starting in that instant elsewhere is refused, and says
    /// so (nothing is sent, and trying again works).
    pub fn held_elsewhere(paths: &Paths) -> Result<Option<Option<u32>>, StoreError> {
        let path = paths.send_lock();
        let mut file = match std::fs::OpenOptions::new().read(true).open(&path) {
            Ok(file) => file,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => return Err(StoreError::io(&path, err)),
        };
        match file.try_lock_shared() {
            // Released when `file` closes, at once.
            Ok(()) => Ok(None),
            Err(std::fs::TryLockError::WouldBlock) => Ok(Some(read_holder(&mut file))),
            Err(std::fs::TryLockError::Error(err)) => Err(StoreError::io(&path, err)),
        }
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
    fn a_second_batch_is_refused_with_the_first_ones_pid_until_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let first = SendLock::acquire(&paths).unwrap();
        match SendLock::acquire(&paths) {
            Err(StoreError::Sending { path, holder }) => {
                assert_eq!(path, paths.send_lock());
                assert_eq!(holder, Some(std::process::id()));
            }
            other => panic!("expected Sending, got {other:?}"),
        }
        assert_eq!(
            SendLock::held_elsewhere(&paths).unwrap(),
            Some(Some(std::process::id()))
        );
        drop(first);
        assert_eq!(SendLock::held_elsewhere(&paths).unwrap(), None);
        SendLock::acquire(&paths).unwrap();
    }
}
