//! What a filter lets through: the lower-cased text analysed once per keystroke (`Needle`),
//! and the scan over every row that each keystroke costs, split across the machine's cores
//! for long lists, with a run of rows sharing one label tested once.

use std::ops::Range;
use std::sync::Arc;

use super::row::Row;
use super::rows::Rows;

/// Below this many rows to test, one thread is quicker than starting more.
const PARALLEL_FROM: usize = 100_000;

/// The rows that match `needle`, in order, of the `count` rows `candidate(0..count)` names.
/// Removed rows never match.
pub fn matching(
    rows: &Rows,
    count: usize,
    candidate: impl Fn(usize) -> u32 + Sync,
    needle: &Needle<'_>,
) -> Vec<u32> {
    // Sized for the worst case up front: growing a half-million-entry result costs more
    // than the few megabytes it reserves for a moment.
    let scan = |range: Range<usize>| -> Vec<u32> {
        let mut labels = LabelMemo::default();
        let mut shown = Vec::with_capacity(range.len());
        shown.extend(range.map(&candidate).filter(|&row| {
            let row = &rows[row as usize];
            row.is_shown() && labels.matches(row, needle)
        }));
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

/// An import gives one label (one shared `Arc`) to a run of rows: its test is reused along
/// the run. Addresses stay unique while the rows are borrowed, so a match is never reused
/// for a different label.
#[derive(Default)]
struct LabelMemo {
    label: Option<(*const u8, bool)>,
}

impl LabelMemo {
    /// Case-insensitive substring match on the row's label or ID. Allocation-free: this runs
    /// over every row on each filter keystroke.
    fn matches(&mut self, row: &Row, needle: &Needle<'_>) -> bool {
        if needle.text.is_empty() {
            return true;
        }
        let label_matches = row.video.label.as_ref().is_some_and(|label| {
            let at = Arc::as_ptr(label).cast::<u8>();
            match self.label {
                Some((seen, matched)) if seen == at => matched,
                _ => {
                    let matched = contains_ci(label, needle.text);
                    self.label = Some((at, matched));
                    matched
                }
            }
        });
        label_matches || id_matches(row, needle)
    }
}

/// The ID is formatted (on the stack) only for a needle that can be part of one.
fn id_matches(row: &Row, needle: &Needle<'_>) -> bool {
    needle.id.is_some_and(|fragment| {
        let id = row.video.id.as_uuid();
        if let [digit] = fragment
            && let Some(nibble) = hex_value(*digit)
        {
            // The first keystroke scans every row: test the 32 nibbles, unformatted.
            return id.as_bytes().iter().fold(false, |any, b| {
                any | (b >> 4 == nibble) | (b & 0xf == nibble)
            });
        }
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut buf);
        contains_ascii_ci(&buf, fragment)
    })
}

/// A lower-case hex digit's value.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// The filter text, analysed once per keystroke instead of once per row.
#[derive(Clone, Copy, Debug)]
pub struct Needle<'a> {
    /// Lower-case.
    text: &'a str,
    /// The text as bytes when it can be part of a lower-case hyphenated UUID (only hex digits
    /// and hyphens, at most 36 of them); otherwise no ID can match and none is formatted.
    id: Option<&'a [u8]>,
}

impl<'a> Needle<'a> {
    /// `text` must be lower-case (the filter prompt lower-cases what is typed).
    pub fn new(text: &'a str) -> Self {
        let id_like = text.len() <= uuid::fmt::Hyphenated::LENGTH
            && text
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'-'));
        Self {
            text,
            id: id_like.then_some(text.as_bytes()),
        }
    }
}

/// `hay` contains the lower-case `needle`, ignoring ASCII case in `hay`. Finds candidates by
/// the first byte with one OR and one compare per byte (exact: only a letter's two cases OR
/// to its lower case), then checks the rest; no library search, whose set-up costs more than
/// scanning a label or an ID.
fn contains_ascii_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let fold = if first.is_ascii_lowercase() { 0x20 } else { 0 };
    // Most rows hold no candidate at all: test that without an early exit and with a byte
    // accumulator, which the compiler turns into a vector loop.
    let starts = &hay[..=last_start];
    if starts
        .iter()
        .fold(0u8, |any, &b| any | u8::from(b | fold == first))
        == 0
    {
        return false;
    }
    rest.is_empty()
        || starts.iter().enumerate().any(|(i, &b)| {
            b | fold == first
                && hay[i + 1..i + needle.len()]
                    .iter()
                    .zip(rest)
                    .all(|(h, n)| h.to_ascii_lowercase() == *n)
        })
}

/// As `contains_ascii_ci`, with a Unicode fallback for labels that are not ASCII.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() {
        contains_ascii_ci(hay.as_bytes(), needle.as_bytes())
    } else {
        hay.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::store::KnownVideo;
    use crate::tui::row::tests::row;

    /// One row alone, as the scan tests it.
    fn row_matches(row: &Row, needle: &Needle<'_>) -> bool {
        LabelMemo::default().matches(row, needle)
    }

    #[test]
    fn matches_id_or_label_ignoring_case() {
        let r = row(Some("Holiday Ünïcode Clip"));
        for needle in [
            "550e84",
            "a716-4466",
            "550e8400-e29b-41d4-a716-446655440000",
            "0000",
            "holiday",
            "ünï",
            "",
        ] {
            assert!(row_matches(&r, &Needle::new(needle)), "{needle}");
        }
        for needle in [
            "zzz",
            "holidays",
            "4466554400000",
            "550e8400-e29b-41d4-a716-4466554400000",
            "84-",
        ] {
            assert!(!row_matches(&r, &Needle::new(needle)), "{needle}");
        }
        assert!(!row_matches(&row(None), &Needle::new("clip")));
        // Case folding finds both cases of a letter and nothing else ('@' | 0x20 is '`').
        assert!(row_matches(&row(Some("A@b")), &Needle::new("a@b")));
        assert!(!row_matches(&row(Some("@")), &Needle::new("`")));
        assert!(row_matches(&row(None), &Needle::new("e29b-41")));
        for (digit, found) in [("5", true), ("9", true), ("f", false), ("c", false)] {
            assert_eq!(
                row_matches(&row(None), &Needle::new(digit)),
                found,
                "{digit}"
            );
        }
    }

    #[test]
    fn many_rows_split_over_threads_match_as_one_scan_would() {
        let shared: Arc<str> = "june import".into();
        let mut rows = Rows::default();
        rows.extend((0..PARALLEL_FROM as u128 + 5).map(|n| {
            Row::new(KnownVideo {
                id: crate::api::VideoId::from_uuid(uuid::Uuid::from_u128(n * 7919)),
                added_at: Timestamp::UNIX_EPOCH,
                label: (n % 3 == 0).then(|| Arc::clone(&shared)),
                details: None,
                last: None,
            })
        }));
        for text in ["june", "e9", "0", ""] {
            let needle = Needle::new(text);
            let one_by_one: Vec<u32> = (0..rows.len() as u32)
                .filter(|&i| row_matches(&rows[i as usize], &needle))
                .collect();
            assert_eq!(
                matching(&rows, rows.len(), |i| i as u32, &needle),
                one_by_one,
                "{text}"
            );
        }
        let every_other: Vec<u32> = (0..rows.len() as u32).step_by(2).collect();
        let needle = Needle::new("june");
        assert_eq!(
            matching(&rows, every_other.len(), |i| every_other[i], &needle),
            every_other
                .iter()
                .copied()
                .filter(|i| i % 3 == 0)
                .collect::<Vec<_>>()
        );
    }
}
