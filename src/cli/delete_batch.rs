//! One `delete` batch, driven through the delete pipeline (which queues the confirmed IDs in
//! the store before the engine may send them and records every result as it arrives): stop
//! sending (keeping every answer that still comes, the rest resumable) when the key is
//! refused, the engine halts, the server stays unreachable (or refuses everything) past
//! `give_up_after`, standard output closes, a write fails, or Ctrl-C (the first cancels what
//! is queued, the second stops waiting at once). Ctrl-z pauses sending and then stops the
//! process until `fg`. Printing is `delete_report`'s. Nothing here returns an error once
//! requests may have gone out: such a fault ends the batch with `BatchEnd::local_fault`
//! instead.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::CliError;
use super::delete_report::{Progress, Report};
use crate::api::{ApiKey, ElytronClient, Outcome, VideoId};
use crate::engine::{self, Command, EngineConfig, Event, HaltCause, Pause};
use crate::job_control::{self, Suspends};
use crate::pipeline::{News, Pipeline};
use crate::printable::out::say;
use crate::rails::Cleared;
use crate::store::{Paths, Recorder, SendLock};
use crate::time_text::clock_time_in;

/// Off a terminal, a wait longer than this is said on stderr (a terminal shows it on the bar).
const SAID_WAIT: Duration = Duration::from_secs(10);
/// After Ctrl-z, the process stops once the requests on the wire have landed, or after this
/// long if they have not (their answers are then read when it is continued).
const DRAIN: Duration = Duration::from_secs(5);

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
    /// IDs of this batch (or an earlier one) that `delete --resume` would send, counted in
    /// the store once everything was written; `None` when they could not be counted.
    pub resumable: Option<usize>,
}

/// What a batch runs with, besides its IDs.
pub struct Setup {
    pub paths: Paths,
    /// The profile's send lock, taken before the user was asked.
    pub lock: SendLock,
    pub client: ElytronClient,
    pub key: ApiKey,
    pub config: EngineConfig,
    /// How long an unreachable server is probed before the batch gives up.
    pub give_up_after: Duration,
}

/// Runs the batch the user confirmed past the rails. `Err` only before anything was sent
/// (the store could not be opened or the batch not queued).
pub async fn run_batch(
    setup: Setup,
    cleared: Cleared,
    report: &Report,
) -> Result<BatchEnd, CliError> {
    let Setup {
        paths,
        lock,
        client,
        key,
        config,
        give_up_after,
    } = setup;
    let recorder =
        Recorder::open(&paths, Some(client.host().to_owned()))?.with_pace_of(client.base_url());
    let total = cleared.len();
    let waits = config.wait_processing.is_some();
    let wait_processing = config.wait_processing.unwrap_or_default();
    // The pace the last batch found this server to allow is where this one starts.
    let seed = recorder.kept_pace();
    let (commands, events) = engine::spawn_seeded(client, Some(key), config, seed);
    let (pipeline, mut news) = Pipeline::spawn(recorder, Some(lock), commands, events, waits);
    pipeline.send(cleared);
    let mut batch = Batch {
        end: BatchEnd::default(),
        pipeline,
        cancelled: false,
        progress: report.progress(total),
        unreachable: None,
        give_up_after,
        suspending: None,
    };
    // Without it Ctrl-z still stops the process, only without pausing first.
    let mut suspends = Suspends::listen().ok();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            news = news.recv() => match news {
                None | Some(News::Engine(Event::Stopped)) => break,
                Some(News::Engine(Event::Finished { id, outcome })) => {
                    report.finished(id, &outcome);
                    if let Some(failure) = report.output_failure() {
                        batch.fault(failure);
                    }
                    batch.progress.finished(id, &outcome);
                    batch.end.outcomes.insert(id, outcome);
                }
                // The engine is idle once every ID has finished; by then what it learned of
                // the server's pace is kept for the next batch.
                Some(News::Engine(Event::Idle { .. })) if batch.end.outcomes.len() == total => {
                    break;
                }
                Some(News::Engine(Event::Paused(Pause::ByUser { in_flight: 0 })))
                    if batch.suspending.is_some() =>
                {
                    batch.suspend_now();
                }
                Some(News::Engine(Event::Paused(pause))) => batch.paused(pause),
                Some(News::Engine(Event::Started { id, .. })) => batch.progress.started(id),
                Some(News::Engine(Event::Generating { id, .. })) => {
                    batch.progress.generating(id, wait_processing);
                }
                Some(News::Engine(Event::StatusUnavailable { reason })) => {
                    batch.progress.note(&format!(
                        "{reason}: videos still generating are retried blindly until \
                         --wait-processing runs out"
                    ));
                }
                Some(News::Engine(Event::Resumed)) => {
                    batch.unreachable = None;
                    batch.progress.waiting("");
                }
                Some(News::Refused { why, .. }) => {
                    batch.progress.done();
                    batch.pipeline.finish();
                    return Err(CliError::Usage(format!("{why}; nothing was sent")));
                }
                Some(News::WriteFailed(why)) => batch.fault(why),
                Some(News::Engine(_) | News::EditFailed(_)) => {}
            },
            () = ctrl_z(&mut suspends) => batch.suspend_soon(),
            signal = tokio::signal::ctrl_c() => {
                if signal.is_err() || batch.end.interrupted {
                    break;
                }
                batch.end.interrupted = true;
                batch.progress.note("cancelling what is queued; Ctrl-C again to stop at once");
                batch.cancel();
            }
            _ = tick.tick() => {
                batch.progress.tick();
                if let Some(failure) = report.output_failure() {
                    batch.fault(failure);
                }
                batch.give_up_if_due();
                if batch.suspending.is_some_and(|by| Instant::now() >= by) {
                    batch.suspend_now();
                }
            }
        }
    }
    batch.progress.done();
    // What is buffered goes out now (after a failed write, one more try), and the IDs left
    // queued are counted where `delete --resume` will read them.
    let Batch {
        mut end, pipeline, ..
    } = batch;
    let finished = pipeline.finish();
    if let Some(failure) = finished.failure
        && end.local_fault.is_none()
    {
        end.local_fault = Some(failure);
    }
    match finished.resumable {
        Ok(count) => end.resumable = Some(count),
        Err(err) => {
            end.local_fault.get_or_insert_with(|| err.to_string());
        }
    }
    Ok(end)
}

