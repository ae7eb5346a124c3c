//! Runs of the real binary bounded in time, and reading what they printed.

use std::io::Read;
use std::process::{Child, Output};
use std::thread;
use std::time::{Duration, Instant};

use elytron_tui::api::VideoId;

/// Longest any one run of the binary may take before the test fails (CI is a loaded 2-core box).
pub const PATIENCE: Duration = Duration::from_secs(90);

/// Waits for `child` to exit, reading its stdout and stderr meanwhile (so a full pipe never
/// holds it up); kills it and fails after `limit`.
pub fn finish_within(mut child: Child, limit: Duration) -> Output {
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("poll the child") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let err = stderr.join().unwrap_or_default();
            panic!(
                "elytron-tui did not finish within {limit:?}; stderr: {}",
                String::from_utf8_lossy(&err)
            );
        }
        thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// Interrupts `child` as Ctrl-C would (SIGINT) and waits for it, failing unless it exits
/// 130 (interrupted) as `delete` does.
pub fn interrupted(child: Child) -> Output {
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupt.success());
    let out = child.wait_with_output().expect("the interrupted run ends");
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    out
}

/// How far apart the server's stamps of two requests may drift from when they left: the
/// simulated server stamps an arrival when its handler runs, which on a loaded machine can
/// lag (a run at load 10 saw 6 pages in a second under a cap of 5).
const ARRIVAL_JITTER_US: u64 = 50_000;

/// The most arrivals (microseconds, in order) within any one second, give or take the
/// stamps' jitter: a cap that does not hold still shows at once (a burst), one that holds
/// never shows for a stamp that came late.
pub fn most_in_a_second(arrivals: &[u64]) -> usize {
    (0..arrivals.len())
        .map(|i| {
            let end = arrivals[i] + 1_000_000 - ARRIVAL_JITTER_US;
            arrivals[i..].iter().take_while(|at| **at < end).count()
        })
        .max()
        .unwrap_or(0)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `--json` lines of a run.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

/// `id -> outcome` from `--json` lines.
pub fn outcomes(lines: &[serde_json::Value]) -> std::collections::HashMap<VideoId, String> {
    lines
        .iter()
        .map(|line| {
            let id = line["id"].as_str().expect("id").parse().expect("a UUID");
            let outcome = line["outcome"].as_str().expect("outcome").to_owned();
            (id, outcome)
        })
        .collect()
}
