//! The scenarios: each server's limit, latency and faults, what the engine must show there,
//! and the ideal time a perfect client would take.

use std::time::Duration;

use elytron_tui::sim::{FixedWindowLimit, HeaderForm, Refusal, ResetStyle, SimConfig};

use super::BENCH_KEY;

/// The server's limit.
#[derive(Clone, Copy)]
pub(crate) enum Limit {
    Unlimited,
    /// A token bucket, starting full; `burst` `None` is one second's worth.
    Bucket {
        rate: f64,
        burst: Option<f64>,
    },
    /// `limit` requests per `secs`-second window.
    Window {
        limit: u64,
        secs: u64,
    },
}

/// What a scenario must show.
#[derive(Clone, Copy)]
pub(crate) enum Target {
    /// At least `share` of the limit (ideal / wall), every ID deleted, at most `max_429_share`
    /// of the requests answered 429, fewer than `max_into_closed` requests sent into a window
    /// already known to be closed, and at most `max_into_one_closed` into any one such window.
    OfLimit {
        share: f64,
        max_429_share: Option<f64>,
        max_into_closed: Option<u64>,
        max_into_one_closed: Option<u64>,
    },
    /// Every ID deleted, in at most `factor` times the sample's wall time.
    VsSample { factor: f64 },
}

pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) videos: usize,
    pub(crate) latency: Duration,
    pub(crate) limit: Limit,
    /// The server sends `X-RateLimit-*` (otherwise only 429 and `Retry-After`).
    pub(crate) rate_headers: bool,
    /// A fixed `Retry-After`, seconds; `None`: the limiter's own wait, rounded up.
    pub(crate) retry_after: Option<u64>,
    pub(crate) reset_style: ResetStyle,
    /// Which family of headers carries the limit.
    pub(crate) header_form: HeaderForm,
    /// What a request over the limit is answered.
    pub(crate) refusal: Refusal,
    /// Share of requests answered a plain 503.
    pub(crate) unavailable_rate: f64,
    /// Engines sharing the key, each given an equal share of the IDs at once (a CLI and a TUI
    /// on one account): each sees the other only through the server's answers.
    pub(crate) engines: usize,
    pub(crate) target: Target,
}

pub(crate) const MS20: Duration = Duration::from_millis(20);

/// (a) to (c4) and (b): the servers send `X-RateLimit-*`. (n1) on: issue 10's rows. (f1) on:
/// issue 20's fixed windows with rate headers, (h1) to (h3) the other families of headers,
/// (p) a proxy's limiter answering 503.
pub(crate) const SCENARIOS: [Scenario; 23] = [
    Scenario {
        name: "(a) headers, bucket 100/s, burst 100, N=600",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: None,
        },
        ..headers(600)
    },
    Scenario {
        name: "(c1) as (a), Reset as Unix time",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: None,
        },
        reset_style: ResetStyle::UnixSeconds,
        ..headers(600)
    },
    Scenario {
        name: "(c2) headers, bucket 10/s, burst 10, N=100",
        limit: Limit::Bucket {
            rate: 10.0,
            burst: None,
        },
        ..headers(100)
    },
    Scenario {
        name: "(c3) headers, bucket 100/s, burst 10, N=600",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: Some(10.0),
        },
        ..headers(600)
    },
    Scenario {
        name: "(c4) as (c3), two engines on one key",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: Some(10.0),
        },
        engines: 2,
        ..headers(600)
    },
    Scenario {
        name: "(b) unlimited, 25 ms, N=2000",
        latency: Duration::from_millis(25),
        limit: Limit::Unlimited,
        target: Target::VsSample { factor: 1.0 },
        ..headers(2000)
    },
    Scenario {
        name: "(n1) no headers, bucket 100/s, burst 20, Retry-After 1, N=600",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: Some(20.0),
        },
        retry_after: Some(1),
        target: Target::OfLimit {
            share: 0.9,
            max_429_share: Some(0.03),
            max_into_closed: None,
            max_into_one_closed: None,
        },
        ..no_headers(600)
    },
    Scenario {
        name: "(n2) no headers, bucket 10/s, burst 10, Retry-After 2, N=150",
        limit: Limit::Bucket {
            rate: 10.0,
            burst: Some(10.0),
        },
        retry_after: Some(2),
        ..no_headers(150)
    },
    Scenario {
        name: "(w) no headers, fixed window 50 per 5 s, N=250",
        limit: Limit::Window { limit: 50, secs: 5 },
        target: Target::OfLimit {
            share: 0.95,
            max_429_share: None,
            max_into_closed: Some(10),
            max_into_one_closed: None,
        },
        ..no_headers(250)
    },
    Scenario {
        name: "(u1) unlimited, 25 ms, 5% plain 503s, N=1000",
        latency: Duration::from_millis(25),
        limit: Limit::Unlimited,
        unavailable_rate: 0.05,
        target: Target::VsSample { factor: 2.0 },
        ..no_headers(1000)
    },
    Scenario {
        name: "(u2) unlimited, 300 ms, N=2000",
        latency: Duration::from_millis(300),
        limit: Limit::Unlimited,
        target: Target::VsSample { factor: 2.5 },
        ..no_headers(2000)
    },
    window(
        "(f1) headers, fixed window 10 per 1 s, N=100",
        10,
        1,
        ResetStyle::DeltaSeconds,
    ),
    window(
        "(f1e) as (f1), Reset as Unix time",
        10,
        1,
        ResetStyle::UnixSeconds,
    ),
    window(
        "(f2) headers, fixed window 20 per 2 s, N=200",
        20,
        2,
        ResetStyle::DeltaSeconds,
    ),
    window(
        "(f2e) as (f2), Reset as Unix time",
        20,
        2,
        ResetStyle::UnixSeconds,
    ),
    Scenario {
        videos: 150,
        ..window(
            "(f3) headers, fixed window 50 per 10 s, N=150",
            50,
            10,
            ResetStyle::DeltaSeconds,
        )
    },
    Scenario {
        videos: 150,
        ..window(
            "(f3e) as (f3), Reset as Unix time",
            50,
            10,
            ResetStyle::UnixSeconds,
        )
    },
    Scenario {
        videos: 200,
        ..window(
            "(f4) headers, fixed window 100 per 60 s, N=200",
            100,
            60,
            ResetStyle::DeltaSeconds,
        )
    },
    Scenario {
        videos: 200,
        ..window(
            "(f4e) as (f4), Reset as Unix time",
            100,
            60,
            ResetStyle::UnixSeconds,
        )
    },
    Scenario {
        header_form: HeaderForm::XRateLimitList,
        ..window(
            "(h1) as (f1), X-RateLimit-Limit: 10, 10;w=1",
            10,
            1,
            ResetStyle::DeltaSeconds,
        )
    },
    Scenario {
        header_form: HeaderForm::Draft,
        ..window(
            "(h2) as (f1), RateLimit-Limit/-Remaining/-Reset",
            10,
            1,
            ResetStyle::DeltaSeconds,
        )
    },
    Scenario {
        header_form: HeaderForm::Structured,
        ..window(
            "(h3) as (f1), RateLimit-Policy + RateLimit",
            10,
            1,
            ResetStyle::DeltaSeconds,
        )
    },
    Scenario {
        name: "(p) proxy limiter 100/s, burst 20, 503 HTML page, N=600",
        limit: Limit::Bucket {
            rate: 100.0,
            burst: Some(20.0),
        },
        refusal: Refusal::Proxy503,
        ..no_headers(600)
    },
];

