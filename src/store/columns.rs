//! How values are kept in columns: a video ID as its 16 bytes, a time as Unix seconds and
//! nanoseconds (exact for any `Timestamp`), an outcome as its word and its answer's fields.
//! A value that does not read back (a hand-edited row) is an error naming the column, never
//! a guess.

use jiff::Timestamp;
use rusqlite::Row;
use rusqlite::types::Type;

use std::time::Duration;

use crate::api::{GenerationState, Outcome, OutcomeKind, VideoId};
use crate::store::{GenerationRow, LastOutcome, LastSync};

/// The ID as stored.
pub fn id_blob(id: &VideoId) -> &[u8; 16] {
    id.as_uuid().as_bytes()
}

/// A time as stored: seconds and nanoseconds since the Unix epoch.
pub fn time(at: Timestamp) -> (i64, i32) {
    (at.as_second(), at.subsec_nanosecond())
}

/// The ID in column `at`.
pub fn read_id(row: &Row<'_>, at: usize) -> rusqlite::Result<VideoId> {
    let bytes: [u8; 16] = row.get(at)?;
    Ok(VideoId::from_uuid(uuid::Uuid::from_bytes(bytes)))
}

/// The time in columns `at` (seconds) and `at + 1` (nanoseconds); `None` when the seconds
/// are NULL.
pub fn read_time(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Timestamp>> {
    let Some(second) = row.get::<_, Option<i64>>(at)? else {
        return Ok(None);
    };
    let nanosecond: i32 = row.get(at + 1)?;
    Timestamp::new(second, nanosecond)
        .map(Some)
        .map_err(|err| conversion(at, Type::Integer, err))
}

/// As `read_time`, for a column that is never NULL.
pub fn read_time_always(row: &Row<'_>, at: usize) -> rusqlite::Result<Timestamp> {
    read_time(row, at)?.ok_or(rusqlite::Error::InvalidColumnType(
        at,
        "a time".to_owned(),
        Type::Null,
    ))
}

/// The outcome kind written in column `at`.
pub fn read_kind(row: &Row<'_>, at: usize) -> rusqlite::Result<OutcomeKind> {
    let word: String = row.get(at)?;
    OutcomeKind::from_word(&word)
        .ok_or_else(|| conversion(at, Type::Text, format!("no outcome is called {word:?}")))
}

/// The columns of an outcome, in this order after its kind: status, error code, message,
/// request id, attempts.
pub const OUTCOME_FIELDS: &str = "status, error_code, message, request_id, attempts";

/// An outcome whose kind is in column `at`, its other fields following (`OUTCOME_FIELDS`).
pub fn read_outcome(row: &Row<'_>, at: usize) -> rusqlite::Result<Outcome> {
    Ok(Outcome {
        kind: read_kind(row, at)?,
        status: row.get(at + 1)?,
        error_code: row.get(at + 2)?,
        message: row.get(at + 3)?,
        request_id: row.get(at + 4)?,
        attempts: row.get(at + 5)?,
    })
}

/// A video's last outcome from its `last_*` columns, starting at `at` with the kind
/// (`last_outcome`, then `OUTCOME_FIELDS`, then `last_at_s`, `last_at_ns`); `None` when it
/// was never sent.
pub fn read_last(row: &Row<'_>, at: usize) -> rusqlite::Result<Option<Box<LastOutcome>>> {
    if row.get_ref(at)?.data_type() == Type::Null {
        return Ok(None);
    }
    Ok(Some(Box::new(LastOutcome {
        outcome: read_outcome(row, at)?,
        at: read_time_always(row, at + 6)?,
    })))
}

/// The generation columns, in the order `read_generation` takes them.
pub const GENERATION_FIELDS: &str = "state, progress, file_size, duration_ms, completed_s, \
    completed_ns, generation_error, download_url, listed";

/// A video's generation from its columns (`GENERATION_FIELDS`), starting at `at`.
pub fn read_generation<'r>(row: &'r Row<'r>, at: usize) -> rusqlite::Result<GenerationRow<'r>> {
    let state = match row.get_ref(at)?.as_str_or_null()? {
        None => None,
        Some(word) => Some(
            word.parse::<GenerationState>()
                .map_err(|err| conversion(at, Type::Text, err))?,
        ),
    };
    Ok(GenerationRow {
        state,
        progress: row.get(at + 1)?,
        file_size: row
            .get::<_, Option<i64>>(at + 2)?
            .map(|size| size.max(0) as u64),
        duration: row
            .get::<_, Option<i64>>(at + 3)?
            .map(|ms| Duration::from_millis(ms.max(0) as u64)),
        completed_at: read_time(row, at + 4)?,
        error: row.get_ref(at + 6)?.as_str_or_null()?,
        download_url: row.get_ref(at + 7)?.as_str_or_null()?,
        listed: LastSync::from_column(row.get(at + 8)?),
    })
}

/// A size as stored (SQLite's integers are signed; no file is 8 EiB).
pub fn size_column(size: u64) -> i64 {
    i64::try_from(size).unwrap_or(i64::MAX)
}

/// A duration as stored: whole milliseconds.
pub fn duration_column(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn conversion(
    at: usize,
    kind: Type,
    err: impl Into<Box<dyn std::error::Error + Send + Sync>>,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(at, kind, err.into())
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    #[test]
    fn times_and_ids_read_back_exactly_at_the_extremes() {
        let conn = Connection::open_in_memory().unwrap();
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(u128::MAX - 7));
        for at in [
            Timestamp::MIN,
            Timestamp::MAX,
            Timestamp::UNIX_EPOCH,
            "1969-12-31T23:59:59.5Z".parse().unwrap(),
            "2024-05-01T10:20:30.123456789Z".parse().unwrap(),
        ] {
            let (s, ns) = time(at);
            let (read_id_back, read_at) = conn
                .query_row("SELECT ?1, ?2, ?3", (id_blob(&id), s, ns), |row| {
                    Ok((read_id(row, 0)?, read_time(row, 1)?))
                })
                .unwrap();
            assert_eq!((read_id_back, read_at), (id, Some(at)));
        }
    }

    #[test]
    fn an_unknown_outcome_word_is_an_error_not_a_guess() {
        let conn = Connection::open_in_memory().unwrap();
        let read = conn.query_row("SELECT 'vanished', NULL, NULL, NULL, NULL, 1", [], |row| {
            read_outcome(row, 0)
        });
        assert!(read.is_err(), "{read:?}");
    }
}
