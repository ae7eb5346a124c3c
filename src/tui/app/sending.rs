//! Rows being sent: a confirmed batch queued, then the engine's news about each row and
//! about the batch (progress, pauses, the end). Row order never changes here, so rows do not
//! jump under the user; the cursor is a row number and follows its video.

use super::App;
use crate::api::{Outcome, OutcomeKind, VideoId};
use crate::tui::app::batch::{BatchProgress, Paused};
use crate::tui::app::row::{Generation, Retry, RowState, Wait};
use crate::tui::modal::ConfirmedBatch;

impl App {
    /// The confirmed rows go to the engine: unmarked, shown queued, counted in the gauge.
    pub fn queue(&mut self, batch: &ConfirmedBatch) {
        for (&row, id) in batch.rows().iter().zip(batch.ids()) {
            debug_assert_eq!(self.list[row as usize].id, *id, "rows never move");
            self.selection.marks.set(row, false);
            self.list.set_state(row, RowState::Queued);
        }
        self.recount_hidden();
        self.marks_changed();
        self.progress();
        self.status.notice = None;
    }

    /// The engine queued `ids` (counted once, here, whoever queued them).
    pub fn queued(&mut self, ids: &[VideoId]) {
        self.progress().total += ids.len();
        for id in ids {
            self.set_active(id, RowState::Queued);
        }
    }

    pub fn started(&mut self, id: &VideoId, attempt: u32) {
        self.set_active(id, RowState::Deleting { attempt });
    }

    pub fn retrying(&mut self, id: &VideoId, retry: Retry) {
        self.set_waiting(id, Wait::Retry(retry));
    }

    pub fn generating(&mut self, id: &VideoId, generation: Generation) {
        self.set_waiting(id, Wait::Generation(generation));
    }

    /// `id` ended: its row shows how, and a gone video leaves the marks. A row that left
    /// the list stays out of it (only the history records the outcome).
    pub fn finished(&mut self, id: &VideoId, outcome: Outcome) {
        let gone = outcome.kind.is_gone();
        let row = self.row_of(id);
        if let Some(batch) = &mut self.status.batch {
            batch.done += 1;
            batch.failures += usize::from(!gone);
            batch.never_sent += usize::from(outcome.never_sent());
            if outcome.kind == OutcomeKind::Deleted
                && let Some(row) = row
            {
                batch
                    .freed
                    .add(self.list[row as usize].generation().file_size);
            }
        }
        let listed = row.filter(|&row| self.list[row as usize].state != RowState::Removed);
        if let Some(row) = listed {
            if gone && self.selection.marks.contains(row) {
                self.selection.marks.set(row, false);
                self.recount_hidden();
                if self.marked_only {
                    self.hide(&[row]);
                }
            }
            self.list.finish(row, outcome, self.now);
        }
    }

    /// A batch the pipeline did not queue (nothing of it was sent): its rows are back as
    /// they were, marked again, so the user can try once more.
    pub fn unqueue(&mut self, ids: &[VideoId]) {
        for id in ids {
            if let Some(row) = self.row_of(id) {
                let r = &mut self.list[row as usize];
                if r.state == RowState::Queued {
                    r.state = if r.last.is_some() {
                        RowState::Done
                    } else {
                        RowState::Idle
                    };
                    self.selection.marks.set(row, true);
                }
            }
        }
        // The engine never counted them: a batch with nothing else in it is over.
        if self
            .status
            .batch
            .as_ref()
            .is_some_and(|batch| batch.total == batch.done)
        {
            self.status.batch = None;
        }
        self.recount_hidden();
        self.marks_changed();
    }

    /// Sending stopped for now; a refused key also means a key is needed, and the rows sent
    /// with it wait for the new one (the engine puts them back in its queue).
    pub fn paused(&mut self, paused: Paused) {
        if paused == Paused::Unauthorized {
            self.status.key_needed = true;
            // Found first, then changed: the rows are read through `iter` and written by index.
            let sent: Vec<u32> = (self.list.rows().iter().enumerate())
                .filter(|(_, row)| matches!(row.state, RowState::Deleting { .. }))
                .map(|(at, _)| at as u32)
                .collect();
            for row in sent {
                self.list.set_state(row, RowState::AwaitingKey);
            }
        }
        // The gauge shows a pause over a batch or a sync's pages; one that comes once the
        // sync it held up has ended (its page refused) holds nothing up.
        if self.status.batch.is_some() || self.status.sync.is_some() {
            let now = self.now;
            self.progress().set_paused(Some(paused), now);
        }
    }

    pub fn resumed(&mut self) {
        let now = self.now;
        if let Some(batch) = &mut self.status.batch {
            batch.set_paused(None, now);
        }
        self.status.drop_empty_batch();
        self.status.key_needed = false;
    }

    /// The engine is idle (or gone): no batch on screen.
    pub fn batch_over(&mut self) {
        self.status.batch = None;
    }

    /// The batch on screen, started now if there was none.
    fn progress(&mut self) -> &mut BatchProgress {
        let now = self.now;
        self.status
            .batch
            .get_or_insert_with(|| BatchProgress::new(now))
    }

    /// A row the engine has in hand; removed rows stay removed.
    fn set_active(&mut self, id: &VideoId, state: RowState) {
        if let Some(row) = self.engine_row(id) {
            self.list.set_state(row, state);
        }
    }

    /// A row the engine has in hand waits; removed rows stay removed.
    fn set_waiting(&mut self, id: &VideoId, wait: Wait) {
        if let Some(row) = self.engine_row(id) {
            self.list.set_waiting(row, wait);
        }
    }

    /// The row of a video the engine has news of, unless it left the list.
    fn engine_row(&self, id: &VideoId) -> Option<u32> {
        self.row_of(id)
            .filter(|&row| self.list[row as usize].state != RowState::Removed)
    }
}
