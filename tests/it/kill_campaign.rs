//! The kill -9 campaign: the real binary, `delete` and the app, killed (SIGKILL) at a random
//! point of a batch, then resumed (`delete --resume`; in the app, the next start's offer and
//! `d`). After each kill and after each resume the data folder must agree with the simulated
//! server's own record: every video the server deleted is gone from the list (after a kill:
//! or still queued for the resume), every other one is still listed, the database passes
//! SQLite's check and every history entry the server confirms, nothing outside the asked IDs
//! was deleted, and once a batch has started its resume deletes all of it.
//!
//! A few rounds run with the suite. The long campaign, whose figures are in BENCHMARKS.md:
//! `KILL_ROUNDS=20 cargo test --test it long_kill_campaign -- --ignored --nocapture`
//! (`KILL_SEED` replays a campaign).

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use elytron_tui::api::OutcomeKind;
use elytron_tui::sim::SimConfig;
use elytron_tui::store::{Inspection, Paths, Store, inspect};

use crate::support::pty::{DataDir, PATIENCE, Tui};
use crate::support::sim::{KEY as RIGHT_KEY, Sim, strings};

const VIDEOS: usize = 60;
/// The first this many videos (labelled `doomed`) are asked; the rest (`kept`) never are.
const ASKED: usize = 40;
/// Kill points by time are spread over about how long a batch takes (40 at 40/s).
const BATCH_TIME: Duration = Duration::from_millis(1_300);

#[test]
fn a_few_kill_points_on_delete_and_on_the_app_all_recover() {
    let seed = seed();
    let mut tally = Tally::default();
    for round in 0..3 {
        cli_round(seed, round, &mut tally);
    }
    for round in 0..2 {
        app_round(seed, round, &mut tally);
    }
    assert!(tally.kills == 5, "{tally:?}");
}

