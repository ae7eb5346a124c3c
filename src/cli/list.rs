//! `list`: print the known list, as a table, JSON Lines or bare IDs; only the videos a query
//! picks (`--query`), in a chosen order (`--sort`). Reads without taking the lock (saves are
//! atomic renames, so a reader always sees a whole file).

use std::io::Write;

use jiff::Timestamp;

use super::open::warn_skipped;
use super::records::print_records;
use super::{CliError, Exit, ListArgs};
use crate::api::{OutcomeKind, VideoId};
use crate::query::Subject;
use crate::sort::{SortOrder, sort_rows};
use crate::store::{KnownVideo, Paths, load_current};

/// The widest a label is padded to in the table (longer ones push the title along).
const LABEL_WIDTH: usize = 24;

pub fn run(paths: &Paths, args: &ListArgs) -> Result<Exit, CliError> {
    let query = super::query::parse(args.query.as_deref())?;
    let (videos, caught_up) = load_current(paths)?;
    warn_skipped(&caught_up.skipped);
    let videos = videos.as_slice();
    let mut rows = super::query::matching_rows(videos, &query, Timestamp::now());
    let order = SortOrder {
        key: args.sort,
        descending: args.reverse,
    };
    if !order.is_list_order() {
        let reads = order.key.reads();
        sort_rows(&mut rows, order, |row| {
            Subject::reading(&videos[row as usize], reads)
        });
    }
    let picked = rows.iter().map(|&row| &videos[row as usize]);
    if args.ids {
        return print_ids(picked).map(|()| Exit::Success);
    }
    let label_width = picked
        .clone()
        .filter_map(|video| video.label.as_deref())
        .map(|label| label.chars().count())
        .max()
        .unwrap_or(0)
        .min(LABEL_WIDTH);
    let printed = print_records(
        picked,
        args.json,
        |video| json_line(video),
        |video| table_row(video, label_width),
    )?;
    if printed == 0 && !args.json {
        if videos.is_empty() {
            eprintln!("the known list is empty; add videos with `elytron-tui import FILE`");
        } else {
            eprintln!("no video of the {} known matches the query", videos.len());
        }
    }
    Ok(Exit::Success)
}

/// One ID a line, nothing else: for pipes.
fn print_ids<'a>(videos: impl Iterator<Item = &'a KnownVideo>) -> Result<(), CliError> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for video in videos {
        writeln!(out, "{}", video.id).map_err(CliError::Output)?;
    }
    out.flush().map_err(CliError::Output)
}

/// One `list --json` line; field order as documented.
#[derive(serde::Serialize)]
struct ListLine<'a> {
    id: VideoId,
    added_at: Timestamp,
    label: Option<&'a str>,
    title: Option<&'a str>,
    created_at: Option<Timestamp>,
    last_outcome: Option<OutcomeKind>,
}

fn json_line(video: &KnownVideo) -> ListLine<'_> {
    ListLine {
        id: video.id,
        added_at: video.added_at,
        label: video.label.as_deref(),
        title: video.title(),
        created_at: video.created_at(),
        last_outcome: video.last.as_ref().map(|last| last.outcome.kind),
    }
}

/// `ID  ADDED  CREATED  STATUS  LABEL  TITLE`, a dash for what is not known.
fn table_row(video: &KnownVideo, label_width: usize) -> String {
    let last = video
        .last
        .as_ref()
        .map_or("-", |last| last.outcome.kind.label());
    let created = video
        .created_at()
        .map_or_else(|| "-".to_owned(), |at| format!("{at:.0}"));
    let label = video.label.as_deref().unwrap_or("");
    let title = video.title().unwrap_or("");
    let row = format!(
        "{}  {:.0}  {created:<20}  {last:<12}  {label:<label_width$}  {title}",
        video.id, video.added_at
    );
    row.trim_end().to_owned()
}
