//! Dry runs, counted at the simulated server (nothing sent, ever): allowed on a read-only
//! profile and over `max_delete`, where they show the batch and say why the real run would be
//! refused (exit 2, as it would be); `dry_run = true` in a profile (or at the top level) makes
//! every `delete` one until `--no-dry-run`; `profiles` and `doctor` show it; and a dry run's
//! `--json` lines have the real lines' shape, with `"dry_run": true`.

use std::collections::BTreeSet;
use std::process::Output;

use crate::support::runs::{json_lines, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::Sim;

/// Four deletable videos on the server; the sandbox knows them in the list of the profile
/// `config` picks, the first labelled `keep`.
fn four_known(seed: u64, config: &str) -> (Sim, Sandbox) {
    let sim = Sim::seeded(seed, 4);
    let sandbox = sim.sandbox();
    sandbox.file("config.toml", config);
    let (kept, rest) = sim.deletable().split_at(1);
    let keep = sandbox.cmd_run(&["import", "-", "--label", "keep"], kept);
    assert_eq!(code(&keep), 0, "{}", stderr(&keep));
    sandbox.import(rest);
    (sim, sandbox)
}

fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or(-1)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The `DELETE …` lines a text dry run printed.
fn requests(output: &Output) -> usize {
    stdout(output)
        .lines()
        .filter(|line| line.starts_with("DELETE "))
        .count()
}

/// Issue 21 B3: `delete --dry-run` on a read-only profile was refused before it showed
/// anything. It shows the batch, protected videos left out as the real run would, and says
/// why the real run would be refused.
#[test]
fn a_dry_run_on_a_read_only_profile_shows_the_batch_and_why_it_would_be_refused() {
    let config = "default_profile = \"production\"\n[profiles.production]\nread_only = true\n\
        protect = [\"label:keep\"]\n";
    let (sim, sandbox) = four_known(2201, config);
    let run = sandbox.run(&["delete", "--all", "--dry-run"]);
    let err = stderr(&run);
    assert_eq!(code(&run), 2, "{err}");
    assert_eq!(requests(&run), 3, "{}", stdout(&run));
    assert!(
        stdout(&run).contains("protected: label:keep"),
        "{}",
        stdout(&run)
    );
    assert!(
        err.contains(
            "dry run: the real run would be refused: profile production is read-only: nothing \
             is deleted. It would ask about the 3 video(s) listed, 1 protected left out; \
             nothing was sent"
        ),
        "{err}"
    );
    assert_eq!(sim.stats().requests, 0);
}

/// Issue 21 B3: over `max_delete` the same: shown, and said why not.
#[test]
fn a_dry_run_over_the_limit_shows_the_batch_and_why_it_would_be_refused() {
    let (sim, sandbox) = four_known(2202, "max_delete = 2\n");
    let run = sandbox.run(&["delete", "--all", "--dry-run"]);
    let err = stderr(&run);
    assert_eq!(code(&run), 2, "{err}");
    assert_eq!(requests(&run), 4, "{}", stdout(&run));
    assert!(
        err.contains(
            "the real run would be refused: 4 video(s) to delete is more than the limit of 2"
        ),
        "{err}"
    );
    let flagged = sandbox.run(&["delete", "--all", "--dry-run", "--max-delete", "4"]);
    assert_eq!(code(&flagged), 2, "a flag never raises the profile's limit");
    let within = sandbox.run(&["delete", "--all", "--dry-run", "--max-delete", "1"]);
    assert!(
        stderr(&within).contains("limit of 1"),
        "{}",
        stderr(&within)
    );
    assert_eq!(sim.stats().requests, 0);
}

/// Issue 21 B3: `dry_run = true` makes every `delete` a dry run (`--yes` included) until
/// `--no-dry-run`; at the top level it holds for every profile that does not set its own.
#[test]
fn dry_run_in_the_config_makes_every_delete_a_dry_run_until_no_dry_run() {
    let config = "dry_run = true\ndefault_profile = \"staging\"\n[profiles.staging]\n\
        [profiles.scratch]\ndry_run = false\n";
    let (sim, sandbox) = four_known(2203, config);
    let run = sandbox.run(&["--profile", "staging", "delete", "--all", "--yes"]);
    let err = stderr(&run);
    assert_eq!(code(&run), 0, "{err}");
    assert_eq!(requests(&run), 4, "{}", stdout(&run));
    assert!(
        err.contains(
            "dry run (dry_run = true for profile staging; --no-dry-run sends): 4 request(s) \
             would be sent; nothing was sent"
        ),
        "{err}"
    );
    let default = sandbox.run(&["--profile", "default", "delete", "--all", "--yes"]);
    assert!(
        stderr(&default).contains("dry_run = true for profile default"),
        "{}",
        stderr(&default)
    );
    assert_eq!(sim.stats().requests, 0);

    let both = sandbox.run(&[
        "--profile",
        "staging",
        "delete",
        "--all",
        "--dry-run",
        "--no-dry-run",
    ]);
    assert_eq!(code(&both), 2, "{}", stderr(&both));
    assert_eq!(sim.stats().requests, 0);

    let sent = sandbox.run(&[
        "--profile",
        "staging",
        "delete",
        "--all",
        "--yes",
        "--no-dry-run",
    ]);
    assert_eq!(code(&sent), 0, "{}", stderr(&sent));
    assert_eq!(sim.stats().deleted.len(), 4);

    let profiles = stdout(&sandbox.run(&["profiles"]));
    let column = |name: &str| {
        let header = profiles.lines().next().unwrap_or_default();
        let at = header.find("DRY RUN").expect("a DRY RUN column");
        let line = profiles
            .lines()
            .find(|line| line.starts_with(name))
            .unwrap_or_else(|| panic!("{name} in {profiles}"));
        line[at..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(column("default"), "yes", "{profiles}");
    assert_eq!(column("staging"), "yes", "inherited: {profiles}");
    assert_eq!(column("scratch"), "no", "its own: {profiles}");
    let doctor = stdout(&sandbox.run(&["--profile", "staging", "doctor"]));
    assert!(
        doctor.contains("delete is a dry run unless --no-dry-run"),
        "{doctor}"
    );
}

/// Issue 21 B1/B3: a dry run's `--json` lines are the real lines' shape: the same keys, with
/// `"dry_run": true`, no outcome yet for what would be sent, and `protected` for what would
/// not be.
#[test]
fn dry_run_and_real_json_lines_have_one_shape() {
    let (sim, sandbox) = four_known(2204, "protect = [\"label:keep\"]\n");
    let dry = sandbox.run(&["delete", "--all", "--dry-run", "--json"]);
    assert_eq!(code(&dry), 0, "{}", stderr(&dry));
    let dry = json_lines(&dry.stdout);
    let real = sandbox.run(&["delete", "--all", "--yes", "--json"]);
    let real = json_lines(&real.stdout);
    assert_eq!((dry.len(), real.len()), (4, 4));
    let keys = |line: &serde_json::Value| -> BTreeSet<String> {
        line.as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect()
    };
    for line in dry.iter().chain(&real) {
        assert_eq!(keys(line), keys(&real[0]), "{line}");
    }
    assert!(dry.iter().all(|line| line["dry_run"] == true));
    assert!(real.iter().all(|line| line["dry_run"] == false));
    let sent: Vec<_> = dry
        .iter()
        .filter(|line| line["outcome"].is_null())
        .collect();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|line| {
        line["message"]
            .as_str()
            .is_some_and(|message| message.starts_with("DELETE http://127.0.0.1"))
    }));
    assert_eq!(
        dry.iter()
            .filter(|line| line["outcome"] == "protected")
            .count(),
        1
    );
    assert_eq!(
        sim.stats().deleted.len(),
        3,
        "the real run, after the dry one"
    );
}

/// Issue 21 B1: a text dry run printed bare requests. Each says what is known of its video
/// (title, age, last outcome), and the summary counts the batch by last outcome.
#[test]
fn a_dry_run_says_each_video_title_and_age_beside_its_request() {
    let sim = Sim::seeded(2207, 2);
    let sandbox = sim.sandbox();
    let [a, b] = sim.deletable() else {
        panic!("two videos");
    };
    let csv = sandbox.file(
        "videos.csv",
        &format!("video_id,title,created_at\n{a},Harbour at dawn,2020-01-02T00:00:00Z\n{b},,\n"),
    );
    let import = sandbox.run(&["import", &csv.to_string_lossy()]);
    assert_eq!(code(&import), 0, "{}", stderr(&import));
    let run = sandbox.run(&["delete", "--all", "--dry-run"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let out = stdout(&run);
    let line = |id| {
        out.lines()
            .find(|line| line.contains(&format!("/videos/{id}")))
    };
    let titled = line(a).unwrap_or_default();
    assert!(
        titled.starts_with("DELETE ")
            && titled.contains(&format!("{a}  made "))
            && titled.ends_with(" ago · \"Harbour at dawn\""),
        "{out}"
    );
    assert!(
        line(b).is_some_and(|line| line.ends_with(&b.to_string())),
        "{out}"
    );
    assert_eq!(sim.stats().requests, 0);
}
