//! The delete engine end to end against the in-process simulated server, each scenario beside
//! the API page's own bulk sample on a fresh server with the same config: rate-limited servers
//! with and without `X-RateLimit-*` headers (does pacing settle near the limit, with few
//! 429s?), a fixed window, unlimited servers far away or failing now and then, and the real
//! binary over TLS (how many connections a batch opens). A plain `main` that prints tables,
//! not a criterion group: each scenario is one multi-second run whose figures matter (wall
//! time, 429s, peak in flight), not a statistical sample of a hot loop. It reports; it asserts
//! no timing.
//!
//! `cargo bench --bench engine [-- [--runs N] [NAME...]]`: every scenario (or those whose
//! name contains a NAME; `tls` for the connections table), N runs each (default 3), figures
//! as ranges over the runs. `ELYTRON_TUI_BIN=PATH` runs another build of the binary there.

use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use elytron_tui::api::{ApiKey, ClientConfig, ElytronClient, VideoId};
use elytron_tui::engine::{self, BatchCounts, Command, EngineConfig, Event};
use elytron_tui::sim::{FixedWindowLimit, ResetStyle, SimConfig, SimServer, SimStats, SimTls};
use serde::Deserialize;

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// The key the simulated servers accept. Not a secret: it only opens a loopback test server.
const BENCH_KEY: &str = "bench-key";
/// A run that takes longer than this is broken, not slow.
const PATIENCE: Duration = Duration::from_secs(300);
const DEFAULT_RUNS: usize = 3;

/// The server's limit.
#[derive(Clone, Copy)]
enum Limit {
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
enum Target {
    /// At least `share` of the limit (ideal / wall), every ID deleted, at most `max_429_share`
    /// of the requests answered 429, fewer than `max_into_closed` requests sent into a window
    /// already known to be closed.
    OfLimit {
        share: f64,
        max_429_share: Option<f64>,
        max_into_closed: Option<u64>,
    },
    /// Every ID deleted, in at most `factor` times the sample's wall time.
    VsSample { factor: f64 },
}

struct Scenario {
    name: &'static str,
    videos: usize,
    latency: Duration,
    limit: Limit,
    /// The server sends `X-RateLimit-*` (otherwise only 429 and `Retry-After`).
    rate_headers: bool,
    /// A fixed `Retry-After`, seconds; `None`: the limiter's own wait, rounded up.
    retry_after: Option<u64>,
    reset_style: ResetStyle,
    /// Share of requests answered a plain 503.
    unavailable_rate: f64,
    /// Engines sharing the key, each given an equal share of the IDs at once (a CLI and a TUI
    /// on one account): each sees the other only through the server's answers.
    engines: usize,
    target: Target,
}

const MS20: Duration = Duration::from_millis(20);

/// (a) to (c4) and (b): the servers send `X-RateLimit-*`. (n1) on: issue 10's rows.
const SCENARIOS: [Scenario; 11] = [
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
];

/// A header-sending server, 20 ms away, `videos` deletable videos; target 0.98 of the limit.
const fn headers(videos: usize) -> Scenario {
    Scenario {
        name: "",
        videos,
        latency: MS20,
        limit: Limit::Unlimited,
        rate_headers: true,
        retry_after: None,
        reset_style: ResetStyle::DeltaSeconds,
        unavailable_rate: 0.0,
        engines: 1,
        target: Target::OfLimit {
            share: 0.98,
            max_429_share: None,
            max_into_closed: None,
        },
    }
}

/// As `headers`, but the server says only 429 and `Retry-After`; target 0.9 of the limit.
const fn no_headers(videos: usize) -> Scenario {
    Scenario {
        rate_headers: false,
        target: Target::OfLimit {
            share: 0.9,
            max_429_share: None,
            max_into_closed: None,
        },
        ..headers(videos)
    }
}

impl Scenario {
    fn sim_config(&self) -> SimConfig {
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
            unavailable_rate: self.unavailable_rate,
            ..SimConfig::default()
        }
    }

