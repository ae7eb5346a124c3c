//! `list`: print the known list, as a table or JSON Lines. Reads without taking the lock
//! (saves are atomic renames, so a reader always sees a whole file).

use jiff::Timestamp;

use super::open::warn_skipped;
use super::records::print_records;
use super::{CliError, Exit, ListArgs};
use crate::api::{OutcomeKind, VideoId};
use crate::store::{KnownVideo, Paths, load_current};

pub fn run(paths: &Paths, args: &ListArgs) -> Result<Exit, CliError> {
    let (videos, caught_up) = load_current(paths)?;
    warn_skipped(&caught_up.skipped);
    let printed = print_records(
        &videos,
        args.json,
        |video| json_line(video),
        |video| table_row(video),
    )?;
    if printed == 0 && !args.json {
        eprintln!("the known list is empty; add videos with `elytron-tui import FILE`");
    }
    Ok(Exit::Success)
}

/// One `list --json` line; field order as documented.
#[derive(serde::Serialize)]
struct ListLine<'a> {
    id: VideoId,
    added_at: Timestamp,
    label: Option<&'a str>,
    last_outcome: Option<OutcomeKind>,
}

fn json_line(video: &KnownVideo) -> ListLine<'_> {
    ListLine {
        id: video.id,
        added_at: video.added_at,
        label: video.label.as_deref(),
        last_outcome: video.last.as_ref().map(|last| last.outcome.kind),
    }
}

fn table_row(video: &KnownVideo) -> String {
    let last = video
        .last
        .as_ref()
        .map_or("-", |last| last.outcome.kind.label());
    let label = video.label.as_deref().unwrap_or("");
    format!("{}  {:.0}  {last:<12}  {label}", video.id, video.added_at)
}
