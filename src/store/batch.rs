//! The batch in progress and what its deletes did, in the database. IDs are queued (as the
//! IDs an interrupted batch leaves, for `delete --resume` and the app's resume offer) before
//! the engine may send them, with any protected since left out; and each finished delete is
//! recorded by the one rule (`apply`), in one transaction per flush.

use jiff::Timestamp;
use rusqlite::types::ToSql;
use rusqlite::{Statement, Transaction, params};

use super::Store;
use super::columns::{id_blob, read_id, time};
use super::videos::{next_rev, prune_removed, remove};
use crate::api::{Outcome, OutcomeKind, VideoId};
use crate::store::{IdSet, StoreError};

/// A finished delete as recorded: the ID, what happened, and when.
pub type RecordedResult = (VideoId, Outcome, Timestamp);

/// Whether an outcome answers a queued ID, taking it off the batch. Cancelled, skipped and
/// protected ones were never sent (or never answered), and an unauthorized one was refused
/// before the API looked at the video: none of them is an answer, so each stays queued.
pub fn answers(kind: OutcomeKind) -> bool {
    !matches!(
        kind,
        OutcomeKind::Cancelled
            | OutcomeKind::Skipped
            | OutcomeKind::Unauthorized
            | OutcomeKind::Protected
    )
}

impl Store {
    /// The IDs queued and not answered yet, in queue order: what an interrupted batch left
    /// (`delete --resume` sends them).
    pub fn pending(&self) -> Result<Vec<VideoId>, StoreError> {
        let mut statement = self
            .conn()
            .prepare("SELECT id FROM pending ORDER BY seq")
            .map_err(|e| self.error(e))?;
        let ids = statement
            .query_map([], |row| read_id(row, 0))
            .and_then(Iterator::collect);
        ids.map_err(|e| self.error(e))
    }

    /// How many IDs are queued and not answered yet.
    pub fn pending_count(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT count(*) FROM pending", [], |row| row.get(0))
            .map_err(|e| self.error(e))
    }

    /// Queues `ids` (each once, after those already queued), leaving out the ones protected
    /// by ID now (another process may have protected them since the batch was checked):
    /// those are returned, and must not be sent.
    pub fn enqueue(&mut self, ids: &[VideoId]) -> Result<IdSet, StoreError> {
        self.write(|tx| {
            let protected = super::protection::protected_ids(tx)?;
            let mut insert =
                tx.prepare("INSERT INTO pending (id) VALUES (?1) ON CONFLICT DO NOTHING")?;
            let mut left_out = IdSet::default();
            for id in ids {
                if protected.contains(id) {
                    left_out.insert(*id);
                } else {
                    insert.execute([&id_blob(id)[..]])?;
                }
            }
            Ok(left_out)
        })
    }

    /// Takes `ids` off the batch without an answer: they are protected now, so resuming must
    /// not offer them again.
    pub fn withdraw(&mut self, ids: &[VideoId]) -> Result<(), StoreError> {
        self.write(|tx| {
            let mut delete = tx.prepare("DELETE FROM pending WHERE id = ?1")?;
            for id in ids {
                delete.execute([&id_blob(id)[..]])?;
            }
            Ok(())
        })
    }

    /// Records finished deletes, oldest first, in one transaction: each goes into the
    /// history (with `host`, the base URL's host, and the title the list holds for the video
    /// before this record takes it off), and `apply` brings the batch and the list up to
    /// date with it.
    pub fn record(
        &mut self,
        results: &[RecordedResult],
        host: Option<&str>,
    ) -> Result<(), StoreError> {
        if results.is_empty() {
            return Ok(());
        }
        self.write(|tx| {
            let mut history = tx.prepare(
                "INSERT INTO outcomes (id, outcome, status, error_code, message, request_id,
                     attempts, at_s, at_ns, host, title)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT title FROM videos
                     WHERE id = ?1))",
            )?;
            for (id, outcome, at) in results {
                execute_with_outcome(&mut history, &id_blob(id)[..], outcome, *at, &host)?;
            }
            apply(tx, results, true)
        })
    }
}

/// The one rule for what a finished delete does to what is kept, in order (a later result
/// for an ID wins): an answer takes the ID off the batch (when `dequeue`); a video deleted or
/// not found leaves the known list (a `removed` row says it is gone); any other outcome
/// becomes the video's last one. IDs not in the list stay out of it.
pub fn apply(
    tx: &Transaction<'_>,
    results: &[RecordedResult],
    dequeue: bool,
) -> rusqlite::Result<()> {
    let rev = next_rev(tx)?;
    let mut answered = tx.prepare("DELETE FROM pending WHERE id = ?1")?;
    let mut last = tx.prepare(
        "UPDATE videos SET last_outcome = ?2, last_status = ?3, last_error_code = ?4,
             last_message = ?5, last_request_id = ?6, last_attempts = ?7, last_at_s = ?8,
             last_at_ns = ?9, rev = ?10
         WHERE id = ?1",
    )?;
    let mut any_gone = false;
    for (id, outcome, at) in results {
        let blob = &id_blob(id)[..];
        if dequeue && answers(outcome.kind) {
            answered.execute([blob])?;
        }
        if outcome.kind.is_gone() {
            any_gone |= remove(tx, id, rev, true)? > 0;
        } else {
            execute_with_outcome(&mut last, blob, outcome, *at, &rev)?;
        }
    }
    if any_gone {
        prune_removed(tx, rev)?;
    }
    Ok(())
}

