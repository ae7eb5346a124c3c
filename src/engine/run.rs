//! The engine's run loop: the single owner of the queue, the retry schedule, the key, the
//! pacer, the concurrency window and the halt (see `halt`). It reacts to commands and landed
//! requests, starts requests in the order given, and reports every step as an `Event`. It
//! must never send an ID that did not arrive in `Command::Enqueue`, and never share state
//! with its driver. Waiting out generation is `generating`'s.

mod generating;
mod pages;

pub use pages::PageAsk;

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use crate::api::{
    ApiKey, Attempt, ElytronClient, Outcome, OutcomeKind, RetryPolicy, Verdict, VideoId,
};

use super::attempt::{InFlight, InFlightSet, Landed, Pending};
use super::concurrency::ConcurrencyWindow;
use super::config::EngineConfig;
use super::feedback::Feedback;
use super::generation_wait::GenerationWaits;
use super::halt::{Halted, Watch};
use super::pacer::Pacer;
use super::protocol::{BatchCounts, Command, Event, HaltCause, Pause, ServerPace};
use super::pushback::Pushback;
use super::rate_cap::{Rate, RateCap};
use pages::PageReads;

/// Server-ordered waits shorter than this are ordinary pacing, not worth a `Paused` event.
const REPORTED_PAUSE: Duration = Duration::from_millis(250);

pub struct Engine {
    client: ElytronClient,
    key: Option<ApiKey>,
    /// Bumped by every `SetKey`.
    key_generation: u64,
    /// Sending stopped for the whole batch: a refused key (only `SetKey` resumes) or another
    /// `HaltCause` (a probe, by itself or on `Retry`, tries again).
    halted: Option<Halted>,
    /// Watches landed attempts for the cause of a halt.
    watch: Watch,
    policy: RetryPolicy,
    /// Server-asked waits longer than this halt instead of being waited.
    max_wait: Duration,
    queue: VecDeque<Pending>,
    /// IDs waiting out a backoff, by (due, order).
    retries: BTreeMap<(Instant, u64), Pending>,
    next_order: u64,
    in_flight: InFlightSet,
    /// IDs waiting for their generation to end, and the status checks for them.
    generation: GenerationWaits,
    /// IDs a driver said are generating (`Command::Generating`), until they are queued.
    known_generating: HashSet<VideoId>,
    /// Listing pages a sync asked for (`Command::ListPage`), waiting or on the wire.
    pages: PageReads,
    pacer: Pacer,
    /// The user's cap on requests a second, if any.
    cap: Option<RateCap>,
    pushback: Pushback,
    window: ConcurrencyWindow,
    /// A `Paused(RateLimited)` went out and its `Resumed` is owed.
    rate_paused: bool,
    /// The user paused sending (`Command::Pause`).
    user_paused: bool,
    /// Work arrived since the last `Idle`.
    busy: bool,
    /// Requests went out since the last `Learned`.
    learning: bool,
    stopping: bool,
    counts: BatchCounts,
    events: UnboundedSender<Event>,
}

impl Engine {
    /// `seed`: what an earlier batch on the same server learned, to start from.
    pub fn new(
        client: ElytronClient,
        key: Option<ApiKey>,
        config: &EngineConfig,
        seed: Option<ServerPace>,
        events: UnboundedSender<Event>,
    ) -> Self {
        let initial = seed.map_or(config.initial_concurrency, |seed| {
            config.initial_concurrency.max(seed.in_flight as usize / 2)
        });
        let mut pacer = Pacer::new(Instant::now());
        if let Some(rate) = seed.and_then(|seed| seed.rate) {
            pacer.seed(rate);
        }
        Self {
            client,
            key,
            key_generation: 0,
            halted: None,
            watch: Watch::default(),
            policy: config.retry_policy(),
            max_wait: config.max_wait,
            queue: VecDeque::new(),
            retries: BTreeMap::new(),
            next_order: 0,
            in_flight: InFlightSet::default(),
            generation: GenerationWaits::default(),
            known_generating: HashSet::new(),
            pages: PageReads::default(),
            pacer,
            cap: config.max_rate.map(RateCap::new),
            pushback: Pushback::default(),
            window: ConcurrencyWindow::new(initial, config.max_concurrency),
            rate_paused: false,
            user_paused: false,
            busy: false,
            learning: false,
            stopping: false,
            counts: BatchCounts::default(),
            events,
        }
    }

