//! A kill at any instant leaves `videos.json` whole: the real binary is killed (SIGKILL) while
//! it imports or forgets a large batch, and after every kill the file must load and hold
//! exactly the old list or exactly the new one. Half the rounds kill at a random moment; the
//! other half wait for the save's temp file to appear and kill right then, so some kills are
//! sure to land inside the save itself.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use elytron_tui::store::load_known;

use crate::support::sandbox::Sandbox;

const BASE: usize = 1_000;
const TOGGLED: usize = 8_000;
const ROUNDS: usize = 30;

fn ids_file(path: &Path, from: u128, count: usize) -> HashSet<String> {
    let ids: Vec<String> = (0..count as u128)
        .map(|n| uuid::Uuid::from_u128(from + n).hyphenated().to_string())
        .collect();
    std::fs::write(path, ids.join("\n")).unwrap();
    ids.into_iter().collect()
}

/// Import the toggled batch when it is absent, forget it when present: either way a save of
/// about `BASE + TOGGLED` entries replaces the file.
fn toggle(sandbox: &Sandbox, toggled: &Path, present: bool) -> Command {
    let mut cmd = sandbox.command();
    if present {
        cmd.args(["forget", "--from"]);
    } else {
        cmd.arg("import");
    }
    cmd.arg(toggled).stdout(Stdio::null()).stderr(Stdio::null());
    cmd
}

/// The temp files `child` is saving through (their names carry its pid).
fn temp_files_of(data_dir: &Path, child: &Child) -> Vec<PathBuf> {
    let prefix = format!(".videos.json.tmp-{}-", child.id());
    std::fs::read_dir(data_dir)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect()
}

/// Spins until the child's save has begun or the child has exited.
fn wait_for_save(data_dir: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while temp_files_of(data_dir, child).is_empty() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn a_kill_at_any_moment_leaves_the_old_or_the_new_list() {
    let sandbox = Sandbox::new();
    let data_dir = sandbox.data_dir();
    let base_file = sandbox.path().join("base.txt");
    let toggled_file = sandbox.path().join("toggled.txt");
    let base = ids_file(&base_file, 1 << 64, BASE);
    let toggled = ids_file(&toggled_file, 2 << 64, TOGGLED);
    let with_toggled: HashSet<String> = base.union(&toggled).cloned().collect();
    let videos = data_dir.join("videos.json");

    let seeded = sandbox.command().arg("import").arg(&base_file).status();
    assert!(seeded.unwrap().success());

    // One uninterrupted round trip sets the range the random kills are spread over.
    let started = Instant::now();
    for present in [false, true] {
        assert!(
            toggle(&sandbox, &toggled_file, present)
                .status()
                .unwrap()
                .success()
        );
    }
    let window = started.elapsed() / 2 + Duration::from_millis(20);

    let mut present = false;
    let mut killed_inside_save = 0;
    for round in 0..ROUNDS {
        let mut child = toggle(&sandbox, &toggled_file, present).spawn().unwrap();
        if round % 2 == 0 {
            std::thread::sleep(window.mul_f64(fastrand::f64()));
        } else {
            wait_for_save(&data_dir, &mut child);
        }
        // Killing a child that already finished is fine: then the new list is expected.
        child.kill().unwrap();
        child.wait().unwrap();
        if !temp_files_of(&data_dir, &child).is_empty() {
            killed_inside_save += 1;
        }

        let list = load_known(&videos).unwrap_or_else(|err| panic!("round {round}: {err}"));
        let ids: HashSet<String> = list.iter().map(|video| video.id.to_string()).collect();
        present = if ids == base {
            false
        } else if ids == with_toggled {
            true
        } else {
            panic!(
                "round {round}: {} ids, neither the old list nor the new one",
                ids.len()
            );
        };
    }
    assert!(
        killed_inside_save > 0,
        "no kill landed inside a save; the test proved nothing"
    );
}
