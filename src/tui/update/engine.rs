//! Engine events, as the app takes them: each row's progress, the gauge, pauses (a refused
//! key opens the key prompt over anything that is only a view; a halted batch shows why),
//! and the end of a batch.

use crate::engine::{BatchCounts, Event, Pause};
use crate::store::SizeTotal;
use crate::tui::app::App;
use crate::tui::app::batch::{Paused, after};
use crate::tui::app::row::{Generation, Retry};
use crate::tui::effect::Effect;
use crate::tui::modal::{KeyPrompt, Modal};

pub fn on_event(app: &mut App, event: Event) -> Vec<Effect> {
    let now = app.now();
    match event {
        Event::Queued { ids } => app.queued(&ids),
        Event::Started { id, attempt } => app.started(&id, attempt),
        Event::Retrying {
            id,
            attempt,
            wait,
            reason,
        } => app.retrying(
            &id,
            Retry {
                attempt,
                next_at: after(now, wait),
                reason,
            },
        ),
        Event::Finished { id, outcome } => app.finished(&id, outcome),
        Event::Generating {
            id,
            progress,
            estimated_completion,
        } => app.generating(
            &id,
            Generation {
                progress,
                estimated_completion,
            },
        ),
        Event::StatusUnavailable { reason } => app.set_notice(format!(
            "{reason}: videos still generating are retried blindly until \
             wait_processing_seconds runs out."
        )),
        Event::Paused(Pause::Unauthorized) => {
            app.paused(Paused::Unauthorized);
            // While api_key_command runs, its answer is what the batch waits for.
            if app.modal().is_view_or_none() && app.key_command().is_none() {
                app.set_modal(Modal::KeyPrompt(KeyPrompt::default()));
            }
        }
        Event::Paused(Pause::RateLimited {
            resume_in,
            waiting_for,
        }) => app.paused(Paused::RateLimited {
            until: after(now, resume_in),
            waiting_for,
        }),
        Event::Paused(Pause::Halted(halt)) => app.paused(Paused::Halted {
            cause: halt.cause.to_string(),
            retry_at: halt.retry_in.map(|wait| after(now, wait)),
        }),
        Event::Paused(Pause::ByUser { .. }) => app.paused(Paused::ByUser { since: now }),
        Event::Resumed => app.resumed(),
        // The rate the gauge shows already follows it.
        Event::Narrowed { .. } => {}
        // The pipeline keeps it in the store, for the next session on this server.
        Event::Learned(_) => {}
        Event::Idle { counts } => {
            let (never_sent, freed) = app.batch().map_or((0, SizeTotal::default()), |batch| {
                (batch.never_sent, batch.freed)
            });
            app.batch_over();
            app.set_notice(batch_summary(&counts, never_sent, freed));
        }
        Event::Stopped => {
            app.batch_over();
            app.set_notice("The delete engine has stopped.");
        }
    }
    Vec::new()
}

/// What the batch did, with the videos it never sent (cancelled before their request) as a
/// count of their own: they are neither deleted nor failed, and they stay as they were.
fn batch_summary(counts: &BatchCounts, never_sent: usize, freed: SizeTotal) -> String {
    let failed = counts.unsuccessful().saturating_sub(never_sent);
    let not_found = counts.not_found;
    let deleted = match freed.shown() {
        Some(size) => format!("{} deleted ({size} freed)", counts.deleted),
        None => format!("{} deleted", counts.deleted),
    };
    if never_sent == 0 {
        format!("Batch done: {deleted}, {not_found} not found, {failed} did not succeed.")
    } else {
        format!(
            "Batch cancelled: {deleted}, {not_found} not found, {failed} did not \
             succeed, {never_sent} cancelled before being sent."
        )
    }
}
