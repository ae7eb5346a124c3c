//! The delete engine end to end against the in-process simulated server: rate-limited runs
//! (does pacing settle near the server's limit, with few 429s?) and an unlimited run side by
//! side with the API page's own bulk sample. A plain `main` that prints tables, not a
//! criterion group: each scenario is one multi-second run whose figures matter (wall time,
//! 429s, peak in flight), not a statistical sample of a hot loop. It reports; it asserts no
//! timing. Run with `cargo bench --bench engine`; arguments (cargo passes `--bench`) are ignored.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use elytron_tui::api::{ApiKey, ClientConfig, ElytronClient, VideoId};
use elytron_tui::engine::{self, BatchCounts, Command, EngineConfig, Event};
use elytron_tui::sim::{ResetStyle, SimConfig, SimServer, SimStats};
use serde::Deserialize;

type BenchResult<T> = Result<T, Box<dyn Error>>;

/// The key the simulated servers accept. Not a secret: it only opens a loopback test server.
const BENCH_KEY: &str = "bench-key";
/// A run that takes longer than this is broken, not slow.
const PATIENCE: Duration = Duration::from_secs(300);
/// The rate-limit targets: wall time within this factor of N / R.
const RATE_TARGET_FACTOR: f64 = 1.1;

/// One rate-limited run: `videos` deletable videos behind a `rate_per_sec` token bucket.
struct RateScenario {
    name: &'static str,
    rate_per_sec: f64,
    /// Bucket capacity; `None` is one second's worth, the simulated server's default. A full
    /// second of burst refunds a second of idling, so a small burst is what shows whether the
    /// engine paces evenly or sends in storms with idle gaps between them.
    burst: Option<f64>,
    videos: usize,
    latency: Duration,
    reset_style: ResetStyle,
    /// Engines sharing the key, each given an equal share of the IDs at once (a CLI and a TUI
    /// on one account): each sees the other only through the server's `Remaining` and 429s.
    engines: usize,
}

const RATE_SCENARIOS: [RateScenario; 5] = [
    RateScenario {
        name: "(a) 100/s, N=600, 20 ms",
        rate_per_sec: 100.0,
        burst: None,
        videos: 600,
        latency: Duration::from_millis(20),
        reset_style: ResetStyle::DeltaSeconds,
        engines: 1,
    },
    RateScenario {
        name: "(c1) as (a), Reset as Unix time",
        rate_per_sec: 100.0,
        burst: None,
        videos: 600,
        latency: Duration::from_millis(20),
        reset_style: ResetStyle::UnixSeconds,
        engines: 1,
    },
    RateScenario {
        name: "(c2) 10/s, N=100, 20 ms",
        rate_per_sec: 10.0,
        burst: None,
        videos: 100,
        latency: Duration::from_millis(20),
        reset_style: ResetStyle::DeltaSeconds,
        engines: 1,
    },
    RateScenario {
        name: "(c3) as (a), burst 10",
        rate_per_sec: 100.0,
        burst: Some(10.0),
        videos: 600,
        latency: Duration::from_millis(20),
        reset_style: ResetStyle::DeltaSeconds,
        engines: 1,
    },
    RateScenario {
        name: "(c4) as (c3), two engines on one key",
        rate_per_sec: 100.0,
        burst: Some(10.0),
        videos: 600,
        latency: Duration::from_millis(20),
        reset_style: ResetStyle::DeltaSeconds,
        engines: 2,
    },
];

/// Scenario (b): no rate limit, every answer 25 ms away.
const UNLIMITED_VIDEOS: usize = 2000;
const UNLIMITED_LATENCY: Duration = Duration::from_millis(25);

/// What one engine run did, seen from both ends.
struct EngineRun {
    wall: Duration,
    /// One per engine.
    counts: Vec<BatchCounts>,
    stats: SimStats,
}

