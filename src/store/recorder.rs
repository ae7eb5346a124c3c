//! `OutcomeRecorder`: the `delete` command's way of turning the engine's `Event::Finished`
//! results into durable state: an `OutcomeJournal` (history and pending batch) plus the
//! `Store`'s known list, to which each flushed batch of results is applied (gone IDs leave,
//! the others keep their last outcome). The list is rewritten less often the longer it is
//! (`list_save_interval`): the journal stays the per-result record.

use std::time::{Duration, Instant};

use super::{FlushPolicy, OutcomeJournal, Store, StoreError};
use crate::api::{Outcome, VideoId};

/// Owns the open `Store` while deletes run. Get it back with `finish`.
#[derive(Debug)]
pub struct OutcomeRecorder {
    store: Store,
    journal: OutcomeJournal,
    list_dirty: bool,
    /// When the list was last written in this session (`None`: not yet, so the next flush does).
    list_saved_at: Option<Instant>,
}

/// A list this long or shorter is saved with every flush; each further run of this many
/// entries adds one `max_delay` between list saves.
const LIST_ENTRIES_PER_DELAY: usize = 20_000;

/// The longest a changed list waits to be saved while results keep coming.
const MAX_LIST_SAVE_INTERVAL: Duration = Duration::from_secs(30);

/// How long a changed list of `len` entries may wait for its next save. Rewriting the whole
/// list costs time in proportion to its length (about 110 MB, a good part of a second, at a
/// million), so every 250 ms would keep the disk busy for the whole batch; scaling the wait
/// keeps list saves a small share of the time. A kill in between loses no result: each is
/// in the journal before the list is touched, and loading the list replays the journal.
fn list_save_interval(max_delay: Duration, len: usize) -> Duration {
    let steps = u32::try_from(1 + len / LIST_ENTRIES_PER_DELAY).unwrap_or(u32::MAX);
    max_delay
        .saturating_mul(steps)
        .min(MAX_LIST_SAVE_INTERVAL.max(max_delay))
}

impl OutcomeRecorder {
    /// Opens the journal and picks up any pending batch left by an earlier run. `host` is the
    /// base URL's host, journalled with every result.
    pub fn new(store: Store, host: Option<String>) -> Result<Self, StoreError> {
        let journal = OutcomeJournal::open(store.paths(), host)?;
        Ok(Self {
            store,
            journal,
            list_dirty: false,
            list_saved_at: None,
        })
    }

    pub fn with_policy(mut self, policy: FlushPolicy) -> Self {
        self.journal = self.journal.with_policy(policy);
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The IDs queued and not yet answered.
    pub fn pending(&self) -> &[VideoId] {
        self.journal.pending()
    }

    /// Call right before sending `Command::Enqueue(ids)` (see `OutcomeJournal::enqueued`).
    pub fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        self.journal.enqueued(ids)
    }

    /// Takes IDs the rails left out off the pending batch (`OutcomeJournal::withdraw`).
    pub fn withdraw(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        self.journal.withdraw(ids)
    }

    /// Buffers one `Event::Finished`; flushes when the policy says so. Returns whether it
    /// flushed.
    pub fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<bool, StoreError> {
        self.hold(id, outcome);
        self.flush_if_due()
    }

    /// Buffers one `Event::Finished` without writing anything: after a write failed, results
    /// wait in memory for one last `flush` instead of failing (and re-appending) on every one.
    pub fn hold(&mut self, id: VideoId, outcome: &Outcome) {
        self.journal.record(id, outcome);
    }

    /// Flushes when the journal's policy says so, or when a changed list's save interval has
    /// passed. Drivers call it from their tick so a lone last result is not held back. The
    /// list itself is written only when its interval has passed (`list_save_interval`).
    pub fn flush_if_due(&mut self) -> Result<bool, StoreError> {
        let list_due = self.list_save_due();
        let flushing = self.journal.due() || (self.list_dirty && list_due);
        if flushing {
            self.write_out(list_due)?;
        }
        Ok(flushing)
    }

    fn list_save_due(&self) -> bool {
        let interval =
            list_save_interval(self.journal.policy().max_delay, self.store.videos().len());
        self.list_saved_at
            .is_none_or(|since| since.elapsed() >= interval)
    }

