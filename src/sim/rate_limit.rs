//! `Limiter`: the simulated server's rate limit (a token bucket or a fixed window) and the
//! figures it reports (`X-RateLimit-*`, the wait before a refused request may come back).
//! Pure arithmetic over a caller-supplied clock; it writes no headers.

use std::time::{Duration, Instant};

/// The limiter's answer for one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RateVerdict {
    /// Whether the request was admitted (otherwise: 429).
    pub allowed: bool,
    /// `X-RateLimit-Limit`: the bucket's capacity, or the window's quota.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: whole requests left after this one.
    pub remaining: u64,
    /// Until the allowance is whole again (`X-RateLimit-Reset`): the bucket full, the window
    /// over.
    pub until_full: Duration,
    /// Until a request can be admitted again; zero when `allowed`.
    pub retry_after: Duration,
    /// The policy's window, as `;w=` says it: the fixed window's length, or the time the
    /// bucket takes to fill from empty.
    pub window: Duration,
}

/// A fixed window: `limit` requests per `window`, the windows back to back from the server's
/// start, each starting empty whatever the last one used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedWindowLimit {
    pub limit: u64,
    pub window: Duration,
}

/// The server's rate limit, as configured.
#[derive(Clone, Debug)]
pub(super) enum Limiter {
    TokenBucket(TokenBucket),
    FixedWindow(FixedWindow),
}

impl Limiter {
    /// Admits or refuses a request decided `now`.
    pub(super) fn take(&mut self, now: Instant) -> RateVerdict {
        match self {
            Self::TokenBucket(bucket) => bucket.take(now),
            Self::FixedWindow(window) => window.take(now),
        }
    }
}

/// Refills `rate` tokens a second up to `capacity`; each request takes one.
#[derive(Clone, Debug)]
pub(super) struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    refilled_at: Instant,
}

impl TokenBucket {
    /// Starts full. `burst` defaults to one second's worth; capacity is at least one token,
    /// or no request could ever pass.
    pub(super) fn new(rate: f64, burst: Option<f64>, now: Instant) -> Self {
        let capacity = burst.unwrap_or(rate).max(1.0);
        Self {
            rate,
            capacity,
            tokens: capacity,
            refilled_at: now,
        }
    }

    fn take(&mut self, now: Instant) -> RateVerdict {
        let elapsed = now
            .saturating_duration_since(self.refilled_at)
            .as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        self.refilled_at = now;
        let allowed = self.tokens >= 1.0;
        if allowed {
            self.tokens -= 1.0;
        }
        RateVerdict {
            allowed,
            limit: self.capacity.floor() as u64,
            remaining: self.tokens.floor() as u64,
            until_full: self.seconds_for(self.capacity - self.tokens),
            retry_after: if allowed {
                Duration::ZERO
            } else {
                self.seconds_for(1.0 - self.tokens)
            },
            window: self.seconds_for(self.capacity),
        }
    }

    fn seconds_for(&self, tokens: f64) -> Duration {
        Duration::from_secs_f64((tokens / self.rate).max(0.0))
    }
}

/// `FixedWindowLimit` in use: which window we are in and what it has used.
#[derive(Clone, Debug)]
pub(super) struct FixedWindow {
    limit: FixedWindowLimit,
    started: Instant,
    /// The window `used` counts for (0 from `started`).
    current: u64,
    used: u64,
}

impl FixedWindow {
    /// The first window starts `now`. A zero-length window is taken as a millisecond.
    pub(super) fn new(limit: FixedWindowLimit, now: Instant) -> Self {
        let window = limit.window.max(Duration::from_millis(1));
        Self {
            limit: FixedWindowLimit { window, ..limit },
            started: now,
            current: 0,
            used: 0,
        }
    }

    fn take(&mut self, now: Instant) -> RateVerdict {
        let window = self.limit.window;
        let since_start = now.saturating_duration_since(self.started);
        let index = (since_start.as_nanos() / window.as_nanos()) as u64;
        if index != self.current {
            self.current = index;
            self.used = 0;
        }
        let ends = window.saturating_mul(u32::try_from(index + 1).unwrap_or(u32::MAX));
        let until_end = ends.saturating_sub(since_start);
        let allowed = self.used < self.limit.limit;
        if allowed {
            self.used += 1;
        }
        RateVerdict {
            allowed,
            limit: self.limit.limit,
            remaining: self.limit.limit - self.used,
            until_full: until_end,
            retry_after: if allowed { Duration::ZERO } else { until_end },
            window,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill_at_the_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10.0, Some(3.0), start);
        let remaining: Vec<u64> = (0..3).map(|_| bucket.take(start).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = bucket.take(start);
        assert!(!refused.allowed);
        assert_eq!(refused.limit, 3);
        assert_eq!(refused.retry_after, Duration::from_millis(100));
        assert_eq!(refused.until_full, Duration::from_millis(300));
        assert!(bucket.take(start + Duration::from_millis(100)).allowed);
        assert!(!bucket.take(start + Duration::from_millis(150)).allowed);
    }

    #[test]
    fn never_fills_beyond_capacity() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(100.0, None, start);
        let later = start + Duration::from_secs(60);
        assert_eq!(bucket.take(later).remaining, 99);
    }

    #[test]
    fn a_fixed_window_admits_its_quota_then_refuses_until_the_next_window() {
        let start = Instant::now();
        let ms = Duration::from_millis;
        let limit = FixedWindowLimit {
            limit: 3,
            window: Duration::from_secs(5),
        };
        let mut window = Limiter::FixedWindow(FixedWindow::new(limit, start));
        let at = start + ms(1200);
        let admitted: Vec<u64> = (0..3).map(|_| window.take(at).remaining).collect();
        assert_eq!(admitted, [2, 1, 0]);
        // The window is then closed: the wait is what is left of it.
        let refused = window.take(at);
        assert!(!refused.allowed);
        assert_eq!(
            (refused.retry_after, refused.until_full),
            (ms(3800), ms(3800))
        );
        assert!(!window.take(at + ms(3799)).allowed);
        // The next window starts empty, whatever the last one used.
        let next = start + ms(5001);
        let fresh = window.take(next);
        assert!(fresh.allowed);
        assert_eq!((fresh.remaining, fresh.until_full), (2, ms(4999)));
    }
}
