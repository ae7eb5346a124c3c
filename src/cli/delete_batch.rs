//! One `delete` batch on the engine: enqueue the confirmed IDs, record every result through the
//! `OutcomeRecorder` as it arrives, and stop sending (keeping every answer that still comes,
//! the rest resumable) when the key is refused, the engine halts, the server stays
//! unreachable past `give_up_after`, standard output closes, a write fails, or Ctrl-C (the
//! first cancels what is queued, the second stops waiting at once). Printing is
//! `delete_report`'s. Nothing here returns an error once requests may have gone out: such a
//! fault ends the batch with `BatchEnd::local_fault` instead.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::CliError;
use super::delete_report::{Progress, Report};
use crate::api::{ApiKey, ElytronClient, Outcome, OutcomeKind, VideoId};
use crate::engine::{self, Command, EngineConfig, Event, HaltCause, Pause};
use crate::printable::out::say;
use crate::rails::Cleared;
use crate::store::{OutcomeRecorder, Store, StoreError};

/// Off a terminal, a wait longer than this is said on stderr (a terminal shows it on the bar).
const SAID_WAIT: Duration = Duration::from_secs(10);

/// How a batch ended.
#[derive(Debug, Default)]
pub struct BatchEnd {
    /// Every ID that finished, with its final outcome.
    pub outcomes: HashMap<VideoId, Outcome>,
    pub key_refused: bool,
    pub interrupted: bool,
    /// The engine halted (wrong base URL, TLS, a wait past `max_wait_seconds`) or the server
    /// stayed unreachable past `give_up_after`: why, in one line.
    pub halted: Option<String>,
    /// Standard output closed, or a write to the data folder failed, after requests went out.
    pub local_fault: Option<String>,
    /// IDs of this batch (or an earlier one) that `delete --resume` would send.
    pub resumable: usize,
}

impl BatchEnd {
    /// The batch stopped itself: what it did not send was skipped, not cancelled by the user.
    fn stopped(&self) -> bool {
        self.key_refused || self.halted.is_some() || self.local_fault.is_some()
    }
}

/// Runs the batch the user confirmed past the rails. `Err` only before anything was sent (the
/// journal could not be opened or the batch not saved as resumable).
pub async fn run_batch(
    store: Store,
    client: ElytronClient,
    key: ApiKey,
    config: EngineConfig,
    give_up_after: Duration,
    cleared: Cleared,
    report: &Report,
) -> Result<BatchEnd, CliError> {
    let mut recorder = OutcomeRecorder::new(store, Some(client.host().to_owned()))?;
    recorder.enqueued(cleared.ids())?;
    let total = cleared.len();
    let (commands, mut events) = engine::spawn(client, Some(key), config);
    let mut batch = Batch {
        end: BatchEnd::default(),
        commands,
        cancelled: false,
        progress: report.progress(total),
        unreachable: None,
        give_up_after,
        write_failed: false,
    };
    batch.send(Command::Enqueue(cleared));
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            event = events.recv() => match event {
                None | Some(Event::Stopped) => break,
                Some(Event::Finished { id, outcome }) => {
                    let outcome = if batch.end.stopped() { unsent_as_skipped(outcome) } else { outcome };
                    if batch.write_failed {
                        recorder.hold(id, &outcome);
                    } else {
                        let recorded = recorder.record(id, &outcome).map(drop);
                        batch.keep(recorded);
                    }
                    report.finished(id, &outcome);
                    if let Some(failure) = report.output_failure() {
                        batch.fault(failure);
                    }
                    batch.progress.finished(&outcome);
                    batch.end.outcomes.insert(id, outcome);
                    if batch.end.outcomes.len() == total {
                        break;
                    }
                }
                Some(Event::Paused(pause)) => batch.paused(pause),
                Some(Event::Resumed) => {
                    batch.unreachable = None;
                    batch.progress.waiting("");
                }
                Some(_) => {}
            },
            signal = tokio::signal::ctrl_c() => {
                if signal.is_err() || batch.end.interrupted {
                    break;
                }
                batch.end.interrupted = true;
                batch.progress.note("cancelling what is queued; Ctrl-C again to stop at once");
                batch.cancel();
            }
            _ = tick.tick() => {
                if !batch.write_failed {
                    let flushed = recorder.flush_if_due().map(drop);
                    batch.keep(flushed);
                }
                batch.progress.tick();
                if let Some(failure) = report.output_failure() {
                    batch.fault(failure);
                }
                batch.give_up_if_due();
            }
        }
    }
    drop(batch.commands);
    batch.progress.done();
    // What is buffered goes out now; after a failed write this is one more try.
    if let Err(err) = recorder.flush()
        && batch.end.local_fault.is_none()
    {
        batch.end.local_fault = Some(err.to_string());
    }
    batch.end.resumable = recorder.pending().len();
    Ok(batch.end)
}

