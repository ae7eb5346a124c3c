//! `import`: scan a file or stdin for video IDs and add the new ones to the known list.
//! Reports added / already known on stdout and lines without an ID on stderr.

use std::io::Write;

use jiff::Timestamp;

use super::exit::InputName;
use super::input::scan_source;
use super::open::open_store;
use super::{CliError, Exit, ImportArgs};
use crate::import::ImportScan;
use crate::store::Paths;

pub fn run(paths: &Paths, args: &ImportArgs) -> Result<Exit, CliError> {
    let (found, path) = scan_source(args.file.as_deref())?;
    report_bad_lines(&path, &found);
    if args.strict && found.bad_line_count > 0 {
        return Err(CliError::Strict {
            path,
            first_line: found.bad_lines[0],
            count: found.bad_line_count,
        });
    }
    let mut store = open_store(paths)?;
    let added = store
        .videos_mut()
        .add(&found.ids, args.label.as_deref(), Timestamp::now());
    if added.added > 0 {
        store.save()?;
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "added {}, already known {}{}",
        added.added,
        added.already_known,
        if found.repeated > 0 {
            format!(", repeated in the input {}", found.repeated)
        } else {
            String::new()
        }
    )
    .map_err(CliError::Output)?;
    Ok(if found.bad_line_count > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// `warning: FILE:LINE: no video ID` for the first few, then a count of the rest.
fn report_bad_lines(path: &std::path::Path, found: &ImportScan) {
    for line in &found.bad_lines {
        eprintln!(
            "warning: {}:{line}: no video ID on this line",
            InputName(path)
        );
    }
    let unlisted = found.bad_line_count - found.bad_lines.len();
    if unlisted > 0 {
        eprintln!("warning: ... and {unlisted} more line(s) with no video ID");
    }
}
