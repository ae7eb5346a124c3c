//! `Store`: one profile's database, open. Opening checks the data folder before anything is
//! created, moves the files of earlier versions in (`migrate_files`), and brings the schema
//! up to date. The reads and writes are the other files' (`videos`, `protection`, `batch`,
//! `history`); each write is one transaction.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::connection::{Access, Durability, connect, real_path};
use super::migrate_files::{self, Migrated};
use super::schema::{Refused, SCHEMA_VERSION, bring_up_to_date, version};
use super::{Paths, StoreError, create_private_dir};

/// A profile's database, open for reading and writing.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    paths: Paths,
    /// The database file as opened (symlinks followed), for messages.
    file: PathBuf,
    migrated: Option<Migrated>,
}

impl Store {
    /// Opens the profile's database, creating it (and the data folder, 0700) when there is
    /// none. The files of an earlier version are moved in first (`migrated` says so).
    pub fn open(paths: &Paths) -> Result<Self, StoreError> {
        Self::open_as(paths, Durability::Normal)
    }

    /// As `open`; `None` when the profile has no data at all yet (no database, no files of
    /// an earlier version), and then nothing is created: for commands that only read.
    pub fn open_existing(paths: &Paths) -> Result<Option<Self>, StoreError> {
        check_folder(paths)?;
        if !exists(&paths.database())? && !migrate_files::any_present(paths)? {
            return Ok(None);
        }
        Self::open(paths).map(Some)
    }

    /// As `open`, with commits made as durable as `durability` says (the recorder's are
    /// synced: they are the record of deletes sent).
    pub(crate) fn open_as(paths: &Paths, durability: Durability) -> Result<Self, StoreError> {
        check_folder(paths)?;
        let path = paths.database();
        let existed = exists(&path)?;
        // Read (and checked) before anything is created: a damaged one stops here.
        let mut old_files = None;
        if !existed {
            old_files = Some(migrate_files::read(paths)?);
            create_private_dir(&paths.data_dir)
                .map_err(|err| StoreError::io(&paths.data_dir, err))?;
        }
        let mut conn = connect(&path, Access::Write(durability))?;
        let file = real_path(&path)?;
        if existed && version(&conn).map_err(|err| StoreError::database(&file, err))? == 0 {
            // Made, then killed before its first commit: the old files are still to move in.
            old_files = Some(migrate_files::read(paths)?);
        }
        let mut migrated = None;
        let brought = bring_up_to_date(&mut conn, |tx| {
            if let Some(old) = old_files {
                migrated = old.import(tx)?;
            }
            Ok(())
        });
        match brought {
            Ok(_) => {}
            Err(Refused::Newer(found)) => {
                return Err(StoreError::NewerDatabase {
                    path: file,
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            Err(Refused::Foreign) => return Err(StoreError::ForeignDatabase { path: file }),
            Err(Refused::Sqlite(err)) => return Err(StoreError::database(&file, err)),
            Err(Refused::Fill(err)) => return Err(err),
        }
        migrate_files::finish(paths, &conn, &file)?;
        Ok(Self {
            conn,
            paths: paths.clone(),
            file,
            migrated,
        })
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    pub fn data_dir(&self) -> &Path {
        &self.paths.data_dir
    }

    /// What this open moved in from the files of an earlier version (said once: only the
    /// open that did it has it).
    pub fn migrated(&self) -> Option<&Migrated> {
        self.migrated.as_ref()
    }

    /// How much of the database the connection keeps in memory, in KiB.
    pub(super) fn cache_size(&self, kib: i64) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -kib)
            .map_err(|e| self.error(e))
    }

    /// The connection, for reads.
    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A failure of this database, named by its file.
    pub(super) fn error(&self, err: rusqlite::Error) -> StoreError {
        StoreError::database(&self.file, err)
    }

    /// Runs `write` in one transaction that waits for any other process's write first; it
    /// commits if `write` succeeds, and rolls back otherwise.
    pub(super) fn write<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.transaction(TransactionBehavior::Immediate, write)
    }

    /// `write` for a caller that may still refuse what it wrote: the transaction commits
    /// only when `write` returns `Ok(Ok(_))`; `Ok(Err(refusal))` rolls it all back and hands
    /// the refusal on.
    pub(super) fn write_unless<T, E>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<Result<T, E>>,
    ) -> Result<Result<T, E>, StoreError> {
        self.transaction_unless(TransactionBehavior::Immediate, write)
    }

    /// Runs `read` in one read transaction, so everything it reads is of one moment.
    pub(super) fn read<T>(
        &mut self,
        read: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        self.transaction(TransactionBehavior::Deferred, read)
    }

    fn transaction<T>(
        &mut self,
        behavior: TransactionBehavior,
        run: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let done = self.transaction_unless(behavior, |tx| run(tx).map(Ok::<T, Infallible>))?;
        Ok(match done {
            Ok(value) => value,
        })
    }

    /// The one transaction: `run` in it, committed when it returns `Ok(Ok(_))`, rolled back
    /// on `Ok(Err(refusal))` (the refusal handed on) or on an error.
    fn transaction_unless<T, E>(
        &mut self,
        behavior: TransactionBehavior,
        run: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<Result<T, E>>,
    ) -> Result<Result<T, E>, StoreError> {
        let file = &self.file;
        let db_err = |err| StoreError::database(file, err);
        let tx = self
            .conn
            .transaction_with_behavior(behavior)
            .map_err(db_err)?;
        match run(&tx).map_err(db_err)? {
            Ok(value) => {
                tx.commit().map_err(db_err)?;
                Ok(Ok(value))
            }
            Err(refusal) => {
                tx.rollback().map_err(db_err)?;
                Ok(Err(refusal))
            }
        }
    }
}

/// Whether `path` exists (a dangling symlink does not: its file is created through it).
pub(super) fn exists(path: &Path) -> Result<bool, StoreError> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(err) => Err(StoreError::io(path, err)),
    }
}

/// The data folder as it must be before anything is opened or created in it: a folder (or
/// nothing yet), holding no folder where the database or a file of an earlier version
/// should be.
pub(super) fn check_folder(paths: &Paths) -> Result<(), StoreError> {
    let dir = &paths.data_dir;
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => return Err(StoreError::NotAFolder { path: dir.clone() }),
        Ok(_) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(StoreError::io(dir, err)),
    }
    for file in [paths.database()]
        .into_iter()
        .chain(migrate_files::names(paths))
    {
        match std::fs::metadata(&file) {
            Ok(meta) if meta.is_dir() => return Err(StoreError::NotAFile { path: file }),
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => return Err(StoreError::io(&file, err)),
        }
    }
    Ok(())
}
