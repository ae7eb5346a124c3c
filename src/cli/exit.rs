//! How a command ends: the documented exit codes, and the errors that map onto them. Every
//! error prints as one `error: ...` line naming the file (and line) involved.

use std::path::{Path, PathBuf};

use crate::config::ConfigError;
use crate::session::SessionError;
use crate::store::StoreError;

/// The process exit codes `--help` and the README document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked for was done.
    Success = 0,
    /// Done, but some IDs did not end deleted or not found, or some input lines had no ID.
    Partial = 1,
    /// Usage, input or config error; nothing was sent.
    Usage = 2,
    /// The API key was refused.
    KeyRefused = 3,
    /// The batch stopped before its end on what no retry fixes: a wrong base URL, a server
    /// unreachable past `give_up_after`, a TLS failure, a wait past `max_wait_seconds`.
    Halted = 4,
    /// A local fault once requests may have gone out: standard output closed, the app's
    /// terminal failed, or a write to the data folder failed.
    LocalFault = 5,
    /// Interrupted (Ctrl-C).
    Interrupted = 130,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        Self::from(exit as u8)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{}: {source}", InputName(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Input that began as JSON or a table and stopped being one.
    #[error(
        "{}:{}: {}; nothing was taken from it",
        InputName(path),
        Place(source),
        source.message
    )]
    Syntax {
        path: PathBuf,
        source: crate::import::SyntaxError,
    },
    #[error(
        "{}:{first_line}: no video ID on this line ({count} such line(s) in all); --strict added nothing",
        InputName(path)
    )]
    Strict {
        path: PathBuf,
        first_line: usize,
        count: usize,
    },
    /// A usage or input problem found before anything was sent.
    #[error("{0}")]
    Usage(String),
    #[error("writing the output: {0}")]
    Output(std::io::Error),
    /// Setting a run up, or the app's terminal failing (or its last save on the way out).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// `sim` stopped early; its own words say it is the simulated server.
    #[error(transparent)]
    Sim(#[from] crate::sim::SimError),
}

impl CliError {
    /// `Exit::Usage` ("nothing was sent") for every error but the app's terminal failing (or
    /// its last save, reported the same way), which may come after it sent deletes, and
    /// there being no terminal for the app at all (a local fault too, as the README says,
    /// though found before anything started). `delete`
    /// returns no error once requests may have gone out: it ends its batch with
    /// `Exit::LocalFault` instead.
    pub fn exit(&self) -> Exit {
        match self {
            Self::Session(SessionError::Terminal(_) | SessionError::NoTerminal(_)) => {
                Exit::LocalFault
            }
            _ => Exit::Usage,
        }
    }
}

/// `LINE:COLUMN`, or `LINE` where the column says nothing.
struct Place<'a>(&'a crate::import::SyntaxError);

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.column {
            0 => write!(f, "{}", self.0.line),
            column => write!(f, "{}:{column}", self.0.line),
        }
    }
}

/// Shows `-` as "standard input".
pub struct InputName<'a>(pub &'a Path);

impl std::fmt::Display for InputName<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0 == Path::new("-") {
            f.write_str("<stdin>")
        } else {
            write!(f, "{}", self.0.display())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_that_may_follow_a_delete_claim_more_than_nothing_sent() {
        let terminal = CliError::Session(SessionError::Terminal(std::io::Error::other("gone")));
        assert_eq!(terminal.exit(), Exit::LocalFault);
        for before in [
            CliError::Usage("no key".into()),
            CliError::Output(std::io::Error::other("prompt")),
        ] {
            assert_eq!(before.exit(), Exit::Usage, "{before}");
        }
    }
}