    pub async fn run(mut self, mut commands: UnboundedReceiver<Command>) {
        let mut commands_open = true;
        loop {
            if self.events.is_closed() {
                // Nobody is listening: dropping the in-flight set aborts its requests.
                return;
            }
            let now = Instant::now();
            self.resume_if_gate_passed(now);
            self.dispatch(now);
            self.report_rate_pause(now);
            self.report_idle();
            if self.stopping && self.in_flight.is_empty() {
                // What a sync's pages taught (they end in no `Idle`) is said too.
                self.report_learned();
                self.emit(Event::Stopped);
                return;
            }
            let wake = self.next_wake(now);
            tokio::select! {
                command = commands.recv(), if commands_open => match command {
                    Some(command) => self.handle(command),
                    None => {
                        commands_open = false;
                        self.stop();
                    }
                },
                Some(landed) = self.in_flight.next() => {
                    self.settle(landed);
                    // Everything else already back is heard before anything more is sent: a
                    // 429 among answers that land together must stop the sends their clean
                    // neighbours would allow.
                    while let Some(landed) = self.in_flight.ready() {
                        self.settle(landed);
                    }
                    self.report_drained();
                }
                Some(landed) = self.generation.next_landed() => {
                    self.settle_check(landed);
                    self.report_drained();
                }
                Some(landed) = self.pages.next_landed() => {
                    self.settle_page(landed);
                    self.report_drained();
                }
                () = sleep_until(wake), if wake.is_some() => {}
                else => self.stop(),
            }
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::Enqueue(cleared) => self.enqueue(cleared.into_ids()),
            Command::Cancel => self.cancel_all(),
            Command::SetKey(key) => {
                self.key = Some(key);
                self.key_generation += 1;
                if self.halted.as_ref().is_some_and(Halted::is_key) {
                    self.halted = None;
                    self.sending_again();
                }
            }
            Command::Pause if !self.user_paused => {
                self.user_paused = true;
                self.emit(Event::Paused(Pause::ByUser {
                    in_flight: self.on_wire(),
                }));
            }
            Command::Resume if self.user_paused => {
                self.user_paused = false;
                // What the time away would otherwise teach the pacer: nothing.
                self.pacer.rebase(Instant::now());
                self.emit(Event::Resumed);
                // Whatever else holds sending is said again.
                self.rate_paused = false;
                if let Some(halted) = &self.halted {
                    let pause = halted.pause(Instant::now());
                    self.emit(Event::Paused(pause));
                }
            }
            Command::Pause | Command::Resume => {}
            Command::Retry => {
                if let Some(halted) = &mut self.halted {
                    halted.retry_now(Instant::now());
                }
            }
            Command::Shutdown => self.stop(),
            Command::Generating(ids) => self.known_generating(ids),
            Command::ListPage(ask) => self.ask_page(ask),
        }
    }

    fn enqueue(&mut self, ids: Vec<VideoId>) {
        self.busy = true;
        self.emit(Event::Queued { ids: ids.clone() });
        for id in ids {
            let pending = Pending::new(id, self.next_order);
            self.next_order += 1;
            if self.stopping {
                self.finish(id, pending.cancelled());
            } else {
                self.queue.push_back(pending);
            }
        }
        self.take_up_known_generating();
        if !self.stopping
            && (self.key.is_none() || self.halted.as_ref().is_some_and(Halted::is_key))
        {
            self.halted = Some(Halted::key());
            self.emit(Event::Paused(Pause::Unauthorized));
        }
    }

    /// Queued and backing-off IDs end `Cancelled` now; requests on the wire finish and report.
    fn cancel_all(&mut self) {
        let queued = std::mem::take(&mut self.queue);
        let backing_off = std::mem::take(&mut self.retries).into_values();
        for pending in queued.into_iter().chain(backing_off) {
            self.finish(pending.id, pending.cancelled());
        }
        for (id, outcome) in self.generation.cancel_all() {
            self.finish(id, outcome);
        }
        self.in_flight.call_off_all();
    }

