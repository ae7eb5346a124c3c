//! `OutcomeJournal`: the durable record of a running batch. Finished results are buffered and
//! appended to `history.jsonl` in batches (`FlushPolicy`), not one fsync per result, and the
//! batch's queued IDs are kept in `pending.json` (written when IDs are queued; the journal
//! says which have been answered since) so a killed run can be resumed. It
//! never holds the known list: whoever owns that (the CLI's `Store`, the TUI's rows) applies
//! the results and saves it, and `replay` covers a kill in between.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::pending::answers;
use super::{HistoryEntry, HistoryWriter, Paths, StoreError, load_pending, save_pending};
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
    /// Queued IDs not yet answered, in queue order (what `delete --resume` would send).
    pending: Vec<VideoId>,
    answered: HashSet<VideoId>,
    pending_dirty: bool,
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
            answered: HashSet::new(),
            pending_dirty: false,
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
        let queued: HashSet<VideoId> = self.pending.iter().copied().collect();
        let mut seen = HashSet::new();
        self.pending.extend(
            ids.iter()
                .copied()
                .filter(|id| !queued.contains(id) && seen.insert(*id)),
        );
        self.answered.retain(|id| !seen.contains(id));
        // IDs answered but not journalled yet are still listed: their answers land in the
        // journal after this file's offset, which takes them off when it is read.
        save_pending(&self.paths, &self.pending)
    }

    /// Buffers one `Event::Finished`. Cancelled and skipped IDs were never sent, so they stay
    /// pending (resumable); every other outcome is an answer.
    pub fn record(&mut self, id: VideoId, outcome: &Outcome) {
        if answers(outcome.kind) {
            self.answered.insert(id);
            self.pending_dirty = true;
        }
        self.unsaved.push((id, outcome.clone(), Timestamp::now()));
        self.oldest_unsaved.get_or_insert_with(Instant::now);
    }

    /// The oldest unsaved result has waited `max_delay`, or `max_results` are buffered.
    pub fn due(&self) -> bool {
        self.unsaved.len() >= self.policy.max_results
            || self
                .oldest_unsaved
                .is_some_and(|since| since.elapsed() >= self.policy.max_delay)
    }

    /// Appends the buffered results to the journal and makes them durable; returns them, for
    /// the list's owner to apply. Journalling comes first: a crash after it at worst re-sends
    /// an ID that the server then reports not found.
    pub fn write_results(&mut self) -> Result<Vec<RecordedResult>, StoreError> {
        if self.unsaved.is_empty() {
            return Ok(Vec::new());
        }
        for (id, outcome, at) in &self.unsaved {
            let entry = HistoryEntry::new(*at, *id, outcome, self.host.as_deref());
            self.history.append(&entry)?;
        }
        self.history.flush()?;
        self.oldest_unsaved = None;
        Ok(std::mem::take(&mut self.unsaved))
    }

    /// Takes answered IDs off the pending batch. `pending.json` needs no rewrite for that
    /// (their answers are journalled by now); it is removed once nothing is left.
    pub fn write_pending(&mut self) -> Result<(), StoreError> {
        if self.pending_dirty {
            let answered = &self.answered;
            self.pending.retain(|id| !answered.contains(id));
            self.answered.clear();
            if self.pending.is_empty() {
                save_pending(&self.paths, &[])?;
            }
            self.pending_dirty = false;
        }
        Ok(())
    }

    /// Writes everything buffered: results, then the pending batch.
    pub fn flush(&mut self) -> Result<Vec<RecordedResult>, StoreError> {
        let results = self.write_results()?;
        self.write_pending()?;
        Ok(results)
    }
}
