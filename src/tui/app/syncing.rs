//! The account's sync as the app follows it: whether one runs, and how far it has come (the
//! footer says so); and what the sizes it listed add up to for some rows (what deleting them
//! frees). The rows themselves arrive as the store changes, as any other process's
//! writes do (`external`); browsing, filtering and marking go on meanwhile.

use super::App;
use crate::account::WalkProgress;
use crate::store::SizeTotal;
use crate::sync::{SyncEnd, SyncNews, SyncResult};

/// A sync running in the background.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncStatus {
    pub progress: WalkProgress,
    /// Why it waits, while it does.
    pub waiting: Option<String>,
}

impl App {
    /// The sync running, if one is.
    pub fn syncing(&self) -> Option<&SyncStatus> {
        self.status.sync.as_ref()
    }

    /// What deleting `rows` frees, as the last sync listed their sizes (`41.2 GB`, `at least
    /// 41.2 GB`); `None` when no size is known. Drawn each frame, so no row is read while
    /// none has a size (the list was never synced).
    pub fn shown_size_of(&self, rows: impl IntoIterator<Item = u32>) -> Option<String> {
        if !self.list.filled().size {
            return None;
        }
        rows.into_iter()
            .map(|row| self.list[row as usize].generation().file_size)
            .collect::<SizeTotal>()
            .shown()
    }

    /// What deleting the marked rows frees, as `shown_size_of` says it.
    pub fn marked_shown_size(&self) -> Option<String> {
        self.shown_size_of(self.selection.marks.iter())
    }

    /// A sync starts; `false` when one already runs.
    pub fn start_sync(&mut self) -> bool {
        if self.status.sync.is_some() {
            return false;
        }
        self.status.sync = Some(SyncStatus::default());
        true
    }

    /// What the sync running says.
    pub fn sync_news(&mut self, news: SyncNews) {
        match news {
            SyncNews::Progress(progress) => {
                self.status.sync = Some(SyncStatus {
                    progress,
                    waiting: None,
                });
            }
            SyncNews::Waiting(why) => {
                if let Some(sync) = &mut self.status.sync {
                    sync.waiting = Some(why);
                }
            }
            SyncNews::Ended(ended) => {
                self.status.sync = None;
                self.status.drop_empty_batch();
                self.set_notice(match ended {
                    Ok(end) => said(&end),
                    Err(why) => format!("The sync stopped: {why}; what it merged is kept."),
                });
            }
        }
    }
}

/// The notice a sync leaves.
fn said(end: &SyncEnd) -> String {
    let counts = format!("{} new, {} changed", end.added, end.updated);
    match &end.end {
        SyncResult::Complete if end.unlisted > 0 => format!(
            "Synced {} videos: {counts}; {} known ones not listed (listed:no, kept).",
            end.progress.listed, end.unlisted
        ),
        SyncResult::Complete => format!("Synced {} videos: {counts}.", end.progress.listed),
        SyncResult::StoppedEarly => format!("Synced: {counts}; the rest is unchanged."),
        SyncResult::ReadFailed(failure) if end.end.not_served() && end.added + end.updated == 0 => {
            format!("{failure}. Nothing in the list changed.")
        }
        SyncResult::ReadFailed(failure) => {
            format!("The sync stopped: {failure}; {counts} kept.")
        }
        SyncResult::Unwalkable(why) => format!("The sync stopped: {why}; {counts} kept."),
    }
}
