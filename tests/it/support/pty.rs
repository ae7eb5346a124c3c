//! The pseudo-terminal harness for `tui_pty.rs`: a sandboxed data folder driven through the
//! real binary against a `Sim`, the app in a pty read into a
//! `vt100` screen, and reading rows, marks and statuses off that screen. Its only verdicts are
//! "this appeared in time" and `quit_cleanly`'s; the tests decide everything else.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use elytron_tui::api::VideoId;

use super::pty_device::Master;
use super::sandbox::Sandbox;
use super::sim::{Sim, sorted};

const ROWS: u16 = 30;
const COLS: u16 = 100;
/// How long any one expected screen may take to appear (CI is a loaded 2-core machine).
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A sandbox with a config file, its data folder made, and the binary pointed at a `Sim`.
pub struct DataDir {
    sandbox: Sandbox,
}

impl DataDir {
    /// `config` is the body of `config.toml`.
    pub fn new(config: &str) -> Self {
        let sandbox = Sandbox::new();
        std::fs::write(sandbox.config_file(), config).expect("write config.toml");
        std::fs::create_dir_all(sandbox.data_dir()).expect("make the data folder");
        Self { sandbox }
    }

    /// The data folder.
    pub fn path(&self) -> PathBuf {
        self.sandbox.data_dir()
    }

    pub fn config_file(&self) -> PathBuf {
        self.sandbox.config_file()
    }

    /// The binary on this folder and on `sim`, with no key.
    pub fn command(&self, sim: &Sim) -> Command {
        let mut cmd = self.sandbox.command();
        cmd.args(["--base-url", &sim.server.base_url()]);
        cmd
    }

    /// `Sandbox::pty_shell` on this folder and on `sim`.
    pub fn pty_shell(&self, sim: &Sim, script: &str) -> Command {
        self.sandbox
            .pty_shell(script, &["--base-url", &sim.server.base_url()])
    }

    /// `command`, on a terminal.
    fn pty_command(&self, sim: &Sim) -> Command {
        let mut cmd = self.sandbox.pty_command();
        cmd.args(["--base-url", &sim.server.base_url()]);
        cmd
    }

    /// Runs the real binary headless (`import`, `list`) with this folder, no key, no TTY.
    pub fn run(&self, sim: &Sim, args: &[&str]) -> Output {
        let output = self.run_with(sim, args, &[]);
        assert!(
            output.status.success(),
            "elytron-tui {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// As `run`, with these variables set (`ELYTRON_API_KEY` for a headless delete), and
    /// whatever its exit status.
    pub fn run_with(&self, sim: &Sim, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(sim)
            .envs(env.iter().copied())
            .args(args)
            .output()
            .expect("run elytron-tui")
    }

    /// `elytron-tui import FILE [--label LABEL]` on these IDs, one per line.
    pub fn import(&self, sim: &Sim, ids: &[VideoId], label: Option<&str>) {
        let file = self.path().join("ids.txt");
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        std::fs::write(&file, text).expect("write the import file");
        let mut args = vec!["import", file.to_str().expect("UTF-8 temp path")];
        args.extend(label.iter().flat_map(|label| ["--label", label]));
        self.run(sim, &args);
    }

    /// `(id, field)` from each line of a `--json` command (`list`: `last_outcome`,
    /// `history`: `outcome`).
    pub fn json_lines(
        &self,
        sim: &Sim,
        command: &str,
        field: &str,
    ) -> Vec<(String, Option<String>)> {
        let output = self.run(sim, &[command, "--json"]);
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).expect("JSON line");
                let text = |name: &str| value[name].as_str().map(str::to_owned);
                (text("id").expect("id"), text(field))
            })
            .collect()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path().join("elytron-tui.log")).unwrap_or_default()
    }
}

/// What the reader thread shares: the parsed screen and every byte the app wrote.
struct Terminal {
    parser: vt100::Parser,
    transcript: Vec<u8>,
}

/// The binary running in a pseudo-terminal. Dropping it kills the child if still running.
pub struct Tui {
    child: Child,
    /// `None` once the terminal is hung up (`hang_up`).
    writer: Option<File>,
    terminal: Arc<Mutex<Terminal>>,
    /// Says the reader reached the end of the output (the child closed the terminal).
    reader_done: Receiver<()>,
    /// `reader_done` has said so.
    output_ended: bool,
    /// Tells the reader to close its side of the terminal after its next read.
    hang_up: Arc<AtomicBool>,
    /// Where the app logs, shown when a test fails.
    log_file: Option<PathBuf>,
    master: Option<Master>,
}

impl Tui {
    /// Starts the app on `data`'s list, talking to `sim` with `key` in `ELYTRON_API_KEY`.
    pub fn start(sim: &Sim, data: &DataDir, key: &str) -> Self {
        let mut cmd = data.pty_command(sim);
        cmd.env("ELYTRON_API_KEY", key);
        Self::spawn(cmd, Some(data.path().join("elytron-tui.log")))
    }

