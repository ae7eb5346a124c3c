//! `RateLimitHint`: what an answer's headers say about how fast we may send (`Retry-After`,
//! and the limit, what remains of it and when it is whole again, in whichever family of
//! headers the server sends: see `rate_fields`), with times turned into delays. Deciding what
//! to do with a hint belongs to the engine's pacer and the retry policy.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::rate_fields::RateFields;

/// A `X-RateLimit-Reset` above this is a Unix timestamp; at or below it, seconds from now.
/// 1e9 s is 2001-09-09 as a timestamp and 31 years as a delay, so no real value is ambiguous.
const RESET_IS_TIMESTAMP_ABOVE: f64 = 1e9;

/// Longest wait read from a header: a server asking for more is treated as asking for this.
/// The engine waits no longer than its `max_wait` anyway (stopping instead); this only keeps
/// absurd values (`Retry-After: 1000000000`) within what a clock can add.
const MAX_HINTED_WAIT: Duration = Duration::from_secs(24 * 3600);

/// Rate-limit information from one answer, with times already turned into delays from when
/// the answer arrived.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RateLimitHint {
    /// `Retry-After`, in either RFC 9110 form (delay-seconds or HTTP-date).
    pub retry_after: Option<Duration>,
    /// `X-RateLimit-Limit` (or its kin): the plan's allowance per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets, as a delay from now.
    pub reset_in: Option<Duration>,
    /// The window the limit is for, where a policy says it (`100;w=60`).
    pub window: Option<Duration>,
}

impl RateLimitHint {
    /// Reads the headers against the local clock; unparseable values are ignored, never fatal.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        Self::from_headers_at(headers, SystemTime::now())
    }

    /// As `from_headers`, with the clock given (tests pin it).
    pub fn from_headers_at(headers: &HeaderMap, now: SystemTime) -> Self {
        let fields = RateFields::read(headers);
        Self {
            retry_after: headers
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, now)),
            limit: fields.limit,
            remaining: fields.remaining,
            reset_in: fields.reset.and_then(|reset| reset_delay(reset, now)),
            window: fields
                .window
                .filter(|window| *window > 0.0)
                .and_then(seconds_to_wait),
        }
    }

    /// How long a refused request (and, for a 429, everything else) should wait: the
    /// server's explicit `Retry-After`, or else the time to the window's reset when nothing
    /// remains in it. `Retry-After` wins because a token bucket's "reset" is when it is
    /// *full* again, far later than when it admits the next request.
    pub fn hold_off(&self) -> Option<Duration> {
        let exhausted = match (self.remaining, self.reset_in) {
            (Some(0), Some(reset_in)) => Some(reset_in),
            _ => None,
        };
        self.retry_after
            .or(exhausted)
            .filter(|wait| !wait.is_zero())
    }
}

impl RateLimitHint {
    /// The hint without its waits (`Retry-After`, `Reset`): for a wait the engine will not
    /// honour, so nothing downstream waits it out silently.
    pub fn without_waits(self) -> Self {
        Self {
            retry_after: None,
            reset_in: None,
            ..self
        }
    }

    /// The rate the limit allows over time: `limit / window` where a policy states the
    /// window, else `limit / reset` if the allowance returns evenly until the reset. The
    /// latter only for resets of a few seconds or more: servers round the reset to whole
    /// seconds, which makes a sub-second reset useless for this.
    pub fn refill_rate(&self) -> Option<f64> {
        let limit = self.limit? as f64;
        if let Some(window) = self.window {
            return (limit >= 1.0).then(|| limit / window.as_secs_f64());
        }
        let reset = self.reset_in?.as_secs_f64();
        (reset >= MIN_RESET_FOR_RATE && limit >= 1.0).then(|| limit / reset)
    }
}

impl RateLimitHint {
    /// The rate the server's allowance at least refills at, if it refills evenly until the
    /// reset: `(Limit - Remaining) / Reset`. Rounding the reset up only lowers it, so it is a
    /// safe pace for a lone probe, never an estimate of the limit: a fixed window that resets
    /// all at once says nothing about when the next request is welcome.
    pub fn refill_floor(&self) -> Option<f64> {
        let reset = self.reset_in?.as_secs_f64();
        let used = self.limit?.checked_sub(self.remaining?)?;
        (reset > 0.0 && used > 0).then(|| used as f64 / reset)
    }
}

impl RateLimitHint {
    /// Whether the answer said anything about the limit beyond `Retry-After`: without
    /// `X-RateLimit-*`, a 429's wait cannot tell a closed window from one refused request.
    pub fn has_rate_headers(&self) -> bool {
        self.limit.is_some()
            || self.remaining.is_some()
            || self.reset_in.is_some()
            || self.window.is_some()
    }

    /// Whether the server reports its whole allowance unspent: `Remaining` at `Limit`, or one
    /// under it for the request just answered (so never for a limit of one).
    pub fn allowance_whole(&self) -> bool {
        match (self.remaining, self.limit) {
            (Some(remaining), Some(limit)) => limit >= 2 && remaining + 1 >= limit,
            _ => false,
        }
    }
}

