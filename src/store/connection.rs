//! Opening a connection to a profile's database: creating the file private to the user (its
//! `-wal` and `-shm` then get the same mode), following a symlinked database to its real
//! place (so the WAL lives beside it), WAL mode, how long to wait for another process's
//! write, and how durable each commit is. A file that is not a sound database is reported
//! as damaged here, on open, and never replaced.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::store::StoreError;
use crate::store::atomic::{private_options, resolve_links};

/// How long a write waits for another process's transaction before it gives up. The longest
/// one is an import of a million videos, a few seconds.
pub const BUSY_WAIT: Duration = Duration::from_secs(10);

/// How far a commit is made durable before it returns (see the module docs of `store`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// In the WAL: survives the process, not necessarily a power cut.
    Normal,
    /// In the WAL and synced: survives a power cut too. For the record of deletes sent.
    Full,
}

/// How a connection may use the database.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reads and writes; the file is created (0600) when missing.
    Write(Durability),
    /// Reads only; the file must exist. Nothing on disk changes (`doctor`).
    Read,
}

/// A connection to the database at `path` (through any symlinks), checked to be a database.
pub fn connect(path: &Path, access: Access) -> Result<Connection, StoreError> {
    let file = resolve_links(path).map_err(|err| StoreError::io(path, err))?;
    if std::fs::metadata(&file).is_ok_and(|meta| meta.is_dir()) {
        return Err(StoreError::NotAFile { path: file });
    }
    let flags = match access {
        Access::Write(_) => {
            create_private(&file)?;
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        }
        Access::Read => OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    };
    let db_err = |err| StoreError::database(&file, err);
    let conn = Connection::open_with_flags(&file, flags).map_err(db_err)?;
    conn.busy_timeout(BUSY_WAIT).map_err(db_err)?;
    // Reading the schema reads the header and the first page: a file that is not a database,
    // or whose first pages are damaged, fails here rather than halfway through a command.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(db_err)?;
    if let Access::Write(durability) = access {
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(db_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::io(
                &file,
                io::Error::other(format!(
                    "SQLite cannot use a write-ahead log here (journal mode {mode}); keep the \
                     data on a local file system with --data-dir DIR"
                )),
            ));
        }
        let synchronous = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.pragma_update(None, "synchronous", synchronous)
            .map_err(db_err)?;
    }
    Ok(conn)
}

/// Creates the empty file 0600 when it is missing, so SQLite (which would create it 0644)
/// opens this one and gives its `-wal` and `-shm` the same mode.
fn create_private(file: &Path) -> Result<(), StoreError> {
    match private_options().write(true).create_new(true).open(file) {
        Ok(_) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(StoreError::io(file, err)),
    }
}

/// Where the database really is: `path` with the symlinks in its last part followed.
pub fn real_path(path: &Path) -> Result<PathBuf, StoreError> {
    resolve_links(path).map_err(|err| StoreError::io(path, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path) -> Connection {
        connect(
            &dir.join("elytron-tui.db"),
            Access::Write(Durability::Normal),
        )
        .unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_wal_and_shm_are_private_to_the_user() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let conn = write(dir.path());
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        for name in ["elytron-tui.db", "elytron-tui.db-wal", "elytron-tui.db-shm"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_database_is_opened_where_it_points_and_its_wal_lives_there() {
        let dir = tempfile::tempdir().unwrap();
        let (data, dotfiles) = (dir.path().join("data"), dir.path().join("dotfiles"));
        std::fs::create_dir(&data).unwrap();
        std::fs::create_dir(&dotfiles).unwrap();
        std::os::unix::fs::symlink("../dotfiles/list.db", data.join("elytron-tui.db")).unwrap();
        let conn = write(&data);
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        assert!(dotfiles.join("list.db").is_file());
        assert!(dotfiles.join("list.db-wal").is_file());
        assert!(
            std::fs::symlink_metadata(data.join("elytron-tui.db"))
                .unwrap()
                .is_symlink()
        );
    }

    #[test]
    fn a_file_that_is_not_a_database_is_damaged_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("elytron-tui.db");
        let text = b"{\"version\":2,\"videos\":[]} and more than a header's worth of text, \
            which SQLite reads as a header and refuses"
            .repeat(8);
        std::fs::write(&path, &text).unwrap();
        let err = connect(&path, Access::Write(Durability::Normal)).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
        let message = err.to_string();
        assert!(message.contains("never recreates"), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), text);
    }

    #[test]
    fn reading_a_missing_database_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("elytron-tui.db");
        assert!(connect(&path, Access::Read).is_err());
        assert!(!path.exists());
    }
}