/// The loop's state besides the recorder: how it ends, and how it stops the engine.
struct Batch {
    end: BatchEnd,
    commands: UnboundedSender<Command>,
    /// `Command::Cancel` went out.
    cancelled: bool,
    progress: Progress,
    /// The server is unreachable: give up at this instant, with this cause, unless it answers
    /// first.
    unreachable: Option<(Instant, String)>,
    give_up_after: Duration,
    /// A write to the data folder failed: results are held for one last try at the end.
    write_failed: bool,
}

impl Batch {
    /// Sends a command; a closed channel means the engine is gone, and the loop then ends on
    /// its closed event channel.
    fn send(&self, command: Command) {
        if self.commands.send(command).is_err() {
            tracing::debug!("the engine has gone");
        }
    }

    /// Stops sending: everything queued ends unsent (and stays resumable); requests on the wire
    /// finish and are recorded.
    fn cancel(&mut self) {
        if !self.cancelled {
            self.cancelled = true;
            self.send(Command::Cancel);
        }
    }

    fn paused(&mut self, pause: Pause) {
        match pause {
            Pause::Unauthorized => {
                self.end.key_refused = true;
                self.progress
                    .note("the API key was refused; skipping the rest");
                self.cancel();
            }
            Pause::RateLimited { resume_in } => {
                let secs = resume_in.as_secs_f64().ceil();
                if resume_in > SAID_WAIT && !self.progress.visible() {
                    say!(
                        "waiting {secs} s: the server's rate limit asks for it \
                         (Retry-After or X-RateLimit-Reset)"
                    );
                }
                self.progress
                    .waiting(&format!("rate limited: waiting {}s", secs.max(1.0)));
            }
            Pause::Halted(halt) => match &halt.cause {
                HaltCause::Unreachable { .. } => {
                    let now = Instant::now();
                    let until = self
                        .unreachable
                        .as_ref()
                        .map_or(now + self.give_up_after, |(until, _)| *until);
                    self.unreachable = Some((until, halt.cause.to_string()));
                    let left = until.saturating_duration_since(now).as_secs();
                    self.progress
                        .waiting(&format!("server unreachable; giving up in {left}s"));
                }
                cause => {
                    self.end.halted = Some(cause.to_string());
                    self.cancel();
                }
            },
        }
    }

    /// The server has stayed unreachable for `give_up_after`: stop.
    fn give_up_if_due(&mut self) {
        if let Some((until, cause)) = &self.unreachable
            && Instant::now() >= *until
        {
            self.end.halted = Some(format!(
                "{cause}; gave up after {} s",
                self.give_up_after.as_secs()
            ));
            self.unreachable = None;
            self.cancel();
        }
    }

    /// A write to the data folder: its failure stops sending (what is answered meanwhile is
    /// held in memory and written, if it can be, at the end).
    fn keep(&mut self, written: Result<(), StoreError>) {
        if let Err(err) = written {
            self.write_failed = true;
            self.fault(err.to_string());
        }
    }

    /// Stops on a local fault; off a terminal it is said once, at the end (`delete`).
    fn fault(&mut self, why: String) {
        if self.end.local_fault.is_none() {
            if self.progress.visible() {
                self.progress.note(&format!("stopping: {why}"));
            }
            self.end.local_fault = Some(why);
        }
        self.cancel();
    }
}

/// Once the batch stopped itself (a refused key, a halt, a local fault), the engine cancels
/// the rest: what was never sent reads `skipped`, and an ID whose request was refused reads
/// `unauthorized`.
fn unsent_as_skipped(outcome: Outcome) -> Outcome {
    if outcome.kind != OutcomeKind::Cancelled {
        return outcome;
    }
    let kind = if outcome.status == Some(401) {
        OutcomeKind::Unauthorized
    } else if outcome.attempts == 0 {
        OutcomeKind::Skipped
    } else {
        OutcomeKind::Cancelled
    };
    Outcome { kind, ..outcome }
}
