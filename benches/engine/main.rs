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
//! as ranges over the runs. `ELYTRON_TUI_BIN=PATH` runs another build of the binary there;
//! `ELYTRON_TUI_SAMPLE=PATH` names the sample when it is not beside the repository.

#[path = "../support/closed_windows.rs"]
mod closed_windows;
mod report;
mod runs;
mod scenarios;
mod tls;

use std::process::ExitCode;
use std::time::Duration;

use report::row;
use runs::{run_engine, run_sample};
use scenarios::SCENARIOS;
use tls::tls_connections;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The key the simulated servers accept. Not a secret: it only opens a loopback test server.
const BENCH_KEY: &str = "bench-key";
/// A run that takes longer than this is broken, not slow.
const PATIENCE: Duration = Duration::from_secs(300);
const DEFAULT_RUNS: usize = 3;

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
         window's quota at each window's start); refused: the 429s, and a proxy limiter's 503s\n"
    );
    println!(
        "| scenario | wall s | ideal s | of the limit | refused (share) | peak in flight | deleted | sample: wall s | sample: deleted (claimed) | target |"
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
