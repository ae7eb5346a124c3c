//! `Recorder`: the one writer of a batch's record. It queues the batch (before the engine
//! may send any of it) and buffers each finished delete, writing them in one transaction
//! when the oldest has waited `max_delay` or `max_results` have come (`FlushPolicy`), not
//! one commit per result. Its connection syncs every commit (`Durability::Full`): these are
//! the only record of irreversible requests. A failed write keeps what it held, for the
//! next try. The app's list edits go through the same connection, so one process has one
//! writer.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::Store;
use super::batch::RecordedResult;
use super::connection::Durability;
use crate::api::{Outcome, VideoId};
use crate::engine::ServerPace;
use crate::store::{IdSet, Paths, StoreError};

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

#[derive(Debug)]
pub struct Recorder {
    store: Store,
    /// The base URL's host, recorded with every result.
    host: Option<String>,
    /// The base URL whose pace `keep_pace` keeps (`with_pace_of`).
    pace_of: Option<String>,
    policy: FlushPolicy,
    unsaved: Vec<RecordedResult>,
    oldest_unsaved: Option<Instant>,
}

impl Recorder {
    /// Opens the profile's database for recording (see `Store::open`).
    pub fn open(paths: &Paths, host: Option<String>) -> Result<Self, StoreError> {
        Ok(Self {
            store: Store::open_as(paths, Durability::Full)?,
            host,
            pace_of: None,
            policy: FlushPolicy::default(),
            unsaved: Vec::new(),
            oldest_unsaved: None,
        })
    }

    pub fn with_policy(mut self, policy: FlushPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The batches recorded are sent to `base_url`: what they learn of its pace is kept for
    /// it (`keep_pace`).
    pub fn with_pace_of(mut self, base_url: &str) -> Self {
        self.pace_of = Some(base_url.to_owned());
        self
    }

    /// What the last batch on this recorder's base URL learned of its pace, to start from
    /// (`Store::server_pace`); none without `with_pace_of`.
    pub fn kept_pace(&self) -> Option<ServerPace> {
        self.pace_of
            .as_deref()
            .and_then(|base_url| self.store.server_pace(base_url))
    }

    /// Keeps what a batch learned of the server's pace, for the next batch on the same base
    /// URL to start from (`Store::server_pace`); nothing without `with_pace_of`.
    pub fn keep_pace(&mut self, pace: &ServerPace) -> Result<(), StoreError> {
        match &self.pace_of {
            Some(base_url) => self.store.keep_server_pace(base_url, pace),
            None => Ok(()),
        }
    }

    /// The database, for reads and for the list edits of the process recording.
    pub fn store(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Queues `ids`, once they may no longer be sent unrecorded: call before the engine gets
    /// them. Results buffered so far are written first, so an answer to an ID that comes
    /// before it is queued again never takes it off. Returns the IDs left out because they
    /// are protected now (see `Store::enqueue`).
    pub fn enqueue(&mut self, ids: &[VideoId]) -> Result<IdSet, StoreError> {
        self.flush()?;
        self.store.enqueue(ids)
    }

    /// Takes IDs the rails left out off the batch (`Store::withdraw`).
    pub fn withdraw(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        self.store.withdraw(ids)
    }

    /// Buffers one finished delete, as of now.
    pub fn record(&mut self, id: VideoId, outcome: &Outcome) {
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

    /// How long until `due`, at most (for a driver's timer); `None` with nothing buffered.
    pub fn due_in(&self) -> Option<Duration> {
        self.oldest_unsaved
            .map(|since| self.policy.max_delay.saturating_sub(since.elapsed()))
    }

    /// Writes what is buffered, in one transaction. On failure it stays buffered.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.unsaved.is_empty() {
            return Ok(());
        }
        self.store.record(&self.unsaved, self.host.as_deref())?;
        self.unsaved.clear();
        self.oldest_unsaved = None;
        Ok(())
    }

    /// Results not written yet.
    pub fn unsaved(&self) -> usize {
        self.unsaved.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OutcomeKind;
    use crate::store::Details;
    use crate::store::testing::{id, open};

    fn gone() -> Outcome {
        Outcome {
            status: Some(204),
            attempts: 1,
            ..Outcome::unsent(OutcomeKind::Deleted)
        }
    }

    fn recorder(dir: &tempfile::TempDir, max_results: usize) -> Recorder {
        let policy = FlushPolicy {
            max_delay: Duration::from_secs(3600),
            max_results,
        };
        Recorder::open(&Paths::in_dir(dir.path()), Some("h".into()))
            .unwrap()
            .with_policy(policy)
    }

    #[test]
    fn results_wait_in_memory_until_due_then_go_in_one_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut recorder = recorder(&dir, 2);
        recorder
            .store()
            .add(
                &[id(1), id(2)],
                &Details::default(),
                None,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
        recorder.enqueue(&[id(1), id(2)]).unwrap();
        recorder.record(id(1), &gone());
        assert!(!recorder.due());
        let reader = open(&dir);
        assert_eq!(
            reader.history(None).unwrap().len(),
            0,
            "nothing written yet"
        );
        recorder.record(id(2), &gone());
        assert!(recorder.due());
        recorder.flush().unwrap();
        assert_eq!(reader.history(None).unwrap().len(), 2);
        assert_eq!(reader.count_videos().unwrap(), 0);
        assert_eq!(reader.pending_count().unwrap(), 0);
    }

    #[test]
    fn an_id_answered_then_queued_again_stays_queued() {
        let dir = tempfile::tempdir().unwrap();
        let mut recorder = recorder(&dir, 100);
        recorder.record(id(1), &gone());
        recorder.enqueue(&[id(1), id(2)]).unwrap();
        assert_eq!(recorder.unsaved(), 0, "written before the queue");
        assert_eq!(recorder.store().pending().unwrap(), [id(1), id(2)]);
    }
}
