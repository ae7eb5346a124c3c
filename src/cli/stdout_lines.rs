//! `StdoutLines`: standard output written on a thread of its own, so a reader that is slow, or
//! reads nothing, never holds up whoever prints (the batch loop, which must go on recording
//! answers). It says when the output was closed or failed; it never drops a line before that.
//! What it is given is made printable (or exact JSON) as it is queued.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use serde::Serialize;

use crate::printable::json;
use crate::printable::out::shown_lines;

/// Lines queued for standard output.
pub struct StdoutLines {
    queue: Option<Sender<Vec<u8>>>,
    failure: Arc<Mutex<Option<io::Error>>>,
    writer: Option<JoinHandle<()>>,
}

impl StdoutLines {
    pub fn spawn() -> Self {
        let (queue, lines) = mpsc::channel();
        let failure = Arc::new(Mutex::new(None));
        let failed = Arc::clone(&failure);
        let writer = std::thread::spawn(move || {
            if let Err(err) = write_all(&lines) {
                *failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(err);
            }
        });
        Self {
            queue: Some(queue),
            failure,
            writer: Some(writer),
        }
    }

    /// Queues `text` as printable lines (`printable::out::shown_lines`); never waits.
    pub fn line(&self, text: &str) {
        self.push(shown_lines(text).into_bytes());
    }

    /// Queues `value` as one JSON line (`printable::json`); never waits.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) {
        self.push(json::line(value));
    }

    /// After a failure a line is dropped: the output is gone.
    fn push(&self, line: Vec<u8>) {
        if let Some(queue) = &self.queue {
            // Fails only once the writer has stopped, which `failure` reports.
            let _ = queue.send(line);
        }
    }

    /// Why standard output can no longer be written (closed by its reader, or failing), once
    /// the writer has found out.
    pub fn failure(&self) -> Option<String> {
        let failure = self.failure.lock().unwrap_or_else(PoisonError::into_inner);
        failure.as_ref().map(|err| match err.kind() {
            io::ErrorKind::BrokenPipe => "standard output was closed".to_owned(),
            _ => format!("writing standard output failed: {err}"),
        })
    }

    /// Waits until every queued line is written (or the output fails); what failed, if it did.
    pub fn finish(mut self) -> Option<String> {
        drop(self.queue.take());
        if let Some(writer) = self.writer.take()
            && let Err(panic) = writer.join()
        {
            std::panic::resume_unwind(panic);
        }
        self.failure()
    }
}

/// Writes lines as they come, a burst at a time, until the queue closes. Standard output is
/// locked only while a burst is written: whoever else prints (a dry run) is never shut out.
fn write_all(lines: &Receiver<Vec<u8>>) -> io::Result<()> {
    let stdout = io::stdout();
    while let Ok(line) = lines.recv() {
        let mut out = io::BufWriter::new(stdout.lock());
        out.write_all(&line)?;
        while let Ok(line) = lines.try_recv() {
            out.write_all(&line)?;
        }
        out.flush()?;
    }
    Ok(())
}
