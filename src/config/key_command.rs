//! `api_key_command`: runs it (`sh -c`, no input) and reads the key from its standard output,
//! for at most its timeout (`api_key_command_timeout_seconds`), then stops it, with whatever
//! it started (it runs in a process group of its own, so a prompt on the terminal cannot
//! work: a password manager's own prompt window or agent does). What it prints is never
//! shown, its standard error included: either may hold the key. A failure says the command,
//! its exit status or the time it was given, and to run it by hand to see why.

use std::fmt;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::ConfigError;
use crate::api::ApiKey;

/// Used when the config sets no `api_key_command_timeout_seconds`.
pub const DEFAULT_KEY_TIMEOUT: Duration = Duration::from_secs(30);
/// The most a command may print: a key is far shorter, and a command that prints more is not
/// printing a key.
const MAX_OUTPUT: u64 = 64 * 1024;
/// `run_waiting` says what it waits for once a command has taken this long.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// A profile's `api_key_command`, with how long it may take. `Debug` and `Display` show the
/// command, which is config text, never the key.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyCommand {
    command: String,
    timeout: Duration,
}

impl fmt::Debug for KeyCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("KeyCommand").field(&self.command).finish()
    }
}

/// `api_key_command "pass show elytron" (at most 30 s)`: which command is waited for, for
/// messages. The command is quoted as Rust debug-quotes text, so no control character in
/// the config reaches a terminal.
impl fmt::Display for KeyCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "api_key_command {:?} (at most {} s)",
            self.command,
            self.timeout.as_secs()
        )
    }
}

impl KeyCommand {
    pub(super) fn new(command: String, timeout: Duration) -> Self {
        Self { command, timeout }
    }

    pub fn command(&self) -> &str {
        &self.command
    }

    /// Runs the command and takes the key from what it prints.
    pub async fn run(&self) -> Result<ApiKey, ConfigError> {
        let mut child = tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|err| self.failed(&format!("could not be started ({err})")))?;
        // Given up on before it ended (the time is up, it printed too much, or the app quit
        // meanwhile), the command and all it started are stopped.
        let group = Group::of(&child);
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| self.failed("could not be read"))?;
        let deadline = tokio::time::Instant::now() + self.timeout;
        let timed_out = || {
            self.failed(&format!(
                "gave no key within {} s (api_key_command_timeout_seconds) and was stopped",
                self.timeout.as_secs()
            ))
        };
        let mut printed = Vec::new();
        let mut limited = (&mut stdout).take(MAX_OUTPUT + 1);
        tokio::time::timeout_at(deadline, limited.read_to_end(&mut printed))
            .await
            .map_err(|_| timed_out())?
            .map_err(|err| self.failed(&format!("could not be read ({err})")))?;
        if printed.len() as u64 > MAX_OUTPUT {
            return Err(self.failed(&format!("printed more than {} KiB", MAX_OUTPUT / 1024)));
        }
        let status = tokio::time::timeout_at(deadline, child.wait())
            .await
            .map_err(|_| timed_out())?
            .map_err(|err| self.failed(&format!("could not be waited for ({err})")))?;
        // Waited for, its group may be gone and its number given to another: not signalled.
        group.ended();
        if !status.success() {
            return Err(self.failed(&format!("failed ({status})")));
        }
        let printed = String::from_utf8(printed)
            .map_err(|_| self.failed("printed something that is not text"))?;
        ApiKey::new(printed).map_err(|reason| ConfigError::BadKey {
            origin: format!("api_key_command {:?}", self.command),
            reason,
        })
    }

    /// `run`, for a caller outside any async runtime (the commands), which is told once
    /// the command has taken more than a second, so a slow one is not a silent hang.
    pub fn run_waiting(&self, still_waiting: impl FnOnce(&Self)) -> Result<ApiKey, ConfigError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|err| self.failed(&format!("could not be started ({err})")))?;
        runtime.block_on(async {
            let run = self.run();
            tokio::pin!(run);
            tokio::select! {
                result = &mut run => result,
                () = tokio::time::sleep(QUIET_FOR) => {
                    still_waiting(self);
                    run.await
                }
            }
        })
    }

    fn failed(&self, why: &str) -> ConfigError {
        ConfigError::KeyCommand {
            command: self.command.clone(),
            detail: why.to_owned(),
        }
    }
}

/// The command's process group, stopped when this is dropped before the command finished.
struct Group(Option<rustix::process::Pid>);

impl Group {
    fn of(child: &tokio::process::Child) -> Self {
        Self(
            child
                .id()
                .and_then(|id| i32::try_from(id).ok())
                .and_then(rustix::process::Pid::from_raw),
        )
    }

    /// It ended and was waited for: nothing is left to stop.
    fn ended(mut self) {
        self.0 = None;
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(group) = self.0 {
            // Gone already is as good as stopped.
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn run(command: &str, timeout: Duration) -> Result<ApiKey, ConfigError> {
        KeyCommand::new(command.to_owned(), timeout).run_waiting(|_| {})
    }

    #[test]
    fn its_output_is_the_key() {
        let key = run("printf ' sk-from-cmd\\n'", DEFAULT_KEY_TIMEOUT).unwrap();
        assert_eq!(key.expose(), "sk-from-cmd");
    }

    /// Issue 17 §4: "… token sk-live-SECRET123 expired" was printed from its standard error.
    #[test]
    fn a_failure_says_the_status_and_never_what_it_printed() {
        // The secrets are made by `tr`, so the command's own text (which is shown) holds
        // neither.
        let command = "echo sk-1ive-0UT | tr 10 lO; echo token sk-1ive-SECRET | tr 1 l >&2; exit 3";
        let err = run(command, DEFAULT_KEY_TIMEOUT).unwrap_err().to_string();
        assert!(
            !err.contains("sk-live-SECRET") && !err.contains("sk-live-OUT"),
            "{err}"
        );
        assert!(
            err.contains("failed (exit status: 3)") && err.contains("run it yourself"),
            "{err}"
        );
        let err = run("head -c 70000 /dev/zero | tr '\\0' k", DEFAULT_KEY_TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(err.contains("printed more than 64 KiB"), "{err}");
    }

    /// Issue 17 §4: `sleep 1000` hung `delete` and `doctor` with no word. Stopped, it is
    /// stopped with what it started (`sh` does not always `exec` its last command).
    #[test]
    fn a_command_that_takes_too_long_is_stopped_and_said_to_have_been() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("sleep.pid");
        let started = format!("sleep 1000 & echo $! > {}; wait", pid_file.display());
        let err = run(&started, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("gave no key within 1 s"), "{err}");
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let stat = format!("/proc/{}/stat", pid.trim());
        // A killed process may stay a zombie a moment, until its new parent reaps it.
        let gone = || {
            std::fs::read_to_string(&stat).map_or(true, |stat| {
                stat.rsplit(')')
                    .next()
                    .unwrap_or_default()
                    .trim_start()
                    .starts_with('Z')
            })
        };
        let patience = std::time::Instant::now() + Duration::from_secs(10);
        while !gone() && std::time::Instant::now() < patience {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(gone(), "the sleep it started still runs: {stat}");

        let mut told = None;
        let command = KeyCommand::new("sleep 1000".to_owned(), Duration::from_secs(2));
        let err = command
            .run_waiting(|waiting| told = Some(waiting.to_string()))
            .unwrap_err()
            .to_string();
        assert_eq!(
            told.as_deref(),
            Some("api_key_command \"sleep 1000\" (at most 2 s)")
        );
        assert!(
            err.contains("gave no key within 2 s (api_key_command_timeout_seconds)"),
            "{err}"
        );
    }
}