/// A fixed window of `limit` per `secs` with `X-RateLimit-*`, ten windows' worth of videos;
/// issue 20's target: 0.95 of the limit, at most one request into any window known closed.
const fn window(name: &'static str, limit: u64, secs: u64, reset_style: ResetStyle) -> Scenario {
    Scenario {
        name,
        limit: Limit::Window { limit, secs },
        reset_style,
        target: Target::OfLimit {
            share: 0.95,
            max_429_share: None,
            max_into_closed: None,
            max_into_one_closed: Some(1),
        },
        ..headers(limit as usize * 10)
    }
}

/// A header-sending server, 20 ms away, `videos` deletable videos; target 0.98 of the limit.
pub(crate) const fn headers(videos: usize) -> Scenario {
    Scenario {
        name: "",
        videos,
        latency: MS20,
        limit: Limit::Unlimited,
        rate_headers: true,
        retry_after: None,
        reset_style: ResetStyle::DeltaSeconds,
        header_form: HeaderForm::XRateLimit,
        refusal: Refusal::Api429,
        unavailable_rate: 0.0,
        engines: 1,
        target: Target::OfLimit {
            share: 0.98,
            max_429_share: None,
            max_into_closed: None,
            max_into_one_closed: None,
        },
    }
}

/// As `headers`, but the server says only 429 and `Retry-After`; target 0.9 of the limit.
pub(crate) const fn no_headers(videos: usize) -> Scenario {
    Scenario {
        rate_headers: false,
        target: Target::OfLimit {
            share: 0.9,
            max_429_share: None,
            max_into_closed: None,
            max_into_one_closed: None,
        },
        ..headers(videos)
    }
}

impl Scenario {
    pub(crate) fn sim_config(&self) -> SimConfig {
        let (rate_per_sec, burst, fixed_window) = match self.limit {
            Limit::Unlimited => (None, None, None),
            Limit::Bucket { rate, burst } => (Some(rate), burst, None),
            Limit::Window { limit, secs } => (
                None,
                None,
                Some(FixedWindowLimit {
                    limit,
                    window: Duration::from_secs(secs),
                }),
            ),
        };
        SimConfig {
            key: BENCH_KEY.to_owned(),
            // Only deletable videos, so every ID should end `Deleted`; a fixed seed so runs
            // repeat.
            seed: 42,
            videos: self.videos,
            processing: 0,
            other_account: 0,
            unknown: 0,
            latency: self.latency,
            rate_per_sec,
            burst,
            fixed_window,
            rate_headers: self.rate_headers,
            retry_after: self.retry_after.map(Duration::from_secs),
            reset_style: self.reset_style,
            header_form: self.header_form,
            refusal: self.refusal,
            unavailable_rate: self.unavailable_rate,
            ..SimConfig::default()
        }
    }

    /// The server's best: the bucket's burst at once and then its rate; the window's quota at
    /// the start of each window.
    pub(crate) fn ideal(&self) -> Option<f64> {
        let n = self.videos as f64;
        match self.limit {
            Limit::Unlimited => None,
            Limit::Bucket { rate, burst } => {
                Some((n - burst.unwrap_or(rate).max(1.0)).max(0.0) / rate)
            }
            Limit::Window { limit, secs } => {
                Some((self.videos.div_ceil(limit as usize).max(1) - 1) as f64 * secs as f64)
            }
        }
    }
}
