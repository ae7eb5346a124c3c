//! Changes to which rows exist and which are queued: opening the delete confirmation,
//! confirming it, releasing the grace countdown to the engine, forgetting and adding IDs.

use crate::api::VideoId;
use crate::store::KnownVideo;
use crate::tui::app::App;
use crate::tui::batch::{BatchProgress, after};
use crate::tui::confirm::{ConfirmDelete, ConfirmedBatch, Grace};
use crate::tui::effect::Effect;
use crate::tui::modal::Modal;
use crate::tui::row::{Row, RowState};

/// The rows an action applies to and their IDs, in one pass: the marked rows (markable
/// only), else the current row.
fn targets(app: &App) -> (Vec<u32>, Vec<VideoId>) {
    let current = app.cursor.filter(|_| app.marks.count() == 0);
    let mut targets = (Vec::new(), Vec::new());
    for row in app.marks.iter().chain(current) {
        let r = &app.rows[row as usize];
        if r.is_markable() {
            targets.0.push(row);
            targets.1.push(r.video.id);
        }
    }
    targets
}

/// `d`: opens the confirmation modal for the marked rows (or the current one).
pub fn open_delete_confirm(app: &mut App) {
    let (rows, ids) = targets(app);
    if rows.is_empty() {
        app.notice = Some("Nothing to delete: mark rows with Space first.".into());
        return;
    }
    let hidden = app.hidden_among(rows.iter().copied());
    app.modal = Modal::Confirm(ConfirmDelete::new(
        ids,
        rows,
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
    for (&row, id) in batch.rows().iter().zip(batch.ids()) {
        debug_assert_eq!(app.rows[row as usize].video.id, *id, "rows never move");
        app.marks.set(row, false);
        app.rows[row as usize].state = RowState::Queued;
    }
    app.recount_hidden();
    app.batch.get_or_insert_with(|| BatchProgress::new(app.now));
    app.notice = None;
    vec![batch.into_enqueue()]
}

/// `x`: asks before forgetting the marked rows (or the current one). Rows in a batch stay.
pub fn open_forget_confirm(app: &mut App) {
    let (_, ids) = targets(app);
    if ids.is_empty() {
        app.notice = Some("Nothing to forget.".into());
    } else {
        app.modal = Modal::ConfirmForget(ids);
    }
}

/// Takes rows out of the list; the others keep their marks, and the cursor stays on its
/// video (or moves to the next one shown, when its own was forgotten).
pub fn forget(app: &mut App, ids: Vec<VideoId>) -> Vec<Effect> {
    let rows = ids.iter().filter_map(|id| app.row_of(id)).collect();
    app.remove(rows);
    app.notice = Some(format!("Forgot {} video(s); nothing was sent.", ids.len()));
    app.list_changed = true;
    vec![Effect::SaveList]
}

/// `a` submitted: appends the IDs not known yet and asks for the list to be saved. An ID
/// forgotten earlier this session comes back in its old row.
pub fn add(app: &mut App, ids: Vec<VideoId>, label: Option<String>) -> Vec<Effect> {
    let label: Option<std::sync::Arc<str>> = label.as_deref().map(Into::into);
    let mut added = Vec::new();
    for id in ids {
        let row = Row::new(KnownVideo {
            id,
            added_at: app.now,
            label: label.clone(),
            last: None,
        });
        match app.row_of(&id) {
            Some(known) if app.rows[known as usize].state == RowState::Removed => {
                app.rows[known as usize] = row;
                app.removed -= 1;
                added.push(known);
            }
            Some(_) => {}
            None => {
                app.rows.push(row);
                let new = app.rows.len() as u32 - 1;
                app.index.insert(&app.rows, new);
                added.push(new);
            }
        }
    }
    if added.is_empty() {
        app.notice = Some("No new video IDs found.".into());
        return Vec::new();
    }
    app.marks.resize(app.rows.len());
    added.sort_unstable();
    app.show(&added);
    app.notice = Some(format!("Added {} video(s).", added.len()));
    app.list_changed = true;
    vec![Effect::SaveList]
}