    fn stop(&mut self) {
        self.pages.drop_all();
        self.cancel_all();
        self.stopping = true;
    }

    /// Starts as many requests as the window, the pacer and the key allow: due retries first,
    /// then the queue in the order given. While halted, at most one: a due probe.
    fn dispatch(&mut self, now: Instant) {
        if self.stopping || self.user_paused {
            return;
        }
        let Some(key) = self.key.clone() else { return };
        self.requeue_expired(now);
        match &self.halted {
            None => {}
            Some(halted) if halted.may_probe(now) => return self.probe(now, &key),
            Some(_) => return,
        }
        self.dispatch_checks(now, &key);
        self.dispatch_pages(now, &key);
        while self.in_flight.len() < self.window.limit() {
            let due_retry = self
                .retries
                .first_key_value()
                .map(|(slot, _)| *slot)
                .filter(|(due, _)| *due <= now);
            if due_retry.is_none() && self.queue.is_empty() {
                return;
            }
            if !self.take(now) {
                return;
            }
            let next = match due_retry {
                Some(slot) => self.retries.remove(&slot),
                None => self.queue.pop_front(),
            };
            let Some(pending) = next else { return };
            self.launch(pending, now, &key, false);
        }
    }

    /// Sends one request while halted, whatever the window (requests stuck on the wire must
    /// not hold it up): the ID waiting longest for a retry, else the next queued one. The
    /// pacer still has its say.
    fn probe(&mut self, now: Instant, key: &ApiKey) {
        if !self.has_work() {
            if self.probe_with_page(now, key)
                && let Some(halted) = &mut self.halted
            {
                halted.probe_sent();
            }
            return;
        }
        if !self.take(now) {
            return;
        }
        let next = match self.retries.first_key_value().map(|(slot, _)| *slot) {
            Some(slot) => self.retries.remove(&slot),
            None => self.queue.pop_front(),
        };
        if let Some(pending) = next {
            self.launch(pending, now, key, true);
            if let Some(halted) = &mut self.halted {
                halted.probe_sent();
            }
        }
    }

    /// Whether one request may go now: the user's cap first (it has no state to undo), then
    /// the pacer, which takes its token; the cap counts the request.
    fn take(&mut self, now: Instant) -> bool {
        if self.cap.as_mut().is_some_and(|cap| !cap.admits(now)) {
            return false;
        }
        if !self.pacer.try_take(now, self.on_wire()) {
            return false;
        }
        if let Some(cap) = &mut self.cap {
            cap.sent(now);
        }
        self.learning = true;
        true
    }

    /// When the pacer and the user's cap may both let one request go; `None` when only an
    /// answer can tell.
    fn ready_at(&mut self, now: Instant) -> Option<Instant> {
        let pacer = self.pacer.ready_at(now, self.on_wire())?;
        let cap = self.cap.as_mut().map_or(now, |cap| cap.ready_at(now));
        Some(pacer.max(cap))
    }

    /// IDs wait to be sent (queued, or backing off).
    fn has_work(&self) -> bool {
        !self.queue.is_empty() || !self.retries.is_empty()
    }

    fn launch(&mut self, pending: Pending, now: Instant, key: &ApiKey, probe: bool) {
        self.emit(Event::Started {
            id: pending.id,
            attempt: pending.retry.sent() + 1,
        });
        let flight = InFlight {
            pending,
            sent_at: now,
            key_generation: self.key_generation,
            // With work enough to fill the window, it is full once the requests that work
            // allows have left (so a batch's first round counts towards slow start, not only
            // its last request).
            window_was_full: self.queue.len() + self.retries.len() + self.in_flight.len() + 1
                >= self.window.limit(),
            called_off: false,
            probe,
        };
        self.in_flight.launch(&self.client, key, flight);
    }

