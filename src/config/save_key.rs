//! Saving a key the user typed into their own `config.toml`, at the top level or in the
//! profile's own table: only the line that says where the key comes from changes; comments,
//! order, spacing and every other setting stay as written. A file that does not parse is
//! reported and never overwritten.

use std::path::Path;

use toml_edit::{DocumentMut, Item, Key, Table, Value};

use super::{ConfigError, invalid, io_error};
use crate::api::ApiKey;
use crate::store::{create_private_dir, write_atomic};

const API_KEY: &str = "api_key";
/// The other sources of a key, which a saved key replaces.
const OTHER_SOURCES: [&str; 2] = ["api_key_command", "api_key_env"];

/// Stores `key` as `api_key` in `path` (the TUI's "save this key"), in `[profiles.NAME]` for
/// the profile `profile` or at the top level for `None`, dropping any `api_key_command` or
/// `api_key_env` there. An existing `api_key` line keeps its place and its comments;
/// otherwise the new line takes the place of the other source and the comment lines above it
/// (a comment at the end of its own line goes with it), or is added after the other settings.
/// Everything else in the file is kept byte for byte. Written atomically, 0600.
pub fn save_api_key(path: &Path, profile: Option<&str>, key: &ApiKey) -> Result<(), ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => return Err(io_error(path, source)),
    };
    let mut document: DocumentMut = text
        .parse()
        .map_err(|err: toml_edit::TomlError| invalid(path, &text, err.span(), err.message()))?;
    let table = match profile {
        None => document.as_table_mut(),
        Some(name) => document
            .get_mut("profiles")
            .and_then(Item::as_table_mut)
            .and_then(|profiles| profiles.get_mut(name))
            .and_then(Item::as_table_mut)
            .ok_or_else(|| ConfigError::Invalid {
                path: path.into(),
                line: 1,
                column: 1,
                reason: format!(
                    "no [profiles.{name}] table to save the key in (write it as a table of \
                     its own, not inline)"
                ),
            })?,
    };
    set_api_key(table, key.expose());
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        create_private_dir(dir).map_err(|source| io_error(dir, source))?;
    }
    write_atomic(path, document.to_string().as_bytes()).map_err(|source| io_error(path, source))
}

fn set_api_key(settings: &mut Table, key: &str) {
    let mut value = Value::from(key);
    if let Some(Item::Value(old)) = settings.get_mut(API_KEY) {
        // Assigning through `get_mut` keeps the key's own formatting; `Table::insert` resets it.
        *value.decor_mut() = old.decor().clone();
        *old = value;
        for other in OTHER_SOURCES {
            settings.remove(other);
        }
        return;
    }
    let found = settings
        .iter()
        .enumerate()
        .find(|(_, (name, _))| OTHER_SOURCES.contains(name))
        .map(|(at, (name, _))| (at, name.to_owned()));
    // A config holds one source at most; any other one after it goes too.
    for other in OTHER_SOURCES {
        if found.as_ref().is_none_or(|(_, source)| source != other) {
            settings.remove(other);
        }
    }
    let Some(((at, _), (command_key, command))) = found
        .as_ref()
        .and_then(|(at, source)| Some(((at, source), settings.remove_entry(source)?)))
    else {
        settings.insert(API_KEY, Item::Value(value));
        return;
    };
    if let Some(prefix) = command.as_value().and_then(|old| old.decor().prefix()) {
        value.decor_mut().set_prefix(prefix.clone());
    }
    // A table keeps insertion order: take off what followed the command, put the key in its
    // place, then put the rest back as it was.
    let following: Vec<String> = settings
        .iter()
        .skip(*at)
        .map(|(name, _)| name.to_owned())
        .collect();
    let following: Vec<(Key, Item)> = following
        .iter()
        .filter_map(|name| settings.remove_entry(name))
        .collect();
    let api_key = Key::new(API_KEY).with_leaf_decor(command_key.leaf_decor().clone());
    settings.insert_formatted(&api_key, Item::Value(value));
    for (name, item) in following {
        settings.insert_formatted(&name, item);
    }
}
