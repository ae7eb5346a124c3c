//! `delete`: gather the asked IDs, check the key and the base URL, confirm, then run the batch
//! (`delete_batch`), print the results (`delete_report`) and say why it stopped early, if it
//! did. Nothing is sent before the user confirmed (or passed `--yes`); without a terminal and
//! without `--yes` it refuses.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use jiff::Timestamp;

use super::delete_batch::{BatchEnd, run_batch};
use super::delete_report::Report;
use super::input::read_ids;
use super::open::open_store;
use super::{CliError, DeleteArgs, Exit, GlobalArgs};
use crate::api::VideoId;
use crate::engine::BatchCounts;
use crate::session::{Overrides, Session};
use crate::store::{Paths, Store};

pub fn run(paths: &Paths, global: &GlobalArgs, args: &DeleteArgs) -> Result<Exit, CliError> {
    let overrides = Overrides {
        base_url: global.base_url.as_deref(),
        concurrency: args.concurrency.map(usize::from),
        wait_processing: args.wait_processing.map(Duration::from_secs),
    };
    let session = Session::load(paths, overrides)?;
    let store = open_store(paths)?;
    let ids = asked_ids(&store, args)?;
    if ids.is_empty() {
        eprintln!("nothing to delete");
        return Ok(Exit::Success);
    }
    let client = session.client()?;
    let report = Report::new(args.json);
    if args.dry_run {
        report.dry_run(client.base_url(), &ids)?;
        return Ok(Exit::Success);
    }
    let key = session.api_key()?.ok_or_else(|| {
        CliError::Usage(format!(
            "no API key: set ELYTRON_API_KEY, or api_key / api_key_command in {}",
            paths.config_file.display()
        ))
    })?;
    if !args.yes && !confirmed(ids.len(), client.host())? {
        // Every asked ID ends unsent, which is "some other outcome" (exit 1), not an error.
        eprintln!("nothing was sent");
        return Ok(Exit::Partial);
    }
    let give_up_after = args
        .give_up_after
        .map_or(session.config.give_up_after, Duration::from_secs);
    let mut end = Session::runtime()?.block_on(run_batch(
        store,
        client,
        key,
        session.engine,
        give_up_after,
        &ids,
        &report,
    ))?;
    let (output_failure, counts) = report.finish(&ids, &end.outcomes);
    if end.local_fault.is_none() {
        end.local_fault = output_failure;
    }
    explain_stop(&end, &counts, ids.len());
    Ok(exit_for(&end))
}

/// Why a batch stopped before its end, and what is left to resume, in one line; nothing when
/// it did not stop early.
fn explain_stop(end: &BatchEnd, counts: &BatchCounts, asked: usize) {
    let Some(why) = end.local_fault.as_ref().or(end.halted.as_ref()) else {
        return;
    };
    let sent = end
        .outcomes
        .values()
        .filter(|outcome| outcome.attempts > 0)
        .count();
    eprintln!(
        "stopped: {why}; sent {sent} of {asked} ({} deleted), {} never sent; {} stay queued: \
         `elytron-tui delete --resume` sends them",
        counts.deleted,
        asked - sent,
        end.resumable
    );
}

/// The IDs in the order asked, each once: arguments, `--from`, `--all` (the known list),
/// `--query` (the videos of the list it picks) and `--resume` (the interrupted batch).
fn asked_ids(store: &Store, args: &DeleteArgs) -> Result<Vec<VideoId>, CliError> {
    let mut ids = args.ids.clone();
    if let Some(path) = &args.from {
        ids.extend(read_ids(path)?);
    }
    if args.all {
        ids.extend(store.videos().iter().map(|video| video.id));
    }
    if let Some(text) = &args.query {
        let query = super::query::parse(Some(text))?;
        if query.is_empty() {
            return Err(CliError::Usage(
                "--query is empty, which picks every video: say --all if that is meant; \
                 nothing was sent"
                    .to_owned(),
            ));
        }
        let videos = store.videos().as_slice();
        let rows = super::query::matching_rows(videos, &query, Timestamp::now());
        eprintln!(
            "the query picks {} of the {} known video(s)",
            rows.len(),
            videos.len()
        );
        ids.extend(rows.iter().map(|&row| videos[row as usize].id));
    }
    if args.resume {
        let pending = store.pending()?;
        if pending.is_empty() {
            eprintln!("no interrupted batch to resume");
        }
        ids.extend(pending);
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    Ok(ids)
}

/// Asks on the terminal; refuses (exit 2) when there is none to ask on.
fn confirmed(count: usize, host: &str) -> Result<bool, CliError> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(CliError::Usage(format!(
            "refusing to delete {count} video(s) without confirmation: not on a terminal. \
             Pass --yes to confirm (or --dry-run to see what would be sent); nothing was sent"
        )));
    }
    let mut stderr = std::io::stderr().lock();
    write!(
        stderr,
        "Delete {count} video(s) on {host}? This cannot be undone. [y/N] "
    )
    .and_then(|()| stderr.flush())
    .map_err(CliError::Output)?;
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(CliError::Output)?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn exit_for(end: &BatchEnd) -> Exit {
    if end.local_fault.is_some() {
        Exit::LocalFault
    } else if end.interrupted {
        Exit::Interrupted
    } else if end.key_refused {
        Exit::KeyRefused
    } else if end.halted.is_some() {
        Exit::Halted
    } else if end.outcomes.values().all(|outcome| outcome.kind.is_gone()) {
        Exit::Success
    } else {
        Exit::Partial
    }
}
