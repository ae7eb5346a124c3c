//! A kill at any instant loses nothing and leaves nothing half-done: the real binary is
//! killed (SIGKILL) while it imports or forgets a large batch, or moves the files of an
//! earlier version into a new database, and after every kill the store must open and hold
//! exactly the old state or exactly the new one. Half the rounds kill at a random moment;
//! the other half wait until the child is inside its write transaction (another connection
//! finds the database's write lock taken) and kill right then.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use elytron_tui::store::{Paths, Store};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::support::sandbox::Sandbox;

const BASE: usize = 1_000;
const TOGGLED: usize = 8_000;
const ROUNDS: usize = 30;

fn ids(from: u128, count: usize) -> Vec<String> {
    (0..count as u128)
        .map(|n| uuid::Uuid::from_u128(from + n).hyphenated().to_string())
        .collect()
}

fn ids_file(path: &Path, from: u128, count: usize) -> HashSet<String> {
    let ids = ids(from, count);
    std::fs::write(path, ids.join("\n")).unwrap();
    ids.into_iter().collect()
}

/// The binary on `data_dir`, with the sandbox's environment and config.
fn binary(sandbox: &Sandbox, data_dir: &Path) -> Command {
    let mut cmd = sandbox.bare_command();
    cmd.arg("--data-dir")
        .arg(data_dir)
        .arg("--config")
        .arg(sandbox.config_file())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// Import the toggled batch when it is absent, forget it when present: either way one
/// transaction of about `TOGGLED` rows.
fn toggle(sandbox: &Sandbox, toggled: &Path, present: bool) -> Command {
    let mut cmd = binary(sandbox, &sandbox.data_dir());
    if present {
        cmd.args(["forget", "--from"]);
    } else {
        cmd.arg("import");
    }
    cmd.arg(toggled);
    cmd
}

/// Whether a process holds the database's write lock now (a write transaction is open).
fn writing(database: &Path) -> bool {
    let Ok(mut conn) = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_WRITE)
    else {
        return false;
    };
    // Busy at once, rather than waiting for the writer to finish.
    if conn.busy_timeout(Duration::ZERO).is_err() {
        return false;
    }
    match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => {
            _ = tx.rollback();
            false
        }
        Err(_) => true,
    }
}

/// Spins until the child is inside a write or has exited.
fn wait_for_write(database: &Path, child: &mut Child) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if writing(database) {
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    false
}

/// Kills `child` (SIGKILL): in even rounds at a random moment within `window`, in odd ones
/// once it is inside its write transaction; whether the kill landed inside one.
fn kill(mut child: Child, round: usize, window: Duration, database: &Path) -> bool {
    let inside = if round.is_multiple_of(2) {
        std::thread::sleep(window.mul_f64(fastrand::f64()));
        false
    } else {
        wait_for_write(database, &mut child)
    };
    child.kill().unwrap();
    child.wait().unwrap();
    inside
}

fn known(data_dir: &Path, round: usize) -> HashSet<String> {
    let mut store =
        Store::open(&Paths::in_dir(data_dir)).unwrap_or_else(|err| panic!("round {round}: {err}"));
    let list = store
        .videos()
        .unwrap_or_else(|err| panic!("round {round}: {err}"));
    list.iter().map(|video| video.id.to_string()).collect()
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
    let database = Paths::in_dir(&data_dir).database();

    let seeded = binary(&sandbox, &data_dir)
        .arg("import")
        .arg(&base_file)
        .status();
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
    let mut killed_inside_write = 0;
    for round in 0..ROUNDS {
        let child = toggle(&sandbox, &toggled_file, present).spawn().unwrap();
        // Killing a child that already finished is fine: then the new list is expected.
        killed_inside_write += usize::from(kill(child, round, window, &database));

        let ids = known(&data_dir, round);
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
        killed_inside_write > 0,
        "no kill landed inside a write; the test proved nothing"
    );
}

/// An import into an empty list appends with the ID index set aside (`adding::Adder`), while
/// the file is still being read: a kill at any moment leaves no video or every one, and the
/// index whole either way (importing the file again adds each video once).
#[test]
fn an_import_into_an_empty_list_killed_at_any_moment_added_nothing_or_all() {
    const ROUNDS: usize = 10;
    let sandbox = Sandbox::new();
    let file = sandbox.path().join("first.txt");
    let all = ids_file(&file, 5 << 64, TOGGLED);
    let import = |data_dir: &Path| {
        let mut cmd = binary(&sandbox, data_dir);
        cmd.arg("import").arg(&file);
        cmd
    };
    let count = |data_dir: &Path, round: usize| {
        let store = Store::open(&Paths::in_dir(data_dir))
            .unwrap_or_else(|err| panic!("round {round}: {err}"));
        store.count_videos().unwrap()
    };
    let started = Instant::now();
    assert!(
        import(&sandbox.path().join("whole"))
            .status()
            .unwrap()
            .success()
    );
    let window = started.elapsed() + Duration::from_millis(20);

    let mut killed_inside_write = 0;
    for round in 0..ROUNDS {
        let data_dir = sandbox.path().join(format!("round{round}"));
        let database = Paths::in_dir(&data_dir).database();
        let child = import(&data_dir).spawn().unwrap();
        killed_inside_write += usize::from(kill(child, round, window, &database));
        let ids = known(&data_dir, round);
        assert!(
            ids.is_empty() || ids == all,
            "round {round}: {} ids, neither none nor all",
            ids.len()
        );
        assert!(
            import(&data_dir).status().unwrap().success(),
            "round {round}"
        );
        assert_eq!(known(&data_dir, round), all, "round {round}");
        assert_eq!(count(&data_dir, round), TOGGLED, "round {round}: each once");
    }
    assert!(
        killed_inside_write > 0,
        "no kill landed inside a write; the test proved nothing"
    );
}

