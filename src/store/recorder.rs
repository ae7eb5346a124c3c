//! `OutcomeRecorder`: turns the engine's `Event::Finished` results into durable state. Each
//! result is journalled in `history.jsonl`, applied to the known list (gone IDs leave, the
//! others keep their last outcome) and taken off the pending batch; all of it in batches
//! (`FlushPolicy`), not one fsync per result. The known list is rewritten less often the
//! longer it is (`list_save_interval`): the journal stays the per-result record. The CLI and
//! the TUI both drive it; it never talks to the engine itself.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::{HistoryEntry, HistoryWriter, Store, StoreError, save_pending};
use crate::api::{Outcome, OutcomeKind, VideoId};

/// When buffered results are written out: whichever limit is reached first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlushPolicy {
    /// The oldest unsaved result waits at most this long (checked on `record` and on
    /// `flush_if_due`, which a driver calls from its timer).
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

/// Owns the open `Store` while deletes run. Get it back with `finish`.
#[derive(Debug)]
pub struct OutcomeRecorder {
    store: Store,
    history: HistoryWriter,
    host: Option<String>,
    policy: FlushPolicy,
    unsaved: Vec<(VideoId, Outcome, Timestamp)>,
    oldest_unsaved: Option<Instant>,
    /// Queued IDs not yet answered, in queue order (what `delete --resume` would send).
    pending: Vec<VideoId>,
    answered: HashSet<VideoId>,
    list_dirty: bool,
    /// When the list was last written in this session (`None`: not yet, so the next flush does).
    list_saved_at: Option<Instant>,
    pending_dirty: bool,
}

/// A list this long or shorter is saved with every flush; each further run of this many
/// entries adds one `max_delay` between list saves.
const LIST_ENTRIES_PER_DELAY: usize = 20_000;

/// The longest a changed list waits to be saved while results keep coming.
const MAX_LIST_SAVE_INTERVAL: Duration = Duration::from_secs(30);

/// How long a changed list of `len` entries may wait for its next save. Rewriting the whole
/// list costs time in proportion to its length (about 110 MB, a good part of a second, at a
/// million), so every 250 ms would keep the disk busy for the whole batch; scaling the wait
/// keeps list saves a small share of the time. A kill in between loses no result (each is
/// in the journal before the list is touched); the saved list may still hold videos deleted
/// since its last save, which answer 404 (not found) and leave it when next tried, and miss
/// their latest failures.
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
        let history = HistoryWriter::open(&store.paths().history())?;
        let pending = store.pending()?;
        Ok(Self {
            store,
            history,
            host,
            policy: FlushPolicy::default(),
            unsaved: Vec::new(),
            oldest_unsaved: None,
            pending,
            answered: HashSet::new(),
            list_dirty: false,
            list_saved_at: None,
            pending_dirty: false,
        })
    }

    pub fn with_policy(mut self, policy: FlushPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// For changes between batches (import, forget); call `Store::save` after them.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// The IDs queued and not yet answered.
    pub fn pending(&self) -> &[VideoId] {
        &self.pending
    }

    /// Call right before sending `Command::Enqueue(ids)`: the IDs are saved as pending at once,
    /// so a kill from here on leaves them resumable.
    pub fn enqueued(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        let queued: HashSet<VideoId> = self.pending.iter().copied().collect();
        let mut seen = HashSet::new();
        self.pending.extend(
            ids.iter()
                .copied()
                .filter(|id| !queued.contains(id) && seen.insert(*id)),
        );
        self.answered.retain(|id| !seen.contains(id));
        save_pending(&self.store.paths().pending(), &self.pending)?;
        self.pending_dirty = false;
        Ok(())
    }

    /// The user chose not to resume: nothing is pending any more.
    pub fn discard_pending(&mut self) -> Result<(), StoreError> {
        self.pending.clear();
        self.answered.clear();
        self.store.discard_pending()?;
        self.pending_dirty = false;
        Ok(())
    }

    /// Buffers one `Event::Finished`; flushes when the policy says so. Cancelled and skipped
    /// IDs were never sent, so they stay pending (resumable); every other outcome is an answer.
    /// Returns whether it flushed.
    pub fn record(&mut self, id: VideoId, outcome: &Outcome) -> Result<bool, StoreError> {
        if !matches!(outcome.kind, OutcomeKind::Cancelled | OutcomeKind::Skipped) {
            self.answered.insert(id);
            self.pending_dirty = true;
        }
        self.unsaved.push((id, outcome.clone(), Timestamp::now()));
        self.oldest_unsaved.get_or_insert_with(Instant::now);
        self.flush_if_due()
    }

    /// Flushes when the oldest unsaved result has waited `max_delay` or `max_results` are
    /// buffered, or when a changed list's save interval has passed. Drivers call it from
    /// their tick so a lone last result is not held back. The list itself is written only
    /// when its interval has passed (`list_save_interval`).
    pub fn flush_if_due(&mut self) -> Result<bool, StoreError> {
        let results_due = self.unsaved.len() >= self.policy.max_results
            || self
                .oldest_unsaved
                .is_some_and(|since| since.elapsed() >= self.policy.max_delay);
        let list_due = self.list_save_due();
        let flushing = results_due || (self.list_dirty && list_due);
        if flushing {
            self.write_out(list_due)?;
        }
        Ok(flushing)
    }

    fn list_save_due(&self) -> bool {
        let interval = list_save_interval(self.policy.max_delay, self.store.videos().len());
        self.list_saved_at
            .is_none_or(|since| since.elapsed() >= interval)
    }

    /// Writes everything buffered, the list included whatever its interval: the journal first
    /// (so a crash after it at worst re-sends an ID that the server then reports not found),
    /// then the list, then the pending batch.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.write_out(true)
    }

    /// As `flush`, but the list (when changed) is written only if `save_list`.
    fn write_out(&mut self, save_list: bool) -> Result<(), StoreError> {
        if !self.unsaved.is_empty() {
            for (id, outcome, at) in &self.unsaved {
                let entry = HistoryEntry::new(*at, *id, outcome, self.host.as_deref());
                self.history.append(&entry)?;
            }
            self.history.flush()?;
            let results = std::mem::take(&mut self.unsaved);
            self.oldest_unsaved = None;
            self.list_dirty |= self.store.videos_mut().apply_outcomes(&results);
        }
        if self.list_dirty && save_list {
            self.store.save()?;
            self.list_dirty = false;
            self.list_saved_at = Some(Instant::now());
        }
        if self.pending_dirty {
            let answered = &self.answered;
            self.pending.retain(|id| !answered.contains(id));
            self.answered.clear();
            save_pending(&self.store.paths().pending(), &self.pending)?;
            self.pending_dirty = false;
        }
        Ok(())
    }

    /// Flushes and hands the store back.
    pub fn finish(mut self) -> Result<Store, StoreError> {
        self.flush()?;
        Ok(self.store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(load_pending(&paths.pending()).unwrap().len(), 4);

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
        assert_eq!(load_pending(&paths.pending()).unwrap(), [id(3)]);
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
