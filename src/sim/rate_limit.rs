//! `TokenBucket`: the simulated server's rate limit, and the `X-RateLimit-*` figures it
//! reports. Pure arithmetic over a caller-supplied clock; it writes no headers.

use std::time::{Duration, Instant};

/// The bucket's answer for one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct RateVerdict {
    /// Whether the request took a token (otherwise: 429).
    pub allowed: bool,
    /// `X-RateLimit-Limit`: the bucket capacity.
    pub limit: u64,
    /// `X-RateLimit-Remaining`: whole tokens left after this request.
    pub remaining: u64,
    /// Until the bucket is full again (`X-RateLimit-Reset`).
    pub until_full: Duration,
    /// Until one token is available; zero when `allowed`.
    pub retry_after: Duration,
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

    pub(super) fn take(&mut self, now: Instant) -> RateVerdict {
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
        }
    }

    fn seconds_for(&self, tokens: f64) -> Duration {
        Duration::from_secs_f64((tokens / self.rate).max(0.0))
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
}
