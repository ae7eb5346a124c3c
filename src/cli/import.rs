//! `import`: scan a file or stdin for video IDs (with titles and creation times, from a
//! table or JSON; with every field a sync keeps, from saved pages of the API's listing) and
//! add the new ones to the known list. Reports added / already known on stdout, and lines
//! without an ID or with a field that could not be read on stderr.

use jiff::Timestamp;

use super::exit::InputName;
use super::input::scan_source;
use super::open::open_store;
use super::{CliError, Exit, ImportArgs};
use crate::import::{Form, ImportScan};
use crate::printable::out::{print_line, say};
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
    if let Some((line, why)) = found.bad_fields.first().filter(|_| args.strict) {
        return Err(CliError::Usage(format!(
            "{}:{line}: {why} ({} such field(s) in all); --strict added nothing",
            InputName(&path),
            found.bad_field_count
        )));
    }
    let mut store = open_store(paths)?;
    let now = Timestamp::now();
    let added = store.add(&found.ids, &found.details, args.label.as_deref(), now)?;
    store.merge_saved_listing(&found.listed, now)?;
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
