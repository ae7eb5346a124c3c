//! The list arriving from disk: finishing the load (catching the rows up with the journal,
//! offering to resume an interrupted batch) and what is refused until then.

use crate::api::VideoId;
use crate::store::{LastOutcome, RecordedResult};
use crate::tui::app::App;
use crate::tui::marks::Marks;

/// The whole list is in. Results journalled after it was saved are applied as a loaded list
/// would show them (gone videos leave; the others show their outcome), then rows of an
/// interrupted batch come back marked.
pub fn finish(app: &mut App, missed: &[RecordedResult], pending: &[VideoId]) {
    app.loaded();
    if !missed.is_empty() {
        for (id, outcome, at) in missed {
            if let Some(row) = app.row_mut(id) {
                row.video.last = Some(Box::new(LastOutcome {
                    outcome: outcome.clone(),
                    at: *at,
                }));
            }
        }
        app.rows.retain(|row| !row.video.is_gone());
        app.rebuild_index();
        app.marks = Marks::new(app.rows.len());
        app.cursor = None;
        app.refilter(false);
        app.list_changed = true;
    }
    app.offer_resume(pending);
}

/// A key that edits the list or sends a delete, pressed before the list is in.
pub fn refuse(app: &mut App) {
    app.notice = Some(format!(
        "Still reading the list ({} videos so far): marking, adding and deleting wait for it.",
        app.loading.unwrap_or(0)
    ));
}
