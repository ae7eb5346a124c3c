//! `delete`: gather the asked IDs, put them through the profile's rails (`Rails::check`:
//! read-only and a batch over the limit refused, protected videos reported `protected` and
//! left out), check the key and the base URL, confirm (`delete_confirm`), then run the batch
//! (`delete_batch`), print the results (`delete_report`) and say why it stopped early, if it
//! did. Nothing is sent before the user confirmed (or passed `--yes`, and `--confirm-name`
//! where the profile asks for its name); with no terminal to ask on it refuses.

use std::time::Duration;

use jiff::Timestamp;

use super::delete_batch::{BatchEnd, Setup, run_batch};
use super::delete_confirm::{Shown, confirm};
use super::delete_manifest::{Described, WAITS_FOR_GENERATION};
use super::delete_report::Report;
use super::input::read_ids;
use super::open::open_store;
use super::{CliError, DeleteArgs, Exit, GlobalArgs};
use crate::api::{Outcome, OutcomeKind, VideoId};
use crate::config::{API_KEY_ENV, KeyOrigin};
use crate::engine::BatchCounts;
use crate::printable::out::say;
use crate::rails::{Checked, Protection, Rails, Subjects};
use crate::session::{Overrides, Session};
use crate::store::{KnownVideos, Paths, SendLock, SizeTotal, Store};

pub fn run(paths: &Paths, global: &GlobalArgs, args: &DeleteArgs) -> Result<Exit, CliError> {
    let overrides = Overrides {
        concurrency: args.concurrency.map(usize::from),
        max_rate: args.max_rate,
        wait_processing: args.wait_processing.map(Duration::from_secs),
        // `elytron-tui --max-delete N delete` is the app's flag, but a limit all the same:
        // the smaller of the two applies, never neither.
        max_delete: match (global.max_delete, args.max_delete) {
            (Some(app), Some(delete)) => Some(app.min(delete)),
            (app, delete) => app.or(delete),
        },
        ..global.overrides()
    };
    let session = Session::load(paths, overrides)?;
    let mut store = open_store(&session.paths)?;
    let rails = session.rails(&store)?;
    // The list is read when the IDs come from it, or the protect rules read it.
    let list = if args.all || args.query.is_some() || !session.rails.rules.is_empty() {
        store.videos()?
    } else {
        KnownVideos::default()
    };
    let ids = asked_ids(&store, &list, args)?;
    let subjects = Subjects::new(&rails, &list, Timestamp::now());
    let described = Described::new(&store, &list, &ids, subjects.now())?;
    if args.dry_run || (session.rails.dry_run && !args.no_dry_run) {
        return dry_run(&session, &rails, (&subjects, &described), ids, args);
    }
    let checked = check(&rails, &subjects, &ids)?;
    drop(subjects);
    if ids.is_empty() {
        say!("nothing to delete");
        return Ok(Exit::Success);
    }
    let protected = protected_outcomes(&rails, &ids, checked.protected(), checked.reasons());
    let client = session.client()?;
    let report = Report::new(args.json);
    if !protected.is_empty() {
        say!(
            "{} protected video(s) left out: nothing is sent for them",
            protected.len()
        );
        // They will never be sent from here, so `--resume` must not offer them again.
        let withdrawn: Vec<VideoId> = protected.iter().map(|(id, _)| *id).collect();
        store.withdraw(&withdrawn)?;
    }
    let wait = session.engine.wait_processing;
    let preface = described.preface(checked.ids(), &protected, wait);
    let sizes = described.sizes(checked.ids());
    drop(described);
    drop(list);
    let mut end = if checked.ids().is_empty() {
        report_protected(&report, &protected);
        BatchEnd::default()
    } else {
        let key = session
            .api_key(super::waiting_for_key)?
            .ok_or_else(|| no_key(&session, paths))?;
        // Before the question: another batch sending on this profile refuses this one.
        let lock = SendLock::acquire(&session.paths)?;
        let shown = Shown {
            host: client.host(),
            profile: session.shown_profile(),
        };
        let threshold = session.config.confirm_threshold;
        let frees: SizeTotal = checked
            .ids()
            .iter()
            .map(|id| sizes.get(id).copied())
            .collect();
        let Some(cleared) = confirm(checked, args, (&shown, &preface), threshold, frees.shown())?
        else {
            // Every asked ID ends unsent, which is "some other outcome" (exit 1), not an error.
            say!("nothing was sent");
            return Ok(Exit::Partial);
        };
        report_protected(&report, &protected);
        let setup = Setup {
            give_up_after: args.give_up_after.or(session.config.give_up_after),
            paths: session.paths,
            lock,
            client,
            key,
            config: session.engine,
        };
        drop(store);
        Session::runtime()?.block_on(run_batch(setup, cleared, &report))?
    };
    end.outcomes.extend(protected);
    let freed: SizeTotal = end
        .outcomes
        .iter()
        .filter(|(_, outcome)| outcome.kind == OutcomeKind::Deleted)
        .map(|(id, _)| sizes.get(id).copied())
        .collect();
    let (output_failure, counts) = report.finish(&ids, &end.outcomes, freed);
    if end.local_fault.is_none() {
        end.local_fault = output_failure;
    }
    explain_stop(&end, &counts, ids.len());
    Ok(exit_for(&end))
}

