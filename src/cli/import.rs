//! `import`: scan a file or stdin for video IDs (with titles and creation times, from a
//! table or JSON; with every field a sync keeps, from saved pages of the API's listing) and
//! add the new ones to the known list. Reports added / already known on stdout, and lines
//! without an ID or with a field that could not be read on stderr. A file is read on a
//! thread of its own while what it holds is written, in one transaction that commits only
//! once the whole file was read and accepted (`add_as_read`); standard input, which may be
//! slow to come, is read whole first, so the database is not held while it waits.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::{self, ScopedJoinHandle};

use jiff::Timestamp;

use super::exit::InputName;
use super::input::{scan_failed, scan_source};
use super::open::open_store;
use super::{CliError, Exit, ImportArgs};
use crate::import::{Form, ImportError, ImportScan, scan_reader_in_batches};
use crate::printable::out::{print_line, say};
use crate::store::{AddReport, Paths};

pub fn run(paths: &Paths, args: &ImportArgs) -> Result<Exit, CliError> {
    let now = Timestamp::now();
    let (found, added) = match regular_file(args.file.as_deref()) {
        Some(path) => add_as_read(paths, args, path, now)?,
        None => {
            let (found, path) = scan_source(args.file.as_deref())?;
            accept(&path, &found, args.strict)?;
            let added = open_store(paths)?.add_with_listing(
                &found.ids,
                &found.details,
                &found.listed,
                args.label.as_deref(),
                now,
            )?;
            (found, added)
        }
    };
    let mut line = format!(
        "added {}, already known {}",
        added.added, added.already_known
    );
    if added.filled > 0 {
        line.push_str(&format!(
            " ({} of them given a title or creation time they lacked)",
            added.filled
        ));
    }
    if found.repeated > 0 {
        line.push_str(&format!(", repeated in the input {}", found.repeated));
    }
    if found.form != Form::Text {
        let per = match found.form {
            Form::Json if found.listing_pages > 0 => format!(
                "{} page(s) of the API's listing, one video per entry of videos with its \
                 generation (what the known list lacked filled in)",
                found.listing_pages
            ),
            Form::Json => "one video per object".to_owned(),
            _ => "one video per row".to_owned(),
        };
        line.push_str(&format!(
            "; read as {}: {per}, {} with a title or creation time",
            found.form,
            found.details.len()
        ));
    }
    print_line(&line).map_err(CliError::Output)?;
    Ok(if found.bad_line_count + found.bad_field_count > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// The file named, when it is a regular file (not `-`, a pipe or a device: those are read
/// whole before anything is written).
fn regular_file(path: Option<&Path>) -> Option<&Path> {
    path.filter(|path| {
        *path != Path::new("-") && std::fs::metadata(path).is_ok_and(|meta| meta.is_file())
    })
}

/// How many IDs a batch handed from the reading thread to the writing one holds, and how
/// many batches may wait between them.
const BATCH: usize = 8 * 1024;
const BATCHES_AHEAD: usize = 4;

/// Reads the file at `path` on a thread of its own and adds what it holds as it is read, in
/// one transaction. A read or syntax error, or a refusal of `--strict`, rolls it all back; an
/// error of the reading wins over one of the writing (it stopped the writing, or says more).
fn add_as_read(
    paths: &Paths,
    args: &ImportArgs,
    path: &Path,
    now: Timestamp,
) -> Result<(ImportScan, AddReport), CliError> {
    let file = File::open(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let size = file.metadata().ok().map(|meta| meta.len());
    let mut store = open_store(paths)?;
    let (added, found) = thread::scope(|scope| -> Result<_, CliError> {
        let (send, batches) = mpsc::sync_channel(BATCHES_AHEAD);
        let mut reading = Some(scope.spawn(move || {
            scan_reader_in_batches(file, size, BATCH, |batch| send.send(batch).is_ok())
        }));
        let added = store.add_batches(
            args.label.as_deref(),
            now,
            batches,
            || -> Result<_, CliError> {
                let found = read(path, reading.take())?;
                accept(path, &found, args.strict)?;
                Ok(found)
            },
            |found| &found.listed,
        );
        // The writing stopped before the reading ended: the receiver is gone, the reading
        // stops at its next batch.
        read(path, reading.take())?;
        added?
    })?;
    Ok((found, added))
}

/// What the reading thread found, once it has ended (none when it was already joined).
fn read(
    path: &Path,
    reading: Option<ScopedJoinHandle<'_, Result<ImportScan, ImportError>>>,
) -> Result<ImportScan, CliError> {
    let Some(reading) = reading else {
        return Ok(ImportScan::default());
    };
    match reading.join() {
        Ok(scanned) => scanned.map_err(|err| scan_failed(PathBuf::from(path), err)),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Warns about the lines without an ID and the fields that could not be read; with
/// `--strict`, any of them refuses the import.
fn accept(path: &Path, found: &ImportScan, strict: bool) -> Result<(), CliError> {
    report_bad_lines(path, found);
    if strict && found.bad_line_count > 0 {
        return Err(CliError::Strict {
            path: path.to_path_buf(),
            first_line: found.bad_lines[0],
            count: found.bad_line_count,
        });
    }
    if let Some((line, why)) = found.bad_fields.first().filter(|_| strict) {
        return Err(CliError::Usage(format!(
            "{}:{line}: {why} ({} such field(s) in all); --strict added nothing",
            InputName(path),
            found.bad_field_count
        )));
    }
    Ok(())
}

/// `warning: FILE:LINE: no video ID` for the first few, then a count of the rest; the same
/// for fields that could not be read.
fn report_bad_lines(path: &std::path::Path, found: &ImportScan) {
    let lines = found
        .bad_lines
        .iter()
        .map(|line| format!("{}:{line}: no video ID on this line", InputName(path)));
    warn_listed(lines, found.bad_line_count, "line(s) with no video ID");
    let fields = found.bad_fields.iter().map(|(line, why)| {
        format!(
            "{}:{line}: {why}; the video is added without it",
            InputName(path)
        )
    });
    warn_listed(
        fields,
        found.bad_field_count,
        "field(s) that could not be read",
    );
}

/// A warning for each of the `listed`, then how many more of the `count` there are.
fn warn_listed(listed: impl ExactSizeIterator<Item = String>, count: usize, what: &str) {
    let unlisted = count.saturating_sub(listed.len());
    for warning in listed {
        say!("warning: {warning}");
    }
    if unlisted > 0 {
        say!("warning: ... and {unlisted} more {what}");
    }
}
