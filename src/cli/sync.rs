//! `sync`: list the account's videos from the API into the known list (`crate::sync`), with
//! a progress bar on a terminal, one JSON line per new or changed video with `--json`, and
//! a summary on stderr. Its pages go through a delete engine of its own (`sync::Paced`), so
//! `--max-rate`, the server's pace and its halts hold as for `delete` (and, as there, the
//! pace the last run kept starts it, and what it learned is kept); a halt ends the sync
//! (exit 4). Ctrl-C stops at once: every page merged stays, and the next sync walks
//! everything again. Nothing here deletes anything.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use jiff::Timestamp;
use tokio::sync::mpsc::UnboundedReceiver;

use super::delete::no_key;
use super::open::open_store;
use super::{CliError, Exit, SyncArgs};
use crate::account::ToMerge;
use crate::api::{GenerationState, ReadFailureKind, VideoId};
use crate::engine::{self, Event, Halt, Pause};
use crate::printable::out::{Stdout, say};
use crate::printable::printable;
use crate::session::Session;
use crate::store::{Paths, Store};
use crate::sync::{self, Paced, Retries, SyncAsk, SyncEnd, SyncEvent, SyncResult, change_word};

/// How long the engine is given to stop once the sync is over.
const STOP_WAIT: Duration = Duration::from_secs(2);

pub fn run(session: &Session, paths: &Paths, args: &SyncArgs) -> Result<Exit, CliError> {
    let client = session.client()?;
    let key = session
        .api_key(super::waiting_for_key)?
        .ok_or_else(|| no_key(session, paths))?;
    let mut store = open_store(&session.paths)?;
    let ask = SyncAsk {
        full: args.full,
        status: args.status,
    };
    let retries = Retries {
        policy: session.engine.retry_policy(),
        give_up_after: args.give_up_after.or(session.config.give_up_after),
    };
    let host = client.host().to_owned();
    let bar = progress_bar();
    let mut out = args.json.then(Stdout::lock);
    let mut output_failure = None;
    let base_url = client.base_url().to_owned();
    // The pace the last run found this server to allow is where this one starts.
    let seed = store.server_pace(&base_url);
    let synced = Session::runtime()?.block_on(async {
        let (commands, mut events) = engine::spawn_seeded(client, Some(key), session.engine, seed);
        let mut sender = Paced::new(commands);
        let halted = async {
            while let Some(event) = events.recv().await {
                match event {
                    Event::Paused(Pause::Halted(halt)) => return Some(halt),
                    Event::Paused(Pause::RateLimited {
                        resume_in,
                        waiting_for,
                    }) => {
                        let secs = resume_in.as_secs_f64().ceil().max(1.0);
                        bar.set_message(format!("waiting {secs}s for {waiting_for}"));
                    }
                    _ => {}
                }
            }
            None
        };
        let on = |event: SyncEvent<'_>| match event {
            SyncEvent::Merged { progress, videos } => {
                if let Some(total) = progress.total {
                    bar.set_length(total.max(progress.listed as u64));
                }
                bar.set_position(progress.listed as u64);
                bar.set_message(format!("page {}", progress.pages));
                if let Some(out) = out.as_mut()
                    && output_failure.is_none()
                {
                    for video in videos {
                        if let Err(err) = out.json(&json_line(video)) {
                            output_failure = Some(err);
                            break;
                        }
                    }
                }
            }
            SyncEvent::Waiting { wait, reason } => {
                let secs = wait.as_secs_f64().ceil().max(1.0);
                bar.set_message(printable(&format!("waiting {secs}s: {reason}")).into_owned());
            }
            // Said once, off a terminal too (as `delete` says it): nothing is merged meanwhile.
            SyncEvent::Unreachable { reason } => bar.suspend(|| say!("{reason}")),
        };
        // The sync first: a page that came with a halt is merged before the halt ends it.
        let synced = tokio::select! {
            biased;
            synced = sync::run(&mut store, &mut sender, retries, ask, on) => Ok(synced),
            Some(halt) = halted => Err(Some(halt)),
            _ = tokio::signal::ctrl_c() => Err(None),
        };
        if !matches!(synced, Err(None)) {
            drop(sender);
            keep_learned_pace(&mut events, &mut store, &base_url).await;
        }
        synced
    });
    bar.finish_and_clear();
    if let Some(out) = out.as_mut()
        && output_failure.is_none()
    {
        output_failure = out.flush().err();
    }
    let synced = match synced {
        Ok(synced) => synced,
        Err(halted) => return Ok(stopped(halted.as_ref())),
    };
    let synced = synced?;
    say!("{}", summary(&synced, &host));
    if let Some(err) = output_failure {
        return Err(CliError::Output(err));
    }
    Ok(exit_for(&synced.end))
}

