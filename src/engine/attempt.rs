//! The requests in flight: one spawned task per attempt, each sending exactly one DELETE,
//! and the bookkeeping that ties a finished task back to its ID. Owns `Pending` (an ID with
//! its retry history) and `InFlight`; it must not judge results or choose what to send next.

use std::time::Instant;

use super::tagged_tasks::TaggedTasks;
use crate::api::{ApiKey, Attempt, ElytronClient, Outcome, OutcomeKind, RetryState, VideoId};

/// An ID that still needs a request: never sent yet, waiting out a backoff, or put back after
/// its key was refused.
#[derive(Debug)]
pub struct Pending {
    pub id: VideoId,
    /// Position in the order the driver gave; keeps re-queued IDs in that order.
    pub order: u64,
    pub retry: RetryState,
}

impl Pending {
    pub fn new(id: VideoId, order: u64) -> Self {
        Self {
            id,
            order,
            retry: RetryState::default(),
        }
    }

    /// Its outcome when the user cancels it before its next request.
    pub fn cancelled(&self) -> Outcome {
        if self.retry.sent() == 0 {
            Outcome::unsent(OutcomeKind::Cancelled)
        } else {
            self.retry.cancelled()
        }
    }
}

/// A request on the wire, and what the run loop needs to know when it comes back.
#[derive(Debug)]
pub struct InFlight {
    pub pending: Pending,
    pub sent_at: Instant,
    /// Which key it carried: a 401 for a key already replaced must not pause the new one.
    pub key_generation: u64,
    /// The concurrency window was full when it left.
    pub window_was_full: bool,
    /// Cancelled while on the wire: it reports its real outcome but is never retried.
    pub called_off: bool,
    /// Sent alone while sending was halted, to see whether it can go on.
    pub probe: bool,
}

/// How an in-flight request ended.
#[derive(Debug)]
pub enum Landed {
    Attempt(InFlight, Attempt),
    /// The task died without a result (a panic in the HTTP stack); the ID still gets an outcome.
    Lost(InFlight, String),
}

/// Every request on the wire.
#[derive(Debug, Default)]
pub struct InFlightSet {
    tasks: TaggedTasks<Attempt, InFlight>,
}

impl InFlightSet {
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Sends one DELETE for `flight.pending.id` in its own task.
    pub fn launch(&mut self, client: &ElytronClient, key: &ApiKey, flight: InFlight) {
        let client = client.clone();
        let key = key.clone();
        let id = flight.pending.id;
        self.tasks
            .spawn(async move { client.delete_video(&key, id).await }, flight);
    }

    /// Marks every request on the wire as called off (cancel or shutdown).
    pub fn call_off_all(&mut self) {
        for flight in self.tasks.tags_mut() {
            flight.called_off = true;
        }
    }

    /// The next request to come back; `None` when nothing is in flight.
    pub async fn next(&mut self) -> Option<Landed> {
        self.tasks.next().await.map(landed)
    }

    /// A request that has already come back, if any, without waiting.
    pub fn ready(&mut self) -> Option<Landed> {
        self.tasks.ready().map(landed)
    }
}

fn landed((flight, result): (InFlight, Result<Attempt, String>)) -> Landed {
    match result {
        Ok(attempt) => Landed::Attempt(flight, attempt),
        Err(error) => Landed::Lost(flight, error),
    }
}
