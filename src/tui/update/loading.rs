//! The list arriving from disk: finishing the load (catching the rows up with the journal,
//! offering to resume an interrupted batch) and what is refused until then.

use crate::api::VideoId;
use crate::store::{LastOutcome, RecordedResult};
use crate::tui::app::App;
use crate::tui::row_index::RowIndex;

/// The whole list is in, with its index. Results journalled after it was saved are applied
/// as a loaded list would show them (gone videos leave; the others show their outcome),
/// then rows of an interrupted batch come back marked.
pub fn finish(app: &mut App, index: RowIndex, missed: &[RecordedResult], pending: &[VideoId]) {
    app.loaded(index);
    let mut gone = Vec::new();
    for (id, outcome, at) in missed {
        if let Some(row) = app.row_of(id) {
            app.rows[row as usize].video.last = Some(Box::new(LastOutcome {
                outcome: outcome.clone(),
                at: *at,
            }));
            if outcome.kind.is_gone() {
                gone.push(row);
            }
            app.list_changed = true;
        }
    }
    if !gone.is_empty() {
        app.remove(gone);
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
