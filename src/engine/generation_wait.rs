//! Waiting out generation: confirmed IDs whose video is still generating (a DELETE refused
//! `400 VIDEO_IN_PROCESSING`, or the driver knew it when it queued them). Owns their schedule
//! of `GET /videos/{id}/status` checks (due when `estimated_completion` or the pace of
//! `progress` says generation ends, never sooner than `MIN_CHECK` after the last request for
//! that video, backing off when the estimate runs out, never past `wait_processing`), the
//! checks on the wire, and what each answer means for the ID: wait on, delete it now, or stop
//! trusting the status route. It sends only status GETs, and only when the run loop's pacer
//! has given a token; it never sends a DELETE and holds no ID the run loop did not hand it.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::api::{
    ApiKey, ElytronClient, GenerationStatus, Outcome, Read, ReadFailureKind, ReadVerdict,
    RetryPolicy, RetryState, VideoId,
};

use super::attempt::Pending;
use super::tagged_tasks::TaggedTasks;

/// No video's status is asked sooner than this after the last request about it: generation
/// takes minutes, and every check spends the allowance deletes need.
pub const MIN_CHECK: Duration = Duration::from_secs(3);
/// The longest gap between checks while a video is still generating.
pub const MAX_CHECK: Duration = Duration::from_secs(60);

/// What is known of the server's status route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusRoute {
    /// Nothing yet, or it answers as the API does.
    Trusted,
    /// It is not there (404, 405, an HTML page, JSON of another shape): generating videos are
    /// retried blindly, as a server without it allows.
    Missing,
}

/// Where one video's generation was last seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub percent: Option<u8>,
    pub estimated_completion: Option<Timestamp>,
}

/// An ID waiting for its generation to end.
#[derive(Debug)]
struct Waiting {
    pending: Pending,
    /// `wait_processing` runs out: the last DELETE goes then, whatever the status says.
    deadline: Instant,
    /// Status answers that said "still generating"; each one lengthens the backoff.
    checks: u32,
    /// The current check's retries (a 429, a 5xx), judged as any read's.
    read: RetryState,
    /// The first progress seen, to extrapolate its pace when no estimate comes.
    first_seen: Option<(Instant, u8)>,
    latest: Progress,
    /// Its slot in `due`, unless a check is on the wire.
    due: Option<(Instant, u64)>,
}

/// A status check that came back (or whose task died: `read` is `None`).
#[derive(Debug)]
pub struct CheckLanded {
    pub id: VideoId,
    pub sent_at: Instant,
    pub read: Option<Read<GenerationStatus>>,
}

/// What the run loop does next for an ID, after a check.
#[derive(Debug)]
pub enum Next {
    /// Still generating: the driver is told how far along.
    Waiting { id: VideoId, progress: Progress },
    /// Its DELETE goes now (generation ended, the wait ran out, or only the DELETE's answer
    /// can tell: the video gone, the key refused, the check refused).
    Delete(Box<Pending>),
    /// The status route is not the API's: these IDs go back to blind DELETE retries, and
    /// the driver is told once why.
    RouteMissing { reason: String, back: Vec<Pending> },
    /// Nothing to do (a retry of the check is scheduled, or the ID was cancelled meanwhile).
    Nothing,
}

/// Every ID waiting for its generation, and the status checks for them.
#[derive(Debug)]
pub struct GenerationWaits {
    waiting: HashMap<VideoId, Waiting>,
    /// The next check of each ID (or its deadline, if sooner), by (when, order).
    due: BTreeMap<(Instant, u64), VideoId>,
    /// When each ID's wait runs out, by (when, order).
    deadlines: BTreeMap<(Instant, u64), VideoId>,
    /// Status checks on the wire: for which ID, sent when.
    checks: TaggedTasks<Read<GenerationStatus>, (VideoId, Instant)>,
    route: StatusRoute,
}

impl Default for GenerationWaits {
    fn default() -> Self {
        Self {
            waiting: HashMap::new(),
            due: BTreeMap::new(),
            deadlines: BTreeMap::new(),
            checks: TaggedTasks::default(),
            route: StatusRoute::Trusted,
        }
    }
}

