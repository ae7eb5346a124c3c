//! Job control: hearing the shell's Ctrl-z (SIGTSTP) where the terminal does not turn it into
//! a key, and stopping this process until the shell's `fg` (SIGCONT) once the caller has paused
//! what must not run meanwhile. The process stops itself with SIGSTOP: a SIGTSTP would only
//! come back to the handler that heard the first one. A process whose shell has gone is
//! hung up and continued by the kernel, so it is never left stopped for good. Decides
//! nothing about what to pause: `delete` and the app do.

use std::io;

/// Ctrl-z, heard instead of stopping the process at once.
pub struct Suspends {
    #[cfg(unix)]
    tstp: tokio::signal::unix::Signal,
}

impl Suspends {
    /// From now on a SIGTSTP is heard here instead of stopping the process. Needs a Tokio
    /// runtime.
    pub fn listen() -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let tstp = rustix::process::Signal::TSTP.as_raw();
            Ok(Self {
                tstp: signal(SignalKind::from_raw(tstp))?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    /// Waits for the next Ctrl-z (never, off Unix).
    pub async fn recv(&mut self) {
        #[cfg(unix)]
        {
            self.tstp.recv().await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await
    }
}

/// Stops this process until it is continued (`fg`, or any SIGCONT); returns then. Off Unix,
/// returns at once.
pub fn stop_until_continued() -> io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::process::{Signal, getpid, kill_process};
        kill_process(getpid(), Signal::STOP)?;
    }
    Ok(())
}
