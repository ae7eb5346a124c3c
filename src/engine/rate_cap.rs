//! `Rate` (requests a second, as the user caps them and as a batch learns them) and
//! `RateCap`: the user's `--max-rate` (`max_rate` in the config): never more than that many
//! requests in any one second, whatever the server would allow, so a cleanup leaves headroom
//! on a key that production also uses. Requests go evenly spaced at the cap,
//! and a count of the last second's sends makes sure no second holds more, rounded down (a
//! cap under one a second spaces single requests that far apart). Owns that count only: what
//! the server allows is the pacer's business.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Requests a second, positive and finite: only `new` (and parsing, and reading it back)
/// makes one.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Rate(f64);

impl TryFrom<f64> for Rate {
    type Error = String;

    fn try_from(per_second: f64) -> Result<Self, String> {
        Self::new(per_second).ok_or_else(|| format!("{per_second} is not a rate"))
    }
}

impl From<Rate> for f64 {
    fn from(rate: Rate) -> Self {
        rate.0
    }
}

/// Never NaN (`new` refuses it), so equality is total.
impl Eq for Rate {}

impl Rate {
    /// `None` for zero, a negative number, infinity or NaN: a cap that caps nothing, or
    /// everything, is a mistake to refuse, not one to guess about.
    pub fn new(per_second: f64) -> Option<Self> {
        (per_second.is_finite() && per_second > 0.0).then_some(Self(per_second))
    }

    pub fn per_second(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Rate {
    /// `20/s`, `0.5/s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/s", self.0)
    }
}

impl FromStr for Rate {
    type Err = String;

    /// `20`, `0.5`: requests a second.
    fn from_str(text: &str) -> Result<Self, String> {
        text.trim()
            .parse::<f64>()
            .ok()
            .and_then(Self::new)
            .ok_or_else(|| {
                format!(
                    "{text:?} is not a rate: give requests a second, a number above 0 \
                     (fractions allowed: 0.5 is one every 2 s)"
                )
            })
    }
}

/// The second is counted this much longer, so that requests that left a second apart and
/// arrive a little closer together still never make more than the cap in a second there.
const MARGIN: Duration = Duration::from_millis(25);

#[derive(Debug)]
pub struct RateCap {
    /// At most this many sends within `window`...
    most: usize,
    window: Duration,
    /// ...and consecutive sends at least this far apart.
    spacing: Duration,
    /// The sends within the last `window`, oldest first.
    sends: VecDeque<Instant>,
}

impl RateCap {
    pub fn new(cap: Rate) -> Self {
        let per_second = cap.per_second();
        let spacing = Duration::from_secs_f64(1.0 / per_second);
        let (most, window) = if per_second >= 1.0 {
            (per_second.floor() as usize, Duration::from_secs(1))
        } else {
            (1, spacing)
        };
        Self {
            most,
            window: window + MARGIN,
            spacing,
            sends: VecDeque::new(),
        }
    }

    /// When the next request may go (now, or later).
    pub fn ready_at(&mut self, now: Instant) -> Instant {
        while self
            .sends
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) >= self.window)
        {
            self.sends.pop_front();
        }
        let spaced = self.sends.back().map_or(now, |last| *last + self.spacing);
        let counted = if self.sends.len() >= self.most {
            self.sends
                .get(self.sends.len() - self.most)
                .map_or(now, |oldest| *oldest + self.window)
        } else {
            now
        };
        now.max(spaced).max(counted)
    }

    /// Whether a request may go now.
    pub fn admits(&mut self, now: Instant) -> bool {
        self.ready_at(now) <= now
    }

    /// A request went.
    pub fn sent(&mut self, now: Instant) {
        self.sends.push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends as fast as the cap allows for `seconds`; the send times, from `start`.
    fn sends(per_second: f64, seconds: u64) -> Vec<Duration> {
        let start = Instant::now();
        let mut cap = RateCap::new(Rate::new(per_second).expect("a positive rate"));
        let mut sent = Vec::new();
        loop {
            let now = cap.ready_at(start + sent.last().copied().unwrap_or_default());
            if now >= start + Duration::from_secs(seconds) {
                return sent;
            }
            assert!(cap.admits(now));
            cap.sent(now);
            sent.push(now - start);
        }
    }

    /// The most sends within any one second.
    fn most_in_a_second(sent: &[Duration]) -> usize {
        (0..sent.len())
            .map(|i| {
                let end = sent[i] + Duration::from_secs(1);
                sent[i..].iter().take_while(|at| **at < end).count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn never_more_than_the_cap_in_any_second_and_close_to_it_over_time() {
        for per_second in [20.0, 7.5, 1.0] {
            let sent = sends(per_second, 10);
            let most = most_in_a_second(&sent);
            assert!(
                most <= per_second as usize,
                "{per_second}: {most} in a second"
            );
            let rate = sent.len() as f64 / 10.0;
            assert!(rate >= 0.9 * per_second.floor(), "{per_second}: {rate}/s");
        }
    }

    #[test]
    fn a_rate_is_positive_and_finite() {
        assert_eq!("0.5".parse::<Rate>().map(Rate::per_second), Ok(0.5));
        assert_eq!(
            " 20 ".parse::<Rate>().map(|rate| rate.to_string()),
            Ok("20/s".into())
        );
        for bad in ["0", "-1", "inf", "NaN", "fast", ""] {
            assert!(bad.parse::<Rate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn under_one_a_second_single_requests_go_that_far_apart() {
        let sent = sends(0.5, 10);
        assert_eq!(sent.len(), 5, "{sent:?}");
        assert!(
            sent.windows(2)
                .all(|w| w[1] - w[0] >= Duration::from_secs(2))
        );
    }
}
