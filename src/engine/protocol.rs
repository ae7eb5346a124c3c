//! The engine's channel protocol: the commands a driver (TUI or CLI) sends and the events it
//! gets back, and the words for why sending stopped. Owned values only, so nothing is shared
//! between the engine and its driver.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;

use crate::api::{ApiKey, Outcome, OutcomeKind, VideoId};
use crate::rails::Cleared;
use crate::time_text::spoken_wait;

use super::rate_cap::Rate;
use super::run::PageAsk;

/// What a driver asks of the engine.
#[derive(Debug)]
pub enum Command {
    /// Queue these IDs, in this order, behind anything already queued. Only a batch the user
    /// confirmed past the profile's rails (`rails::Cleared`) can be put here.
    Enqueue(Cleared),
    /// Every queued ID ends `Cancelled` at once; in-flight requests finish and report.
    Cancel,
    /// A new key: resumes a batch paused by a 401 (or by the lack of a key).
    SetKey(ApiKey),
    /// After a `Pause::Halted`: send one request (a probe) now, and go on if it is answered.
    /// Ignored when nothing is halted.
    Retry,
    /// The user's pause: nothing new is sent (no probe either); requests on the wire finish
    /// and report. What was learned of the server's pace is kept.
    Pause,
    /// Ends the user's pause: sending goes on at the pace it had.
    Resume,
    /// Stop after in-flight requests finish; queued IDs end `Cancelled`.
    Shutdown,
    /// These IDs are known to be generating (what a sync stored): with `wait_processing` set,
    /// their status is asked before their first DELETE, whether they are queued already or
    /// by a later `Enqueue`. A hint only: it never queues or sends an ID by itself.
    Generating(Vec<VideoId>),
    /// A sync's page of the listing: sent when the same allowance as the DELETEs allows,
    /// its answer handed back once the pacer learned from it. Dropped unanswered when the
    /// engine stops.
    ListPage(PageAsk),
}

/// Why the engine stopped sending for now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pause {
    /// A 401, or no key at all: nothing more is sent until `Command::SetKey`.
    Unauthorized,
    /// The server asked us to wait (429 `Retry-After`, or rate-limit headers at zero), no
    /// longer than `max_wait`: sending resumes by itself.
    RateLimited {
        resume_in: Duration,
        waiting_for: RateWait,
    },
    /// Stopped on something that retrying each request cannot fix (see `HaltCause`). Queued
    /// IDs stay queued; one request at a time (a probe) tries again.
    Halted(Halt),
    /// The user paused sending (`Command::Pause`); `in_flight` requests (DELETEs, status
    /// checks and listing pages) are still on the wire. Said again when the last of them
    /// lands (`in_flight` 0): a driver about to stop the process waits for that, so no
    /// answer is left to time out meanwhile.
    ByUser { in_flight: usize },
}

/// What a rate-limit pause waits for, in words for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateWait {
    /// A `Retry-After` (a 429's, or a 503's).
    RetryAfter,
    /// The rate headers say nothing remains: until the window turns, or a request is due back
    /// at the pace they allow.
    Reset,
}

impl fmt::Display for RateWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::RetryAfter => "the server's Retry-After",
            Self::Reset => "the rate limit's reset (its headers say nothing remains until then)",
        })
    }
}

/// Why, and until when, sending is halted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Halt {
    pub cause: HaltCause,
    /// When the engine sends a probe by itself (growing while the server stays unreachable;
    /// the end of a long wait). `None`: only on `Command::Retry`.
    pub retry_in: Option<Duration>,
}

/// The stops that are the same for every ID, so no ID's retries can get past them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HaltCause {
    /// The first answers of the batch came from something other than the API's video route:
    /// redirects, or 404s without `VIDEO_NOT_FOUND`. `answer` says what came back.
    WrongBaseUrl { base_url: String, answer: String },
    /// Several requests in a row got no answer at all (refused, reset, timed out, no such
    /// host). `detail` is the last failure.
    Unreachable { detail: String },
    /// The TLS handshake failed; `detail` names the host and the cause.
    Tls { detail: String },
    /// For a while every answer was a 502, 503 or 504 (the server, or a proxy in front of it,
    /// refusing everything); `detail` is the last one.
    Overloaded { detail: String },
    /// The server asked to wait longer than `max_wait` (`Retry-After`, or `Reset` with
    /// nothing remaining); `asked_by` says which answer asked.
    LongWait {
        wait: Duration,
        max_wait: Duration,
        asked_by: String,
    },
}

impl fmt::Display for HaltCause {
    /// One line for the user, naming the cause and what to check.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongBaseUrl { base_url, answer } => {
                write!(f, "{base_url} {answer}; check base_url")
            }
            Self::Unreachable { detail } => write!(f, "the server cannot be reached: {detail}"),
            Self::Tls { detail } => f.write_str(detail),
            Self::Overloaded { detail } => write!(
                f,
                "the server refuses every request ({detail}): it is overloaded or down"
            ),
            Self::LongWait {
                wait,
                max_wait,
                asked_by,
            } => write!(
                f,
                "the server asked to wait {} ({asked_by}), longer than max_wait_seconds ({} s)",
                spoken_wait(*wait),
                max_wait.as_secs()
            ),
        }
    }
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
    /// `id` is generating: its DELETE waits until its status says generation has ended, or
    /// `wait_processing` runs out. Sent when it starts waiting and after every check.
    Generating {
        id: VideoId,
        /// 0 to 100, as the server last said.
        progress: Option<u8>,
        /// When the server expects generation to end.
        estimated_completion: Option<Timestamp>,
    },
    /// The server's status route is missing or does not answer as the API does: generating
    /// videos are retried blindly within `wait_processing` instead. Sent once.
    StatusUnavailable {
        reason: String,
    },
    Paused(Pause),
    Resumed,
    /// The server seemed overloaded (a timeout, a crowd of 502/503/504s, one that came slow):
    /// the requests allowed in flight were halved, to `in_flight`. At most once a round trip.
    Narrowed {
        in_flight: usize,
    },
    /// What the requests sent learned of the server's pace, said just before `Idle` (and
    /// before `Stopped`, for what was sent since, such as a sync's pages): the next engine
    /// on the same server may start from it (`spawn_seeded`).
    Learned(ServerPace),
    /// The queue is empty and nothing is in flight. Counts cover every ID finished since the
    /// engine was last idle.
    Idle {
        counts: BatchCounts,
    },
    /// The engine has stopped (after `Command::Shutdown`); no more events follow.
    Stopped,
}

/// What a batch learned of the server's pace: small and serializable, so that a driver can
/// keep it for the next batch on the same profile (`spawn_seeded` starts from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ServerPace {
    /// Requests a second the server admitted when it pushed back (429s, or 503s that fewer
    /// requests in flight did not thin), if it ever did.
    pub rate: Option<Rate>,
    /// Requests in flight the concurrency window had grown to.
    pub in_flight: u32,
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
    pub protected: usize,
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
            OutcomeKind::Protected => &mut self.protected,
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
            + self.protected
    }

    /// IDs that did not end gone.
    pub fn unsuccessful(&self) -> usize {
        self.total() - self.deleted - self.not_found
    }
}