    /// Records a landed request: caps the server's wait, feeds the pacer and the window,
    /// watches for a halt (or the end of one), then finishes, retries or re-queues its ID.
    /// Any answer (a DELETE's, a status check's, a page's) teaches the pacer, one key being
    /// one allowance. A wait too long for `max_wait` is taken out of `attempt` and returned,
    /// to halt on, with how the answer was judged (the DELETEs' window reads it too).
    pub(super) fn learn_from_answer(
        &mut self,
        attempt: &mut Attempt,
        sent_at: Instant,
        now: Instant,
    ) -> (Option<HaltCause>, Feedback) {
        let long_wait = self.cap_wait(attempt);
        let hint = match &*attempt {
            Attempt::Answered(answer) => Some(answer.rate_limit),
            _ => None,
        };
        let feedback = self.pushback.judge(Feedback::of(attempt), sent_at, now);
        self.pacer
            .on_answer(sent_at, now, feedback, hint.as_ref(), self.on_wire());
        (long_wait, feedback)
    }

    fn settle(&mut self, landed: Landed) {
        let now = Instant::now();
        let (flight, mut attempt) = match landed {
            Landed::Attempt(flight, attempt) => (flight, attempt),
            Landed::Lost(flight, error) => {
                let mut outcome = Outcome::unsent(OutcomeKind::Failed);
                outcome.attempts = flight.pending.retry.sent() + 1;
                outcome.message = Some(format!("internal error while sending: {error}"));
                self.finish(flight.pending.id, outcome);
                return;
            }
        };
        let (long_wait, feedback) = self.learn_from_answer(&mut attempt, flight.sent_at, now);
        if self
            .window
            .on_answer(flight.sent_at, now, feedback, flight.window_was_full)
        {
            self.emit(Event::Narrowed {
                in_flight: self.window.limit(),
            });
        }
        let cause =
            long_wait.or_else(|| self.watch.on_attempt(&attempt, self.client.base_url(), now));
        self.follow_halt(cause, &attempt, flight.probe, now);

        let InFlight {
            mut pending,
            key_generation,
            called_off,
            ..
        } = flight;
        if self
            .halted
            .as_ref()
            .is_some_and(|halted| halted.holds(&attempt))
            && !called_off
            && !self.stopping
        {
            // The server's absence (or its refusing everything), not the video's trouble: it
            // waits queued, budget intact, for the probe that finds the server back.
            let reason = pending.retry.note_held(&attempt);
            let next_probe = self.halted.as_ref().and_then(Halted::wake_at);
            self.emit(Event::Retrying {
                id: pending.id,
                attempt: pending.retry.sent() + 1,
                wait: next_probe.map_or(Duration::ZERO, |at| at.saturating_duration_since(now)),
                reason,
            });
            self.requeue_front(pending);
            return;
        }
        match self.policy.judge(&mut pending.retry, &attempt, now) {
            Verdict::Final(outcome) if outcome.kind == OutcomeKind::Unauthorized && !called_off => {
                self.key_refused(key_generation);
                self.requeue_front(pending);
            }
            Verdict::Final(outcome) => {
                if outcome.kind == OutcomeKind::Unauthorized {
                    self.key_refused(key_generation);
                }
                self.finish(pending.id, outcome);
            }
            Verdict::Retry { .. } | Verdict::Generating { .. } if called_off || self.stopping => {
                let outcome = pending.cancelled();
                self.finish(pending.id, outcome);
            }
            Verdict::Generating { wait, left } => {
                self.wait_for_generation(pending, wait, left, now);
            }
            Verdict::Retry { wait, reason } => {
                // A fixed window's refusal: the pacer holds every request until it turns.
                let wait = if feedback == Feedback::Throttled && self.pacer.holds_refused() {
                    Duration::ZERO
                } else {
                    wait
                };
                self.emit(Event::Retrying {
                    id: pending.id,
                    attempt: pending.retry.sent() + 1,
                    wait,
                    reason,
                });
                self.retries.insert((now + wait, pending.order), pending);
            }
        }
    }

