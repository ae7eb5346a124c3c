//! Engine events applied to rows and the batch gauge. Row order never changes here, so rows
//! do not jump under the user; the cursor is a row index and follows its video.

use crate::engine::{Event, Pause};
use crate::tui::app::App;
use crate::tui::batch::{BatchProgress, Paused, after};
use crate::tui::effect::Effect;
use crate::tui::modal::{KeyPrompt, Modal};
use crate::tui::row::{Retry, RowState};

pub fn on_event(app: &mut App, event: Event) -> Vec<Effect> {
    let now = app.now;
    match event {
        Event::Queued { ids } => {
            let batch = app.batch.get_or_insert_with(|| BatchProgress::new(now));
            batch.total += ids.len();
            for id in &ids {
                if let Some(row) = app.row_mut(id) {
                    row.state = RowState::Queued;
                }
            }
        }
        Event::Started { id, attempt } => {
            if let Some(row) = app.row_mut(&id) {
                row.state = RowState::Deleting { attempt };
            }
        }
        Event::Retrying {
            id,
            attempt,
            wait,
            reason,
        } => {
            if let Some(row) = app.row_mut(&id) {
                row.state = RowState::Retrying(Box::new(Retry {
                    attempt,
                    next_at: after(now, wait),
                    reason,
                }));
            }
        }
        Event::Finished { id, outcome } => {
            let gone = outcome.kind.is_gone();
            if let Some(batch) = &mut app.batch {
                batch.done += 1;
                batch.failures += usize::from(!gone);
            }
            if let Some(row) = app.row_of(&id) {
                if gone && app.marks.contains(row) {
                    app.marks.set(row, false);
                    app.recount_hidden();
                }
                app.rows[row as usize].finish(outcome.clone(), now);
                app.list_changed = true;
            }
            return vec![Effect::RecordOutcome { id, outcome }];
        }
        Event::Paused(Pause::Unauthorized) => {
            set_paused(app, Paused::Unauthorized);
            app.key_needed = true;
            if matches!(
                app.modal,
                Modal::None | Modal::Help | Modal::Detail | Modal::History(_)
            ) {
                app.modal = Modal::KeyPrompt(KeyPrompt::default());
            }
        }
        Event::Paused(Pause::RateLimited { resume_in }) => {
            set_paused(
                app,
                Paused::RateLimited {
                    until: after(now, resume_in),
                },
            );
        }
        Event::Paused(Pause::Halted(halt)) => {
            set_paused(
                app,
                Paused::Halted {
                    cause: halt.cause.to_string(),
                    retry_at: halt.retry_in.map(|wait| after(now, wait)),
                },
            );
        }
        Event::Resumed => {
            if let Some(batch) = &mut app.batch {
                batch.paused = None;
            }
            app.key_needed = false;
        }
        Event::Idle { counts } => {
            app.batch = None;
            app.notice = Some(format!(
                "Batch done: {} deleted, {} not found, {} did not succeed.",
                counts.deleted,
                counts.not_found,
                counts.unsuccessful()
            ));
            if app.list_changed {
                return vec![Effect::SaveList];
            }
        }
        Event::Stopped => {
            app.batch = None;
            app.notice = Some("The delete engine has stopped.".into());
        }
    }
    Vec::new()
}

fn set_paused(app: &mut App, paused: Paused) {
    let now = app.now;
    app.batch
        .get_or_insert_with(|| BatchProgress::new(now))
        .paused = Some(paused);
}