    /// Starts the app on `data`'s list and `sim`, with no key in the environment (the
    /// config's key source, if any, is the one used).
    pub fn start_keyless(sim: &Sim, data: &DataDir) -> Self {
        Self::spawn(
            data.pty_command(sim),
            Some(data.path().join("elytron-tui.log")),
        )
    }

    /// Starts `cmd` (a `Sandbox`'s `pty_command`) on a terminal of `ROWS` x `COLS`.
    pub fn spawn(cmd: Command, log_file: Option<PathBuf>) -> Self {
        let (master, child) = Master::spawn(cmd, ROWS, COLS);
        let mut reader = master.handle();
        let writer = master.handle();
        let terminal = Arc::new(Mutex::new(Terminal {
            parser: vt100::Parser::new(nonzero(ROWS), nonzero(COLS), 0),
            transcript: Vec::new(),
        }));
        let shared = Arc::clone(&terminal);
        let (done, reader_done) = mpsc::channel();
        let hang_up = Arc::new(AtomicBool::new(false));
        let hanging_up = Arc::clone(&hang_up);
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends on EOF or EIO, which is how Linux reports that the child closed the pty,
            // or when told to hang up (the reader is then the last of the master side).
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                let mut terminal = lock(&shared);
                terminal.parser.process(&buf[..n]);
                terminal.transcript.extend_from_slice(&buf[..n]);
                if hanging_up.load(Ordering::SeqCst) {
                    break;
                }
            }
            drop(reader);
            // The test may have finished and dropped the receiver: nothing left to tell.
            let _ = done.send(());
        });
        Self {
            child,
            writer: Some(writer),
            terminal,
            reader_done,
            output_ended: false,
            hang_up,
            log_file,
            master: Some(master),
        }
    }

    pub fn send(&mut self, keys: &str) {
        let Some(writer) = self.writer.as_mut() else {
            self.fail("keys sent after the terminal was hung up");
        };
        writer
            .write_all(keys.as_bytes())
            .and_then(|()| writer.flush())
            .expect("write keys to the pty");
    }

    /// Closes the terminal under the app, as a closed window or `tmux kill-session` does:
    /// every master side goes, the last once the reader has read what the app draws next
    /// (a resize makes it draw), and the app gets a hang-up. Returns how the app exited.
    pub fn hang_up(&mut self) -> ExitStatus {
        self.hang_up.store(true, Ordering::SeqCst);
        if let Some(master) = &self.master {
            master.resize(ROWS, COLS - 1);
        }
        self.writer = None;
        self.master = None;
        self.wait_exit()
    }

    /// Esc on its own: a terminal app reads Esc followed at once by more bytes as Alt+key.
    pub fn send_esc(&mut self) {
        self.send("\x1b");
        thread::sleep(Duration::from_millis(150));
    }

    pub fn screen(&self) -> String {
        lock(&self.terminal).parser.screen().contents()
    }

    /// Waits until `ready` holds on the screen text; fails with the screen and the log.
    pub fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // What it wrote last may still be on its way to the screen.
                let ended = self.output_ended();
                let screen = self.screen();
                if ended && ready(&screen) {
                    return screen;
                }
                self.fail(&format!(
                    "the app exited ({status}) while waiting for {what}"
                ));
            }
            if start.elapsed() > PATIENCE {
                self.fail(&format!("timed out after {PATIENCE:?} waiting for {what}"));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for_text(&mut self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |screen| screen.contains(text))
    }

    /// Waits for the app to exit and for its last output to be parsed.
    pub fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() < PATIENCE => thread::sleep(Duration::from_millis(50)),
                Ok(None) => self.fail("timed out waiting for the app to exit"),
                Err(err) => self.fail(&format!("cannot wait for the app: {err}")),
            }
        };
        if !self.output_ended() {
            self.fail("the app exited but its terminal output never ended");
        }
        status
    }

    /// Waits (up to `PATIENCE`) for the reader to reach the end of the output; says whether
    /// it did. Asked again once it has, it answers at once.
    fn output_ended(&mut self) -> bool {
        self.output_ended = self.output_ended || self.reader_done.recv_timeout(PATIENCE).is_ok();
        self.output_ended
    }

    /// `q`, then: exit status 0 and the terminal as it was (main screen, cursor shown).
    pub fn quit_cleanly(&mut self) {
        self.send("q");
        let status = self.wait_exit();
        if !status.success() {
            self.fail(&format!("`q` exited with {status}, not 0"));
        }
        self.assert_restored();
    }

    /// Sends `signal` (`"TERM"`, `"HUP"`) to the app, then: it exits, with the terminal
    /// restored.
    pub fn signal_and_expect_restored(&mut self, signal: &str) {
        let pid = self.child.id();
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{signal} {pid} failed");
        self.wait_exit();
        self.assert_restored();
    }

    /// SIGKILL: the app gets no say (no handler, no flush, no terminal restored); returns
    /// once it is gone and its last output is read.
    /// An app that already exited is only waited for.
    pub fn kill_hard(&mut self) {
        let pid = self.child.id();
        // Not reaped until `exited` says so, so the pid is still this child's.
        if !self.exited() {
            let sent = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status()
                .expect("run kill");
            assert!(sent.success(), "kill -KILL {pid} failed");
        }
        self.wait_exit();
    }

    /// Whether the app has exited (on its own or killed).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }

    /// Whether the app is stopped (job control: `T` in `/proc/PID/stat`).
    pub fn stopped(&self) -> bool {
        let pid = self.child.id();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // `PID (comm) STATE ...`: the state follows the last `)`.
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('T'))
    }

    /// Ctrl-z, then waits until the app is stopped with the terminal given back.
    pub fn suspend(&mut self) {
        self.send("\x1a");
        let start = Instant::now();
        while !(self.stopped() && self.restored()) {
            if start.elapsed() > PATIENCE {
                self.fail("Ctrl-z did not stop the app with the terminal given back");
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGCONT, as the shell's `fg` does.
    pub fn continue_(&mut self) {
        let pid = self.child.id();
        let sent = std::process::Command::new("kill")
            .args(["-CONT", &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -CONT {pid} failed");
    }

    /// Whether the terminal is as it was before the app: main screen, cursor shown.
    pub fn restored(&self) -> bool {
        let terminal = lock(&self.terminal);
        let screen = terminal.parser.screen();
        !screen.alternate_screen() && !screen.hide_cursor()
    }

    /// The terminal as it was before the app: main screen, cursor shown.
    fn assert_restored(&self) {
        let (alternate, hidden) = {
            let terminal = lock(&self.terminal);
            let screen = terminal.parser.screen();
            (screen.alternate_screen(), screen.hide_cursor())
        };
        assert!(!alternate, "still on the alternate screen after exit");
        assert!(!hidden, "the cursor is still hidden after exit");
    }

    pub fn transcript(&self) -> String {
        String::from_utf8_lossy(&lock(&self.terminal).transcript).into_owned()
    }

    pub fn fail(&self, why: &str) -> ! {
        let log = self
            .log_file
            .as_deref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default();
        panic!(
            "{why}\n--- screen ---\n{}\n--- app log ---\n{log}",
            self.screen()
        );
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            // Already exiting or gone are both fine here: the point is that nothing lingers.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn lock(terminal: &Mutex<Terminal>) -> MutexGuard<'_, Terminal> {
    // A poisoned lock only means a test panicked while reading; the screen is still whole.
    terminal.lock().unwrap_or_else(PoisonError::into_inner)
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("terminal size is not zero")
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temp path")
}

/// The screen line showing `id`, if it is on screen.
fn row<'s>(screen: &'s str, id: &str) -> Option<&'s str> {
    screen.lines().find(|line| line.contains(id))
}

/// The row of `id` has the mark in front of its ID.
pub fn is_marked(screen: &str, id: &str) -> bool {
    row(screen, id).is_some_and(|line| {
        let before = &line[..line.find(id).unwrap_or(0)];
        before.trim_end().ends_with('*')
    })
}

/// The row of `id` shows `status` as a whole word.
pub fn shows(screen: &str, id: &str, status: &str) -> bool {
    row(screen, id).is_some_and(|line| line.split_whitespace().any(|word| word == status))
}

/// Every on-screen ID (among `ids`) whose row is marked.
pub fn marked(screen: &str, ids: &[String]) -> Vec<String> {
    sorted(ids.iter().filter(|id| is_marked(screen, id)).cloned())
}

/// The app sending `batch` (known, marked and confirmed; no grace, one request at a time),
/// with `started` of them deleted at the server so far: a batch under way. Returns the
/// folder and the app.
pub fn batch_under_way(sim: &Sim, batch: &[VideoId], started: usize) -> (DataDir, Tui) {
    let data = DataDir::new("grace_seconds = 0\nconcurrency = 1\nconfirm_threshold = 1000\n");
    data.import(sim, batch, None);
    let mut tui = Tui::start(sim, &data, super::sim::KEY);
    tui.wait_for_text(&batch[0].to_string());
    tui.send("\x01");
    tui.send("d");
    tui.wait_for_text(&format!("Delete {} video(s)", batch.len()));
    tui.send("y");
    let start = Instant::now();
    while sim.stats().deleted.len() < started {
        if start.elapsed() > PATIENCE {
            tui.fail("the batch never got going");
        }
        thread::sleep(Duration::from_millis(20));
    }
    (data, tui)
}
