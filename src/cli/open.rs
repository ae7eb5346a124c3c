//! Opening the profile's store for a command, and saying on stderr, once, what the move from
//! the files of an earlier version did (with a warning for each history line it could not
//! import: those stay in the renamed file).

use super::CliError;
use crate::printable::out::say;
use crate::store::{Paths, Store};

/// `Store::open`, saying what it moved in, if anything.
pub fn open_store(paths: &Paths) -> Result<Store, CliError> {
    let store = Store::open(paths)?;
    say_migrated(&store);
    Ok(store)
}

/// `Store::open_existing` (nothing created for a profile without data), saying what it moved
/// in, if anything.
pub fn open_existing(paths: &Paths) -> Result<Option<Store>, CliError> {
    let store = Store::open_existing(paths)?;
    if let Some(store) = &store {
        say_migrated(store);
    }
    Ok(store)
}

fn say_migrated(store: &Store) {
    if let Some(migrated) = store.migrated() {
        for line in &migrated.skipped {
            say!("warning: {line}");
        }
        say!("note: {migrated}");
    }
}