    /// Writes everything buffered, the list included whatever its interval.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.write_out(true)
    }

    /// The journal first, then the list (when changed, and only if `save_list`), then the
    /// pending batch.
    fn write_out(&mut self, save_list: bool) -> Result<(), StoreError> {
        let results = self.journal.write_results()?;
        if !results.is_empty() {
            self.list_dirty |= self.store.videos_mut().apply_outcomes(&results);
        }
        if self.list_dirty && save_list {
            self.store.save()?;
            self.list_dirty = false;
            self.list_saved_at = Some(Instant::now());
        }
        self.journal.write_pending()
    }

    /// Flushes and hands the store back.
    pub fn finish(mut self) -> Result<Store, StoreError> {
        self.flush()?;
        Ok(self.store)
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::OutcomeKind;
    use crate::store::{Paths, load_known, load_pending, read_history};

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn answered(kind: OutcomeKind, status: u16) -> Outcome {
        Outcome {
            status: Some(status),
            attempts: 1,
            ..Outcome::unsent(kind)
        }
    }

    #[test]
    fn results_reach_list_history_and_pending_in_one_flush() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut store = Store::open(&paths).unwrap();
        store
            .videos_mut()
            .add(&[id(1), id(2), id(3)], None, Timestamp::UNIX_EPOCH);
        store.save().unwrap();
        let policy = FlushPolicy {
            max_delay: Duration::from_secs(3600),
            max_results: 1000,
        };
        let mut recorder = OutcomeRecorder::new(store, Some("h".into()))
            .unwrap()
            .with_policy(policy);
        recorder.enqueued(&[id(1), id(2), id(3), id(4)]).unwrap();
        assert_eq!(load_pending(&paths).unwrap().len(), 4);

        assert!(
            !recorder
                .record(id(1), &answered(OutcomeKind::Deleted, 204))
                .unwrap()
        );
        recorder
            .record(id(2), &answered(OutcomeKind::Processing, 400))
            .unwrap();
        recorder
            .record(id(4), &answered(OutcomeKind::NotFound, 404))
            .unwrap();
        recorder
            .record(id(3), &Outcome::unsent(OutcomeKind::Cancelled))
            .unwrap();
        assert_eq!(
            load_known(&paths.videos()).unwrap().len(),
            3,
            "nothing saved before flush"
        );
        assert!(read_history(&paths.history(), None).unwrap().is_empty());

        let store = recorder.finish().unwrap();
        let saved = load_known(&paths.videos()).unwrap();
        assert_eq!(&saved, store.videos());
        let kept: Vec<_> = saved.iter().map(|v| v.id).collect();
        assert_eq!(kept, [id(2), id(3)]);
        let last = saved.get(&id(2)).unwrap().last.as_ref().unwrap();
        assert_eq!(last.outcome.status, Some(400));
        assert_eq!(read_history(&paths.history(), None).unwrap().len(), 4);
        assert_eq!(load_pending(&paths).unwrap(), [id(3)]);
    }

    #[test]
    fn a_long_list_is_saved_less_often_than_the_journal_and_always_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::in_dir(dir.path());
        let mut store = Store::open(&paths).unwrap();
        let ids: Vec<_> = (1..=(2 * LIST_ENTRIES_PER_DELAY as u128)).map(id).collect();
        store.videos_mut().add(&ids, None, Timestamp::UNIX_EPOCH);
        store.save().unwrap();
        let policy = FlushPolicy {
            max_delay: Duration::from_secs(3600),
            max_results: 1,
        };
        let mut recorder = OutcomeRecorder::new(store, None)
            .unwrap()
            .with_policy(policy);
        let gone = answered(OutcomeKind::Deleted, 204);

        assert!(recorder.record(ids[0], &gone).unwrap());
        let saved = load_known(&paths.videos()).unwrap();
        assert!(!saved.contains(&ids[0]), "the first flush saves the list");

        assert!(recorder.record(ids[1], &gone).unwrap());
        assert_eq!(read_history(&paths.history(), None).unwrap().len(), 2);
        let saved = load_known(&paths.videos()).unwrap();
        assert!(saved.contains(&ids[1]), "the list waits for its interval");

        recorder.finish().unwrap();
        let saved = load_known(&paths.videos()).unwrap();
        assert!(!saved.contains(&ids[1]));
        assert_eq!(saved.len(), ids.len() - 2);
    }

    #[test]
    fn the_list_save_interval_grows_with_the_list_up_to_a_cap() {
        let delay = Duration::from_millis(250);
        assert_eq!(list_save_interval(delay, 0), delay);
        assert_eq!(list_save_interval(delay, LIST_ENTRIES_PER_DELAY - 1), delay);
        assert_eq!(
            list_save_interval(delay, 1_000_000),
            Duration::from_millis(250 * 51)
        );
        assert_eq!(
            list_save_interval(delay, 100_000_000),
            MAX_LIST_SAVE_INTERVAL
        );
    }

    #[test]
    fn flushes_by_count() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&Paths::in_dir(dir.path())).unwrap();
        let policy = FlushPolicy {
            max_delay: Duration::from_secs(3600),
            max_results: 2,
        };
        let mut recorder = OutcomeRecorder::new(store, None)
            .unwrap()
            .with_policy(policy);
        let gone = answered(OutcomeKind::Deleted, 204);
        assert!(!recorder.record(id(1), &gone).unwrap());
        assert!(recorder.record(id(2), &gone).unwrap());
        let history = read_history(&dir.path().join("history.jsonl"), None).unwrap();
        assert_eq!(history.len(), 2);
    }
}
