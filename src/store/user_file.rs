//! Files the user names (the app's export, `sim --ids-file`): written only where a regular
//! file is or may be. A device node, a FIFO, a socket or a folder at the name (or where a
//! symlink there points) is refused, never replaced or written into; a file already there is
//! replaced only when the user said so (asked in the app, `--force` on the command line).
//! The write is atomic (`atomic::replace_file`); through a symlink it lands as the shell's `>`
//! would put it: the file the link points to gets the new contents and keeps its mode, and
//! the link stays. A new file is created private (0600).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::{replace_file, resolve_links};

/// Why a file the user named was not written; in every case nothing was. It says why, not
/// where: the caller names the file (it knows how the user wrote it, and the message must
/// fit a footer).
#[derive(Debug, thiserror::Error)]
pub enum UserFileError {
    #[error("it is {what}, not a regular file")]
    NotAFile { path: PathBuf, what: &'static str },
    #[error("a file is already there")]
    Exists { path: PathBuf },
    #[error("{source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Whether a file already at the name may be replaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Existing {
    /// No: `UserFileError::Exists`, and nothing is written (the caller asks, then writes
    /// again with `Replace`).
    Keep,
    Replace,
}

/// Writes `bytes` to the file `path` names, as the module says.
pub fn write_user_file(path: &Path, bytes: &[u8], existing: Existing) -> Result<(), UserFileError> {
    let io_error = |source| UserFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let target = resolve_links(path).map_err(io_error)?;
    let mode = match fs::symlink_metadata(&target) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => 0o600,
        Err(err) => return Err(io_error(err)),
        Ok(meta) if !meta.is_file() => {
            return Err(UserFileError::NotAFile {
                path: path.to_path_buf(),
                what: kind_of(&meta.file_type()),
            });
        }
        Ok(_) if existing == Existing::Keep => {
            return Err(UserFileError::Exists {
                path: path.to_path_buf(),
            });
        }
        Ok(meta) => permission_bits(&meta),
    };
    replace_file(&target, bytes, mode).map_err(io_error)
}

/// What a file that is not a regular one is, in words.
fn kind_of(file_type: &fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "something else"
}

/// The read, write and execute bits the file has now (not set-user-ID and the like).
fn permission_bits(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0o600
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_private_and_an_existing_one_is_kept_unless_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ids.txt");
        write_user_file(&path, b"a\n", Existing::Keep).unwrap();
        assert_eq!(
            (fs::read(&path).unwrap(), mode(&path)),
            (b"a\n".to_vec(), 0o600)
        );
        let err = write_user_file(&path, b"b\n", Existing::Keep).unwrap_err();
        assert!(matches!(err, UserFileError::Exists { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"a\n", "kept");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        write_user_file(&path, b"b\n", Existing::Replace).unwrap();
        assert_eq!(
            (fs::read(&path).unwrap(), mode(&path)),
            (b"b\n".to_vec(), 0o664)
        );
    }

    #[test]
    fn through_a_symlink_the_target_gets_the_contents_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&target, "old\n").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        symlink("real.txt", &link).unwrap();
        assert!(matches!(
            write_user_file(&link, b"new\n", Existing::Keep),
            Err(UserFileError::Exists { .. })
        ));
        write_user_file(&link, b"new\n", Existing::Replace).unwrap();
        assert!(
            fs::symlink_metadata(&link).unwrap().is_symlink(),
            "the link stays"
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(mode(&target), 0o644, "as `>` would leave it");
    }

    #[test]
    fn a_fifo_a_device_a_socket_or_a_folder_is_refused_and_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let socket = dir.path().join("socket");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let folder = dir.path().join("folder");
        fs::create_dir(&folder).unwrap();
        let mut cases = vec![
            (fifo, "a FIFO (named pipe)"),
            (socket, "a socket"),
            (folder, "a folder"),
        ];
        // A character device like /dev/null's, made here: never a real device's path.
        let device = dir.path().join("null");
        let made = std::process::Command::new("mknod")
            .arg(&device)
            .args(["c", "1", "3"])
            .status()
            .is_ok_and(|status| status.success());
        if made {
            cases.push((device, "a character device"));
        } else {
            crate::printable::out::say!(
                "mknod is not permitted here: the character device case is not checked"
            );
        }
        for (n, (path, what)) in cases.into_iter().enumerate() {
            let before = fs::symlink_metadata(&path).unwrap().file_type();
            for existing in [Existing::Keep, Existing::Replace] {
                let err = write_user_file(&path, b"x\n", existing).unwrap_err();
                assert_eq!(err.to_string(), format!("it is {what}, not a regular file"));
            }
            let link = dir.path().join(format!("link-{n}"));
            symlink(&path, &link).unwrap();
            let err = write_user_file(&link, b"x\n", Existing::Replace).unwrap_err();
            assert!(matches!(err, UserFileError::NotAFile { .. }), "{err}");
            assert_eq!(fs::symlink_metadata(&path).unwrap().file_type(), before);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert!(
            names.iter().all(|entry| {
                let name = entry.as_ref().unwrap().file_name();
                !name.to_string_lossy().contains(".tmp-")
            }),
            "no temp file left"
        );
    }
}
