//! What `delete` prints: a dry run's lines, one JSON line per ID (`--json`, as results
//! arrive) or a table at the end, a summary on stderr, and the progress bar (indicatif, on
//! stderr, only when stderr is a terminal). Results go to standard output through
//! `StdoutLines`, so a reader that does not keep up never holds up the batch.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use super::CliError;
use super::stdout_lines::StdoutLines;
use crate::api::{Outcome, OutcomeKind, VideoId};
use crate::engine::BatchCounts;
use crate::printable::out::{Stdout, say};
use crate::printable::printable;
use crate::store::SizeTotal;

/// The output mode of one `delete` run, and its standard output.
pub struct Report {
    json: bool,
    out: StdoutLines,
}

/// One `--json` line, fields as documented: the same for a dry run, whose lines say
/// `"dry_run": true` and, for what would be sent, have no outcome yet and the request as
/// their message.
#[derive(Serialize)]
struct ResultLine<'a> {
    id: VideoId,
    dry_run: bool,
    outcome: Option<OutcomeKind>,
    status: Option<u16>,
    attempts: u32,
    error_code: Option<&'a str>,
    message: Option<&'a str>,
}

impl Report {
    pub fn new(json: bool) -> Self {
        Self {
            json,
            out: StdoutLines::spawn(),
        }
    }

    /// The requests `ids` would make (in text, each followed by what `describe` knows of its
    /// video), then the protected IDs that would not be sent. What it means is said by the
    /// caller.
    pub fn dry_run(
        &self,
        base_url: &str,
        (ids, describe): (&[VideoId], &dyn Fn(VideoId) -> String),
        protected: &[(VideoId, Outcome)],
    ) -> Result<(), CliError> {
        let mut out = Stdout::lock();
        for id in ids {
            let request = format!("DELETE {base_url}/videos/{id}");
            if self.json {
                out.json(&ResultLine {
                    id: *id,
                    dry_run: true,
                    outcome: None,
                    status: None,
                    attempts: 0,
                    error_code: None,
                    message: Some(&request),
                })
            } else {
                match describe(*id) {
                    known if known.is_empty() => out.line(&request),
                    known => out.line(&format!("{request}  {known}")),
                }
            }
            .map_err(CliError::Output)?;
        }
        for (id, outcome) in protected {
            if self.json {
                out.json(&ResultLine {
                    dry_run: true,
                    ..result_line(*id, outcome)
                })
            } else {
                out.line(&table_row(*id, outcome))
            }
            .map_err(CliError::Output)?;
        }
        out.flush().map_err(CliError::Output)
    }

    /// With `--json`, queues the ID's line now (a killed run still leaves what it learned).
    pub fn finished(&self, id: VideoId, outcome: &Outcome) {
        if self.json {
            self.out.json(&result_line(id, outcome));
        }
    }

    /// Why standard output can no longer be written, once that is known.
    pub fn output_failure(&self) -> Option<String> {
        self.out.failure()
    }

    /// The table (without `--json`), lines for IDs that never finished, and the summary;
    /// waits for standard output to take it all. The table leaves out IDs never sent (a
    /// stop or Ctrl-C cancelled them before their request): `delete` counts them in one
    /// line with how to resume them; `--json` keeps a line for each. Returns why standard
    /// output failed, if it did (then some of it was lost), and the counts the summary gave.
    pub fn finish(
        self,
        ids: &[VideoId],
        outcomes: &HashMap<VideoId, Outcome>,
        freed: SizeTotal,
    ) -> (Option<String>, BatchCounts) {
        let unfinished = Outcome {
            message: Some("interrupted before its answer arrived; it may have been deleted".into()),
            ..Outcome::unsent(OutcomeKind::Cancelled)
        };
        let mut counts = BatchCounts::default();
        for id in ids {
            let outcome = outcomes.get(id);
            counts.add(outcome.map_or(OutcomeKind::Cancelled, |outcome| outcome.kind));
            match (outcome, self.json) {
                (None, true) => self.out.json(&result_line(*id, &unfinished)),
                (Some(_), true) => {}
                (Some(outcome), false) if outcome.never_sent() => {}
                (outcome, false) => {
                    let outcome = outcome.unwrap_or(&unfinished);
                    self.out.line(&table_row(*id, outcome));
                }
            }
        }
        let failure = self.out.finish();
        say!("{}", summary(&counts, freed));
        (failure, counts)
    }

    pub fn progress(&self, total: usize) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::new(ProgressBar::hidden());
        }
        Progress::new(ProgressBar::new(total as u64).with_style(bar_style(SENDING)))
    }
}

/// The bar while sending: its ETA is the time left at the rate so far.
const SENDING: &str = "{bar:30} {pos}/{len} ({per_sec}, eta {eta}) {msg}";
/// The bar while waiting (a rate limit, a server that does not answer): no ETA, as the rate
/// falls while nothing is sent and the wait is in the message.
const WAITING: &str = "{bar:30} {pos}/{len} ({per_sec}) {msg}";

fn bar_style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// The progress bar: done/total, rate and ETA, with the count not deleted and any wait as its
/// message (no ETA then).
pub struct Progress {
    bar: ProgressBar,
    not_deleted: Cell<u64>,
    wait: RefCell<String>,
    /// IDs waiting for their generation to end: counted on the bar, which then shows no ETA
    /// (nobody knows when generation ends).
    generating: RefCell<HashSet<VideoId>>,
    /// The line saying why some videos wait was printed.
    said_generating: Cell<bool>,
}

