//! `OutcomeJournal`: the durable record of a running batch. Finished results are buffered and
//! appended to `history.jsonl` in batches (`FlushPolicy`), not one fsync per result, and the
//! batch's queued IDs are kept in `pending.json` (written when IDs are queued; the journal
//! says which have been answered since) so a killed run can be resumed. It
//! never holds the known list: whoever owns that (the CLI's `Store`, the TUI's rows) applies
//! the results and saves it, and `replay` covers a kill in between.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::db::answers;
use super::{HistoryEntry, HistoryWriter, IdSet, Paths, StoreError, load_pending, save_pending};
use crate::api::{Outcome, VideoId};

/// When buffered results are written out: whichever limit is reached first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlushPolicy {
    /// The oldest unsaved result waits at most this long (checked whenever the owner asks
    /// `due`, which a driver does from its timer).
    pub max_delay: Duration,
    /// This many unsaved results trigger a flush at once.
    pub max_results: usize,
}

impl Default for FlushPolicy {
    fn default() -> Self {
        Self {
            max_delay: Duration::from_millis(250),
            max_results: 500,
        }
    }
}

/// A finished delete as recorded: the ID, what happened, and when.
pub type RecordedResult = (VideoId, Outcome, Timestamp);

/// The journal and the pending batch of one data folder (whose lock the caller holds).
#[derive(Debug)]
pub struct OutcomeJournal {
    paths: Paths,
    history: HistoryWriter,
    host: Option<String>,
    policy: FlushPolicy,
    unsaved: Vec<RecordedResult>,
    oldest_unsaved: Option<Instant>,
    /// Results in the journal that `write_results` has not handed over yet.
    journalled: Vec<RecordedResult>,
    /// Queued IDs not yet answered, in queue order (what `delete --resume` would send).
    pending: Vec<VideoId>,
    /// Answered since `pending` was last brought up to date (`take_answered_off`).
    answered: IdSet,
}

impl OutcomeJournal {
    /// Opens the journal and picks up any pending batch left by an earlier run. `host` is the
    /// base URL's host, journalled with every result.
    pub fn open(paths: &Paths, host: Option<String>) -> Result<Self, StoreError> {
        Ok(Self {
            history: HistoryWriter::open(&paths.history())?,
            pending: load_pending(paths)?,
            paths: paths.clone(),
            host,
            policy: FlushPolicy::default(),
            unsaved: Vec::new(),
            oldest_unsaved: None,
            journalled: Vec::new(),
            answered: IdSet::default(),
        })
    }

    pub fn with_policy(mut self, policy: FlushPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn policy(&self) -> FlushPolicy {
        self.policy
    }

    /// The IDs queued and not yet answered.
    pub fn pending(&self) -> &[VideoId] {
        &self.pending
    }

    /// Call right before sending `Command::Enqueue(ids)`: the IDs are saved as pending at once,
    /// so a kill from here on leaves them resumable.
    pub fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        // Buffered answers go to the journal first, and leave the batch: the file written
        // below then lists exactly the IDs with no answer before its offset. (Journalled
        // after it, the answer to an ID queued again would take it off when the file is read.)
        self.journal_unsaved()?;
        self.take_answered_off();
        if self.pending.is_empty() && all_distinct(ids) {
            // The usual batch: nothing queued before it, each ID once.
            self.pending.extend_from_slice(ids);
        } else {
            let queued: IdSet = self.pending.iter().copied().collect();
            let mut seen = IdSet::with_capacity_and_hasher(ids.len(), Default::default());
            self.pending.extend(
                ids.iter()
                    .copied()
                    .filter(|id| !queued.contains(id) && seen.insert(*id)),
            );
        }
        save_pending(&self.paths, &self.pending)
    }

    /// Takes `ids` off the pending batch for good, without an answer: the rails left them out
    /// (they are protected now), so resuming must not offer them again.
    pub fn withdraw(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        let withdrawn: IdSet = ids.iter().copied().collect();
        if !self.pending.iter().any(|id| withdrawn.contains(id)) {
            return Ok(());
        }
        self.journal_unsaved()?;
        self.take_answered_off();
        self.pending.retain(|id| !withdrawn.contains(id));
        save_pending(&self.paths, &self.pending)
    }

    /// Buffers one `Event::Finished`. Cancelled and skipped IDs were never sent, and an
    /// unauthorized one was refused unseen, so they stay pending (resumable); every other
    /// outcome is an answer (see `pending::answers`).
    pub fn record(&mut self, id: VideoId, outcome: &Outcome) {
        if answers(outcome.kind) {
            self.answered.insert(id);
        }
        self.unsaved.push((id, outcome.clone(), Timestamp::now()));
        self.oldest_unsaved.get_or_insert_with(Instant::now);
    }

