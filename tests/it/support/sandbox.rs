//! `Sandbox`: the temporary folder every run of the real binary in these tests lives in, and
//! the only environment it gets. Nothing of the caller's reaches the binary: no `ELYTRON_*`
//! (profile, key, base URL, config, data folder), no `NO_COLOR` or `RUST_LOG`, no
//! certificates, and `HOME` and the `XDG_*` folders are inside the sandbox, so a developer's
//! exported settings or real config never change what a test sees, and no terminal of theirs
//! is ever the binary's. Readers of the data folder are here too; the tests decide what they
//! must hold.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use elytron_tui::api::VideoId;
use elytron_tui::store::{HistoryEntry, Paths, Store};

use super::runs::{PATIENCE, finish_within, stderr};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_elytron-tui");

/// A temporary folder holding `HOME`, the data folder and `config.toml`, and the binary
/// pointed at them (and at a server, with a key, when given).
pub struct Sandbox {
    dir: tempfile::TempDir,
    base_url: Option<String>,
    key: Option<String>,
}

impl Sandbox {
    /// No server and no key: only commands that need neither. Its `config.toml` is there
    /// and empty (`--config` names it, and a config file named explicitly must exist).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        std::fs::write(dir.path().join("config.toml"), "").expect("write config.toml");
        Self {
            dir,
            base_url: None,
            key: None,
        }
    }

    /// Every run gets `--base-url base_url`.
    pub fn at(self, base_url: impl Into<String>) -> Self {
        Self {
            base_url: Some(base_url.into()),
            ..self
        }
    }

    /// Every run gets `key` in `ELYTRON_API_KEY`.
    pub fn with_key(self, key: &str) -> Self {
        Self {
            key: Some(key.to_owned()),
            ..self
        }
    }

    /// The folder itself, which is also `HOME`.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data")
    }

    pub fn config_file(&self) -> PathBuf {
        self.path().join("config.toml")
    }

    pub fn paths(&self) -> Paths {
        Paths::in_dir(&self.data_dir())
    }

    /// Writes `text` to `name` in the sandbox and returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path().join(name);
        std::fs::write(&path, text).expect("write a file in the sandbox");
        path
    }

    /// Every variable a run gets, and nothing else: `PATH` (so a key command finds its
    /// shell), `HOME` and the `XDG_*` folders in the sandbox, and the key if there is one.
    pub fn environment(&self) -> Vec<(&'static str, OsString)> {
        let home = self.path();
        let mut vars = vec![
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", home.into()),
            ("XDG_CONFIG_HOME", home.join(".config").into()),
            ("XDG_DATA_HOME", home.join(".local/share").into()),
            ("XDG_STATE_HOME", home.join(".local/state").into()),
            ("XDG_CACHE_HOME", home.join(".cache").into()),
        ];
        if let Some(key) = &self.key {
            vars.push(("ELYTRON_API_KEY", key.into()));
        }
        vars
    }

    /// `--data-dir`, `--config` and (when there is a server) `--base-url`.
    pub fn location_args(&self) -> Vec<OsString> {
        self.locations(self.base_url.as_deref())
    }

    fn locations(&self, base_url: Option<&str>) -> Vec<OsString> {
        let mut args = vec![
            "--data-dir".into(),
            self.data_dir().into(),
            "--config".into(),
            self.config_file().into(),
        ];
        if let Some(base_url) = base_url {
            args.extend(["--base-url".into(), base_url.into()]);
        }
        args
    }

    /// The binary with the sandbox's environment and no arguments, for tests of where it
    /// looks when told nothing. It runs in a session of its own (util-linux `setsid`, which
    /// execs it in place: same process, same exit status), with no controlling terminal: a
    /// question it asks on `/dev/tty` must never reach the terminal of whoever runs the
    /// tests (and wait there for an answer). The pseudo-terminal commands below give it a
    /// terminal of the test's own.
    pub fn bare_command(&self) -> Command {
        let mut cmd = Command::new("setsid");
        cmd.args(["-w", BIN]).env_clear().envs(self.environment());
        cmd
    }

    /// The binary on the sandbox's data folder, config and server.
    pub fn command(&self) -> Command {
        let mut cmd = self.bare_command();
        cmd.args(self.location_args());
        cmd
    }

    /// `bare_command` as `assert_cmd` runs it.
    pub fn bare_cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.bare_command())
    }

    /// `command` as `assert_cmd` runs it.
    pub fn cmd(&self) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.command())
    }

    /// `bare_command` for a pseudo-terminal, with `TERM` set as a terminal would.
    pub fn bare_pty_command(&self) -> Command {
        self.on_pty(BIN)
    }

    /// `/bin/sh -c script` on a pseudo-terminal, as a user's shell line: `$0` is the binary,
    /// `"$@"` the location arguments and then `args`. What the script runs is in the
    /// terminal's session (unless the script says otherwise).
    pub fn pty_shell(&self, script: &str, args: &[&str]) -> Command {
        let mut cmd = self.on_pty("/bin/sh");
        cmd.args(["-c", script, BIN]);
        cmd.args(self.location_args());
        cmd.args(args);
        cmd
    }

    /// `program` with the sandbox's environment and `TERM` set as a terminal would, run by
    /// `setsid --ctty` so that it leads a session whose controlling terminal is the pty
    /// (`pty_device::Master::spawn` gives it the pty as standard streams): as a terminal
    /// emulator starts a shell, hang-ups, SIGWINCH and job control included.
    pub fn on_pty(&self, program: &str) -> Command {
        let mut cmd = Command::new("setsid");
        cmd.args(["--ctty", program]);
        cmd.env_clear();
        for (name, value) in self.environment() {
            cmd.env(name, value);
        }
        cmd.env("TERM", "xterm-256color");
        cmd
    }

    /// `command` for a pseudo-terminal.
    pub fn pty_command(&self) -> Command {
        let mut cmd = self.bare_pty_command();
        cmd.args(self.location_args());
        cmd
    }

    /// Runs `args` to the end (within `PATIENCE`) with no stdin.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Runs `args` with these environment variables too.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command();
        cmd.envs(env.iter().copied());
        finish(cmd, args, None)
    }

    /// Runs `args` with `ids` on standard input, one a line.
    pub fn cmd_run(&self, args: &[&str], ids: &[impl Display]) -> Output {
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        finish(self.command(), args, Some(text))
    }

    /// Runs `args` without `--base-url` (leaving it to the config's profiles), with these
    /// environment variables too.
    pub fn run_without_base_url(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.bare_command();
        cmd.args(self.locations(None)).envs(env.iter().copied());
        finish(cmd, args, None)
    }

    /// Imports `ids`, failing the test if that fails.
    pub fn import(&self, ids: &[impl Display]) {
        let output = self.cmd_run(&["import"], ids);
        assert!(output.status.success(), "import: {}", stderr(&output));
    }

    /// Imports `ids` into the profile `name`'s list.
    pub fn import_into(&self, name: &str, ids: &[VideoId]) {
        let output = self.cmd_run(&["--profile", name, "import"], ids);
        assert!(output.status.success(), "import: {}", stderr(&output));
    }

    /// The profile's store, open as the binary opens it.
    pub fn store(&self) -> Store {
        Store::open(&self.paths()).expect("the store opens")
    }

    /// The known list as the app would load it.
    pub fn known(&self) -> HashSet<VideoId> {
        known_in(&self.paths())
    }

    /// The known list of the profile `name` (its own data folder).
    pub fn known_in(&self, name: &str) -> HashSet<VideoId> {
        known_in(&self.paths().for_profile(name))
    }

    /// What `delete --resume` would send.
    pub fn pending(&self) -> HashSet<VideoId> {
        let pending = self.store().pending().expect("the batch reads");
        pending.into_iter().collect()
    }

    pub fn history(&self) -> Vec<HistoryEntry> {
        self.store().history(None).expect("the history reads")
    }

    /// `command`, with no file it writes allowed past `bytes` (as on a full disk): a write
    /// beyond fails with "file too large" (SIGXFSZ is ignored, so it does not kill).
    pub fn command_with_file_size_limit(&self, bytes: u64) -> Command {
        let cmd = self.command();
        let mut limited = Command::new("/bin/sh");
        limited
            .env_clear()
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f \"$1\"; shift; exec \"$@\"")
            .arg("sh")
            .arg(bytes.div_ceil(512).to_string())
            .arg(cmd.get_program())
            .args(cmd.get_args());
        limited
    }
}

/// The known list in the data folder of `paths`.
fn known_in(paths: &Paths) -> HashSet<VideoId> {
    let mut store = Store::open(paths).expect("the store opens");
    let list = store.videos().expect("the list reads");
    list.iter().map(|video| video.id).collect()
}

/// Runs `cmd` with `args` to the end (within `PATIENCE`), `stdin` written to it.
fn finish(mut cmd: Command, args: &[&str], stdin: Option<String>) -> Output {
    let mut child = cmd
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start elytron-tui");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("piped stdin");
        // A command that exits without reading all of it closes the pipe: not a failure here.
        let _ = pipe.write_all(text.as_bytes());
    }
    finish_within(child, PATIENCE)
}