impl GenerationWaits {
    pub fn route(&self) -> StatusRoute {
        self.route
    }

    /// No ID is waiting.
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Status checks on the wire (the pacer counts them with the DELETEs).
    pub fn on_wire(&self) -> usize {
        self.checks.len()
    }

    /// Takes `pending` until its generation ends, for at most `left`. `first_check` is when
    /// to ask its status first: `MIN_CHECK` after a DELETE about it, or at once.
    pub fn admit(&mut self, pending: Pending, left: Duration, first_check: Instant, now: Instant) {
        let id = pending.id;
        let deadline = now + left;
        let waiting = Waiting {
            pending,
            deadline,
            checks: 0,
            read: RetryState::default(),
            first_seen: None,
            latest: Progress::default(),
            due: None,
        };
        self.deadlines.insert((deadline, waiting.pending.order), id);
        self.waiting.insert(id, waiting);
        self.schedule(id, first_check.min(deadline));
    }

    /// When the earliest check (or deadline) falls due.
    pub fn next_due(&self) -> Option<Instant> {
        self.due.first_key_value().map(|((at, _), _)| *at)
    }

    /// When the first wait runs out (a halt holds checks back, never the end of a wait).
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.first_key_value().map(|((at, _), _)| *at)
    }

    /// Every ID whose wait ran out by `now`, in the order given: their last DELETEs go now.
    pub fn take_expired(&mut self, now: Instant) -> Vec<Pending> {
        let mut expired = Vec::new();
        while let Some((&(at, _), &id)) = self.deadlines.first_key_value()
            && at <= now
        {
            match self.remove(id) {
                Some(waiting) => expired.push(waiting.pending),
                None => {
                    // A deadline outlived its ID; cannot happen, and must not stall this.
                    self.deadlines.pop_first();
                }
            }
        }
        expired
    }

    /// Whether a status check is due by `now` (ask the pacer, then `send_check`). Waits that
    /// ran out are `take_expired`'s, taken first.
    pub fn check_due(&mut self, now: Instant) -> bool {
        while let Some((&slot, &id)) = self.due.first_key_value() {
            if self.waiting.contains_key(&id) {
                return slot.0 <= now;
            }
            // A slot outlived its ID; cannot happen, and must not stall the schedule.
            self.due.remove(&slot);
        }
        false
    }

    /// Sends the first due check.
    pub fn send_check(&mut self, client: &ElytronClient, key: &ApiKey, now: Instant) {
        let Some((_, id)) = self.due.pop_first() else {
            return;
        };
        let Some(waiting) = self.waiting.get_mut(&id) else {
            return;
        };
        waiting.due = None;
        let (client, key) = (client.clone(), key.clone());
        self.checks.spawn(
            async move { client.video_status(&key, id).await },
            (id, now),
        );
    }

    /// The next check to come back; `None` when none is on the wire.
    pub async fn next_landed(&mut self) -> Option<CheckLanded> {
        let ((id, sent_at), read) = self.checks.next().await?;
        Some(CheckLanded {
            id,
            sent_at,
            read: read.ok(),
        })
    }

    /// What follows a check that came back about `id`.
    pub fn settle(
        &mut self,
        id: VideoId,
        read: Option<Read<GenerationStatus>>,
        policy: &RetryPolicy,
        now: Instant,
    ) -> Next {
        let Some(waiting) = self.waiting.get_mut(&id) else {
            return Next::Nothing;
        };
        let Some(read) = read else {
            // The task died: ask again later, as after any failed check.
            self.schedule(id, now + MIN_CHECK);
            return Next::Nothing;
        };
        match policy.judge_read(&mut waiting.read, read) {
            ReadVerdict::Read(status) if status.state.is_final() => self.delete(id),
            ReadVerdict::Read(status) => {
                waiting.read = RetryState::default();
                waiting.checks += 1;
                let progress = Progress {
                    percent: status.progress,
                    estimated_completion: status.estimated_completion,
                };
                waiting.latest = progress;
                if let Some(percent) = progress.percent {
                    waiting.first_seen.get_or_insert((now, percent));
                }
                let wait = waiting.next_check(now, Timestamp::now());
                self.schedule(id, now + wait);
                Next::Waiting { id, progress }
            }
            ReadVerdict::Retry { wait, .. } => {
                self.schedule(id, now + wait.max(MIN_CHECK));
                Next::Nothing
            }
            ReadVerdict::Failed(failure) if failure.kind == ReadFailureKind::NotServed => {
                self.route = StatusRoute::Missing;
                self.due.clear();
                self.deadlines.clear();
                let back = std::mem::take(&mut self.waiting)
                    .into_values()
                    .map(|waiting| waiting.pending)
                    .collect();
                Next::RouteMissing {
                    reason: failure.message,
                    back,
                }
            }
            ReadVerdict::Failed(failure) if failure.kind == ReadFailureKind::GaveUp => {
                // The server keeps failing the check: ask again much later.
                waiting.read = RetryState::default();
                self.schedule(id, now + MAX_CHECK);
                Next::Nothing
            }
            // Gone, refused, forbidden: the DELETE's own answer says what is true.
            ReadVerdict::Gone | ReadVerdict::Failed(_) => self.delete(id),
        }
    }

    /// Every waiting ID, each with its outcome for a cancel; checks on the wire are dropped.
    pub fn cancel_all(&mut self) -> Vec<(VideoId, Outcome)> {
        self.due.clear();
        self.deadlines.clear();
        self.checks.forget_all();
        std::mem::take(&mut self.waiting)
            .into_values()
            .map(|waiting| {
                let mut outcome = waiting.pending.cancelled();
                let percent = waiting
                    .latest
                    .percent
                    .map(|percent| format!(" (at {percent}%)"))
                    .unwrap_or_default();
                outcome.message = Some(format!(
                    "cancelled while waiting for its generation to end{percent}; it was not \
                     deleted"
                ));
                (waiting.pending.id, outcome)
            })
            .collect()
    }

    fn delete(&mut self, id: VideoId) -> Next {
        match self.remove(id) {
            Some(waiting) => Next::Delete(Box::new(waiting.pending)),
            None => Next::Nothing,
        }
    }

    /// Takes `id` out of the waits and their schedule.
    fn remove(&mut self, id: VideoId) -> Option<Waiting> {
        let waiting = self.waiting.remove(&id)?;
        if let Some(slot) = waiting.due {
            self.due.remove(&slot);
        }
        self.deadlines
            .remove(&(waiting.deadline, waiting.pending.order));
        Some(waiting)
    }

    /// Puts `id`'s next check (or its deadline, whichever comes first) in the schedule.
    fn schedule(&mut self, id: VideoId, at: Instant) {
        let Some(waiting) = self.waiting.get_mut(&id) else {
            return;
        };
        if let Some(slot) = waiting.due.take() {
            self.due.remove(&slot);
        }
        let slot = (at.min(waiting.deadline), waiting.pending.order);
        waiting.due = Some(slot);
        self.due.insert(slot, id);
    }
}

