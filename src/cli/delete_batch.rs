//! One `delete` batch on the engine: enqueue the confirmed IDs, record every result through the
//! `OutcomeRecorder` as it arrives, and handle the key being refused and Ctrl-C (the first
//! cancels what is queued, the second stops waiting at once). Printing is `delete_report`'s.

use std::collections::HashMap;
use std::time::Duration;

use super::CliError;
use super::delete_report::Report;
use crate::api::{ApiKey, ElytronClient, Outcome, OutcomeKind, VideoId};
use crate::engine::{self, Command, EngineConfig, Event, Pause};
use crate::store::{OutcomeRecorder, Store};

/// How a batch ended.
#[derive(Debug, Default)]
pub struct BatchEnd {
    /// Every ID that finished, with its final outcome.
    pub outcomes: HashMap<VideoId, Outcome>,
    pub key_refused: bool,
    pub interrupted: bool,
}

pub async fn run_batch(
    store: Store,
    client: ElytronClient,
    key: ApiKey,
    config: EngineConfig,
    ids: &[VideoId],
    report: &Report,
) -> Result<BatchEnd, CliError> {
    let mut recorder = OutcomeRecorder::new(store, Some(client.host().to_owned()))?;
    recorder.enqueued(ids)?;
    let (commands, mut events) = engine::spawn(client, Some(key), config);
    let mut end = BatchEnd::default();
    // A closed channel means the engine is gone; the loop below then ends on `None`.
    let send = |command| commands.send(command).is_ok();
    send(Command::Enqueue(ids.to_vec()));
    let progress = report.progress(ids.len());
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    loop {
        tokio::select! {
            event = events.recv() => match event {
                None | Some(Event::Stopped) => break,
                Some(Event::Finished { id, outcome }) => {
                    let outcome = if end.key_refused { unsent_as_skipped(outcome) } else { outcome };
                    recorder.record(id, &outcome)?;
                    report.finished(id, &outcome)?;
                    progress.finished(&outcome);
                    end.outcomes.insert(id, outcome);
                    if end.outcomes.len() == ids.len() {
                        break;
                    }
                }
                Some(Event::Paused(Pause::Unauthorized)) => {
                    end.key_refused = true;
                    progress.note("the API key was refused; skipping the rest");
                    send(Command::Cancel);
                }
                Some(Event::Paused(Pause::RateLimited { resume_in })) => {
                    progress.waiting(&format!("rate limited: waiting {}s", resume_in.as_secs().max(1)));
                }
                Some(Event::Resumed) => progress.waiting(""),
                Some(_) => {}
            },
            signal = tokio::signal::ctrl_c() => {
                signal.map_err(CliError::Output)?;
                if end.interrupted {
                    break;
                }
                end.interrupted = true;
                progress.note("cancelling what is queued; Ctrl-C again to stop at once");
                send(Command::Cancel);
            }
            _ = tick.tick() => {
                recorder.flush_if_due()?;
                progress.tick();
            }
        }
    }
    drop(commands);
    recorder.finish()?;
    progress.done();
    Ok(end)
}

/// After a 401 the engine holds the rest back and the driver cancels them: what was never
/// sent reads `skipped`, and the ID whose request was refused reads `unauthorized`.
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