/// The engine stops (its commands are gone): what its pages taught of the server's pace is
/// kept for the next run on the same base URL. A cache: a failure is only logged.
async fn keep_learned_pace(
    events: &mut UnboundedReceiver<Event>,
    store: &mut Store,
    base_url: &str,
) {
    let mut learned = None;
    let stopped = async {
        while let Some(event) = events.recv().await {
            match event {
                Event::Learned(pace) => learned = Some(pace),
                Event::Stopped => return,
                _ => {}
            }
        }
    };
    // Its pages on the wire are called off, so it stops at once.
    if tokio::time::timeout(STOP_WAIT, stopped).await.is_err() {
        tracing::warn!("the engine did not stop in time; its pace is not kept");
        return;
    }
    if let Some(pace) = learned
        && let Err(err) = store.keep_server_pace(base_url, &pace)
    {
        tracing::warn!("could not keep the server's pace for the next run: {err}");
    }
}

/// A sync stopped before its end: halted (`Some`) or interrupted. Says why, and what stays.
fn stopped(halted: Option<&Halt>) -> Exit {
    let Some(halt) = halted else {
        say!(
            "interrupted: every page merged so far is kept; the next sync walks the whole \
             listing again"
        );
        return Exit::Interrupted;
    };
    say!(
        "sync halted: {}; every page merged so far is kept; the next sync walks the whole \
         listing again",
        halt.cause
    );
    Exit::Halted
}

/// A bar of videos listed out of the listing's `total`, on a terminal only.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style =
        ProgressStyle::with_template("{bar:30} {pos}/{len} videos ({per_sec}, eta {eta}) {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(0).with_style(style)
}

/// One `--json` line: a video new to the list or changed, as the listing gave it.
#[derive(serde::Serialize)]
struct SyncLine<'a> {
    id: VideoId,
    change: &'static str,
    prompt: Option<&'a str>,
    state: Option<GenerationState>,
    created_at: Option<Timestamp>,
    completed_at: Option<Timestamp>,
    duration_seconds: Option<f64>,
    file_size: Option<u64>,
    error: Option<&'a str>,
    download_url: Option<&'a str>,
}

fn json_line(merged: &ToMerge) -> SyncLine<'_> {
    let video = &merged.video;
    SyncLine {
        id: video.id,
        change: change_word(merged.held),
        prompt: video.prompt.as_deref(),
        state: video.state,
        created_at: video.created_at,
        completed_at: video.completed_at,
        duration_seconds: video.duration.map(|duration| duration.as_secs_f64()),
        file_size: video.file_size,
        error: video.error.as_deref(),
        download_url: video.download_url.as_deref(),
    }
}

/// What the sync did, in one line (or why it stopped, with the way on).
fn summary(synced: &SyncEnd, host: &str) -> String {
    let SyncEnd {
        progress,
        added,
        updated,
        unlisted,
        ..
    } = synced;
    let counts = format!(
        "{added} new, {updated} changed; {} page(s), {} request(s)",
        progress.pages, progress.requests
    );
    match &synced.end {
        SyncResult::Complete => {
            let marked = if *unlisted > 0 {
                format!("; {unlisted} known video(s) not listed are marked listed:no (kept)")
            } else {
                String::new()
            };
            format!(
                "synced {} video(s) from {host}: {counts}{marked}",
                progress.listed
            )
        }
        SyncResult::StoppedEarly => format!(
            "synced from {host}: {counts}; the rest is as the last sync left it (--full walks \
             everything)"
        ),
        SyncResult::ReadFailed(failure)
            if failure.kind == ReadFailureKind::NotServed && added + updated == 0 =>
        {
            format!("{failure}; nothing in the list changed")
        }
        SyncResult::ReadFailed(failure) => {
            format!("stopped: {failure}; {counts} kept; the next sync walks everything again")
        }
        SyncResult::Unwalkable(why) => format!("stopped: {why}; {counts} kept; import IDs instead"),
    }
}

fn exit_for(end: &SyncResult) -> Exit {
    match end {
        SyncResult::Complete | SyncResult::StoppedEarly => Exit::Success,
        SyncResult::ReadFailed(failure) if failure.kind == ReadFailureKind::KeyRefused => {
            Exit::KeyRefused
        }
        SyncResult::ReadFailed(_) | SyncResult::Unwalkable(_) => Exit::Halted,
    }
}
