//! `list`: print the profile's known list, as a table, JSON Lines or bare IDs, saying which
//! videos the profile protects; only the videos a query picks (`--query`), in a chosen order
//! (`--sort`). Reads one moment of the store, whatever other processes write meanwhile; a
//! profile with no data yet lists nothing, and nothing is created.

use jiff::Timestamp;
use std::borrow::Cow;
use std::cell::RefCell;

use super::open::open_existing;
use super::records::print_records;
use super::{CliError, Exit, ListArgs};
use crate::api::{GenerationState, OutcomeKind, VideoId};
use crate::printable;
use crate::printable::out::{Stdout, say};
use crate::query::Subject;
use crate::rails::{self, ProtectionPass, Rails};
use crate::session::Session;
use crate::sort::{SortOrder, sort_rows};
use crate::store::{Generation, IdSet, KnownVideo, KnownVideos, LastSync};

/// The widest a label is padded to in the table (longer ones push the title along).
const LABEL_WIDTH: usize = 24;

pub fn run(session: &Session, args: &ListArgs) -> Result<Exit, CliError> {
    let query = super::query::parse(args.query.as_deref())?;
    let (videos, rails) = match open_existing(&session.paths)? {
        Some(mut store) => (store.videos()?, session.rails(&store)?),
        None => (
            KnownVideos::default(),
            Rails::new(session.rails.clone(), IdSet::default()),
        ),
    };
    let now = Timestamp::now();
    let videos = videos.as_slice();
    let mut rows = super::query::matching_rows(videos, &query, now);
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
    // Room for the lock mark and a space before the label, when anything can be protected.
    let lock_width = if rails.protects_anything() { 2 } else { 0 };
    let label_width = picked
        .clone()
        .filter_map(|video| video.label.as_deref())
        .map(printable::width)
        .max()
        .unwrap_or(0)
        .saturating_add(lock_width)
        .min(LABEL_WIDTH);
    let pass = RefCell::new(rails.pass(now));
    let printed = print_records(
        picked,
        args.json,
        |video| json_line(video, protected(&pass, video)),
        |video| table_row(video, label_width, protected(&pass, video)),
    )?;
    if printed == 0 && !args.json {
        if videos.is_empty() {
            say!("the known list is empty; add videos with `elytron-tui import FILE`");
        } else {
            say!("no video of the {} known matches the query", videos.len());
        }
    }
    Ok(Exit::Success)
}

/// Whether the profile protects `video` (one pass of the rules over the whole list).
fn protected<'s>(pass: &RefCell<ProtectionPass<'_, 's>>, video: &'s KnownVideo) -> bool {
    pass.borrow_mut().protects(&Subject::of(video)).is_some()
}

/// One ID a line, nothing else: for pipes.
fn print_ids<'a>(videos: impl Iterator<Item = &'a KnownVideo>) -> Result<(), CliError> {
    let mut out = Stdout::lock();
    for video in videos {
        out.line(&video.id.to_string()).map_err(CliError::Output)?;
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
    /// By ID or by a `protect` rule: never sent.
    protected: bool,
    /// What the last sync listed: `state`, `file_size`, `duration_seconds`, `completed_at`,
    /// `generation_error`, `download_url`, `listed` (each absent when not known).
    #[serde(flatten)]
    generation: Option<&'a Generation>,
}

fn json_line(video: &KnownVideo, protected: bool) -> ListLine<'_> {
    ListLine {
        id: video.id,
        added_at: video.added_at,
        label: video.label.as_deref(),
        title: video.title(),
        created_at: video.created_at(),
        last_outcome: video.last.as_ref().map(|last| last.outcome.kind),
        protected,
        generation: video.details.as_ref().map(|details| &details.generation),
    }
}

/// `ID  ADDED  CREATED  STATUS  STATE  LABEL  TITLE`, a dash for what is not known (the
/// state is `not listed` when the last complete sync did not list it); the label
/// column starts with the lock mark on a protected video. Label and title are printable
/// (`printable`), the label padded by the cells it shows, so the titles line up.
fn table_row(video: &KnownVideo, label_width: usize, protected: bool) -> String {
    let last = video
        .last
        .as_ref()
        .map_or("-", |last| last.outcome.kind.label());
    let created = video
        .created_at()
        .map_or_else(|| "-".to_owned(), |at| format!("{at:.0}"));
    let label = video.label.as_deref().unwrap_or("");
    let label = match (protected, label.is_empty()) {
        (false, _) => Cow::Borrowed(label),
        (true, true) => Cow::Borrowed(rails::LOCK_MARK),
        (true, false) => Cow::Owned(format!("{} {label}", rails::LOCK_MARK)),
    };
    let label = printable::padded(&label, label_width);
    let title = printable::printable(video.title().unwrap_or(""));
    let generation = video.details.as_ref().map(|details| &details.generation);
    let state = match generation {
        Some(generation) if generation.listed == LastSync::NotListed => "not listed",
        Some(generation) => generation.state.map_or("-", GenerationState::as_str),
        None => "-",
    };
    let row = format!(
        "{}  {:.0}  {created:<20}  {last:<12}  {state:<10}  {label}  {title}",
        video.id, video.added_at
    );
    row.trim_end().to_owned()
}
