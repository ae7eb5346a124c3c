//! `WindowClock`: when a fixed window whose rate headers say it is spent (`Remaining: 0`) opens
//! again. A server with a fixed window gives nothing back until the window turns, all at once, so
//! the pace the headers justify for a bucket (`RateLimitHint::refill_floor`) only sends requests
//! into a closed window; once a request sent at that pace is refused, the clock is proven and the
//! next request waits for the turn. Each answer's `Reset`, in whole seconds rounded up (seconds
//! from now, or a Unix time), puts the turn within a second; refusals and the first answer of each
//! new window narrow that, and since windows last whole seconds, what was learned of one turn's
//! place within its second carries to the next. While the turn is uncertain, the first request goes
//! a third of the way into where it may be, and halfway into the rest after a refusal; after two,
//! where the turn is certain (if that may be one of two places, the earlier first): at most one
//! request into a window known closed, each narrowing the estimate (two, rarely). Owns that
//! estimate only; the `Allowance` holds requests to it.

use std::time::{Duration, Instant};

use crate::api::RateLimitHint;

/// Whole-second rounding leaves the turn within this of what `Reset` says.
const SECOND: Duration = Duration::from_secs(1);
/// An interval this narrow (or a fortieth of the window, if longer) is not worth a refusal:
/// the first request goes at its end.
const PRECISE: Duration = Duration::from_millis(10);
/// After a fourth refusal in one window, the next request waits at least this, times four
/// per further refusal (a server whose `Reset` is rounded down, or a clock that is off, must
/// not be hammered).
const AFTER_REFUSAL: Duration = Duration::from_millis(50);

#[derive(Debug)]
pub struct WindowClock {
    /// A refused request showed the allowance does not come back evenly: a fixed window.
    proven: bool,
    /// The next turn is after `lo` and at the latest at `hi`.
    next: Option<Span>,
    /// Where turns fall within their second, from the turns seen: (start, length) in seconds
    /// after `origin`, modulo one second.
    phase: Option<(f64, f64)>,
    origin: Instant,
    /// The lowest `Remaining` the current window reported, and when it arrived. A fixed
    /// window's count only falls: an admitted request sent after it that finds more left (or
    /// any, once it was 0) was admitted by the next window.
    lowest: Option<(Instant, u64)>,
    /// When the request the current window admitted first left: answers to requests sent
    /// before it speak of a turn already behind.
    window_since: Option<Instant>,
    /// Where the last turn was: the next is a whole second or more after it.
    last_turn: Option<Span>,
    /// Requests refused since the window was spent.
    refusals: u32,
    /// No request before this (after a refusal).
    not_before: Option<Instant>,
    /// The longest `Reset` seen: about the window's length.
    longest: Duration,
    /// The last admitted request's round trip.
    round_trip: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span {
    lo: Instant,
    hi: Instant,
}

impl WindowClock {
    pub fn new(origin: Instant) -> Self {
        Self {
            proven: false,
            next: None,
            phase: None,
            origin,
            lowest: None,
            window_since: None,
            last_turn: None,
            refusals: 0,
            not_before: None,
            longest: Duration::ZERO,
            round_trip: Duration::ZERO,
        }
    }

    /// Whether the server has shown a fixed window.
    pub fn proven(&self) -> bool {
        self.proven
    }

    /// A request sent at the pace the headers justify for an even refill was refused.
    pub fn prove(&mut self) {
        self.proven = true;
    }

