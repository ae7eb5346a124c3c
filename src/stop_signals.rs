//! `StopSignals`: the signals that ask the process to stop (SIGTERM from `kill` or a service
//! manager, SIGHUP when the terminal closes, and for a command that does not read its own
//! keys, SIGINT), listened to from the moment they are made, so none of them meets the
//! default action: dying without restoring the terminal or printing a summary.

use std::io;

pub struct StopSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    hangup: tokio::signal::unix::Signal,
    /// SIGINT too: a raw-mode terminal reads Ctrl-C as a key instead.
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))]
    interrupt: bool,
}

impl StopSignals {
    /// SIGTERM and SIGHUP; with `interrupt`, SIGINT (Ctrl-C) as well. Needs a Tokio runtime.
    pub fn listen(interrupt: bool) -> io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                terminate: signal(SignalKind::terminate())?,
                hangup: signal(SignalKind::hangup())?,
                interrupt: interrupt
                    .then(|| signal(SignalKind::interrupt()))
                    .transpose()?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self { interrupt })
    }

    /// Waits for the next of them.
    pub async fn recv(&mut self) -> io::Result<()> {
        #[cfg(unix)]
        {
            let interrupt = async {
                match &mut self.interrupt {
                    Some(interrupt) => interrupt.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = self.terminate.recv() => {}
                _ = self.hangup.recv() => {}
                _ = interrupt => {}
            }
            Ok(())
        }
        #[cfg(not(unix))]
        if self.interrupt {
            tokio::signal::ctrl_c().await
        } else {
            std::future::pending().await
        }
    }
}
