//! `protect` and `unprotect`: add IDs to the profile's protected list or take them off, in
//! one write each (another process protecting at the same time loses nothing). Nothing is
//! sent; the IDs need not be in the known list. What protection does to a delete is the
//! rails' (`Rails::check`).

use jiff::Timestamp;

use super::input::read_ids;
use super::open::open_store;
use super::{CliError, Exit, IdArgs};
use crate::printable::out::print_line;
use crate::rails::Subjects;
use crate::session::Session;
use crate::store::IdSet;

/// `protect` (`on`) or `unprotect`.
pub fn run(session: &Session, args: &IdArgs, on: bool) -> Result<Exit, CliError> {
    let mut ids = match &args.from {
        Some(path) => read_ids(path)?,
        None => args.ids.clone(),
    };
    let mut seen = IdSet::default();
    ids.retain(|id| seen.insert(*id));
    let mut store = open_store(&session.paths)?;
    let changed = if on {
        store.protect(&ids)?
    } else {
        store.unprotect(&ids)?
    };
    let words = if on {
        format!(
            "protected {changed}, already protected {}",
            ids.len() - changed
        )
    } else {
        let rails = session.rails(&store)?;
        let known = store.videos_of(&ids)?;
        let subjects = Subjects::new(&rails, known.values(), Timestamp::now());
        let mut pass = rails.pass(subjects.now());
        let by_rule = ids
            .iter()
            .filter(|&&id| pass.protects(&subjects.of(id)).is_some())
            .count();
        let rule_note = if by_rule > 0 {
            format!("; {by_rule} stay protected by a protect rule")
        } else {
            String::new()
        };
        format!(
            "unprotected {changed}, not protected by ID {}{rule_note}",
            ids.len() - changed
        )
    };
    print_line(&words).map_err(CliError::Output)?;
    Ok(Exit::Success)
}
