//! The real binary over plain HTTP and over TLS (HTTP/2 by ALPN): how many connections a
//! 2000-delete batch opens, beside the sample over TLS.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use elytron_tui::sim::{SimConfig, SimServer, SimStats, SimTls};

use super::report::range;
use super::runs::{ids_file, run_sample};
use super::{BENCH_KEY, BenchResult, PATIENCE};

pub(crate) const TLS_VIDEOS: usize = 2000;
pub(crate) const TLS_LATENCY: Duration = Duration::from_millis(300);

/// The real binary's `delete --yes` of `TLS_VIDEOS` IDs against a server 300 ms away, over
/// plain HTTP and over TLS (trusting the test CA through `SSL_CERT_FILE`, as any user could),
/// and the sample over TLS: how many connections each opened. Returns whether every `delete`
/// deleted everything.
pub(crate) async fn tls_connections(runs: usize) -> BenchResult<bool> {
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

pub(crate) fn connections_row(
    runner: &str,
    transport: &str,
    runs: &[(Duration, SimStats)],
) -> String {
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
pub(crate) async fn run_binary(config: &SimConfig, ca: &Path) -> BenchResult<(Duration, SimStats)> {
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