    /// The oldest unsaved result has waited `max_delay`, or `max_results` are buffered, or
    /// results journalled early (`enqueued`) wait to be handed over.
    pub fn due(&self) -> bool {
        !self.journalled.is_empty()
            || self.unsaved.len() >= self.policy.max_results
            || self
                .oldest_unsaved
                .is_some_and(|since| since.elapsed() >= self.policy.max_delay)
    }

    /// Appends the buffered results to the journal and makes them durable; returns them, for
    /// the list's owner to apply. Journalling comes first: a crash after it at worst re-sends
    /// an ID that the server then reports not found.
    pub fn write_results(&mut self) -> Result<Vec<RecordedResult>, StoreError> {
        self.journal_unsaved()?;
        Ok(std::mem::take(&mut self.journalled))
    }

    /// Appends the buffered results to the journal, durably; they wait in `journalled` to be
    /// handed over.
    fn journal_unsaved(&mut self) -> Result<(), StoreError> {
        if self.unsaved.is_empty() {
            return Ok(());
        }
        for (id, outcome, at) in &self.unsaved {
            let entry = HistoryEntry::new(*at, *id, outcome, self.host.as_deref());
            self.history.append(&entry)?;
        }
        self.history.flush()?;
        self.oldest_unsaved = None;
        self.journalled.append(&mut self.unsaved);
        Ok(())
    }

    /// Takes answered IDs off the pending batch. `pending.json` needs no rewrite for that
    /// (their answers are journalled by now); it is removed once nothing is left.
    pub fn write_pending(&mut self) -> Result<(), StoreError> {
        if self.take_answered_off() && self.pending.is_empty() {
            save_pending(&self.paths, &[])?;
        }
        Ok(())
    }

    /// Takes the IDs answered since the last time off the batch; whether there were any.
    fn take_answered_off(&mut self) -> bool {
        if self.answered.is_empty() {
            return false;
        }
        let answered = &self.answered;
        self.pending.retain(|id| !answered.contains(id));
        self.answered.clear();
        true
    }

    /// Writes everything buffered: results, then the pending batch.
    pub fn flush(&mut self) -> Result<Vec<RecordedResult>, StoreError> {
        let results = self.write_results()?;
        self.write_pending()?;
        Ok(results)
    }
}

/// Whether no ID is there twice. Sorting a copy checks a million in a fifth of the time a
/// hash set takes to hold them (its inserts are a cache miss each).
fn all_distinct(ids: &[VideoId]) -> bool {
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    sorted.windows(2).all(|pair| pair[0] != pair[1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OutcomeKind;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn ids(ns: &[u128]) -> Vec<VideoId> {
        ns.iter().copied().map(id).collect()
    }

    #[test]
    fn each_queued_id_is_pending_once_in_queue_order() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut journal = OutcomeJournal::open(&paths, None).unwrap();
        journal.enqueued(&ids(&[3, 1, 2])).unwrap();
        assert_eq!(journal.pending(), ids(&[3, 1, 2]));
        journal.enqueued(&ids(&[4, 1, 4, 5])).unwrap();
        assert_eq!(journal.pending(), ids(&[3, 1, 2, 4, 5]));
        assert_eq!(load_pending(&paths).unwrap(), ids(&[3, 1, 2, 4, 5]));
        let mut again = OutcomeJournal::open(&paths, None).unwrap();
        again.enqueued(&ids(&[6, 6])).unwrap();
        assert_eq!(again.pending(), ids(&[3, 1, 2, 4, 5, 6]));
    }

    #[test]
    fn an_id_answered_then_queued_again_stays_pending() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut journal = OutcomeJournal::open(&paths, None).unwrap();
        journal.record(id(1), &Outcome::unsent(OutcomeKind::Forbidden));
        journal.enqueued(&ids(&[1, 2])).unwrap();
        assert_eq!(
            journal.flush().unwrap().len(),
            1,
            "the answer is handed over"
        );
        assert_eq!(journal.pending(), ids(&[1, 2]));
        assert_eq!(
            load_pending(&paths).unwrap(),
            ids(&[1, 2]),
            "and read back after a kill, its earlier answer does not take it off"
        );
        journal.record(id(2), &Outcome::unsent(OutcomeKind::Deleted));
        journal.flush().unwrap();
        assert_eq!(journal.pending(), ids(&[1]));
    }

    #[test]
    fn withdrawn_ids_leave_the_pending_batch_on_disk_too() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut journal = OutcomeJournal::open(&paths, None).unwrap();
        journal.enqueued(&ids(&[1, 2, 3])).unwrap();
        journal.withdraw(&ids(&[2, 9])).unwrap();
        assert_eq!(journal.pending(), ids(&[1, 3]));
        assert_eq!(load_pending(&paths).unwrap(), ids(&[1, 3]));
        journal.withdraw(&ids(&[1, 3])).unwrap();
        assert!(load_pending(&paths).unwrap().is_empty());
    }
}
