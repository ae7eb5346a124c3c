//! The TUI's log: `tracing` goes to a file in the state folder, never to the screen (the
//! terminal belongs to the UI).

use std::fs::OpenOptions;
use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;

/// Installs the file logger; keep the guard alive for the session so lines are flushed.
/// `RUST_LOG` sets the level (default `info`). An error says why there will be no log; the
/// caller reports it and runs on, since a log is not worth refusing to start over.
pub fn install(path: &Path) -> Result<WorkerGuard, String> {
    let describe = |err: std::io::Error| format!("{}: {err}", path.display());
    if let Some(dir) = path.parent() {
        crate::store::create_private_dir(dir).map_err(describe)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path).map_err(describe)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .map_err(|err| err.to_string())?;
    Ok(guard)
}
