//! The history of finished deletes: `HistoryEntry`, one entry as `history --json` prints it
//! (the line `history.jsonl` held), and reading them from the database (`outcomes`) oldest
//! first: all of them, or the newest only (the app's `H` view, `history --limit`), streamed
//! so a million entries are never all in memory. Written by `batch` only.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::columns::{OUTCOME_FIELDS, read_id, read_outcome, read_time_always};
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
        let mut entries = Vec::new();
        self.scan_history(limit, |entry| {
            entries.push(entry);
            Ok::<(), StoreError>(())
        })?;
        Ok(entries)
    }

    /// Hands the history to `each`, oldest first (the newest `limit` entries when given),
    /// stopping at its first error.
    pub fn scan_history<E: From<StoreError>>(
        &self,
        limit: Option<usize>,
        mut each: impl FnMut(HistoryEntry) -> Result<(), E>,
    ) -> Result<(), E> {
        let columns = format!("seq, at_s, at_ns, id, outcome, {OUTCOME_FIELDS}, host, title");
        let sql = match limit {
            None => format!("SELECT {columns} FROM outcomes ORDER BY seq"),
            Some(_) => format!(
                "SELECT * FROM (SELECT {columns} FROM outcomes ORDER BY seq DESC LIMIT ?1)
                 ORDER BY seq"
            ),
        };
        let db_err = |err| E::from(self.error(err));
        let mut statement = self.conn().prepare(&sql).map_err(db_err)?;
        let limit = i64::try_from(limit.unwrap_or(0)).unwrap_or(i64::MAX);
        let mut rows = match statement.parameter_count() {
            0 => statement.query([]),
            _ => statement.query([limit]),
        }
        .map_err(db_err)?;
        while let Some(row) = rows.next().map_err(db_err)? {
            each(entry(row).map_err(db_err)?)?;
        }
        Ok(())
    }
}

/// One row of `outcomes` as the history shows it (columns as `scan_history` selects them).
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
}