/// The loop's state: how it ends, and how it stops the batch.
struct Batch {
    end: BatchEnd,
    pipeline: Pipeline,
    /// The user cancelled, or the batch stopped itself.
    cancelled: bool,
    progress: Progress,
    /// The server is unreachable (or refuses everything): give up at this instant, with this
    /// cause, unless it answers first.
    unreachable: Option<(Instant, String)>,
    give_up_after: Duration,
    /// Ctrl-z paused sending: the process stops once the requests on the wire have landed,
    /// or at this instant, whichever comes first.
    suspending: Option<Instant>,
}

impl Batch {
    /// The user cancels (Ctrl-C): everything queued ends cancelled (and stays resumable);
    /// requests on the wire finish and are recorded.
    fn cancel(&mut self) {
        if !self.cancelled {
            self.cancelled = true;
            self.pipeline.command(Command::Cancel);
        }
    }

    /// The batch stops itself: what it never sent is `skipped`, and stays resumable.
    fn stop(&mut self) {
        if !self.cancelled {
            self.cancelled = true;
            self.pipeline.stop();
        }
    }

    /// Ctrl-z: nothing more is sent; once the requests on the wire land (or `DRAIN` has
    /// passed), the process stops, as a terminal user expects of Ctrl-z.
    fn suspend_soon(&mut self) {
        if self.suspending.is_none() {
            self.suspending = Some(Instant::now() + DRAIN);
            self.progress.note(
                "paused: nothing more is sent; stopping once the requests on the wire land \
                 (`fg` resumes)",
            );
            self.pipeline.command(Command::Pause);
        }
    }

    /// Stops the process until `fg`, with everything answered so far on disk, then resumes
    /// sending at the pace it had (the time away counts as no wait).
    fn suspend_now(&mut self) {
        self.suspending = None;
        self.pipeline.flush();
        let stopped = self.progress.suspend(job_control::stop_until_continued);
        if let Err(err) = stopped {
            tracing::warn!("could not stop the process for Ctrl-z: {err}");
        }
        self.progress.note("resumed");
        self.pipeline.command(Command::Resume);
    }

    fn paused(&mut self, pause: Pause) {
        match pause {
            Pause::ByUser { .. } => self.progress.waiting("paused"),
            Pause::Unauthorized => {
                self.end.key_refused = true;
                self.progress
                    .note("the API key was refused; skipping the rest");
                self.stop();
            }
            Pause::RateLimited {
                resume_in,
                waiting_for,
            } => {
                let secs = resume_in.as_secs_f64().ceil().max(1.0);
                let until = clock_time_in(resume_in);
                if resume_in > SAID_WAIT && !self.progress.visible() {
                    say!("waiting {secs} s, until {until}: {waiting_for}");
                }
                self.progress
                    .waiting(&format!("rate limited: waiting {secs}s, until {until}"));
            }
            Pause::Halted(halt) => match &halt.cause {
                HaltCause::Unreachable { .. } | HaltCause::Overloaded { .. } => {
                    let now = Instant::now();
                    let until = match &self.unreachable {
                        Some((until, _)) => *until,
                        None => {
                            // Said once, off a terminal too: sending has stopped for now.
                            self.progress.note(&format!(
                                "{}; probing it, giving up in {} s",
                                halt.cause,
                                self.give_up_after.as_secs()
                            ));
                            now + self.give_up_after
                        }
                    };
                    self.unreachable = Some((until, halt.cause.to_string()));
                    let left = until.saturating_duration_since(now).as_secs();
                    let what = match &halt.cause {
                        HaltCause::Overloaded { .. } => "server refusing everything",
                        _ => "server unreachable",
                    };
                    self.progress
                        .waiting(&format!("{what}; giving up in {left}s"));
                }
                cause => {
                    self.end.halted = Some(cause.to_string());
                    self.stop();
                }
            },
        }
    }

    /// The server has stayed unreachable (or refused everything) for `give_up_after`: stop.
    fn give_up_if_due(&mut self) {
        if let Some((until, cause)) = &self.unreachable
            && Instant::now() >= *until
        {
            self.end.halted = Some(format!(
                "{cause}; gave up after {} s",
                self.give_up_after.as_secs()
            ));
            self.unreachable = None;
            self.stop();
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
        self.stop();
    }
}

/// The next Ctrl-z, if it can be heard (else never).
async fn ctrl_z(suspends: &mut Option<Suspends>) {
    match suspends {
        Some(suspends) => suspends.recv().await,
        None => std::future::pending().await,
    }
}
