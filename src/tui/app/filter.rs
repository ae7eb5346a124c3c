//! What the table's filter lets through: the `/` query (`query::Query`, ages measured from the
//! app's clock) and, in the marked-only view, the marks. The scan over the candidate rows is
//! what each filter keystroke costs: it is split across the machine's cores for long lists,
//! and a run of rows sharing one label tests the label once (the query's `Matcher`). Removed
//! rows never match. It reads rows; it keeps no state.

use std::ops::Range;

use jiff::Timestamp;

use super::marks::Marks;
use super::row::Row;
use super::rows::Rows;
use crate::query::{Query, QueryError};

/// Below this many rows to test, one thread is quicker than starting more.
const PARALLEL_FROM: usize = 100_000;

/// The tests a row must pass to be shown.
#[derive(Clone, Copy, Debug)]
pub struct Filter<'a> {
    /// The query typed (the empty query: none), or `Err` when it does not parse: then no row
    /// passes, so nothing is marked or deleted through a filter that failed to hide rows.
    pub query: Result<&'a Query, &'a QueryError>,
    /// When ages in the query are measured from.
    pub now: Timestamp,
    /// Only these rows (the marked-only view).
    pub only: Option<&'a Marks>,
}

impl Filter<'_> {
    /// Every row but removed ones passes.
    pub fn lets_all_through(&self) -> bool {
        self.query.is_ok_and(Query::is_empty) && self.only.is_none()
    }
}

/// The rows that pass `filter`, in the order given, of the `count` rows `candidate(0..count)`
/// names.
pub fn matching(
    rows: &Rows,
    count: usize,
    candidate: impl Fn(usize) -> u32 + Sync,
    filter: &Filter<'_>,
) -> Vec<u32> {
    // Sized for the worst case up front: growing a half-million-entry result costs more
    // than the few megabytes it reserves for a moment.
    let Ok(query) = filter.query else {
        return Vec::new();
    };
    let scan = |range: Range<usize>| -> Vec<u32> {
        let mut shown = Vec::with_capacity(range.len());
        match Some(query).filter(|query| !query.is_empty()) {
            None => shown.extend(
                range
                    .map(&candidate)
                    .filter(|&row| passes_marks(&rows[row as usize], row, filter)),
            ),
            Some(query) => {
                let mut matcher = query.matcher(filter.now);
                let reads = query.reads();
                shown.extend(range.map(&candidate).filter(|&row| {
                    passes_marks(&rows[row as usize], row, filter)
                        && matcher.matches(&rows.subject(row, reads))
                }));
            }
        }
        shown
    };
    let threads = if count < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if threads == 1 {
        return scan(0..count);
    }
    let part = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let scan = &scan;
        let parts: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || scan(t * part..((t + 1) * part).min(count))))
            .collect();
        let shown: Vec<Vec<u32>> = parts
            .into_iter()
            .map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect();
        shown.concat()
    })
}

/// Shown at all (not removed), and marked when only marked rows are.
fn passes_marks(row: &Row, number: u32, filter: &Filter<'_>) -> bool {
    row.is_shown() && filter.only.is_none_or(|marks| marks.contains(number))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind, VideoId};
    use crate::query::Reads;
    use crate::store::{KnownVideo, LastOutcome};
    use crate::tui::app::row::RowState;

    fn filter<'a>(query: &'a Query, only: Option<&'a Marks>) -> Filter<'a> {
        Filter {
            query: Ok(query),
            now: Timestamp::UNIX_EPOCH,
            only,
        }
    }

    #[test]
    fn a_query_that_does_not_parse_lets_no_row_through() {
        let mut rows = Rows::default();
        rows.extend((1..=3).map(|n| {
            KnownVideo::new(
                VideoId::from_uuid(uuid::Uuid::from_u128(n)),
                Timestamp::UNIX_EPOCH,
                None,
            )
        }));
        let error = Query::parse("age>30x").unwrap_err();
        let broken = Filter {
            query: Err(&error),
            now: Timestamp::UNIX_EPOCH,
            only: None,
        };
        assert!(!broken.lets_all_through());
        assert!(matching(&rows, rows.len(), |i| i as u32, &broken).is_empty());
    }

    #[test]
    fn many_rows_split_over_threads_match_as_one_scan_would() {
        let shared: Arc<str> = "june import".into();
        let mut rows: Rows = (0..PARALLEL_FROM as u128 + 5)
            .map(|n| {
                let mut video = KnownVideo::new(
                    VideoId::from_uuid(uuid::Uuid::from_u128(n * 7919)),
                    Timestamp::UNIX_EPOCH,
                    (n % 3 == 0).then(|| Arc::clone(&shared)),
                );
                if n % 5 == 0 {
                    video.last = Some(Box::new(LastOutcome {
                        outcome: Outcome::unsent(OutcomeKind::Forbidden),
                        at: Timestamp::UNIX_EPOCH,
                    }));
                }
                video
            })
            .collect();
        rows[7].state = RowState::Removed;
        let mut marks = Marks::new(rows.len());
        (0..rows.len() as u32)
            .step_by(4)
            .for_each(|row| marks.set(row, true));
        for text in [
            "june",
            "e9",
            "0",
            "",
            "-status:forbidden june",
            "status:none",
        ] {
            let query = Query::parse(text).unwrap();
            for only in [None, Some(&marks)] {
                let filter = filter(&query, only);
                let one_by_one: Vec<u32> = (0..rows.len() as u32)
                    .filter(|&i| {
                        passes_marks(&rows[i as usize], i, &filter)
                            && query.matches(&rows.subject(i, Reads::ALL), filter.now)
                    })
                    .collect();
                assert!(!one_by_one.contains(&7), "removed rows never match");
                assert_eq!(
                    matching(&rows, rows.len(), |i| i as u32, &filter),
                    one_by_one,
                    "{text}"
                );
            }
        }
        let every_other: Vec<u32> = (0..rows.len() as u32).step_by(2).rev().collect();
        let query = Query::parse("label:june").unwrap();
        assert_eq!(
            matching(
                &rows,
                every_other.len(),
                |i| every_other[i],
                &filter(&query, None)
            ),
            every_other
                .iter()
                .copied()
                .filter(|i| i % 3 == 0)
                .collect::<Vec<_>>(),
            "in the order given"
        );
    }
}