    /// A wait the server asks for beyond `max_wait` is not waited: the answer's hint loses
    /// its waits (so neither the pacer nor the retry policy waits it out silently), and the
    /// cause of a halt is returned instead. Every answer's waits count: its `Retry-After`, and
    /// its rate headers' reset when they say nothing remains (on a 2xx too: nothing more is
    /// admitted until then).
    fn cap_wait(&self, attempt: &mut Attempt) -> Option<HaltCause> {
        let Attempt::Answered(answer) = attempt else {
            return None;
        };
        let hint = answer.rate_limit;
        let wait = hint.hold_off().filter(|wait| *wait > self.max_wait)?;
        let status = answer.status;
        let asked_by = if hint.retry_after.is_some() {
            format!("HTTP {status} Retry-After")
        } else {
            format!("nothing remaining until the rate limit's reset, HTTP {status}")
        };
        answer.rate_limit = hint.without_waits();
        Some(HaltCause::LongWait {
            wait,
            max_wait: self.max_wait,
            asked_by,
        })
    }

    /// Halts on `cause`, or moves a halt on: a server that was unreachable (or refused
    /// everything) answering lifts its halt, an answered probe lifts any but a refused key's,
    /// an unanswered one sets the next. Late answers to requests sent before the halt say
    /// nothing new about it.
    fn follow_halt(
        &mut self,
        cause: Option<HaltCause>,
        attempt: &Attempt,
        probe: bool,
        now: Instant,
    ) {
        let answered = matches!(attempt, Attempt::Answered(_));
        match (cause, &mut self.halted) {
            // A refused key outranks everything; only `SetKey` ends it.
            (_, Some(halted)) if halted.is_key() => {}
            (Some(cause), Some(halted)) if halted.same_kind(&cause) => {
                if probe {
                    if halted.backs_off() {
                        halted.probe_failed(now);
                    } else {
                        *halted = Halted::new(cause, now);
                    }
                    let pause = halted.pause(now);
                    self.emit(Event::Paused(pause));
                }
            }
            (Some(cause), _) => {
                let halted = Halted::new(cause, now);
                self.emit(Event::Paused(halted.pause(now)));
                self.halted = Some(halted);
            }
            (None, Some(halted)) if answered && (probe || halted.backs_off()) => {
                if halted.is_overloaded() {
                    self.pacer.forget_rate();
                }
                self.halted = None;
                self.sending_again();
            }
            (None, Some(halted)) if probe => {
                halted.probe_failed(now);
                let pause = halted.pause(now);
                self.emit(Event::Paused(pause));
            }
            (None, _) => {}
        }
    }

    /// A 401: stop sending until a new key comes, unless the refused key was already replaced.
    fn key_refused(&mut self, key_generation: u64) {
        let waiting = self.halted.as_ref().is_some_and(Halted::is_key);
        if key_generation == self.key_generation && !waiting {
            self.halted = Some(Halted::key());
            self.emit(Event::Paused(Pause::Unauthorized));
        }
    }

    /// Puts an ID whose key was refused back ahead of everything not yet sent, keeping the
    /// driver's order among such IDs.
    fn requeue_front(&mut self, pending: Pending) {
        let at = self
            .queue
            .partition_point(|queued| queued.order < pending.order);
        self.queue.insert(at, pending);
    }

    fn finish(&mut self, id: VideoId, outcome: Outcome) {
        self.counts.add(outcome.kind);
        self.emit(Event::Finished { id, outcome });
    }

    /// A wait the server's answers impose on every request, long enough to tell the driver
    /// (what it waits for and how long): a `Retry-After`, or an allowance spent until its
    /// reset with nothing on the wire.
    fn report_rate_pause(&mut self, now: Instant) {
        if self.rate_paused
            || !(self.has_work() || self.pages.waiting())
            || self.halted.is_some()
            || self.stopping
            || self.user_paused
        {
            return;
        }
        if let Some((until, waiting_for)) = self.pacer.held_until(now, self.on_wire()) {
            let resume_in = until - now;
            if resume_in >= REPORTED_PAUSE {
                self.rate_paused = true;
                self.emit(Event::Paused(Pause::RateLimited {
                    resume_in,
                    waiting_for,
                }));
            }
        }
    }