/// The files a build of the file-based store left: a list of `count` videos saved before the
/// last of `deleted` history lines, and a batch of the last 10 queued.
fn old_folder(data_dir: &Path, count: usize) -> (HashSet<String>, Vec<String>) {
    std::fs::create_dir_all(data_dir).unwrap();
    let ids = ids(3 << 64, count);
    let mut videos = String::from("{\"version\":2,\"videos\":[\n");
    for (n, id) in ids.iter().enumerate() {
        let comma = if n + 1 < ids.len() { "," } else { "" };
        videos.push_str(&format!(
            "{{\"id\":\"{id}\",\"added_at\":\"2024-01-01T00:00:00Z\",\"title\":\"clip {n}\"}}{comma}\n"
        ));
    }
    videos.push_str("]}\n");
    std::fs::write(data_dir.join("videos.json"), videos).unwrap();
    let mut history = String::new();
    for n in 0..count * 2 {
        let id = uuid::Uuid::from_u128((4 << 64) + n as u128);
        history.push_str(&format!(
            "{{\"at\":\"2024-02-01T00:00:00Z\",\"id\":\"{id}\",\"outcome\":\"deleted\",\
             \"status\":204,\"error_code\":null,\"message\":null,\"request_id\":null,\
             \"attempts\":1,\"host\":\"api.example\"}}\n"
        ));
    }
    std::fs::write(data_dir.join("history.jsonl"), history).unwrap();
    let queued: Vec<String> = ids[count - 10..].to_vec();
    let quoted: Vec<String> = queued.iter().map(|id| format!("\"{id}\"")).collect();
    std::fs::write(
        data_dir.join("pending.json"),
        format!("{{\"version\":1,\"ids\":[{}]}}", quoted.join(",")),
    )
    .unwrap();
    (ids.into_iter().collect(), queued)
}

#[test]
fn a_move_from_the_old_files_killed_at_any_moment_did_nothing_or_finished() {
    const COUNT: usize = 20_000;
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    // One uninterrupted move sets the range the random kills are spread over.
    let timing = dir.join("timing");
    old_folder(&timing, COUNT);
    let started = Instant::now();
    assert!(
        binary(&sandbox, &timing)
            .arg("list")
            .status()
            .unwrap()
            .success()
    );
    let window = started.elapsed() + Duration::from_millis(20);

    let mut outcomes = [0usize; 2];
    for round in 0..12 {
        let data_dir = dir.join(format!("round-{round}"));
        let (ids, queued) = old_folder(&data_dir, COUNT);
        let videos_json = std::fs::read(data_dir.join("videos.json")).unwrap();
        let database = Paths::in_dir(&data_dir).database();
        let mut child = binary(&sandbox, &data_dir)
            .args(["list", "--ids"])
            .spawn()
            .unwrap();
        if round % 2 == 0 {
            std::thread::sleep(window.mul_f64(fastrand::f64()));
        } else {
            wait_for_write(&database, &mut child);
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let moved = !data_dir.join("videos.json").exists();
        if !moved {
            assert_eq!(
                std::fs::read(data_dir.join("videos.json")).unwrap(),
                videos_json,
                "round {round}: the old list was changed"
            );
        }
        outcomes[usize::from(moved)] += 1;
        // Whatever the kill left, the next command sees every video, the batch and the
        // history exactly once.
        let mut store = Store::open(&Paths::in_dir(&data_dir))
            .unwrap_or_else(|err| panic!("round {round}: {err}"));
        assert_eq!(known(&data_dir, round), ids, "round {round}");
        let pending: Vec<String> = store
            .pending()
            .unwrap()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(pending, queued, "round {round}");
        assert_eq!(
            store.history(None).unwrap().len(),
            COUNT * 2,
            "round {round}"
        );
        assert_eq!(store.videos().unwrap().len(), COUNT, "round {round}");
        for name in ["videos.json", "pending.json", "history.jsonl"] {
            assert!(
                !data_dir.join(name).exists(),
                "round {round}: {name} stayed"
            );
            assert!(
                data_dir.join(format!("{name}.migrated")).exists(),
                "round {round}: {name} was not kept"
            );
        }
    }
    eprintln!(
        "kills that left videos.json in place: {}, after it was renamed: {}",
        outcomes[0], outcomes[1]
    );
}