    /// An answer, at `answered`, to a request sent at `sent`; `admitted` unless refused.
    pub fn on_answer(
        &mut self,
        sent: Instant,
        answered: Instant,
        admitted: bool,
        hint: &RateLimitHint,
    ) {
        if admitted {
            self.round_trip = answered.saturating_duration_since(sent);
            let remaining = hint.remaining;
            let next_window = self.lowest.is_some_and(|(at, lowest)| {
                sent >= at && (lowest == 0 || remaining.is_some_and(|r| r > lowest))
            });
            if next_window {
                self.turned(sent, answered);
            }
        }
        if self.window_since.is_some_and(|since| sent < since) {
            return;
        }
        if !admitted {
            self.refused(sent, answered);
        }
        if let Some(reset) = hint.reset_in {
            self.longest = self.longest.max(reset);
            // Rounded up to whole seconds, from a moment between sending and answering.
            let said = Span {
                lo: (sent + reset).checked_sub(SECOND).unwrap_or(sent),
                hi: answered + reset,
            };
            self.next = Some(match self.next.and_then(|next| next.meet(said)) {
                Some(both) => both,
                // Nothing known, or a contradiction: the fresh word wins.
                None => said,
            });
        }
        if let Some(remaining) = hint.remaining
            && self.lowest.is_none_or(|(_, lowest)| remaining < lowest)
        {
            self.lowest = Some((answered, remaining));
        }
    }

    /// When the first request of the next window may go, once the window is spent and the
    /// clock proven; `None` otherwise (the allowance says what goes).
    pub fn opens_at(&self) -> Option<Instant> {
        if !self.proven || self.lowest.is_none_or(|(_, lowest)| lowest > 0) {
            return None;
        }
        let next = self.next?;
        let pieces = self.pieces(next);
        let (Some(earliest), Some(latest)) = (pieces.first(), pieces.last()) else {
            return Some(next.hi);
        };
        // Finer than a round trip, refusals teach little.
        let precise = (PRECISE.max(self.longest / 40)).max(self.round_trip * 3 / 2);
        let at = if self.refusals >= 3 {
            latest.hi
        } else if self.refusals == 2
            || earliest.hi.saturating_duration_since(earliest.lo) <= precise
        {
            earliest.hi
        } else {
            // Two tries before the certain end: a third of the way, then half of what is
            // left, so none of the three is more than a third late.
            let parts = if self.refusals == 0 { 3 } else { 2 };
            earliest.lo + (earliest.hi - earliest.lo) / parts
        };
        Some(self.not_before.map_or(at, |not_before| at.max(not_before)))
    }

    /// A request sent at `sent` was refused at `answered`: the window was still closed then.
    fn refused(&mut self, sent: Instant, answered: Instant) {
        self.refusals += 1;
        if self.refusals >= 4 {
            let pause = AFTER_REFUSAL.saturating_mul(4u32.saturating_pow(self.refusals - 4));
            self.not_before = Some(answered + pause);
        }
        if let Some(next) = &mut self.next {
            if sent >= next.hi {
                // It should have been open by then: what was learned of the turns is wrong.
                self.next = None;
                self.phase = None;
            } else {
                next.lo = next.lo.max(sent);
            }
        }
    }

    /// An admitted request, answered at `answered`, was the next window's: the turn is
    /// behind, and where it fell within its second is kept for the turns to come.
    fn turned(&mut self, sent: Instant, answered: Instant) {
        if let Some(next) = self.next.take() {
            let seen = Span {
                lo: next.lo,
                hi: next.hi.min(answered).max(next.lo),
            };
            self.last_turn = Some(seen);
            self.phase = Some(
                match self
                    .phase
                    .and_then(|phase| meet_phase(phase, self.arc(seen)))
                {
                    Some(both) => both,
                    None => self.arc(seen),
                },
            );
        }
        self.lowest = None;
        self.window_since = Some(sent);
        self.refusals = 0;
        self.not_before = None;
    }

    /// `span` as an arc of the second: (start, length) after `origin`, modulo one second.
    fn arc(&self, span: Span) -> (f64, f64) {
        let length = (span.hi - span.lo).as_secs_f64();
        if length >= 1.0 {
            return (0.0, 1.0);
        }
        let start = span.lo.saturating_duration_since(self.origin).as_secs_f64();
        (start.rem_euclid(1.0), length)
    }