    fn resume_if_gate_passed(&mut self, now: Instant) {
        if self.rate_paused && self.pacer.held_until(now, self.on_wire()).is_none() {
            self.rate_paused = false;
            // A halt since then still holds: its own end says `Resumed`.
            if self.halted.is_none() {
                self.sending_again();
            }
        }
    }

    fn report_idle(&mut self) {
        if self.busy
            && self.queue.is_empty()
            && self.retries.is_empty()
            && self.in_flight.is_empty()
            && self.generation.is_empty()
        {
            self.busy = false;
            // The next batch is judged afresh; only a refused key stays refused.
            self.watch.batch_over();
            self.halted = self.halted.take().filter(Halted::is_key);
            self.report_learned();
            let counts = std::mem::take(&mut self.counts);
            self.emit(Event::Idle { counts });
        }
    }

    /// Says what the requests sent since it was last said taught of the server's pace (for
    /// the next engine on the same server to start from), if any went out.
    fn report_learned(&mut self) {
        if std::mem::take(&mut self.learning) {
            self.emit(Event::Learned(ServerPace {
                rate: self.pacer.rate().and_then(Rate::new),
                in_flight: u32::try_from(self.window.limit()).unwrap_or(u32::MAX),
            }));
        }
    }

    /// The next instant the loop must look again without a command or a landed request.
    fn next_wake(&mut self, now: Instant) -> Option<Instant> {
        // When the pacer and the cap let the next request go (`None`: only an answer can
        // open the pacer, and answers wake the loop anyway); the same for every use below.
        let ready = self.ready_at(now);
        let mut wake: Option<Instant> = None;
        let mut consider = |at: Instant| wake = Some(wake.map_or(at, |w| w.min(at)));
        if self.rate_paused
            && let Some((until, _)) = self.pacer.held_until(now, self.on_wire())
        {
            consider(until);
        }
        if !self.stopping
            && !self.user_paused
            && self.key.is_some()
            && (self.has_work() || self.pages.waiting())
            && let Some(probe_at) = self.halted.as_ref().and_then(Halted::wake_at)
            && let Some(ready) = ready
        {
            consider(probe_at.max(ready));
        }
        let may_send =
            !self.stopping && !self.user_paused && self.halted.is_none() && self.key.is_some();
        if may_send && self.in_flight.len() < self.window.limit() {
            let first_retry = self.retries.first_key_value().map(|((due, _), _)| *due);
            if let Some(ready) = ready {
                if let Some(due) = first_retry {
                    consider(due.max(ready));
                }
                if !self.queue.is_empty() || self.pages.waiting() {
                    consider(ready);
                }
            }
        }
        if !self.stopping
            && !self.user_paused
            && self.key.is_some()
            && let Some(deadline) = self.generation.next_deadline()
        {
            consider(deadline);
        }
        if may_send && let Some(due) = self.generation.next_due() {
            // A wait running out needs no token; a check waits for the pacer too.
            consider(due.max(ready.unwrap_or(due)));
        }
        wake
    }

    /// Nothing the server said holds sending any more: `Resumed`, unless the user's pause
    /// still does (then that is said again, in place of what ended).
    fn sending_again(&self) {
        if self.user_paused {
            self.emit(Event::Paused(Pause::ByUser {
                in_flight: self.on_wire(),
            }));
        } else {
            self.emit(Event::Resumed);
        }
    }

    /// Under the user's pause, the last request on the wire (a DELETE, a status check or a
    /// page) has just landed: said, so a driver about to stop the process may.
    fn report_drained(&self) {
        if self.user_paused && self.on_wire() == 0 {
            self.emit(Event::Paused(Pause::ByUser { in_flight: 0 }));
        }
    }

    /// Sends an event. If the driver dropped its receiver the send fails; the loop notices
    /// through `is_closed` at its top and stops, so nothing is lost by ignoring it here.
    fn emit(&self, event: Event) {
        if self.events.send(event).is_err() {
            tracing::debug!("engine event dropped: the driver has gone");
        }
    }
}

async fn sleep_until(wake: Option<Instant>) {
    if let Some(wake) = wake {
        tokio::time::sleep_until(tokio::time::Instant::from_std(wake)).await;
    }
}