impl Waiting {
    /// The wait before the next check: until generation is expected to end (its estimate,
    /// else the pace of its progress so far), never under `MIN_CHECK`; with no estimate, or
    /// one already passed, a backoff that doubles with each check. Never over `MAX_CHECK`.
    fn next_check(&self, now: Instant, wall: Timestamp) -> Duration {
        let backoff = MIN_CHECK.saturating_mul(1 << self.checks.saturating_sub(1).min(5));
        let expected = self
            .latest
            .estimated_completion
            .and_then(|eta| wall.duration_until(eta).try_into().ok())
            .or_else(|| self.paced_end(now))
            .filter(|left: &Duration| !left.is_zero());
        expected.unwrap_or(backoff).clamp(MIN_CHECK, MAX_CHECK)
    }

    /// How long the rest takes at the pace `progress` went since it was first seen.
    fn paced_end(&self, now: Instant) -> Option<Duration> {
        let (since, first) = self.first_seen?;
        let percent = self.latest.percent?;
        let gained = f64::from(percent.checked_sub(first).filter(|gained| *gained > 0)?);
        let elapsed = now.saturating_duration_since(since).as_secs_f64();
        let rest = f64::from(100u8.saturating_sub(percent));
        Some(Duration::from_secs_f64(elapsed * rest / gained))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(checks: u32, latest: Progress, first_seen: Option<(Instant, u8)>) -> Waiting {
        Waiting {
            pending: pending(0),
            deadline: Instant::now() + Duration::from_secs(600),
            checks,
            read: RetryState::default(),
            first_seen,
            latest,
            due: None,
        }
    }

    fn pending(n: u128) -> Pending {
        Pending::new(VideoId::from_uuid(uuid::Uuid::from_u128(n)), n as u64)
    }

    #[test]
    fn a_wait_that_ran_out_is_due_for_its_delete_and_a_check_waits_its_turn() {
        let now = Instant::now();
        let mut waits = GenerationWaits::default();
        waits.admit(pending(1), Duration::from_secs(60), now + MIN_CHECK, now);
        assert!(!waits.check_due(now), "not before MIN_CHECK");
        waits.admit(pending(2), Duration::ZERO, now, now);
        let expired = waits.take_expired(now);
        assert_eq!(expired.len(), 1, "the wait that ran out comes first");
        assert_eq!(expired[0].order, 2);
        assert!(!waits.check_due(now));
        assert!(waits.check_due(now + MIN_CHECK));
        // The first one's wait runs out too: its DELETE, no check.
        let later = now + Duration::from_secs(61);
        let expired = waits.take_expired(later);
        assert!(expired.len() == 1 && expired[0].order == 1);
        assert!(waits.is_empty());
    }

    #[test]
    fn waits_run_out_in_the_order_of_their_ends_whatever_the_checks() {
        let now = Instant::now();
        let mut waits = GenerationWaits::default();
        waits.admit(pending(1), Duration::from_secs(30), now, now);
        waits.admit(pending(2), Duration::from_secs(10), now, now);
        waits.admit(pending(3), Duration::from_secs(20), now, now);
        assert_eq!(waits.next_deadline(), Some(now + Duration::from_secs(10)));
        assert!(waits.take_expired(now).is_empty());
        let ran_out = waits.take_expired(now + Duration::from_secs(25));
        let orders: Vec<u64> = ran_out.iter().map(|pending| pending.order).collect();
        assert_eq!(orders, [2, 3]);
        assert_eq!(waits.next_deadline(), Some(now + Duration::from_secs(30)));
        assert!(waits.check_due(now), "its check is still due");
        let cancelled = waits.cancel_all();
        assert_eq!(cancelled.len(), 1);
        assert_eq!((waits.next_deadline(), waits.next_due()), (None, None));
    }

    #[test]
    fn the_next_check_follows_the_estimate_within_its_bounds() {
        let now = Instant::now();
        let wall = Timestamp::now();
        let at = |secs: i64| Progress {
            percent: Some(50),
            estimated_completion: Some(wall + jiff::SignedDuration::from_secs(secs)),
        };
        assert_eq!(
            waiting(1, at(20), None).next_check(now, wall),
            Duration::from_secs(20)
        );
        assert_eq!(waiting(1, at(1), None).next_check(now, wall), MIN_CHECK);
        assert_eq!(waiting(1, at(3_600), None).next_check(now, wall), MAX_CHECK);
        // Overdue: back off, doubling per check, up to the cap.
        let late = at(-5);
        assert_eq!(waiting(1, late, None).next_check(now, wall), MIN_CHECK);
        assert_eq!(waiting(3, late, None).next_check(now, wall), MIN_CHECK * 4);
        assert_eq!(waiting(30, late, None).next_check(now, wall), MAX_CHECK);
    }

    #[test]
    fn without_an_estimate_the_pace_of_progress_says_when() {
        let now = Instant::now();
        let since = now - Duration::from_secs(10);
        let latest = Progress {
            percent: Some(60),
            estimated_completion: None,
        };
        // 20% in 10 s: the last 40% in 20 s.
        let paced = waiting(2, latest, Some((since, 40)));
        assert_eq!(
            paced.next_check(now, Timestamp::now()),
            Duration::from_secs(20)
        );
        // No progress made: no pace to go by, so the backoff.
        let stuck = waiting(2, latest, Some((since, 60)));
        assert_eq!(stuck.next_check(now, Timestamp::now()), MIN_CHECK * 2);
    }
}
