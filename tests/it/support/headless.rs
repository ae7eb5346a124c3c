//! The harness for `delete_truth.rs` and `delete_stops.rs`: the simulated server on a runtime
//! of its own, a canned-answer TCP server for what the simulated one never says (a TLS
//! mismatch, an absurd `Retry-After`), and a temporary data folder driven through the real
//! binary, every run bounded in time. It reads the data folder back; the tests decide.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use elytron_tui::api::VideoId;
use elytron_tui::sim::{SimConfig, SimServer};
use elytron_tui::store::{HistoryEntry, Paths, load_current, load_pending, read_history};

pub const BIN: &str = env!("CARGO_BIN_EXE_elytron-tui");
/// The key the simulated server accepts in these tests.
pub const KEY: &str = "sk-headless-RIGHT-1234";
/// Longest any one run of the binary may take before the test fails (CI is a loaded 2-core box).
pub const PATIENCE: Duration = Duration::from_secs(90);

/// The simulated server, on a runtime of its own so the tests stay synchronous. Field order
/// matters: the server stops before its runtime goes.
pub struct Sim {
    pub server: SimServer,
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    pub fn start(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime for the simulated server");
        let server = runtime
            .block_on(SimServer::start(SimConfig {
                key: KEY.to_owned(),
                ..config
            }))
            .expect("simulated server starts on loopback");
        Self {
            server,
            _runtime: runtime,
        }
    }

    /// The IDs the server deleted.
    pub fn deleted(&self) -> HashSet<VideoId> {
        self.server.stats().deleted.into_iter().collect()
    }
}

/// A server with `videos` deletable videos and nothing else.
pub fn plain(videos: usize) -> SimConfig {
    SimConfig {
        videos,
        processing: 0,
        other_account: 0,
        unknown: 0,
        ..SimConfig::default()
    }
}

/// A TCP server that answers each connection's first request with the next of `replies` (the
/// last one repeated) and hangs up, counting connections. Raw bytes, so it can say what no
/// HTTP library would (and be spoken TLS to).
pub struct Canned {
    pub addr: SocketAddr,
    accepted: Arc<AtomicUsize>,
}

impl Canned {
    pub fn start(replies: Vec<String>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let reply = replies
                    .get(n)
                    .or(replies.last())
                    .cloned()
                    .unwrap_or_default();
                thread::spawn(move || answer(stream, &reply));
            }
        });
        Self { addr, accepted }
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

fn answer(mut stream: TcpStream, reply: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // Until the end of an HTTP head, or whatever a TLS client says first.
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
        if seen.first() == Some(&0x16) {
            break;
        }
    }
    let _ = stream.write_all(reply.as_bytes());
}

/// An HTTP/1.1 answer with no body that closes its connection.
pub fn http(status_line: &str, headers: &[(&str, &str)]) -> String {
    let mut text = format!("HTTP/1.1 {status_line}\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("content-length: 0\r\nconnection: close\r\n\r\n");
    text
}

/// A loopback port with nothing listening on it.
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address")
}

/// A temporary data folder, and the binary pointed at it, at `base_url`, with a key.
pub struct Sandbox {
    dir: tempfile::TempDir,
    pub base_url: String,
    pub key: String,
}

impl Sandbox {
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            dir: tempfile::tempdir().expect("temporary folder"),
            base_url: base_url.into(),
            key: KEY.to_owned(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn config_file(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    /// The binary with this folder, base URL and key; nothing else from the environment.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.cmd_on_config_url();
        cmd.arg("--base-url").arg(&self.base_url);
        cmd
    }

    /// As `cmd`, leaving the base URL to the config (its profiles').
    fn cmd_on_config_url(&self) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.env_clear()
            .env("HOME", self.dir.path())
            .env("ELYTRON_API_KEY", &self.key)
            .arg("--data-dir")
            .arg(self.data_dir())
            .arg("--config")
            .arg(self.config_file());
        cmd
    }

    /// Runs `args` to the end (within `PATIENCE`) with no stdin.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_env(args, &[])
    }

    /// Runs `args` with these environment variables too.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.cmd();
        cmd.envs(env.iter().copied());
        finish(cmd, args, None)
    }

    /// Runs `args` with `ids` on standard input, one a line.
    pub fn cmd_run(&self, args: &[&str], ids: &[VideoId]) -> Output {
        let text: String = ids.iter().map(|id| format!("{id}\n")).collect();
        finish(self.cmd(), args, Some(text))
    }

    /// Runs `args` without `--base-url`, with these environment variables too.
    pub fn run_without_base_url(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.cmd_on_config_url();
        cmd.envs(env.iter().copied());
        finish(cmd, args, None)
    }

    pub fn import(&self, ids: &[VideoId]) {
        let output = self.cmd_run(&["import"], ids);
        assert!(output.status.success(), "import: {}", stderr(&output));
    }

    /// Imports `ids` into the profile `name`'s list.
    pub fn import_into(&self, name: &str, ids: &[VideoId]) {
        let output = self.cmd_run(&["--profile", name, "import"], ids);
        assert!(output.status.success(), "import: {}", stderr(&output));
    }

    fn paths(&self) -> Paths {
        Paths::in_dir(&self.data_dir())
    }

    /// The known list as the app would load it (saved list caught up with the journal).
    pub fn known(&self) -> HashSet<VideoId> {
        let (list, _) = load_current(&self.paths()).expect("the list loads");
        list.iter().map(|video| video.id).collect()
    }

    /// The known list of the profile `name` (its own data folder).
    pub fn known_in(&self, name: &str) -> HashSet<VideoId> {
        let (list, _) = load_current(&self.paths().for_profile(name)).expect("the list loads");
        list.iter().map(|video| video.id).collect()
    }

    /// What `delete --resume` would send.
    pub fn pending(&self) -> HashSet<VideoId> {
        load_pending(&self.paths())
            .expect("pending.json loads")
            .into_iter()
            .collect()
    }

    pub fn history(&self) -> Vec<HistoryEntry> {
        read_history(&self.paths().history(), None).expect("the history loads")
    }
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
