//! The engine's channel protocol: the commands a driver (TUI or CLI) sends and the events it
//! gets back. Owned values only, so nothing is shared between the engine and its driver.

use std::time::Duration;

use crate::api::{ApiKey, Outcome, OutcomeKind, VideoId};

/// What a driver asks of the engine.
#[derive(Debug)]
pub enum Command {
    /// Queue these IDs, in this order, behind anything already queued. Only IDs the user
    /// confirmed are ever put here.
    Enqueue(Vec<VideoId>),
    /// Every queued ID ends `Cancelled` at once; in-flight requests finish and report.
    Cancel,
    /// A new key: resumes a batch paused by a 401 (or by the lack of a key).
    SetKey(ApiKey),
    /// Stop after in-flight requests finish; queued IDs end `Cancelled`.
    Shutdown,
}

/// Why the engine stopped sending for now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pause {
    /// A 401, or no key at all: nothing more is sent until `Command::SetKey`.
    Unauthorized,
    /// The server asked us to wait (429 `Retry-After`, or rate-limit headers at zero).
    RateLimited { resume_in: Duration },
}

/// What happened, in the order it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// These IDs joined the queue.
    Queued {
        ids: Vec<VideoId>,
    },
    /// A request for `id` is being sent (attempt counts from 1).
    Started {
        id: VideoId,
        attempt: u32,
    },
    /// The attempt failed in a retryable way; the next one goes out after `wait`.
    Retrying {
        id: VideoId,
        attempt: u32,
        wait: Duration,
        reason: String,
    },
    /// `id` is done; this is its final outcome.
    Finished {
        id: VideoId,
        outcome: Outcome,
    },
    Paused(Pause),
    Resumed,
    /// The queue is empty and nothing is in flight. Counts cover every ID finished since the
    /// engine was last idle.
    Idle {
        counts: BatchCounts,
    },
    /// The engine has stopped (after `Command::Shutdown`); no more events follow.
    Stopped,
}

/// How many IDs ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub deleted: usize,
    pub not_found: usize,
    pub processing: usize,
    pub forbidden: usize,
    pub unauthorized: usize,
    pub failed: usize,
    pub cancelled: usize,
    pub skipped: usize,
}

impl BatchCounts {
    pub fn add(&mut self, kind: OutcomeKind) {
        let slot = match kind {
            OutcomeKind::Deleted => &mut self.deleted,
            OutcomeKind::NotFound => &mut self.not_found,
            OutcomeKind::Processing => &mut self.processing,
            OutcomeKind::Forbidden => &mut self.forbidden,
            OutcomeKind::Unauthorized => &mut self.unauthorized,
            OutcomeKind::Failed => &mut self.failed,
            OutcomeKind::Cancelled => &mut self.cancelled,
            OutcomeKind::Skipped => &mut self.skipped,
        };
        *slot += 1;
    }

    pub fn total(&self) -> usize {
        self.deleted
            + self.not_found
            + self.processing
            + self.forbidden
            + self.unauthorized
            + self.failed
            + self.cancelled
            + self.skipped
    }

    /// IDs that did not end gone.
    pub fn unsuccessful(&self) -> usize {
        self.total() - self.deleted - self.not_found
    }
}