/// Why a batch ended before its end (a fault, a halt, a refused key, Ctrl-C), and what is
/// left to resume, in one line (the table lists no ID that was never sent); nothing when it
/// did not end early.
fn explain_stop(end: &BatchEnd, counts: &BatchCounts, asked: usize) {
    let why = match end.local_fault.as_ref().or(end.halted.as_ref()) {
        Some(why) => format!("stopped: {why}"),
        None if end.key_refused => "stopped: the API key was refused".to_owned(),
        None if end.interrupted => "interrupted".to_owned(),
        None => return,
    };
    let sent = end
        .outcomes
        .values()
        .filter(|outcome| outcome.attempts > 0)
        .count();
    let resume = match end.resumable {
        Some(0) => "nothing is left to resume".to_owned(),
        Some(queued) => {
            format!("{queued} stay queued: `elytron-tui delete --resume` sends them")
        }
        None => "the IDs left queued could not be counted; `elytron-tui delete --resume` \
                 sends them"
            .to_owned(),
    };
    say!(
        "{why}; sent {sent} of {asked} ({} deleted), {} never sent; {resume}",
        counts.deleted,
        asked - sent,
    );
}

/// The IDs in the order asked, each once: arguments, `--from`, `--all` (the known list),
/// `--query` (the videos of the list it picks) and `--resume` (the interrupted batch).
fn asked_ids(
    store: &Store,
    list: &KnownVideos,
    args: &DeleteArgs,
) -> Result<Vec<VideoId>, CliError> {
    let mut ids = args.ids.clone();
    if let Some(path) = &args.from {
        ids.extend(read_ids(path)?);
    }
    if args.all {
        ids.extend(list.iter().map(|video| video.id));
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
        let videos = list.as_slice();
        let rows = super::query::matching_rows(videos, &query, Timestamp::now());
        say!(
            "the query picks {} of the {} known video(s)",
            rows.len(),
            videos.len()
        );
        ids.extend(rows.iter().map(|&row| videos[row as usize].id));
    }
    if args.resume {
        let pending = store.pending()?;
        if pending.is_empty() {
            say!("no interrupted batch to resume");
        }
        ids.extend(pending);
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(*id));
    Ok(ids)
}

/// The one gate (`Rails::check`), with what the known list says of each ID for the rules. A
/// refusal (read-only, over the limit) is exit 2: nothing was sent.
fn check(rails: &Rails, subjects: &Subjects<'_>, ids: &[VideoId]) -> Result<Checked, CliError> {
    rails
        .check(ids.to_vec(), |id| subjects.known(id), subjects.now())
        .map_err(|why| CliError::Usage(format!("{why}; nothing was sent")))
}

/// `--dry-run`, or a profile's `dry_run = true` without `--no-dry-run`: the batch as the
/// rails make it (`Rails::preview`) is printed, and nothing is asked or sent. A batch the real
/// run would refuse (read-only, over the limit) is shown all the same, says why, and ends as
/// the real run would: exit 2.
fn dry_run(
    session: &Session,
    rails: &Rails,
    (subjects, described): (&Subjects<'_>, &Described<'_>),
    ids: Vec<VideoId>,
    args: &DeleteArgs,
) -> Result<Exit, CliError> {
    let preview = rails.preview(ids.clone(), |id| subjects.known(id), subjects.now());
    let protected = protected_outcomes(rails, &ids, preview.protected(), preview.reasons());
    let client = session.client()?;
    let describe = |id| described.describe(id);
    Report::new(args.json).dry_run(client.base_url(), (preview.ids(), &describe), &protected)?;
    let breakdown = described.breakdown(preview.ids(), &protected);
    let waits = breakdown.generating(session.engine.wait_processing, WAITS_FOR_GENERATION);
    for sentence in breakdown.sentences().into_iter().chain(waits) {
        say!("{sentence}");
    }
    let why = if args.dry_run {
        "dry run".to_owned()
    } else {
        format!(
            "dry run (dry_run = true for profile {}; --no-dry-run sends)",
            session.shown_profile()
        )
    };
    let count = preview.ids().len();
    let left_out = match protected.len() {
        0 => String::new(),
        n => format!(", {n} protected left out"),
    };
    match preview.refusal() {
        Some(refusal) => {
            say!(
                "{why}: the real run would be refused: {refusal}. It would ask about the \
                 {count} video(s) listed{left_out}; nothing was sent"
            );
            Ok(Exit::Usage)
        }
        None => {
            say!("{why}: {count} request(s) would be sent{left_out}; nothing was sent");
            Ok(Exit::Success)
        }
    }
}

/// The `protected` outcome of each ID the rails left out (at `positions` in `ids`, for
/// `reasons`), saying why.
fn protected_outcomes(
    rails: &Rails,
    ids: &[VideoId],
    positions: &[usize],
    reasons: &[Protection],
) -> Vec<(VideoId, Outcome)> {
    positions
        .iter()
        .zip(reasons)
        .map(|(&at, &why)| {
            let outcome = Outcome {
                message: Some(rails.reason(why)),
                ..Outcome::unsent(OutcomeKind::Protected)
            };
            (ids[at], outcome)
        })
        .collect()
}

/// No key anywhere the profile looks: say where it looks, and what to set.
pub(super) fn no_key(session: &Session, paths: &Paths) -> CliError {
    let origin = session.profile.key_origin();
    let fix = match &origin {
        KeyOrigin::Env { var, .. } if var != API_KEY_ENV => format!("set {var}"),
        _ => format!(
            "set ELYTRON_API_KEY, or api_key / api_key_env / api_key_command in {}",
            paths.config_file.display()
        ),
    };
    CliError::Usage(format!(
        "no API key (profile {}, key source: {origin}): {fix}",
        session.profile.name()
    ))
}

/// With `--json`, the protected IDs' lines: once the batch is confirmed (or nothing is left
/// to confirm), before anything is sent; a batch refused or declined prints none.
fn report_protected(report: &Report, protected: &[(VideoId, Outcome)]) {
    for (id, outcome) in protected {
        report.finished(*id, outcome);
    }
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
