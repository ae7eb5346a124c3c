//! A sync: walking the account's listing (`account::Walk`) with the client, merging each page
//! into the store as it arrives (one transaction per page), and writing how it ended (the
//! videos a complete walk did not list marked `listed:no`). Shared by `elytron-tui sync` and
//! the app's `sync` action; it prints nothing and draws nothing, it reports `SyncEvent`s.
//!
//! Sending goes through one seam, `SendPage` (`send`): `Paced` hands each page to the delete
//! engine, so GETs and DELETEs share one allowance (`max_rate`, the server's pace, halts),
//! and the driver retries as `RetryPolicy::judge_read` says (429s with their waits, 5xx with
//! backoff; 401, 403 and a server without the listing end the sync), except that a page
//! getting no answer at all is asked again for `give_up_after`, as `delete` probes an
//! unreachable server (`unreachable`).
//!
//! Interrupted anywhere (Ctrl-c drops the future, kill -9 ends the process), every page
//! merged before stays merged, and `meta.sync` stays `unfinished`: the next sync walks
//! everything again instead of stopping early on what this one merged.

mod background;
mod send;
mod unreachable;

use std::time::{Duration, Instant};

use jiff::Timestamp;

pub use background::{SyncNews, spawn};
pub use send::{Paced, SendPage};
use unreachable::{Probe, Unreachable};

use crate::account::{Held, ToMerge, Walk, WalkEnd, WalkFailure, WalkMode, WalkPlan, WalkProgress};
use crate::api::{
    GenerationState, ReadFailure, ReadFailureKind, ReadVerdict, RetryPolicy, RetryState,
};
use crate::store::{LastSyncRun, Store, StoreError};

/// What the user asked of a sync.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncAsk {
    /// `--full`: walk every page even when the last sync was complete.
    pub full: bool,
    /// `--status S`: only the videos in this state.
    pub status: Option<GenerationState>,
}

/// What a sync says while it runs.
#[derive(Debug)]
pub enum SyncEvent<'a> {
    /// A page arrived and was merged; `videos` are those new to the list or changed.
    Merged {
        progress: WalkProgress,
        videos: &'a [ToMerge],
    },
    /// A page is asked again after `wait`.
    Waiting { wait: Duration, reason: &'a str },
    /// The server has just stopped answering at all: it is probed until it answers or
    /// `give_up_after` runs out (`Waiting` follows, and comes before each probe).
    Unreachable { reason: &'a str },
}

/// How a sync ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncEnd {
    /// Whether it walked everything or stopped early (incremental), or why it failed.
    pub end: SyncResult,
    pub mode: WalkMode,
    pub progress: WalkProgress,
    /// Videos new to the list.
    pub added: usize,
    /// Known videos the listing changed.
    pub updated: usize,
    /// Known videos newly marked not listed by a complete walk.
    pub unlisted: usize,
}

/// The end of a sync's walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncResult {
    Complete,
    StoppedEarly,
    /// A page could not be read: what the server said, and what kind of failure.
    ReadFailed(ReadFailure),
    /// The listing cannot be walked (it ignores offsets, its pages are too small).
    Unwalkable(WalkFailure),
}

impl SyncResult {
    /// The server does not serve the listing (404, 405, HTML, JSON of another shape).
    pub fn not_served(&self) -> bool {
        matches!(self, Self::ReadFailed(failure) if failure.kind == ReadFailureKind::NotServed)
    }
}

/// How a sync asks again: the retry policy, and how long a server that does not answer at
/// all is probed before the sync gives up.
#[derive(Clone, Copy, Debug)]
pub struct Retries {
    pub policy: RetryPolicy,
    pub give_up_after: Duration,
}

/// Runs one sync to its end, merging into `store` as pages arrive. `Err` only when the
/// store fails (what was merged before stays).
pub async fn run(
    store: &mut Store,
    sender: &mut impl SendPage,
    retries: Retries,
    ask: SyncAsk,
    mut on: impl FnMut(SyncEvent<'_>),
) -> Result<SyncEnd, StoreError> {
    let mode = if ask.full || store.last_sync_run()? != LastSyncRun::Complete {
        WalkMode::Full
    } else {
        WalkMode::Incremental
    };
    let plan = WalkPlan {
        mode,
        status: ask.status,
        ..WalkPlan::default()
    };
    let mut walk = Walk::new(plan, store.unsettled()?);
    store.sync_started()?;
    let (mut added, mut updated) = (0, 0);
    let mut read_failure = None;
    let mut unreachable = Unreachable::new(retries.give_up_after);
    while let Some(planned) = walk.next_request() {
        let mut state = RetryState::default();
        let page = loop {
            let read = sender.send(&planned.query).await;
            let probe = (!sender.stopped())
                .then(|| unreachable.judge(&read.attempt, Instant::now()))
                .flatten();
            let verdict = match probe {
                Some(Probe::After {
                    wait,
                    reason,
                    first,
                }) => {
                    if first {
                        on(SyncEvent::Unreachable { reason: &reason });
                    }
                    ReadVerdict::Retry { wait, reason }
                }
                Some(Probe::GiveUp(failure)) => ReadVerdict::Failed(failure),
                None => retries.policy.judge_read(&mut state, read),
            };
            match verdict {
                ReadVerdict::Read(page) => break Some(page),
                ReadVerdict::Retry { wait, reason } => {
                    on(SyncEvent::Waiting {
                        wait,
                        reason: &reason,
                    });
                    tokio::time::sleep(wait).await;
                }
                ReadVerdict::Failed(failure) => {
                    walk.abandon(failure.to_string());
                    read_failure = Some(failure);
                    break None;
                }
                // Never from the listing: a 404 there is a route not served.
                ReadVerdict::Gone => {
                    walk.abandon("the listing answered that a video is gone".to_owned());
                    break None;
                }
            }
        };
        let Some(page) = page else { break };
        let merge = walk.take(planned, page, &*store);
        let merged = store.merge_listed(&merge, Timestamp::now())?;
        added += merged.added;
        updated += merged.updated;
        on(SyncEvent::Merged {
            progress: walk.progress(),
            videos: &merge,
        });
    }
    let progress = walk.progress();
    let mut unlisted = 0;
    let end = match walk.finish() {
        Some(WalkEnd::Complete(listed)) => {
            unlisted = store.sync_complete(&listed)?;
            SyncResult::Complete
        }
        Some(WalkEnd::StoppedEarly) => {
            store.sync_stopped_early()?;
            SyncResult::StoppedEarly
        }
        Some(WalkEnd::Failed(failure)) => match read_failure {
            Some(read) => SyncResult::ReadFailed(read),
            None => SyncResult::Unwalkable(failure),
        },
        None => SyncResult::Unwalkable(WalkFailure::Abandoned(
            "the walk ended without saying how".to_owned(),
        )),
    };
    Ok(SyncEnd {
        end,
        mode,
        progress,
        added,
        updated,
        unlisted,
    })
}

/// `new` or `changed`, as `sync --json` says it.
pub fn change_word(held: Held) -> &'static str {
    match held {
        Held::New => "new",
        Held::Changed | Held::Same => "changed",
    }
}
