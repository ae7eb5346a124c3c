//! `forget`: drop IDs from the known list. Nothing is sent to the server.

use super::input::read_ids;
use super::open::open_store;
use super::{CliError, Exit, IdArgs};
use crate::printable::out::print_line;
use crate::store::Paths;

pub fn run(paths: &Paths, args: &IdArgs) -> Result<Exit, CliError> {
    let ids = match &args.from {
        Some(path) => read_ids(path)?,
        None => args.ids.clone(),
    };
    let forgotten = open_store(paths)?.forget(&ids)?;
    let unknown = ids.len() - forgotten;
    print_line(&format!("forgot {forgotten}, not in the list {unknown}"))
        .map_err(CliError::Output)?;
    Ok(Exit::Success)
}