/// See `refill_rate`: below this, whole-second rounding distorts the rate by over 20%.
const MIN_RESET_FOR_RATE: f64 = 5.0;

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return seconds_to_wait(seconds);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_HINTED_WAIT),
    )
}

/// `X-RateLimit-Reset`: Unix seconds when large, seconds from now when small.
fn reset_delay(number: f64, now: SystemTime) -> Option<Duration> {
    if number > RESET_IS_TIMESTAMP_ABOVE {
        let at = UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(number).ok()?)?;
        return Some(
            at.duration_since(now)
                .unwrap_or(Duration::ZERO)
                .min(MAX_HINTED_WAIT),
        );
    }
    seconds_to_wait(number)
}

fn seconds_to_wait(seconds: f64) -> Option<Duration> {
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        seconds.min(MAX_HINTED_WAIT.as_secs_f64()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn hint(pairs: &[(&'static str, &str)], now: SystemTime) -> RateLimitHint {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        RateLimitHint::from_headers_at(&headers, now)
    }

    #[test]
    fn retry_after_in_seconds_and_as_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        let seconds = hint(&[("retry-after", "7")], now);
        assert_eq!(seconds.retry_after, Some(Duration::from_secs(7)));
        let date = hint(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")], now);
        assert_eq!(date.retry_after, Some(Duration::from_secs(10)));
        let past = hint(&[("retry-after", "Wed, 21 Oct 2015 07:00:00 GMT")], now);
        assert_eq!(past.retry_after, Some(Duration::ZERO));
        assert_eq!(past.hold_off(), None);
        let garbage = hint(&[("retry-after", "soon")], now);
        assert_eq!(garbage.retry_after, None);
    }

    #[test]
    fn reset_is_told_apart_by_size() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let delta = hint(&[("x-ratelimit-reset", "30")], now);
        assert_eq!(delta.reset_in, Some(Duration::from_secs(30)));
        let stamp = hint(&[("x-ratelimit-reset", "1800000045")], now);
        assert_eq!(stamp.reset_in, Some(Duration::from_secs(45)));
    }

    #[test]
    fn exhausted_window_means_hold_off_until_reset() {
        let now = SystemTime::now();
        let full = [
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "12"),
        ];
        let exhausted = hint(&full, now);
        assert_eq!(exhausted.limit, Some(100));
        assert_eq!(exhausted.hold_off(), Some(Duration::from_secs(12)));
        let left = hint(
            &[("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "12")],
            now,
        );
        assert_eq!(left.hold_off(), None);
    }

    #[test]
    fn refill_rate_only_from_resets_long_enough_to_trust() {
        let now = SystemTime::now();
        let minute = hint(
            &[("x-ratelimit-limit", "100"), ("x-ratelimit-reset", "60")],
            now,
        );
        assert_eq!(minute.refill_rate(), Some(100.0 / 60.0));
        let rounded = hint(
            &[("x-ratelimit-limit", "5"), ("x-ratelimit-reset", "1")],
            now,
        );
        assert_eq!(rounded.refill_rate(), None);
    }

    #[test]
    fn refill_floor_from_what_was_used_and_when_it_is_back() {
        let now = SystemTime::now();
        let drained = hint(
            &[
                ("x-ratelimit-limit", "10"),
                ("x-ratelimit-remaining", "2"),
                ("x-ratelimit-reset", "2"),
            ],
            now,
        );
        assert_eq!(drained.refill_floor(), Some(4.0));
        let full = hint(
            &[
                ("x-ratelimit-limit", "10"),
                ("x-ratelimit-remaining", "10"),
                ("x-ratelimit-reset", "0"),
            ],
            now,
        );
        assert_eq!(full.refill_floor(), None);
        assert_eq!(
            hint(&[("x-ratelimit-remaining", "0")], now).refill_floor(),
            None
        );
    }

    #[test]
    fn rate_headers_and_a_whole_allowance() {
        let now = SystemTime::now();
        let bare = hint(&[("retry-after", "2")], now);
        assert!(!bare.has_rate_headers() && !bare.allowance_whole());
        for name in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(hint(&[(name, "5")], now).has_rate_headers(), "{name}");
        }
        let of = |remaining: &str, limit: &str| {
            let pairs = [
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-limit", limit),
            ];
            hint(&pairs, now).allowance_whole()
        };
        assert!(
            of("10", "10") && of("9", "10"),
            "whole, or all but the one answered"
        );
        assert!(!of("8", "10"), "partly spent");
        assert!(
            !of("0", "1") && !of("1", "1"),
            "a limit of one says nothing"
        );
        assert!(!hint(&[("x-ratelimit-remaining", "10")], now).allowance_whole());
    }

    #[test]
    fn absurd_waits_are_capped() {
        let huge = hint(&[("retry-after", "99999999")], SystemTime::now());
        assert_eq!(huge.retry_after, Some(MAX_HINTED_WAIT));
    }
}