    /// The server's best: the bucket's burst at once and then its rate; the window's quota at
    /// the start of each window.
    fn ideal(&self) -> Option<f64> {
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

/// What one engine run did, seen from both ends.
struct EngineRun {
    wall: Duration,
    /// One per engine.
    counts: Vec<BatchCounts>,
    stats: SimStats,
    /// When the server started (its first window began).
    server_started: Instant,
    /// Every 429 the engines got: when its request left, and when the answer came.
    refusals: Vec<(Instant, Instant)>,
}

impl EngineRun {
    fn deleted(&self) -> usize {
        self.counts.iter().map(|counts| counts.deleted).sum()
    }

    /// Requests a window refused that left after the engine had already had a 429 from that
    /// window: sent when it could have known the window was closed. `None` when the events
    /// showed no 429 although the server sent some (the events' wording changed).
    fn sent_into_known_closed_windows(&self, window: Duration) -> Option<u64> {
        if self.refusals.is_empty() {
            return (self.stats.count(429) == 0).then_some(0);
        }
        let index = |at: Instant| {
            at.saturating_duration_since(self.server_started).as_nanos() / window.as_nanos()
        };
        let mut known_closed: HashMap<u128, Instant> = HashMap::new();
        for (sent, answered) in &self.refusals {
            let first = known_closed.entry(index(*sent)).or_insert(*answered);
            *first = (*first).min(*answered);
        }
        let late = self.refusals.iter().filter(|(sent, _)| {
            known_closed
                .get(&index(*sent))
                .is_some_and(|known| sent > known)
        });
        Some(late.count() as u64)
    }
}

/// What the bulk sample printed about itself.
#[derive(Deserialize)]
struct SampleReport {
    secs: f64,
    reported_success: usize,
}

/// The sample's own report, and what the server saw meanwhile.
struct SampleRun {
    report: SampleReport,
    stats: SimStats,
}

/// Command-line choices: how many runs, which scenarios.
struct Options {
    runs: usize,
    names: Vec<String>,
}

impl Options {
    fn parse() -> BenchResult<Self> {
        let mut options = Self {
            runs: DEFAULT_RUNS,
            names: Vec::new(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            match arg.as_str() {
                // cargo passes `--bench`.
                "--bench" => {}
                "--runs" => {
                    options.runs = args.next().ok_or("--runs needs a number")?.parse()?;
                }
                _ => options.names.push(arg),
            }
        }
        Ok(options)
    }

    fn wants(&self, name: &str) -> bool {
        self.names.is_empty()
            || self
                .names
                .iter()
                .any(|wanted| name.contains(wanted.as_str()))
    }
}

fn main() -> ExitCode {
    let options = match Options::parse() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("bad arguments: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("could not start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run_all(&options)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("some IDs did not end deleted: see the tables above");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("benchmark failed: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the chosen scenarios and prints their table. `Ok(false)` when an engine run left an
/// ID not deleted: timing misses are reported in the table, lost IDs are a defect.
async fn run_all(options: &Options) -> BenchResult<bool> {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "elytron-tui delete engine benchmark ({cores} cores, release build, {} runs each)\n",
        options.runs
    );
    println!(
        "of the limit = ideal / wall (ideal: the bucket's burst at once, then its rate; a \
         window's quota at each window's start)\n"
    );
    println!(
        "| scenario | wall s | ideal s | of the limit | 429s (share) | peak in flight | deleted | sample: wall s | sample: deleted (claimed) | target |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut all_deleted = true;
    for scenario in SCENARIOS.iter().filter(|s| options.wants(s.name)) {
        let mut engine_runs = Vec::new();
        let mut sample_runs = Vec::new();
        for _ in 0..options.runs {
            engine_runs.push(run_engine(&scenario.sim_config(), scenario.engines).await?);
            if let Some(sample) = run_sample(&scenario.sim_config(), None).await? {
                sample_runs.push(sample);
            }
        }
        all_deleted &= engine_runs
            .iter()
            .all(|run| run.deleted() == scenario.videos);
        println!("{}", row(scenario, &engine_runs, &sample_runs));
    }
    if options.wants("tls") {
        all_deleted &= tls_connections(options.runs).await?;
    }
    Ok(all_deleted)
}

/// One scenario's table row over all its runs.
fn row(scenario: &Scenario, runs: &[EngineRun], samples: &[SampleRun]) -> String {
    let walls: Vec<f64> = runs.iter().map(|run| run.wall.as_secs_f64()).collect();
    let ideal = scenario.ideal();
    let shares: Vec<f64> = ideal
        .map(|ideal| walls.iter().map(|wall| ideal / wall).collect())
        .unwrap_or_default();
    let throttled: Vec<f64> = runs.iter().map(|run| run.stats.count(429) as f64).collect();
    let throttled_share: Vec<f64> = runs
        .iter()
        .map(|run| run.stats.count(429) as f64 / run.stats.requests.max(1) as f64)
        .collect();
    let window = match scenario.limit {
        Limit::Window { secs, .. } => Some(Duration::from_secs(secs)),
        _ => None,
    };
    let into_closed: Vec<Option<u64>> = runs
        .iter()
        .map(|run| window.and_then(|window| run.sent_into_known_closed_windows(window)))
        .collect();
    let peaks: Vec<f64> = runs
        .iter()
        .map(|run| run.stats.peak_in_flight as f64)
        .collect();
    let deleted: Vec<f64> = runs.iter().map(|run| run.deleted() as f64).collect();
    let sample_walls: Vec<f64> = samples.iter().map(|s| s.report.secs).collect();
    let sample_deleted: Vec<f64> = samples
        .iter()
        .map(|s| s.stats.deleted.len() as f64)
        .collect();
    let sample_claimed: Vec<f64> = samples
        .iter()
        .map(|s| s.report.reported_success as f64)
        .collect();
    let all_deleted = deleted.iter().all(|d| *d as usize == scenario.videos);
    let met = all_deleted
        && match scenario.target {
            Target::OfLimit {
                share,
                max_429_share,
                max_into_closed,
            } => {
                shares.iter().all(|s| *s >= share)
                    && max_429_share.is_none_or(|max| throttled_share.iter().all(|s| *s <= max))
                    && max_into_closed
                        .is_none_or(|max| into_closed.iter().all(|n| n.is_some_and(|n| n < max)))
            }
            Target::VsSample { factor } => {
                !samples.is_empty()
                    && walls
                        .iter()
                        .zip(&sample_walls)
                        .all(|(wall, sample)| *wall <= factor * sample)
            }
        };
    let target = match scenario.target {
        Target::OfLimit {
            share,
            max_429_share,
            max_into_closed,
        } => {
            let mut text = format!(">= {share}");
            if let Some(max) = max_429_share {
                text.push_str(&format!(", <= {:.0}% 429s", max * 100.0));
            }
            if let Some(max) = max_into_closed {
                text.push_str(&format!(", < {max} into a closed window"));
            }
            text
        }
        Target::VsSample { factor } => format!("<= {factor} x sample"),
    };
    let mut throttled_text = format!(
        "{} ({})",
        range(&throttled, 0),
        percent_range(&throttled_share)
    );
    if window.is_some() {
        let known: Vec<f64> = into_closed.iter().flatten().map(|n| *n as f64).collect();
        let text = if known.len() == into_closed.len() {
            range(&known, 0)
        } else {
            "unknown".to_owned()
        };
        throttled_text.push_str(&format!("; {text} sent into a window known closed"));
    }
    format!(
        "| {} | {} | {} | {} | {throttled_text} | {} | {} of {} | {} | {} ({}) | {target}: {} |",
        scenario.name,
        range(&walls, 2),
        ideal.map_or("".to_owned(), |ideal| format!("{ideal:.1}")),
        if shares.is_empty() {
            "".to_owned()
        } else {
            range(&shares, 2)
        },
        range(&peaks, 0),
        range(&deleted, 0),
        scenario.videos,
        range(&sample_walls, 2),
        range(&sample_deleted, 0),
        range(&sample_claimed, 0),
        if met { "met" } else { "MISSED" },
    )
}

/// `1.23` or `1.23 to 1.50`; empty for no values.
fn range(values: &[f64], decimals: usize) -> String {
    let min = values.iter().copied().reduce(f64::min);
    let max = values.iter().copied().reduce(f64::max);
    match (min, max) {
        (Some(min), Some(max)) if format!("{min:.decimals$}") == format!("{max:.decimals$}") => {
            format!("{min:.decimals$}")
        }
        (Some(min), Some(max)) => format!("{min:.decimals$} to {max:.decimals$}"),
        _ => String::new(),
    }
}

fn percent_range(shares: &[f64]) -> String {
    let percents: Vec<f64> = shares.iter().map(|share| share * 100.0).collect();
    format!("{}%", range(&percents, 1))
}

/// Starts a fresh server, splits its deletable IDs evenly over `engines` default-configured
/// engines (one batch each, all at once), and times them from `Enqueue` to the last `Idle`;
/// each engine's counts are kept.
async fn run_engine(config: &SimConfig, engines: usize) -> BenchResult<EngineRun> {
    let server_started = Instant::now();
    let sim = SimServer::start(config.clone()).await?;
    let client = ElytronClient::new(&ClientConfig {
        base_url: sim.base_url(),
        ..ClientConfig::default()
    })?;
    let key = ApiKey::new(BENCH_KEY)?;
    let ids: Vec<VideoId> = sim.fixtures().deletable.clone();
    let share = ids.len().div_ceil(engines.max(1)).max(1);
    let started = Instant::now();
    let mut drivers = Vec::new();
    for batch in ids.chunks(share) {
        let (commands, events) =
            engine::spawn(client.clone(), Some(key.clone()), EngineConfig::default());
        commands.send(Command::Enqueue(batch.to_vec()))?;
        drivers.push((commands, events));
    }
    let mut counts = Vec::new();
    let mut refusals = Vec::new();
    for (_, events) in &mut drivers {
        let mut started: HashMap<VideoId, Instant> = HashMap::new();
        let batch_counts = tokio::time::timeout(PATIENCE, async {
            while let Some(event) = events.recv().await {
                let refused = match event {
                    Event::Idle { counts } => return Some(counts),
                    Event::Started { id, .. } => {
                        started.insert(id, Instant::now());
                        None
                    }
                    // The retry policy's wording for a 429 to retry ("HTTP 429: ...").
                    Event::Retrying { id, reason, .. } if reason.starts_with("HTTP 429") => {
                        Some(id)
                    }
                    Event::Finished { id, outcome } if outcome.status == Some(429) => Some(id),
                    _ => None,
                };
                if let Some(sent) = refused.and_then(|id| started.get(&id)) {
                    refusals.push((*sent, Instant::now()));
                }
            }
            None
        })
        .await?
        .ok_or("the engine stopped before its batch was done")?;
        counts.push(batch_counts);
    }
    let wall = started.elapsed();
    let stats = sim.stats();
    for (commands, mut events) in drivers {
        commands.send(Command::Shutdown)?;
        while let Some(event) = events.recv().await {
            if event == Event::Stopped {
                break;
            }
        }
    }
    sim.shutdown().await?;
    Ok(EngineRun {
        wall,
        counts,
        stats,
        server_started,
        refusals,
    })
}

/// Runs `node seed-bulk-delete.mjs BASE_URL KEY IDS_FILE` against a fresh server with the
/// same config (trusting `ca`, for a TLS server). `None` (with a message) when node or the
/// sample is not on this machine.
async fn run_sample(config: &SimConfig, ca: Option<&Path>) -> BenchResult<Option<SampleRun>> {
    let script = sample_path();
    if !script.is_file() {
        eprintln!(
            "skipping the API page sample: {} not found",
            script.display()
        );
        return Ok(None);
    }
    let sim = SimServer::start(config.clone()).await?;
    let ids_file = ids_file(&sim)?;
    let mut command = tokio::process::Command::new("node");
    command
        .arg(&script)
        .arg(sim.base_url())
        .arg(BENCH_KEY)
        .arg(ids_file.path())
        .kill_on_drop(true);
    if let Some(ca) = ca {
        command.env("NODE_EXTRA_CA_CERTS", ca);
    }
    let output = match tokio::time::timeout(PATIENCE, command.output()).await? {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipping the API page sample: `node` is not installed");
            sim.shutdown().await?;
            return Ok(None);
        }
        Err(error) => return Err(error.into()),
    };
    let stats = sim.stats();
    sim.shutdown().await?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("the sample exited with {}: {stderr}", output.status).into());
    }
    let stdout = String::from_utf8(output.stdout)?;
    let last_line = stdout.lines().last().ok_or("the sample printed nothing")?;
    let report: SampleReport = serde_json::from_str(last_line)?;
    Ok(Some(SampleRun { report, stats }))
}

/// The server's deletable IDs, one per line, in a temporary file.
fn ids_file(sim: &SimServer) -> BenchResult<tempfile::NamedTempFile> {
    let mut file = tempfile::NamedTempFile::new()?;
    for id in &sim.fixtures().deletable {
        std::io::Write::write_fmt(&mut file, format_args!("{id}\n"))?;
    }
    Ok(file)
}

/// `../shared/anchors/seed-bulk-delete.mjs`, beside the repository.
fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/anchors/seed-bulk-delete.mjs")
}

const TLS_VIDEOS: usize = 2000;
const TLS_LATENCY: Duration = Duration::from_millis(300);

/// The real binary's `delete --yes` of `TLS_VIDEOS` IDs against a server 300 ms away, over
/// plain HTTP and over TLS (trusting the test CA through `SSL_CERT_FILE`, as any user could),
/// and the sample over TLS: how many connections each opened. Returns whether every `delete`
/// deleted everything.
async fn tls_connections(runs: usize) -> BenchResult<bool> {
    let tls_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
    let tls = SimTls::read(&tls_dir.join("sim-cert.pem"), &tls_dir.join("sim-key.pem"))?;
    let ca = tls_dir.join("ca.pem");
    println!(
        "\nThe real binary, `delete --yes` of {TLS_VIDEOS} IDs, unlimited server {} ms away",
        TLS_LATENCY.as_millis()
    );
    println!(
        "| runner | transport | wall s | connections opened | requests over HTTP/2 | peak in flight |"
    );
    println!("|---|---|---|---|---|---|");
    let plain = SimConfig {
        key: BENCH_KEY.to_owned(),
        seed: 42,
        videos: TLS_VIDEOS,
        processing: 0,
        other_account: 0,
        unknown: 0,
        latency: TLS_LATENCY,
        ..SimConfig::default()
    };
    let over_tls = SimConfig {
        tls: Some(tls),
        ..plain.clone()
    };
    let mut all_deleted = true;
    for (transport, config) in [("HTTP", &plain), ("HTTPS", &over_tls)] {
        let mut runs_stats = Vec::new();
        for _ in 0..runs {
            let (wall, stats) = run_binary(config, &ca).await?;
            all_deleted &= stats.deleted.len() == TLS_VIDEOS;
            runs_stats.push((wall, stats));
        }
        println!(
            "{}",
            connections_row("elytron-tui delete", transport, &runs_stats)
        );
    }
    let mut samples = Vec::new();
    for _ in 0..runs {
        if let Some(sample) = run_sample(&over_tls, Some(&ca)).await? {
            samples.push((Duration::from_secs_f64(sample.report.secs), sample.stats));
        }
    }
    if !samples.is_empty() {
        println!(
            "{}",
            connections_row("API page sample (node)", "HTTPS", &samples)
        );
    }
    Ok(all_deleted)
}

fn connections_row(runner: &str, transport: &str, runs: &[(Duration, SimStats)]) -> String {
    let figure = |of: &dyn Fn(&SimStats) -> u64| -> Vec<f64> {
        runs.iter().map(|(_, stats)| of(stats) as f64).collect()
    };
    let walls: Vec<f64> = runs.iter().map(|(wall, _)| wall.as_secs_f64()).collect();
    format!(
        "| {runner} | {transport} | {} | {} | {} | {} |",
        range(&walls, 2),
        range(&figure(&|stats| stats.connections), 0),
        range(&figure(&|stats| stats.http2_requests), 0),
        range(&figure(&|stats| stats.peak_in_flight), 0),
    )
}

/// Runs the release binary's `delete --from IDS --yes` against a fresh server with `config`,
/// trusting `ca` the way any user would; its wall time (process start to exit) and what the
/// server saw.
async fn run_binary(config: &SimConfig, ca: &Path) -> BenchResult<(Duration, SimStats)> {
    let sim = SimServer::start(config.clone()).await?;
    let ids_file = ids_file(&sim)?;
    let data = tempfile::tempdir()?;
    let started = Instant::now();
    // ELYTRON_TUI_BIN: another build to compare (the one beside this bench by default).
    let binary = std::env::var_os("ELYTRON_TUI_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_elytron-tui")),
        PathBuf::from,
    );
    let status = tokio::process::Command::new(binary)
        .arg("--data-dir")
        .arg(data.path().join("data"))
        .arg("--config")
        .arg(data.path().join("config.toml"))
        .arg("--base-url")
        .arg(sim.base_url())
        .args(["delete", "--yes", "--from"])
        .arg(ids_file.path())
        .env("ELYTRON_API_KEY", BENCH_KEY)
        .env("SSL_CERT_FILE", ca)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .status();
    let status = tokio::time::timeout(PATIENCE, status).await??;
    let wall = started.elapsed();
    let stats = sim.stats();
    sim.shutdown().await?;
    if !status.success() {
        return Err(format!("delete exited with {status}").into());
    }
    Ok((wall, stats))
}
