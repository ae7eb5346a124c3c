//! `forget`: drop IDs from the known list. Nothing is sent to the server.

use std::io::Write;

use super::exit::InputName;
use super::input::read_source;
use super::{CliError, Exit, ForgetArgs};
use crate::import::scan;
use crate::store::{Paths, Store};

pub fn run(paths: &Paths, args: &ForgetArgs) -> Result<Exit, CliError> {
    let ids = match &args.from {
        Some(path) => {
            let (bytes, path) = read_source(Some(path))?;
            let found = scan(&bytes);
            if found.bad_line_count > 0 {
                eprintln!(
                    "warning: {}: {} line(s) had no video ID (first: line {})",
                    InputName(&path),
                    found.bad_line_count,
                    found.bad_lines[0]
                );
            }
            found.ids
        }
        None => args.ids.clone(),
    };
    let mut store = Store::open(paths)?;
    let forgotten = store.videos_mut().forget(&ids);
    if forgotten > 0 {
        store.save()?;
    }
    let unknown = ids.len() - forgotten;
    writeln!(
        std::io::stdout(),
        "forgot {forgotten}, not in the list {unknown}"
    )
    .map_err(CliError::Output)?;
    Ok(Exit::Success)
}