/// Runs `statement` with the ID (`?1`), the outcome's fields (`?2` to `?7`: kind, status,
/// error code, message, request ID, attempts), when (`?8`, `?9`) and `tenth` (`?10`).
fn execute_with_outcome(
    statement: &mut Statement<'_>,
    id: &[u8],
    outcome: &Outcome,
    at: Timestamp,
    tenth: &dyn ToSql,
) -> rusqlite::Result<usize> {
    let (at_s, at_ns) = time(at);
    statement.execute(params![
        id,
        outcome.kind.as_str(),
        outcome.status,
        outcome.error_code,
        outcome.message,
        outcome.request_id,
        outcome.attempts,
        at_s,
        at_ns,
        tenth
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::{id, open, open_with};
    use crate::store::{Details, VideoDetails};

    fn answered(kind: OutcomeKind, status: u16) -> Outcome {
        Outcome {
            status: Some(status),
            attempts: 1,
            ..Outcome::unsent(kind)
        }
    }

    #[test]
    fn each_queued_id_is_pending_once_in_queue_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.enqueue(&[id(3), id(1), id(2)]).unwrap();
        store.enqueue(&[id(4), id(1), id(4), id(5)]).unwrap();
        assert_eq!(store.pending().unwrap(), [3, 1, 2, 4, 5].map(id));
        assert_eq!(store.pending_count().unwrap(), 5);
    }

    #[test]
    fn ids_protected_since_the_check_are_not_queued_and_come_back_to_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        store.protect(&[id(2)]).unwrap();
        let left_out = store.enqueue(&[id(1), id(2), id(3)]).unwrap();
        assert_eq!(left_out, [id(2)].into_iter().collect());
        assert_eq!(store.pending().unwrap(), [id(1), id(3)]);
        store.withdraw(&[id(3)]).unwrap();
        assert_eq!(store.pending().unwrap(), [id(1)]);
    }

    #[test]
    fn results_reach_list_history_and_batch_in_one_transaction() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open_with(&dir, &[id(1), id(2), id(3)]);
        let at = Timestamp::UNIX_EPOCH;
        store.enqueue(&[id(1), id(2), id(3), id(4)]).unwrap();
        let results = [
            (id(1), answered(OutcomeKind::Deleted, 204), at),
            (id(2), answered(OutcomeKind::Processing, 400), at),
            (id(4), answered(OutcomeKind::NotFound, 404), at),
            (id(3), Outcome::unsent(OutcomeKind::Cancelled), at),
        ];
        store.record(&results, Some("h")).unwrap();
        let list = store.videos().unwrap();
        let kept: Vec<_> = list.iter().map(|v| v.id).collect();
        assert_eq!(kept, [id(2), id(3)]);
        let last = list.get(&id(2)).unwrap().last.as_ref().unwrap();
        assert_eq!(
            (last.outcome.kind, last.outcome.status),
            (OutcomeKind::Processing, Some(400))
        );
        assert_eq!(
            list.get(&id(3))
                .unwrap()
                .last
                .as_ref()
                .unwrap()
                .outcome
                .kind,
            OutcomeKind::Cancelled
        );
        assert_eq!(
            store.pending().unwrap(),
            [id(3)],
            "a cancelled ID stays queued"
        );
        let history = store.history(None).unwrap();
        assert_eq!(history.len(), 4);
        assert_eq!(history[0].host.as_deref(), Some("h"));
        assert_eq!(history[2].outcome, OutcomeKind::NotFound);
    }

    /// Issue 21 B6: once a video is deleted, its history entry is the only record of what it
    /// was.
    #[test]
    fn each_entry_keeps_the_title_its_video_had_when_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let mut details = Details::default();
        details.fill(
            0,
            &VideoDetails::titled(Some("a fox \u{1b}[2J".into()), None),
        );
        details.fill(1, &VideoDetails::titled(Some("a hen".into()), None));
        store
            .add(
                &[id(1), id(2), id(3)],
                &details,
                None,
                Timestamp::UNIX_EPOCH,
            )
            .unwrap();
        let at = Timestamp::UNIX_EPOCH;
        let results = [
            (id(1), answered(OutcomeKind::Deleted, 204), at),
            (id(2), answered(OutcomeKind::Forbidden, 403), at),
            (id(3), answered(OutcomeKind::Deleted, 204), at),
            (id(4), answered(OutcomeKind::NotFound, 404), at),
        ];
        store.record(&results, None).unwrap();
        let titles: Vec<_> = store
            .history(None)
            .unwrap()
            .into_iter()
            .map(|entry| entry.title)
            .collect();
        assert_eq!(
            titles,
            [
                Some("a fox \u{1b}[2J".to_owned()),
                Some("a hen".to_owned()),
                None,
                None
            ],
            "kept as the list held it; none for an untitled or unknown video"
        );
    }

    #[test]
    fn an_answer_recorded_before_an_id_is_queued_again_leaves_it_queued() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir);
        let at = Timestamp::UNIX_EPOCH;
        store
            .record(&[(id(1), answered(OutcomeKind::Forbidden, 403), at)], None)
            .unwrap();
        store.enqueue(&[id(1), id(2)]).unwrap();
        assert_eq!(store.pending().unwrap(), [id(1), id(2)]);
        store
            .record(&[(id(2), answered(OutcomeKind::Deleted, 204), at)], None)
            .unwrap();
        assert_eq!(store.pending().unwrap(), [id(1)]);
    }
}
