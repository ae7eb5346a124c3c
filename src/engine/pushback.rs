//! `Pushback`: whether the server's "unavailable" answers (502, 503, 504: what it and any proxy in
//! front of it say) mean it is refusing load. One now and then is a healthy server's hiccup, and
//! only its ID is retried; many among the last answers are a limiter (the most common reverse
//! proxy's answers 503 by default, with no `Retry-After`) or a server in trouble: a crowd first
//! halves the requests in flight (a healthy server's unlucky streak needs no more), and one that
//! this did not thin is paced like 429s; each step is tried on the answers that follow before the
//! next; if three did not thin them (a server failing half its requests whatever the pace), they
//! count as scattered. Owns that judgement over the recent answers only: the pacer and the window
//! act on it, and a storm (nothing else answered for a while) is the halt watch's business.

use std::collections::VecDeque;
use std::time::Instant;

use super::feedback::Feedback;

/// Unavailable answers are judged over this many recent answers...
const RECENT_ANSWERS: usize = 20;
/// ...and mean pushback from this many of them up. A healthy server failing 5% of requests
/// at random reaches it about once in 400 answers; a limiter or a drowning server, at once.
const CLUSTERED: usize = 5;
/// Slower paces tried in a row without thinning the crowd before it counts as scattered: a
/// limiter's first cut may land above its rate (the rate is learned from what it admitted),
/// but not three.
const UNTHINNED_CUTS: u32 = 3;

#[derive(Debug, Default)]
pub struct Pushback {
    /// Whether each of the last `RECENT_ANSWERS` answers was unavailable, newest last.
    recent: VecDeque<bool>,
    /// The pacing the last crowd brought about, being tested on the answers to requests sent
    /// since: a limiter's refusals stop once the pace is under its rate.
    testing: Option<Test>,
    /// Slower paces tried in a row that did not thin the crowd.
    unthinned: u32,
    /// Slowing down did not thin the crowd: the answers do not depend on the pace, and
    /// slowing further would only crawl. Until the cluster breaks, they count as scattered.
    unresponsive: bool,
}

#[derive(Debug)]
struct Test {
    since: Instant,
    answers: usize,
    unavailable: usize,
}

impl Pushback {
    /// Counts one answer, at `now`, to a request sent at `sent_at`, and says what it means:
    /// an unavailable answer among many is `Feedback::Crowded` (or `Refusing`, once a crowd
    /// was not thinned), once, then not again until what it brings about has been tried on
    /// as many answers; anything else is as `Feedback::of` said.
    pub fn judge(&mut self, feedback: Feedback, sent_at: Instant, now: Instant) -> Feedback {
        let unavailable = feedback == Feedback::Unavailable;
        self.recent.push_back(unavailable);
        if self.recent.len() > RECENT_ANSWERS {
            self.recent.pop_front();
        }
        let clustered = self.recent.iter().filter(|was| **was).count() >= CLUSTERED;
        if !clustered {
            self.unresponsive = false;
            self.unthinned = 0;
        }
        if let Some(test) = &mut self.testing
            && sent_at >= test.since
        {
            test.answers += 1;
            test.unavailable += usize::from(unavailable);
            if test.answers >= RECENT_ANSWERS {
                let thinned = test.unavailable < CLUSTERED;
                self.unthinned = if thinned { 0 } else { self.unthinned + 1 };
                self.unresponsive = self.unthinned >= UNTHINNED_CUTS;
                self.testing = None;
            }
        }
        if unavailable && clustered && !self.unresponsive && self.testing.is_none() {
            self.testing = Some(Test {
                since: now,
                answers: 0,
                unavailable: 0,
            });
            // The first of a run only narrows the window; one it did not thin cuts the pace.
            return if self.unthinned == 0 {
                Feedback::Crowded
            } else {
                Feedback::Refusing
            };
        }
        feedback
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Answers 10 ms apart, each sent 20 ms before it came, unavailable where `unavailable`
    /// says; what each was judged.
    fn judged(answers: usize, unavailable: impl Fn(usize) -> bool) -> Vec<Feedback> {
        let mut pushback = Pushback::default();
        let start = Instant::now();
        (0..answers)
            .map(|n| {
                let now = start + Duration::from_millis(20 + 10 * n as u64);
                let feedback = if unavailable(n) {
                    Feedback::Unavailable
                } else {
                    Feedback::Clean
                };
                pushback.judge(feedback, now - Duration::from_millis(20), now)
            })
            .collect()
    }

    fn crowds(judged: &[Feedback]) -> usize {
        let crowd = |f: &&Feedback| matches!(f, Feedback::Crowded | Feedback::Refusing);
        judged.iter().filter(crowd).count()
    }

    #[test]
    fn scattered_unavailable_answers_stay_so_and_a_crowd_is_one_crowded() {
        assert_eq!(
            crowds(&judged(400, |n| n % 20 == 0)),
            0,
            "one in 20: scattered"
        );
        let limiter = judged(10, |n| n < 8);
        assert_eq!(limiter[..4], [Feedback::Unavailable; 4]);
        assert_eq!(limiter[4], Feedback::Crowded);
        assert_eq!(
            crowds(&limiter),
            1,
            "the next waits for the pace to be tried"
        );
    }

    #[test]
    fn a_crowd_that_comes_back_after_its_pace_thinned_it_is_crowded_again() {
        // Eight refused, then a slower pace admitted (one refused in 20), then a new crowd.
        let limiter = judged(80, |n| n < 8 || (n < 48 && n % 20 == 0) || n >= 60);
        assert_eq!(crowds(&limiter), 2, "{limiter:?}");
    }

    #[test]
    fn a_crowd_that_pacing_does_not_thin_counts_as_scattered_until_it_breaks() {
        let half = judged(300, |n| n % 2 == 0);
        assert_eq!(crowds(&half), 3, "three paces tried: {half:?}");
        // The cluster breaks (20 clean), then a new one is a crowd again, and again once
        // its slower pace was tried.
        let broken = judged(200, |n| (n < 150 && n % 2 == 0) || n >= 170);
        assert_eq!(crowds(&broken), 5, "{broken:?}");
    }
}
