//! `delete`'s pace as the user sets it, through the real binary against the simulated server:
//! `--max-rate` and `max_rate` (top level and profiles, the lower of flag and config holding)
//! never let more requests than the cap arrive in any one second, counted where they arrive;
//! a cap that caps nothing, or everything, is refused before anything is sent; Ctrl-z pauses
//! sending, then stops the process (what was answered on disk) until `fg`.

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::support::runs::{finish_within, most_in_a_second, stderr};
use crate::support::sim::{Sim, plain};
use elytron_tui::api::{OutcomeKind, VideoId};
use elytron_tui::sim::SimConfig;

/// Deletes every video of an unlimited server, named on the command line after `delete
/// --yes` and `args`; the arrival times the server saw, and how long the batch took there
/// (seconds).
fn delete_all(sandbox_config: Option<&str>, videos: usize, args: &[&str]) -> (Vec<u64>, f64) {
    let sim = Sim::start(plain(videos));
    let sandbox = sim.sandbox();
    if let Some(config) = sandbox_config {
        std::fs::write(sandbox.config_file(), config).expect("config");
    }
    let ids: Vec<String> = (sim.server.fixtures().deletable.iter())
        .map(ToString::to_string)
        .collect();
    let mut command = vec!["delete", "--yes"];
    command.extend(args);
    command.extend(ids.iter().map(String::as_str));
    let out = sandbox.run(&command);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(sim.deleted().len(), videos);
    let arrivals = sim.server.stats().delete_arrivals_us;
    let span = arrivals.last().copied().unwrap_or(0) - arrivals.first().copied().unwrap_or(0);
    (arrivals, span as f64 / 1e6)
}

#[test]
fn max_rate_holds_every_second_to_the_cap_where_the_requests_arrive() {
    let (arrivals, span) = delete_all(None, 100, &["--max-rate", "20"]);
    let most = most_in_a_second(&arrivals);
    assert!(most <= 20, "{most} requests arrived within one second");
    // 100 at 20 a second: just under five seconds, not much more.
    assert!((4.5..7.0).contains(&span), "took {span} s");
}

#[test]
fn the_lower_of_the_flag_and_the_profiles_max_rate_holds_and_fractions_are_allowed() {
    let config = "max_rate = 50\n[profiles.slow]\nmax_rate = 2.5\n";
    let (arrivals, span) = delete_all(Some(config), 8, &["--profile", "slow", "--max-rate", "40"]);
    assert!(most_in_a_second(&arrivals) <= 2, "{arrivals:?}");
    assert!(span >= 2.5, "took {span} s");
    // The top level's cap, tightened by the flag.
    let (top, _) = delete_all(Some("max_rate = 50\n"), 10, &["--max-rate", "4"]);
    assert!(most_in_a_second(&top) <= 4, "{top:?}");
}

#[test]
fn a_rate_that_is_not_above_zero_is_refused_before_anything_is_sent() {
    let sim = Sim::start(plain(5));
    let sandbox = sim.sandbox();
    sandbox.import(&sim.server.fixtures().deletable);
    for flag in ["0", "-2", "fast", "inf"] {
        let flag = format!("--max-rate={flag}");
        let out = sandbox.run(&["delete", "--all", "--yes", &flag]);
        assert_eq!(out.status.code(), Some(2), "{flag}: {}", stderr(&out));
        assert!(stderr(&out).contains("not a rate"), "{}", stderr(&out));
    }
    std::fs::write(sandbox.config_file(), "concurrency = 4\nmax_rate = 0\n").expect("config");
    let out = sandbox.run(&["delete", "--all", "--yes"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("config.toml:2") && err.contains("max_rate = 0"),
        "{err}"
    );
    assert_eq!(sim.server.stats().requests, 0, "nothing was sent");
}

/// Ctrl-z (SIGTSTP) on `delete`: sending pauses and a line says so; the process stops once
/// its requests on the wire have landed, and nothing is sent while it is stopped; `fg`
/// (SIGCONT) resumes it, to the end.
#[test]
fn ctrl_z_pauses_delete_then_stops_it_and_fg_resumes_it() {
    let sim = Sim::start(SimConfig {
        latency: Duration::from_millis(100),
        ..plain(40)
    });
    let sandbox = sim.sandbox();
    sandbox.import(&sim.server.fixtures().deletable);
    let child = sandbox
        .command()
        .args(["delete", "--all", "--yes", "--concurrency", "2"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start elytron-tui");
    let pid = child.id().to_string();
    let waited = Instant::now();
    let within = |what: &str, done: &dyn Fn() -> bool| {
        while !done() {
            assert!(waited.elapsed() < Duration::from_secs(30), "never {what}");
            thread::sleep(Duration::from_millis(20));
        }
    };
    within("got going", &|| sim.deleted().len() >= 5);
    signal("TSTP", &pid);
    within("stopped", &|| stopped(&pid));
    let sent = sim.server.stats().requests;
    assert_eq!(
        sim.server.stats().in_flight,
        0,
        "stopped with a request on the wire"
    );
    thread::sleep(Duration::from_millis(800));
    assert_eq!(sim.server.stats().requests, sent, "sent while stopped");
    assert!(sent < 40, "it stopped mid-batch");
    // What was answered is in the store before the process stops: a kill meanwhile loses none.
    let recorded: HashSet<VideoId> = sandbox
        .history()
        .iter()
        .filter(|entry| entry.outcome == OutcomeKind::Deleted)
        .map(|entry| entry.id)
        .collect();
    assert_eq!(recorded, sim.deleted_ids(), "recorded before it stopped");
    signal("CONT", &pid);
    let out = finish_within(child, Duration::from_secs(60));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("paused: nothing more is sent"), "{err}");
    assert!(err.contains("resumed"), "{err}");
    assert_eq!(sim.deleted().len(), 40);
}

fn signal(name: &str, pid: &str) {
    let sent = Command::new("kill")
        .args([format!("-{name}").as_str(), pid])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{name} {pid}");
}

/// Whether the process is stopped (`T` in `/proc/PID/stat`).
fn stopped(pid: &str) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('T'))
}
