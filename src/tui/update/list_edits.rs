//! Changes to which rows exist and which are queued: opening the delete confirmation,
//! confirming it, releasing the grace countdown to the engine, forgetting and adding IDs.

use std::collections::HashSet;

use crate::api::VideoId;
use crate::store::KnownVideo;
use crate::tui::app::App;
use crate::tui::batch::{BatchProgress, after};
use crate::tui::confirm::{ConfirmDelete, ConfirmedBatch, Grace};
use crate::tui::effect::Effect;
use crate::tui::modal::Modal;
use crate::tui::row::{Row, Session};

/// The rows an action applies to: the marked ones (markable only), else the current row.
fn targets(app: &App) -> Vec<u32> {
    if app.marks.count() > 0 {
        app.marks
            .iter()
            .filter(|&row| app.rows[row as usize].is_markable())
            .collect()
    } else {
        app.cursor
            .filter(|&row| app.rows[row as usize].is_markable())
            .into_iter()
            .collect()
    }
}

/// `d`: opens the confirmation modal for the marked rows (or the current one).
pub fn open_delete_confirm(app: &mut App) {
    let rows = targets(app);
    if rows.is_empty() {
        app.notice = Some("Nothing to delete: mark rows with Space first.".into());
        return;
    }
    let hidden = rows
        .iter()
        .filter(|row| app.visible.binary_search(row).is_err())
        .count();
    let ids = rows
        .iter()
        .map(|&row| app.rows[row as usize].video.id)
        .collect();
    app.modal = Modal::Confirm(ConfirmDelete::new(
        ids,
        hidden,
        app.settings.confirm_threshold,
    ));
}

/// The user confirmed: start the grace countdown, or send at once when it is off.
pub fn confirmed(app: &mut App, batch: ConfirmedBatch) -> Vec<Effect> {
    if app.settings.grace.is_zero() {
        return enqueue(app, batch);
    }
    app.modal = Modal::Grace(Grace {
        batch,
        deadline: after(app.now, app.settings.grace),
    });
    Vec::new()
}

/// The grace countdown ran out: the confirmed IDs go to the engine.
pub fn release_grace(app: &mut App) -> Vec<Effect> {
    match std::mem::take(&mut app.modal) {
        Modal::Grace(grace) => enqueue(app, grace.batch),
        other => {
            app.modal = other;
            Vec::new()
        }
    }
}

fn enqueue(app: &mut App, batch: ConfirmedBatch) -> Vec<Effect> {
    app.modal = Modal::None;
    for id in batch.ids() {
        if let Some(row) = app.row_of(id) {
            app.marks.set(row, false);
            app.rows[row as usize].session = Session::Queued;
        }
    }
    app.recount_hidden();
    app.batch.get_or_insert_with(|| BatchProgress::new(app.now));
    app.notice = None;
    vec![batch.into_enqueue()]
}

/// `x`: asks before forgetting the marked rows (or the current one). Rows in a batch stay.
pub fn open_forget_confirm(app: &mut App) {
    let ids: Vec<VideoId> = targets(app)
        .into_iter()
        .map(|row| app.rows[row as usize].video.id)
        .collect();
    if ids.is_empty() {
        app.notice = Some("Nothing to forget.".into());
    } else {
        app.modal = Modal::ConfirmForget(ids);
    }
}

/// Removes rows from the table; marks and the cursor stay on the same videos.
pub fn forget(app: &mut App, ids: Vec<VideoId>) -> Vec<Effect> {
    let gone: HashSet<VideoId> = ids.iter().copied().collect();
    let marked: Vec<VideoId> = app
        .marks
        .iter()
        .map(|r| app.rows[r as usize].video.id)
        .collect();
    let cursor_id = app.current_row().map(|row| row.video.id);
    let cursor_pos = app.cursor_pos();
    app.rows.retain(|row| !gone.contains(&row.video.id));
    app.rebuild_index();
    app.marks = crate::tui::marks::Marks::new(app.rows.len());
    for id in marked {
        if let Some(row) = app.row_of(&id) {
            app.marks.set(row, true);
        }
    }
    app.cursor = cursor_id.and_then(|id| app.row_of(&id));
    app.refilter(false);
    if app.cursor.is_none()
        && let Some(pos) = cursor_pos
    {
        app.move_to(pos);
    }
    app.notice = Some(format!("Forgot {} video(s); nothing was sent.", ids.len()));
    app.list_changed = true;
    vec![Effect::SaveList]
}

/// `a` submitted: appends the IDs not known yet and asks for the list to be saved.
pub fn add(app: &mut App, ids: Vec<VideoId>, label: Option<String>) -> Vec<Effect> {
    let label: Option<std::sync::Arc<str>> = label.as_deref().map(Into::into);
    let mut added = 0;
    for id in ids {
        app.rows.push(Row::new(KnownVideo {
            id,
            added_at: app.now,
            label: label.clone(),
            last: None,
        }));
        if app.index.insert(&app.rows, app.rows.len() as u32 - 1) {
            added += 1;
        } else {
            app.rows.pop();
        }
    }
    if added == 0 {
        app.notice = Some("No new video IDs found.".into());
        return Vec::new();
    }
    app.marks.resize(app.rows.len());
    app.refilter(false);
    app.notice = Some(format!("Added {added} video(s)."));
    app.list_changed = true;
    vec![Effect::SaveList]
}