impl EngineRun {
    fn deleted(&self) -> usize {
        self.counts.iter().map(|counts| counts.deleted).sum()
    }

    fn failed(&self) -> usize {
        self.counts
            .iter()
            .map(|counts| counts.total() - counts.deleted)
            .sum()
    }
}

/// What the bulk sample printed about itself.
#[derive(Deserialize)]
struct SampleReport {
    secs: f64,
    reported_success: usize,
    n: usize,
}

/// The sample's own report, and what the server saw meanwhile.
struct SampleRun {
    report: SampleReport,
    stats: SimStats,
}

fn main() -> ExitCode {
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
    match runtime.block_on(run_all()) {
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

/// Runs every scenario and prints its table. `Ok(false)` when an engine run left an ID not
/// deleted: timing misses are reported in the tables, lost IDs are a defect.
async fn run_all() -> BenchResult<bool> {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!("elytron-tui delete engine benchmark ({cores} cores, release build)\n");
    let mut all_deleted = true;

    println!("Rate-limited: target wall <= {RATE_TARGET_FACTOR} x N/R, 0 failed, few 429s");
    println!(
        "| scenario | N | R/s | burst | wall s | target s | wall / (N/R) | deleted | failed | 429s served | peak in flight | target |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for scenario in &RATE_SCENARIOS {
        let (row, deleted_all) = rate_limited(scenario).await?;
        all_deleted &= deleted_all;
        println!("{row}");
    }

    println!(
        "\nUnlimited, {} ms latency, N={UNLIMITED_VIDEOS}: engine vs the API page's sample (fresh server each)",
        UNLIMITED_LATENCY.as_millis()
    );
    println!(
        "| runner | wall s | claims deleted | server really deleted | answers by status | peak in flight |"
    );
    println!("|---|---|---|---|---|---|");
    let config = unlimited_config();
    let engine = run_engine(&config, 1).await?;
    all_deleted &= engine.deleted() == UNLIMITED_VIDEOS;
    println!(
        "| engine | {:.2} | {} | {} | {} | {} |",
        engine.wall.as_secs_f64(),
        engine.deleted(),
        engine.stats.deleted.len(),
        statuses(&engine.stats),
        engine.stats.peak_in_flight,
    );
    match run_sample(&config).await? {
        Some(sample) => {
            println!("{}", sample_row(&sample));
            let verdict = if engine.wall.as_secs_f64() <= sample.report.secs {
                "met"
            } else {
                "MISSED"
            };
            println!(
                "\nTarget (engine no slower than the sample): {verdict} ({:.2} s vs {:.2} s)",
                engine.wall.as_secs_f64(),
                sample.report.secs
            );
        }
        None => println!("| API page sample (node) | skipped | | | | |"),
    }

    let limited = &RATE_SCENARIOS[0];
    println!(
        "\nThe same sample against the rate-limited server of {}: what it claims, what the server did",
        limited.name
    );
    println!(
        "| runner | wall s | claims deleted | server really deleted | answers by status | peak in flight |"
    );
    println!("|---|---|---|---|---|---|");
    match run_sample(&rate_config(limited)).await? {
        Some(sample) => println!("{}", sample_row(&sample)),
        None => println!("| API page sample (node) | skipped | | | | |"),
    }
    Ok(all_deleted)
}

/// One rate-limited scenario as a table row, and whether every ID ended deleted.
async fn rate_limited(scenario: &RateScenario) -> BenchResult<(String, bool)> {
    let run = run_engine(&rate_config(scenario), scenario.engines).await?;
    let ideal = scenario.videos as f64 / scenario.rate_per_sec;
    let target = RATE_TARGET_FACTOR * ideal;
    let wall = run.wall.as_secs_f64();
    let failed = run.failed();
    let met = wall <= target && failed == 0;
    let row = format!(
        "| {} | {} | {} | {} | {wall:.2} | {target:.2} | {:.3} | {} | {failed} | {} | {} | {} |",
        scenario.name,
        scenario.videos,
        scenario.rate_per_sec,
        scenario.burst.unwrap_or(scenario.rate_per_sec),
        wall / ideal,
        run.deleted(),
        run.stats.count(429),
        run.stats.peak_in_flight,
        if met { "met" } else { "MISSED" },
    );
    Ok((row, run.deleted() == scenario.videos))
}

fn rate_config(scenario: &RateScenario) -> SimConfig {
    SimConfig {
        videos: scenario.videos,
        latency: scenario.latency,
        rate_per_sec: Some(scenario.rate_per_sec),
        burst: scenario.burst,
        reset_style: scenario.reset_style,
        ..fixture_config()
    }
}

/// Only deletable videos, so every ID should end `Deleted`; a fixed seed so runs repeat.
fn fixture_config() -> SimConfig {
    SimConfig {
        key: BENCH_KEY.to_owned(),
        seed: 42,
        processing: 0,
        other_account: 0,
        unknown: 0,
        ..SimConfig::default()
    }
}

fn unlimited_config() -> SimConfig {
    SimConfig {
        videos: UNLIMITED_VIDEOS,
        latency: UNLIMITED_LATENCY,
        ..fixture_config()
    }
}

/// Starts a fresh server, splits its deletable IDs evenly over `engines` default-configured
/// engines (one batch each, all at once), and times them from `Enqueue` to the last `Idle`;
/// each engine's counts are kept.
async fn run_engine(config: &SimConfig, engines: usize) -> BenchResult<EngineRun> {
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
    for (_, events) in &mut drivers {
        let batch_counts = tokio::time::timeout(PATIENCE, async {
            while let Some(event) = events.recv().await {
                if let Event::Idle { counts } = event {
                    return Some(counts);
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
    })
}

/// Runs `node seed-bulk-delete.mjs BASE_URL KEY IDS_FILE` against a fresh server with the
/// same config. `None` (with a message) when node or the sample is not on this machine.
async fn run_sample(config: &SimConfig) -> BenchResult<Option<SampleRun>> {
    let script = sample_path();
    if !script.is_file() {
        eprintln!(
            "skipping the API page sample: {} not found",
            script.display()
        );
        return Ok(None);
    }
    let sim = SimServer::start(config.clone()).await?;
    let mut ids_file = tempfile::NamedTempFile::new()?;
    for id in &sim.fixtures().deletable {
        std::io::Write::write_fmt(&mut ids_file, format_args!("{id}\n"))?;
    }
    let output = tokio::process::Command::new("node")
        .arg(&script)
        .arg(sim.base_url())
        .arg(BENCH_KEY)
        .arg(ids_file.path())
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(PATIENCE, output).await? {
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

/// The sample's table row: its own claims next to the server's count.
fn sample_row(sample: &SampleRun) -> String {
    format!(
        "| API page sample (node) | {:.2} | {} of {} | {} | {} | {} |",
        sample.report.secs,
        sample.report.reported_success,
        sample.report.n,
        sample.stats.deleted.len(),
        statuses(&sample.stats),
        sample.stats.peak_in_flight,
    )
}

/// `../shared/anchors/seed-bulk-delete.mjs`, beside the repository.
fn sample_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/anchors/seed-bulk-delete.mjs")
}

/// `204: 2000, 429: 3` style summary of the answers the server sent, plus connections it
/// dropped or saw abandoned.
fn statuses(stats: &SimStats) -> String {
    let mut parts: Vec<String> = stats
        .by_status
        .iter()
        .map(|(status, count)| format!("{status}: {count}"))
        .collect();
    if stats.dropped_connections > 0 {
        parts.push(format!("dropped: {}", stats.dropped_connections));
    }
    if stats.abandoned > 0 {
        parts.push(format!("abandoned: {}", stats.abandoned));
    }
    parts.join(", ")
}