impl Progress {
    fn new(bar: ProgressBar) -> Self {
        Self {
            bar,
            not_deleted: Cell::new(0),
            wait: RefCell::new(String::new()),
            generating: RefCell::new(HashSet::new()),
            said_generating: Cell::new(false),
        }
    }

    /// `id` waits for its generation to end; the first one is said in a line of its own.
    pub fn generating(&self, id: VideoId, wait_processing: Duration) {
        if self.generating.borrow_mut().insert(id) {
            if !self.said_generating.replace(true) {
                self.note(&format!(
                    "videos still generating are deleted once it ends: their status is \
                     checked for up to {} s (--wait-processing)",
                    wait_processing.as_secs()
                ));
            }
            self.restyle();
        }
    }

    /// A request for `id` goes out: it no longer waits for its generation.
    pub fn started(&self, id: VideoId) {
        if self.generating.borrow_mut().remove(&id) {
            self.restyle();
        }
    }

    pub fn finished(&self, id: VideoId, outcome: &Outcome) {
        self.started(id);
        self.bar.inc(1);
        if !outcome.kind.is_gone() {
            self.not_deleted.set(self.not_deleted.get() + 1);
            self.show();
        }
    }

    /// The wait on the bar, in place of its ETA; an empty text clears it.
    pub fn waiting(&self, text: &str) {
        text.clone_into(&mut self.wait.borrow_mut());
        self.restyle();
    }

    /// No ETA while anything waits (a wait on the bar, a generation), then the message.
    fn restyle(&self) {
        let waits = !self.wait.borrow().is_empty() || !self.generating.borrow().is_empty();
        self.bar
            .set_style(bar_style(if waits { WAITING } else { SENDING }));
        self.show();
    }

    /// A line above the bar, or on stderr when there is no bar; printable either way.
    pub fn note(&self, text: &str) {
        if self.bar.is_hidden() {
            say!("{text}");
        } else {
            self.bar.println(printable(text));
        }
    }

    /// Whether the bar is drawn (stderr is a terminal): waits show on it, not as lines.
    pub fn visible(&self) -> bool {
        !self.bar.is_hidden()
    }

    pub fn tick(&self) {
        self.bar.tick();
    }

    /// Runs `f` with the bar off the screen (the process stopping for Ctrl-z), and draws it
    /// again after.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
    }

    fn show(&self) {
        let not_deleted = self.not_deleted.get();
        let failures = if not_deleted > 0 {
            format!("{not_deleted} not deleted")
        } else {
            String::new()
        };
        let generating = match self.generating.borrow().len() {
            0 => String::new(),
            n => format!("{n} waiting for generation"),
        };
        let wait = self.wait.borrow();
        let parts: Vec<&str> = [failures.as_str(), generating.as_str(), wait.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect();
        self.bar.set_message(parts.join("; "));
    }
}

/// One `--json` line.
fn result_line(id: VideoId, outcome: &Outcome) -> ResultLine<'_> {
    ResultLine {
        id,
        dry_run: false,
        outcome: Some(outcome.kind),
        status: outcome.status,
        attempts: outcome.attempts,
        error_code: outcome.error_code.as_deref(),
        message: outcome.message.as_deref(),
    }
}

fn table_row(id: VideoId, outcome: &Outcome) -> String {
    format!("{id}  {}", outcome_cells(outcome))
}

/// An outcome's table cells, shared by `delete` and `history`: status word, HTTP status,
/// then the server's message (or code), printable: a line break in it shows as `\n`.
pub(super) fn outcome_cells(outcome: &Outcome) -> String {
    let status = outcome
        .status
        .map_or("-".to_owned(), |status| status.to_string());
    let detail = outcome
        .message
        .as_deref()
        .or(outcome.error_code.as_deref())
        .unwrap_or("");
    format!(
        "{:<12}  {status:>3}  {}",
        outcome.kind.label(),
        printable(detail)
    )
}

/// `3 deleted (41.2 GB freed), 1 forbidden`: each count there is, with the space the deleted
/// ones freed when a sync listed their sizes.
fn summary(counts: &BatchCounts, freed: SizeTotal) -> String {
    let parts = [
        (counts.deleted, OutcomeKind::Deleted),
        (counts.not_found, OutcomeKind::NotFound),
        (counts.processing, OutcomeKind::Processing),
        (counts.forbidden, OutcomeKind::Forbidden),
        (counts.unauthorized, OutcomeKind::Unauthorized),
        (counts.failed, OutcomeKind::Failed),
        (counts.cancelled, OutcomeKind::Cancelled),
        (counts.skipped, OutcomeKind::Skipped),
        (counts.protected, OutcomeKind::Protected),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, kind)| match (kind, freed.shown()) {
            (OutcomeKind::Deleted, Some(size)) => format!("{count} deleted ({size} freed)"),
            _ => format!("{count} {}", kind.label()),
        })
        .collect();
    words.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn the_bar_counts_the_videos_waiting_for_generation_until_they_are_sent() {
        let progress = Progress::new(ProgressBar::hidden());
        let wait = Duration::from_secs(60);
        progress.generating(id(1), wait);
        progress.generating(id(2), wait);
        progress.generating(id(2), wait);
        assert_eq!(progress.bar.message(), "2 waiting for generation");
        progress.waiting("rate limited: waiting 3s");
        assert_eq!(
            progress.bar.message(),
            "2 waiting for generation; rate limited: waiting 3s"
        );
        progress.waiting("");
        progress.started(id(1));
        let refused = Outcome::unsent(OutcomeKind::Processing);
        progress.finished(id(2), &refused);
        assert_eq!(progress.bar.message(), "1 not deleted");
        assert!(progress.said_generating.get(), "said once, in a line");
    }
}
