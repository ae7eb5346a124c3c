//! Looking at a profile's data without changing it (`doctor`): whether the data folder is
//! usable, whether its database opens and is of a version this build reads, what it holds,
//! and SQLite's own check of it; or which files of an earlier version wait to be moved in
//! (read and checked, as the move would). Creates and writes nothing.

use std::path::PathBuf;

use super::connection::{Access, connect, real_path};
use super::db::{check_folder, exists};
use super::schema::{SCHEMA_VERSION, version};
use super::{Paths, StoreError, migrate_files};

/// What a profile's data folder holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inspection {
    /// Nothing yet: the first command that writes creates the database.
    Nothing,
    /// Files of an earlier version, which read and check: the next command moves them in.
    OldFiles(Vec<PathBuf>),
    Database(DatabaseReport),
}

/// A database as `doctor` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseReport {
    pub path: PathBuf,
    pub version: i64,
    pub videos: u64,
    pub protected: u64,
    pub pending: u64,
    pub history: u64,
    /// What SQLite's check (`PRAGMA quick_check`) found wrong; empty when it is sound.
    pub problems: Vec<String>,
}

/// Looks at the profile's data; an error is what would stop every command.
pub fn inspect(paths: &Paths) -> Result<Inspection, StoreError> {
    check_folder(paths)?;
    let path = paths.database();
    if exists(&path)? {
        let file = real_path(&path)?;
        let db_err = |err| StoreError::database(&file, err);
        let conn = connect(&path, Access::Read)?;
        let at = version(&conn).map_err(db_err)?;
        if at > i64::from(SCHEMA_VERSION) {
            return Err(StoreError::NewerDatabase {
                path: file,
                found: at,
                supported: SCHEMA_VERSION,
            });
        }
        if at > 0 {
            let count = |table: &str| {
                conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                    row.get::<_, u64>(0)
                })
            };
            let mut check = conn.prepare("PRAGMA quick_check(20)").map_err(db_err)?;
            let problems: Vec<String> = check
                .query_map([], |row| row.get(0))
                .and_then(Iterator::collect)
                .map_err(db_err)?;
            return Ok(Inspection::Database(DatabaseReport {
                version: at,
                videos: count("videos").map_err(db_err)?,
                protected: count("protected").map_err(db_err)?,
                pending: count("pending").map_err(db_err)?,
                history: count("outcomes").map_err(db_err)?,
                problems: problems.into_iter().filter(|line| line != "ok").collect(),
                path: file,
            }));
        }
    }
    if migrate_files::any_present(paths)? {
        migrate_files::read(paths)?;
        let present = migrate_files::names(paths)
            .into_iter()
            .filter(|file| file.exists())
            .collect();
        return Ok(Inspection::OldFiles(present));
    }
    Ok(Inspection::Nothing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn looking_creates_nothing_and_counts_what_is_there() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(&dir.path().join("data"));
        assert_eq!(inspect(&paths).unwrap(), Inspection::Nothing);
        assert!(!paths.data_dir.exists());
        let mut store = Store::open(&paths).unwrap();
        store
            .protect(&[crate::api::VideoId::from_uuid(uuid::Uuid::from_u128(1))])
            .unwrap();
        drop(store);
        match inspect(&paths).unwrap() {
            Inspection::Database(report) => {
                assert_eq!((report.videos, report.protected), (0, 1));
                assert_eq!(report.problems, Vec::<String>::new());
            }
            other => panic!("{other:?}"),
        }
    }
}
