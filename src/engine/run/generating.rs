//! The run loop's side of waiting out generation: handing a generating ID to
//! `GenerationWaits`, sending its due status checks through the same pacer as the DELETEs,
//! and acting on what a check says (its DELETE now, wait on, or blind retries when the
//! status route is not the API's). Every ID here came from the queue, so only a confirmed ID
//! is ever deleted after its wait.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::api::{ApiKey, VideoId};

use super::super::attempt::Pending;
use super::super::generation_wait::{CheckLanded, MIN_CHECK, Next, StatusRoute};
use super::super::protocol::Event;
use super::Engine;

impl Engine {
    /// A DELETE refused as generating, with `left` of `wait_processing` to go: it waits for
    /// its status to say generation ended, or, on a server without the status route, is
    /// retried blindly after `blind_wait` (as before status checks existed).
    pub(super) fn wait_for_generation(
        &mut self,
        pending: Pending,
        blind_wait: Duration,
        left: Duration,
        now: Instant,
    ) {
        if self.generation.route() == StatusRoute::Missing {
            self.emit(Event::Retrying {
                id: pending.id,
                attempt: pending.retry.sent() + 1,
                wait: blind_wait,
                reason: "the video is still processing".to_owned(),
            });
            self.retries
                .insert((now + blind_wait, pending.order), pending);
            return;
        }
        self.emit(Event::Generating {
            id: pending.id,
            progress: None,
            estimated_completion: None,
        });
        self.generation.admit(pending, left, now + MIN_CHECK, now);
    }

    /// `Command::Generating`: these IDs are known to be generating. Kept as a hint (never an
    /// ID to send), taken up by the queued ones now and by those enqueued later.
    pub(super) fn known_generating(&mut self, ids: Vec<VideoId>) {
        if self.policy.wait_processing.is_some() {
            self.known_generating.extend(ids);
            self.take_up_known_generating();
        }
    }

    /// Queued IDs known to be generating wait for their status before their first DELETE.
    pub(super) fn take_up_known_generating(&mut self) {
        let Some(limit) = self.policy.wait_processing else {
            return;
        };
        if self.known_generating.is_empty() || self.generation.route() == StatusRoute::Missing {
            return;
        }
        let known = &mut self.known_generating;
        let (generating, rest): (VecDeque<Pending>, _) = std::mem::take(&mut self.queue)
            .into_iter()
            .partition(|pending| pending.retry.sent() == 0 && known.remove(&pending.id));
        self.queue = rest;
        let now = Instant::now();
        for pending in generating {
            self.emit(Event::Generating {
                id: pending.id,
                progress: None,
                estimated_completion: None,
            });
            self.generation.admit(pending, limit, now, now);
        }
    }

    /// Moves IDs whose wait ran out to the front of the queue, for their last DELETE: also
    /// while sending is halted, so the probe that ends the halt may be one of them.
    pub(super) fn requeue_expired(&mut self, now: Instant) {
        for pending in self.generation.take_expired(now) {
            self.requeue_front(pending);
        }
    }

    /// Sends the due status checks the pacer allows (after `requeue_expired`, so no wait
    /// that ran out is checked).
    pub(super) fn dispatch_checks(&mut self, now: Instant, key: &ApiKey) {
        while self.generation.check_due(now) && self.take(now) {
            self.generation.send_check(&self.client, key, now);
        }
    }

    /// A status check came back: the pacer learns from it as from a DELETE (one key, one
    /// allowance), then the ID waits on, is deleted, or goes back to blind retries.
    pub(super) fn settle_check(&mut self, landed: CheckLanded) {
        let now = Instant::now();
        let CheckLanded {
            id,
            sent_at,
            mut read,
        } = landed;
        if let Some(read) = &mut read {
            let (long_wait, _) = self.learn_from_answer(&mut read.attempt, sent_at, now);
            if long_wait.is_some() {
                self.follow_halt(long_wait, &read.attempt, false, now);
            }
        }
        match self.generation.settle(id, read, &self.policy, now) {
            Next::Waiting { id, progress } => self.emit(Event::Generating {
                id,
                progress: progress.percent,
                estimated_completion: progress.estimated_completion,
            }),
            Next::Delete(pending) => self.requeue_front(*pending),
            Next::RouteMissing { reason, back } => {
                self.emit(Event::StatusUnavailable { reason });
                for pending in back {
                    self.requeue_front(pending);
                }
            }
            Next::Nothing => {}
        }
    }

    /// Requests on the wire of any kind, as the pacer counts them.
    pub(super) fn on_wire(&self) -> usize {
        self.in_flight.len() + self.generation.on_wire() + self.pages.on_wire()
    }
}