    /// Where in `span` the turn may be, given where the turns fell within their second: one
    /// or two pieces (the arc may wrap around the span's ends), earliest first; the span
    /// itself when nothing is known, or what is known does not agree with it.
    fn pieces(&self, span: Span) -> Vec<Span> {
        // Windows last whole seconds: the next turn is a second or more after the last.
        let after_last = Span {
            lo: self.last_turn.map_or(span.lo, |last| last.lo + SECOND),
            hi: span.hi,
        };
        let span = span.meet(after_last).unwrap_or(span);
        let Some((start, length)) = self.phase.filter(|(_, length)| *length < 1.0) else {
            return vec![span];
        };
        let since = span.lo.saturating_duration_since(self.origin).as_secs_f64();
        let first = (since - start).floor() - 1.0;
        let pieces: Vec<Span> = (0..4)
            .filter_map(|k| {
                let from = (first + f64::from(k) + start).max(0.0);
                let lo = self.origin + Duration::from_secs_f64(from);
                let arc = Span {
                    lo,
                    hi: lo + Duration::from_secs_f64(length),
                };
                span.meet(arc)
            })
            .collect();
        if pieces.is_empty() {
            vec![span]
        } else {
            pieces
        }
    }
}

impl Span {
    /// Where both hold, if anywhere.
    fn meet(self, other: Span) -> Option<Span> {
        let both = Span {
            lo: self.lo.max(other.lo),
            hi: self.hi.min(other.hi),
        };
        (both.lo < both.hi).then_some(both)
    }
}

/// Two arcs of the second, (start, length) modulo one: where both hold, the longest piece.
fn meet_phase(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    if a.1 >= 1.0 {
        return Some(b);
    }
    if b.1 >= 1.0 {
        return Some(a);
    }
    [-1.0, 0.0, 1.0]
        .into_iter()
        .filter_map(|shift| {
            let lo = a.0.max(b.0 + shift);
            let hi = (a.0 + a.1).min(b.0 + shift + b.1);
            (lo < hi).then(|| (lo.rem_euclid(1.0), hi - lo))
        })
        .max_by(|x, y| x.1.total_cmp(&y.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn reset(remaining: u64, secs: u64) -> RateLimitHint {
        RateLimitHint {
            limit: Some(10),
            remaining: Some(remaining),
            reset_in: Some(Duration::from_secs(secs)),
            ..RateLimitHint::default()
        }
    }

    /// A fixed window of 10 a second, turning at `phase` after each whole second from
    /// `origin`, 20 ms away (deciding halfway); `Reset` in whole seconds rounded up, from the
    /// decision (`wall` `None`), or as a Unix time on a wall clock `wall` ahead of `origin`,
    /// read on arrival. The first window is spent 60 ms after its turn, each next one in a
    /// burst at the moment the clock says. Returns how late each burst went after its turn,
    /// and how many requests were refused in each window.
    fn run(phase: Duration, wall: Option<Duration>, windows: u32) -> (Vec<Duration>, Vec<u32>) {
        let origin = Instant::now();
        let rtt = MS * 20;
        let turn = |k: u32| origin + phase + SECOND * k;
        // The answer, arrived at `at`, to a request decided in window `k`.
        let answer = |remaining: u64, at: Instant, k: u32| {
            let reset_in = match wall {
                None => {
                    let decided = at - rtt / 2;
                    let left = turn(k + 1).saturating_duration_since(decided);
                    Duration::from_secs_f64(left.as_secs_f64().ceil())
                }
                Some(wall) => {
                    let clock = |at: Instant| (at - origin + wall).as_secs_f64();
                    let reset_at = clock(turn(k + 1)).ceil();
                    Duration::from_secs_f64((reset_at - clock(at)).max(0.0))
                }
            };
            RateLimitHint {
                reset_in: Some(reset_in),
                ..reset(remaining, 0)
            }
        };
        let mut clock = WindowClock::new(origin);
        // Window 0: spent at once; then a refused probe proves it.
        let spent = origin + phase + MS * 60;
        clock.on_answer(spent - rtt, spent, true, &answer(0, spent, 0));
        clock.prove();
        let mut lateness = Vec::new();
        let mut refused = Vec::new();
        let mut window = 0;
        let mut refusals = 0;
        while lateness.len() < windows as usize {
            let at = clock.opens_at().expect("spent and proven");
            let decided = at + rtt / 2;
            let open = (0..=window + 3).rev().find(|k| turn(*k) <= decided);
            match open {
                Some(k) if k > window => {
                    lateness.push(at.saturating_duration_since(turn(k)));
                    refused.push(refusals);
                    refusals = 0;
                    window = k;
                    clock.on_answer(at, at + rtt, true, &answer(9, at + rtt, k));
                    // The rest of the window's quota, spent at once.
                    let last = at + rtt * 2;
                    clock.on_answer(at + rtt, last, true, &answer(0, last, k));
                }
                _ => {
                    refusals += 1;
                    clock.on_answer(at, at + rtt, false, &answer(0, at + rtt, window));
                }
            }
        }
        (lateness, refused)
    }

    #[test]
    fn a_proven_window_is_waited_for_and_its_turn_found_within_its_second() {
        let walls = [None, Some(Duration::ZERO), Some(MS * 300), Some(MS * 750)];
        for phase in [Duration::ZERO, MS * 130, MS * 500, MS * 870, MS * 999] {
            for wall in walls {
                let (lateness, refused) = run(phase, wall, 12);
                // At most one more after the first refusal: one into a window known closed.
                assert!(refused.iter().all(|n| *n <= 2), "{phase:?}: {refused:?}");
                // Late by at most the round trip once learned (the first turns may cost more).
                let settled = &lateness[4..];
                assert!(
                    settled.iter().all(|late| *late <= MS * 45),
                    "{phase:?} {wall:?}: {lateness:?}"
                );
                let total: Duration = lateness.iter().sum();
                // Under 5% of the twelve seconds.
                assert!(total <= MS * 600, "{phase:?} {wall:?}: {lateness:?}");
            }
        }
    }

    #[test]
    fn not_proven_or_not_spent_it_holds_nothing() {
        let origin = Instant::now();
        let mut clock = WindowClock::new(origin);
        clock.on_answer(origin, origin, true, &reset(0, 1));
        assert_eq!(clock.opens_at(), None, "not proven");
        let mut clock = WindowClock::new(origin);
        clock.prove();
        clock.on_answer(origin, origin, true, &reset(3, 1));
        assert_eq!(clock.opens_at(), None, "not spent");
    }

    #[test]
    fn a_refusal_after_the_turn_it_expected_starts_over_and_backs_off() {
        let origin = Instant::now();
        let mut clock = WindowClock::new(origin);
        clock.prove();
        clock.on_answer(origin, origin, true, &reset(0, 1));
        let first = clock.opens_at().expect("spent");
        assert!(first > origin && first <= origin + SECOND);
        // Refused past where the turn was said to be at the latest (a `Reset` rounded down):
        // what was learned is dropped, and the next goes where its own answer says.
        let late = origin + SECOND + MS * 10;
        clock.on_answer(late, late + MS * 20, false, &reset(0, 0));
        let mut at = clock.opens_at().expect("still spent");
        assert!(at <= late + MS * 20, "{:?}", at - late);
        let mut gaps = Vec::new();
        for _ in 0..5 {
            clock.on_answer(at, at + MS * 20, false, &reset(0, 0));
            let next = clock.opens_at().expect("still spent");
            gaps.push(next - at);
            at = next;
        }
        // Two more at once (each answer says where the turn is at the latest), then ever
        // further apart.
        assert_eq!(gaps, [MS * 20, MS * 20, MS * 70, MS * 220, MS * 820]);
    }
}
