//! One run of a scenario: the engine (one or several on one key) or the API page's sample,
//! each against a fresh simulated server, and what both ends saw.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use elytron_tui::api::{ApiKey, ClientConfig, ElytronClient, VideoId};
use elytron_tui::engine::{self, BatchCounts, Command, EngineConfig, Event};
use elytron_tui::rails::Rails;
use elytron_tui::sim::{SimConfig, SimServer, SimStats};
use serde::Deserialize;

use super::closed_windows::{most_into_one_known_closed, sent_into_known_closed};
use super::{BENCH_KEY, BenchResult, PATIENCE};

/// What one engine run did, seen from both ends.
pub(crate) struct EngineRun {
    pub(crate) wall: Duration,
    /// One per engine.
    pub(crate) counts: Vec<BatchCounts>,
    pub(crate) stats: SimStats,
    /// When the server started (its first window began).
    pub(crate) server_started: Instant,
    /// Every 429 the engines got: when its request left, and when the answer came.
    pub(crate) refusals: Vec<(Instant, Instant)>,
}

impl EngineRun {
    pub(crate) fn deleted(&self) -> usize {
        self.counts.iter().map(|counts| counts.deleted).sum()
    }

    /// Requests a window refused that left after the engine had already had a 429 from that
    /// window (sent when it could have known the window was closed): in all, and the most
    /// into any one window. `None` when the events showed no 429 although the server sent
    /// some (the events' wording changed).
    pub(crate) fn sent_into_known_closed_windows(&self, window: Duration) -> Option<(u64, u64)> {
        if self.refusals.is_empty() {
            return (self.stats.count(429) == 0).then_some((0, 0));
        }
        let late = sent_into_known_closed(&self.refusals, self.server_started, window);
        let most = most_into_one_known_closed(&self.refusals, self.server_started, window);
        Some((late as u64, most as u64))
    }
}

/// What the bulk sample printed about itself.
#[derive(Deserialize)]
pub(crate) struct SampleReport {
    pub(crate) secs: f64,
    pub(crate) reported_success: usize,
}

/// The sample's own report, and what the server saw meanwhile.
pub(crate) struct SampleRun {
    pub(crate) report: SampleReport,
    pub(crate) stats: SimStats,
}

/// Starts a fresh server, splits its deletable IDs evenly over `engines` default-configured
/// engines (one batch each, all at once), and times them from `Enqueue` to the last `Idle`;
/// each engine's counts are kept.
pub(crate) async fn run_engine(config: &SimConfig, engines: usize) -> BenchResult<EngineRun> {
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
        // A profile with no rails: the bench measures the engine, not the gate.
        let cleared = Rails::default()
            .check(batch.to_vec(), |_| None, jiff::Timestamp::now())?
            .confirm(None)
            .map_err(|_| "no name is asked without rails")?;
        commands.send(Command::Enqueue(cleared))?;
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
pub(crate) async fn run_sample(
    config: &SimConfig,
    ca: Option<&Path>,
) -> BenchResult<Option<SampleRun>> {
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
pub(crate) fn ids_file(sim: &SimServer) -> BenchResult<tempfile::NamedTempFile> {
    let mut file = tempfile::NamedTempFile::new()?;
    for id in &sim.fixtures().deletable {
        std::io::Write::write_fmt(&mut file, format_args!("{id}\n"))?;
    }
    Ok(file)
}

/// `ELYTRON_TUI_SAMPLE`, else `../shared/anchors/seed-bulk-delete.mjs` beside the
/// repository (a worktree elsewhere names it).
pub(crate) fn sample_path() -> PathBuf {
    std::env::var_os("ELYTRON_TUI_SAMPLE").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/anchors/seed-bulk-delete.mjs"),
        PathBuf::from,
    )
}