#[test]
#[ignore = "the long campaign, about two minutes: see the module's doc"]
fn long_kill_campaign() {
    let seed = seed();
    let rounds: usize = std::env::var("KILL_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let started = Instant::now();
    let mut cli = Tally::default();
    for round in 0..rounds {
        cli_round(seed, round, &mut cli);
    }
    let cli_time = started.elapsed();
    let mut app = Tally::default();
    for round in 0..rounds {
        app_round(seed, round, &mut app);
    }
    println!("seed {seed}");
    println!("delete: {cli:?} in {cli_time:.1?}");
    println!("app:    {app:?} in {:.1?}", started.elapsed() - cli_time);
}

/// What the rounds met, so the figures say what was really exercised.
#[derive(Debug, Default)]
struct Tally {
    kills: usize,
    /// Kills that came after the server had deleted something and before the batch ended.
    mid_batch: usize,
    /// Kills after which something was left queued (and was resumed).
    resumed: usize,
    /// Videos the server had deleted but the killed run had not recorded (resumed, then
    /// reported not found).
    deleted_unrecorded: usize,
}

fn seed() -> u64 {
    let seed = std::env::var("KILL_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("kill campaign seed {seed} (KILL_SEED={seed} replays it)");
    seed
}

/// Where a round kills: after a random time, or once the server has deleted a random number.
#[derive(Clone, Copy, Debug)]
enum KillPoint {
    After(Duration),
    AfterDeletes(usize),
}

impl KillPoint {
    fn random(rng: &mut fastrand::Rng) -> Self {
        if rng.bool() {
            Self::After(BATCH_TIME.mul_f64(rng.f64()))
        } else {
            Self::AfterDeletes(rng.usize(1..ASKED))
        }
    }

    /// Waits (from `since`) until this point, or until `done` says the run ended first.
    fn wait(self, sim: &Sim, since: Instant, mut done: impl FnMut() -> bool) {
        while !done() && since.elapsed() < PATIENCE {
            match self {
                Self::After(time) if since.elapsed() >= time => return,
                Self::AfterDeletes(count) if sim.stats().deleted.len() >= count => return,
                _ => thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}

/// A fresh server and data folder: `VIDEOS` known, the first `ASKED` about to be deleted.
struct Round {
    name: String,
    sim: Sim,
    data: DataDir,
    asked: Vec<String>,
    kept: Vec<String>,
    rng: fastrand::Rng,
}

impl Round {
    fn new(name: String, seed: u64) -> Self {
        let sim = Sim::deletable_only(SimConfig {
            seed,
            videos: VIDEOS,
            latency: Duration::from_millis(10),
            jitter: Duration::from_millis(20),
            rate_per_sec: Some(40.0),
            burst: Some(4.0),
            fault_rate: 0.05,
            drop_after_delete_rate: 0.05,
            ..SimConfig::default()
        });
        let data = DataDir::new("grace_seconds = 0\nconfirm_threshold = 1000\n");
        let (asked, kept) = sim.deletable().split_at(ASKED);
        data.import(&sim, asked, Some("doomed"));
        data.import(&sim, kept, Some("kept"));
        let (asked, kept) = (strings(asked), strings(kept));
        Self {
            name,
            sim,
            data,
            asked,
            kept,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    fn paths(&self) -> Paths {
        Paths::in_dir(&self.data.path())
    }

    fn delete(&self, args: &[&str]) -> Command {
        let mut cmd = self.data.command(&self.sim);
        cmd.env("ELYTRON_API_KEY", RIGHT_KEY)
            .arg("delete")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        cmd
    }

    /// What the server deleted, and whether the data folder tells the truth about it. After
    /// a kill, a video deleted but not journalled may still be listed, as long as it is
    /// queued for the resume. Returns the IDs still queued.
    fn check(&self, phase: &str, after_kill: bool, tally: &mut Tally) -> BTreeSet<String> {
        let stats = self.sim.stats();
        let deleted: BTreeSet<String> = stats.deleted.iter().map(ToString::to_string).collect();
        let asked: BTreeSet<&String> = self.asked.iter().collect();
        if let Some(stray) = deleted.iter().find(|id| !asked.contains(id)) {
            self.fail(
                phase,
                &format!("the server deleted {stray}, which was never asked"),
            );
        }
        let paths = self.paths();
        match inspect(&paths) {
            Ok(Inspection::Database(report)) if report.problems.is_empty() => {}
            other => self.fail(phase, &format!("the database is not sound: {other:?}")),
        }
        let mut store =
            Store::open(&paths).unwrap_or_else(|err| self.fail(phase, &err.to_string()));
        let list = store
            .videos()
            .unwrap_or_else(|err| self.fail(phase, &err.to_string()));
        let listed: BTreeSet<String> = list.iter().map(|video| video.id.to_string()).collect();
        let pending: BTreeSet<String> = store
            .pending()
            .unwrap_or_else(|err| self.fail(phase, &err.to_string()))
            .iter()
            .map(ToString::to_string)
            .collect();
        for id in &self.kept {
            if !listed.contains(id) {
                self.fail(phase, &format!("{id} was never asked and left the list"));
            }
        }
        for id in &self.asked {
            let on_server = deleted.contains(id);
            if !on_server && !listed.contains(id) {
                self.fail(
                    phase,
                    &format!("{id} is still on the server but left the list"),
                );
            }
            if on_server && listed.contains(id) {
                if !after_kill {
                    self.fail(phase, &format!("{id} was deleted but is still listed"));
                }
                if !pending.contains(id) {
                    self.fail(
                        phase,
                        &format!("{id} was deleted, is still listed and is not resumable"),
                    );
                }
                tally.deleted_unrecorded += 1;
            }
        }
        let history = store
            .history(None)
            .unwrap_or_else(|err| self.fail(phase, &err.to_string()));
        for entry in history {
            let id = entry.id.to_string();
            if entry.outcome == OutcomeKind::Deleted && !deleted.contains(&id) {
                self.fail(
                    phase,
                    &format!("the history says {id} was deleted; the server disagrees"),
                );
            }
        }
        pending
    }

    /// After the resume: nothing is queued, and a batch that had started is all deleted.
    fn check_resumed(&self, started: bool, tally: &mut Tally) {
        let pending = self.check("after the resume", false, tally);
        assert!(
            pending.is_empty(),
            "{}: still queued: {pending:?}",
            self.name
        );
        if started {
            let deleted: BTreeSet<String> = self.sim.deleted().into_iter().collect::<BTreeSet<_>>();
            let asked: BTreeSet<String> = self.asked.iter().cloned().collect();
            assert_eq!(deleted, asked, "{}: the resume left videos", self.name);
        }
    }

    fn fail(&self, phase: &str, why: &str) -> ! {
        panic!("{} {phase}: {why}", self.name)
    }
}

/// `delete --from FILE --yes`, killed at a random point, then `delete --resume --yes`.
fn cli_round(seed: u64, round: usize, tally: &mut Tally) {
    let mut r = Round::new(
        format!("delete round {round}"),
        seed.wrapping_add(round as u64),
    );
    let from = r.data.path().join("asked.txt");
    std::fs::write(&from, r.asked.join("\n")).expect("write the asked IDs");
    let point = KillPoint::random(&mut r.rng);
    r.name = format!("{} (seed {seed}, {point:?})", r.name);

    let mut child = r
        .delete(&["--from", from.to_str().expect("UTF-8 temp path"), "--yes"])
        .stderr(Stdio::null())
        .spawn()
        .expect("run delete");
    let since = Instant::now();
    point.wait(&r.sim, since, || exited(&mut child));
    kill(&mut child);
    tally.kills += 1;
    let pending = r.check("after the kill", true, tally);
    let started = !r.sim.stats().deleted.is_empty() || !pending.is_empty();
    if started && !pending.is_empty() {
        tally.mid_batch += usize::from(!r.sim.stats().deleted.is_empty());
        tally.resumed += 1;
    }

    let resumed = r
        .delete(&["--resume", "--yes"])
        .output()
        .expect("run delete --resume");
    assert!(
        matches!(resumed.status.code(), Some(0 | 1)),
        "{}: delete --resume: {resumed:?}",
        r.name
    );
    r.check_resumed(started, tally);
}

/// The app deletes the `doomed` videos (filter, mark all, confirm), is killed at a random
/// point, then starts again, offers the rest, and `d` resumes it.
fn app_round(seed: u64, round: usize, tally: &mut Tally) {
    let mut r = Round::new(
        format!("app round {round}"),
        seed.wrapping_add(1_000 + round as u64),
    );
    let point = KillPoint::random(&mut r.rng);
    r.name = format!("{} (seed {seed}, {point:?})", r.name);
    let mut tui = Tui::start(&r.sim, &r.data, RIGHT_KEY);
    tui.wait_for_text(&format!("{VIDEOS} known"));
    tui.send("/doomed\r");
    tui.send("\x01");
    tui.wait_for_text(&format!("{ASKED} marked"));
    tui.send("d");
    tui.wait_for_text(&format!("Delete {ASKED} video(s)"));
    tui.send("y");
    let since = Instant::now();
    point.wait(&r.sim, since, || tui.screen().contains("Batch done"));
    tui.kill_hard();
    tally.kills += 1;
    let pending = r.check("after the kill", true, tally);
    let started = !r.sim.stats().deleted.is_empty() || !pending.is_empty();

    if !pending.is_empty() {
        tally.mid_batch += usize::from(!r.sim.stats().deleted.is_empty());
        tally.resumed += 1;
        let mut tui = Tui::start(&r.sim, &r.data, RIGHT_KEY);
        tui.wait_for_text(&format!(
            "{} videos from an interrupted batch are marked",
            pending.len()
        ));
        tui.send("d");
        tui.wait_for_text(&format!("Delete {} video(s)", pending.len()));
        tui.send("y");
        tui.wait_for_text("Batch done");
        tui.quit_cleanly();
    }
    r.check_resumed(started, tally);
}

fn exited(child: &mut Child) -> bool {
    matches!(child.try_wait(), Ok(Some(_)))
}

/// SIGKILL (`Child::kill` sends it on Unix); a child that already ended is only reaped.
fn kill(child: &mut Child) {
    if !exited(child) {
        child.kill().expect("kill -9 the child");
    }
    child.wait().expect("reap the child");
}
