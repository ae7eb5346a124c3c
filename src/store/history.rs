//! The history of finished deletes: `HistoryEntry`, one entry as `history --json` prints it
//! (the line `history.jsonl` held), and reading them from the database (`outcomes`) oldest
//! first: all of them, or the newest only (the app's `H` view, `history --limit`), those
//! since a time, those a test picks (`history QUERY`). Written by `batch` only.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::columns::{OUTCOME_FIELDS, read_id, read_outcome, read_time_always, time};
use super::{Store, StoreError};
use crate::api::{Outcome, OutcomeKind, VideoId};

/// One finished delete, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub id: VideoId,
    pub outcome: OutcomeKind,
    pub status: Option<u16>,
    pub error_code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub attempts: u32,
    /// The host of the base URL the request went to (sandbox vs production matters later).
    pub host: Option<String>,
    /// The video's title when the delete was recorded, if the list knew one (entries of
    /// `history.jsonl` have none: it did not keep titles).
    #[serde(default)]
    pub title: Option<String>,
}

impl HistoryEntry {
    pub fn new(at: Timestamp, id: VideoId, outcome: &Outcome, host: Option<&str>) -> Self {
        Self {
            at,
            id,
            outcome: outcome.kind,
            status: outcome.status,
            error_code: outcome.error_code.clone(),
            message: outcome.message.clone(),
            request_id: outcome.request_id.clone(),
            attempts: outcome.attempts,
            host: host.map(str::to_owned),
            title: None,
        }
    }

    /// The outcome as the engine reported it.
    pub fn outcome(&self) -> Outcome {
        Outcome {
            kind: self.outcome,
            status: self.status,
            error_code: self.error_code.clone(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
            attempts: self.attempts,
        }
    }
}

impl Store {
    /// The history, oldest first; only the newest `limit` entries when given.
    pub fn history(&self, limit: Option<usize>) -> Result<Vec<HistoryEntry>, StoreError> {
        self.history_picked(limit, None, |_| true)
    }

    /// The entries recorded at or after `since` that `pick` keeps, oldest first; only the
    /// newest `limit` of them when given (read newest first, stopping there, so `--limit`
    /// never reads the whole history).
    pub fn history_picked(
        &self,
        limit: Option<usize>,
        since: Option<Timestamp>,
        mut pick: impl FnMut(&HistoryEntry) -> bool,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let order = if limit.is_some() { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT seq, at_s, at_ns, id, outcome, {OUTCOME_FIELDS}, host, title FROM outcomes
             WHERE at_s > ?1 OR (at_s = ?1 AND at_ns >= ?2) ORDER BY seq {order}"
        );
        let (since_s, since_ns) = since.map_or((i64::MIN, 0), time);
        let db_err = |err| self.error(err);
        let mut statement = self.conn().prepare(&sql).map_err(db_err)?;
        let mut rows = statement
            .query([since_s, i64::from(since_ns)])
            .map_err(db_err)?;
        let limit = limit.unwrap_or(usize::MAX);
        let mut entries = Vec::new();
        while entries.len() < limit {
            let Some(row) = rows.next().map_err(db_err)? else {
                break;
            };
            let entry = entry(row).map_err(db_err)?;
            if pick(&entry) {
                entries.push(entry);
            }
        }
        if order == "DESC" {
            entries.reverse();
        }
        Ok(entries)
    }
}

/// One row of `outcomes` as the history shows it (columns as `history_picked` selects them).
fn entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let outcome = read_outcome(row, 4)?;
    Ok(HistoryEntry {
        at: read_time_always(row, 1)?,
        id: read_id(row, 3)?,
        outcome: outcome.kind,
        status: outcome.status,
        error_code: outcome.error_code,
        message: outcome.message,
        request_id: outcome.request_id,
        attempts: outcome.attempts,
        host: row.get(10)?,
        title: row.get(11)?,
    })
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind, VideoId};
    use crate::store::Paths;

    #[test]
    fn the_newest_entries_come_oldest_first_and_round_trip_every_field() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&Paths::in_dir(dir.path())).unwrap();
        let at: Timestamp = "2024-05-01T10:20:30.123456789Z".parse().unwrap();
        let results: Vec<_> = (1..=5u128)
            .map(|n| {
                let outcome = Outcome {
                    status: Some(404),
                    error_code: Some("VIDEO_NOT_FOUND".into()),
                    message: Some(format!("gone {n} \u{1b}[2J")),
                    request_id: Some("req".into()),
                    attempts: 2,
                    ..Outcome::unsent(OutcomeKind::NotFound)
                };
                (VideoId::from_uuid(uuid::Uuid::from_u128(n)), outcome, at)
            })
            .collect();
        store.record(&results, Some("api.example")).unwrap();
        let all = store.history(None).unwrap();
        let expected: Vec<_> = results
            .iter()
            .map(|(id, outcome, at)| HistoryEntry::new(*at, *id, outcome, Some("api.example")))
            .collect();
        assert_eq!(all, expected);
        assert_eq!(store.history(Some(2)).unwrap(), expected[3..]);
        assert!(store.history(Some(0)).unwrap().is_empty());
        assert_eq!(store.history(Some(9)).unwrap().len(), 5);
    }

    /// Issue 21 B6: `history --since` and a query, with `--limit` the newest that match.
    #[test]
    fn picked_entries_are_the_newest_that_match_since_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&Paths::in_dir(dir.path())).unwrap();
        let at = |second: i64, nanosecond: i32| Timestamp::new(second, nanosecond).unwrap();
        let results: Vec<_> = [(10, 0), (20, 5), (20, 6), (30, 0), (40, 0)]
            .into_iter()
            .enumerate()
            .map(|(n, (second, nano))| {
                let kind = if n % 2 == 0 {
                    OutcomeKind::Deleted
                } else {
                    OutcomeKind::Forbidden
                };
                let id = VideoId::from_uuid(uuid::Uuid::from_u128(n as u128));
                (id, Outcome::unsent(kind), at(second, nano))
            })
            .collect();
        store.record(&results, None).unwrap();
        let times = |entries: Vec<HistoryEntry>| -> Vec<Timestamp> {
            entries.into_iter().map(|entry| entry.at).collect()
        };
        let deleted = |entry: &HistoryEntry| entry.outcome == OutcomeKind::Deleted;
        let since = Some(at(20, 6));
        assert_eq!(
            times(store.history_picked(None, since, |_| true).unwrap()),
            [at(20, 6), at(30, 0), at(40, 0)],
            "to the nanosecond"
        );
        assert_eq!(
            times(store.history_picked(None, None, deleted).unwrap()),
            [at(10, 0), at(20, 6), at(40, 0)]
        );
        assert_eq!(
            times(store.history_picked(Some(2), None, deleted).unwrap()),
            [at(20, 6), at(40, 0)],
            "the newest two that match, oldest first"
        );
        assert_eq!(
            times(
                store
                    .history_picked(Some(9), Some(at(25, 0)), deleted)
                    .unwrap()
            ),
            [at(40, 0)]
        );
    }
}
