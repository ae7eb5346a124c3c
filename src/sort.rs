//! The orders a list of videos can be shown in: by one column (`SortKey`), ascending or
//! descending, and putting row numbers in that order fast enough for a million (each row's key
//! is made once, then rows are compared as integers; text is compared sixteen bytes at a
//! time, the next sixteen only for the rows that tie on the last). Videos lacking the
//! column's value (no title, never sent) come last either way, and ties keep list order. It
//! orders row numbers through `query::Subject`; it knows nothing of the table or the store.

use std::cmp::Ordering;

use crate::query::{Reads, STATUS_WORDS, Subject, status_rank};

/// A column to sort by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SortKey {
    /// The order videos were added in (no sorting).
    #[default]
    Added,
    Id,
    Label,
    Title,
    /// When the video was made (videos with no creation time last).
    Created,
    /// The last delete's outcome (never sent last).
    Status,
}

impl SortKey {
    /// In the order a key cycles through them.
    pub const ALL: [Self; 6] = [
        Self::Added,
        Self::Id,
        Self::Label,
        Self::Title,
        Self::Created,
        Self::Status,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Id => "id",
            Self::Label => "label",
            Self::Title => "title",
            Self::Created => "created",
            Self::Status => "status",
        }
    }

    /// The fields of a subject sorting by this key reads.
    pub fn reads(self) -> Reads {
        Reads {
            label: self == Self::Label,
            title: self == Self::Title,
            status: self == Self::Status,
            created_at: self == Self::Created,
        }
    }

    /// The next key in `ALL`, round to the first.
    pub fn next(self) -> Self {
        let at = Self::ALL.iter().position(|&key| key == self).unwrap_or(0);
        Self::ALL[(at + 1) % Self::ALL.len()]
    }
}

/// An order: a column and a direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SortOrder {
    pub key: SortKey,
    pub descending: bool,
}

impl SortOrder {
    /// List order, as added.
    pub fn is_list_order(self) -> bool {
        self == Self::default()
    }
}

/// Puts `rows` (ascending: list order) in `order`, `subject` telling what each row holds.
/// Ties (and rows with no value for the column, which go last) stay in ascending row order.
/// Long lists are keyed and sorted on two threads. Returns where the ties are, so that
/// `reverse_sorted` can turn the order round without reading a value.
pub fn sort_rows<'s>(
    rows: &mut [u32],
    order: SortOrder,
    subject: impl Fn(u32) -> Subject<'s> + Sync,
) -> Ties {
    match order.key {
        SortKey::Label | SortKey::Title => sort_by_text(rows, order, |row| {
            let subject = subject(row);
            match order.key {
                SortKey::Label => subject.label,
                _ => subject.title,
            }
        }),
        _ => {
            let keyed = sort_keyed(rows, order, &|row| {
                number_key(order.key, &subject(row)).map(|value| (value, 0))
            });
            let mut tied = vec![false; rows.len()];
            for (at, pair) in keyed.windows(2).enumerate() {
                tied[at + 1] = (pair[0].high, pair[0].low) == (pair[1].high, pair[1].low);
            }
            Ties {
                tied,
                present: keyed.len(),
            }
        }
    }
}

/// Where a sorted list's values are equal: by place in the order, whether the row there
/// ties with the one before it; and how many rows have a value (the others come after).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ties {
    tied: Vec<bool>,
    present: usize,
}

/// Turns `rows`, in the order `sort_rows` left them (which said where the `ties` are), into
/// the order the other way, reading no value and comparing nothing: the runs of equal values
/// in reverse, each run's rows still in row order, and the rows with no value still last.
/// `ties` is updated to match.
pub fn reverse_sorted(rows: &mut [u32], ties: &mut Ties) {
    let present = ties.present;
    let mut reversed = Vec::with_capacity(present);
    let mut tied = vec![false; rows.len()];
    let mut end = present;
    while end > 0 {
        let mut start = end - 1;
        while start > 0 && ties.tied[start] {
            start -= 1;
        }
        let at = reversed.len();
        tied[at + 1..at + end - start].fill(true);
        reversed.extend_from_slice(&rows[start..end]);
        end = start;
    }
    rows[..present].copy_from_slice(&reversed);
    ties.tied = tied;
}

/// The column's value as a number that sorts as the value does; `None` when there is none.
fn number_key(key: SortKey, subject: &Subject<'_>) -> Option<u128> {
    // Times as nanoseconds, the sign bit flipped so that earlier is smaller unsigned.
    let time = |at: jiff::Timestamp| (at.as_nanosecond() as u128) ^ (1 << 127);
    match key {
        SortKey::Id => Some(subject.id.as_uuid().as_u128()),
        SortKey::Added => Some(time(subject.added_at)),
        SortKey::Created => subject.created_at.map(time),
        // Never sent (`none`, the last word) is no value: it goes last either way.
        SortKey::Status => subject
            .status
            .map(|status| status_rank(Some(status)))
            .filter(|&rank| rank < STATUS_WORDS.len() - 1)
            .map(|rank| rank as u128),
        SortKey::Label | SortKey::Title => None,
    }
}

/// A row's sort key: its value as two words (24 bytes, where a `u128` would make 48), then
/// the row, so ties keep row order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Keyed {
    high: u64,
    low: u64,
    row: u32,
    /// For text, its length (capped), so a tie is told apart without reading the text; it
    /// fills what would be padding, and never orders anything (`row` is unique).
    len: u32,
}

/// Below this many rows, one thread sorts them sooner than two. (The tests sort a few
/// hundred rows on two threads, so that path is tested too.)
const PARALLEL_FROM: usize = if cfg!(test) { 64 } else { 50_000 };

/// Sorts `rows` by `key`, those without one last, in row order: one integer comparison
/// settles almost every pair (descending inverts the value). Returns the keys of the rows
/// that have one, in their new order (the first of `rows`).
fn sort_keyed(
    rows: &mut [u32],
    order: SortOrder,
    key: &(impl Fn(u32) -> Option<(u128, u32)> + Sync),
) -> Vec<Keyed> {
    let (keyed, missing) = if rows.len() < PARALLEL_FROM {
        keyed_part(rows, order, key)
    } else {
        let ((front_keyed, front_missing), (back_keyed, back_missing)) =
            on_halves(rows, |half| keyed_part(half, order, key));
        (
            merge_by(&front_keyed, &back_keyed, |keyed| keyed),
            merge_by(&front_missing, &back_missing, |row| row),
        )
    };
    let sorted = keyed.iter().map(|keyed| keyed.row).chain(missing);
    for (slot, row) in rows.iter_mut().zip(sorted) {
        *slot = row;
    }
    keyed
}

/// The keys of `rows`, sorted, and the rows without one, ascending.
fn keyed_part(
    rows: &[u32],
    order: SortOrder,
    key: &impl Fn(u32) -> Option<(u128, u32)>,
) -> (Vec<Keyed>, Vec<u32>) {
    let mut keyed = Vec::with_capacity(rows.len());
    let mut missing = Vec::new();
    for &row in rows {
        match key(row) {
            Some((value, len)) => {
                let value = if order.descending { !value } else { value };
                keyed.push(Keyed {
                    high: (value >> 64) as u64,
                    low: value as u64,
                    row,
                    len,
                });
            }
            None => missing.push(row),
        }
    }
    keyed.sort_unstable();
    missing.sort_unstable();
    (keyed, missing)
}

/// Two lists ascending by `key` as one (on a tie, `a`'s first).
pub fn merge_by<T: Copy, K: Ord>(a: &[T], b: &[T], key: impl Fn(T) -> K) -> Vec<T> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if key(a[i]) <= key(b[j]) {
            merged.push(a[i]);
            i += 1;
        } else {
            merged.push(b[j]);
            j += 1;
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

fn sort_by_text<'s>(
    rows: &mut [u32],
    order: SortOrder,
    text: impl Fn(u32) -> Option<&'s str> + Sync,
) -> Ties {
    // Each text is looked up once (a row's text is a few pointers away); the rounds sort
    // positions in `rows`, which is in row order, and read the text from here.
    debug_assert!(rows.is_sorted(), "rows are sorted from list order");
    let texts: Vec<Option<&'s str>> = in_parallel(rows, text);
    let text = |at: u32| texts[at as usize];
    let original = rows.to_vec();
    let mut positions: Vec<u32> = (0..rows.len() as u32).collect();
    let mut tied = vec![false; rows.len()];
    sort_positions_by_text(&mut positions, &mut tied, order, &text);
    for (slot, at) in rows.iter_mut().zip(positions) {
        *slot = original[at as usize];
    }
    Ties {
        tied,
        present: texts.iter().filter(|text| text.is_some()).count(),
    }
}

/// `f` of every row, in order; a long list on two threads.
fn in_parallel<T: Send>(rows: &[u32], f: impl Fn(u32) -> T + Sync) -> Vec<T> {
    let each = |half: &[u32]| half.iter().map(|&row| f(row)).collect::<Vec<T>>();
    if rows.len() < PARALLEL_FROM {
        return each(rows);
    }
    let (mut front, back) = on_halves(rows, each);
    front.extend(back);
    front
}

/// `work` on the front half of `rows` here and on the back half on a second thread.
fn on_halves<T: Send>(rows: &[u32], work: impl Fn(&[u32]) -> T + Sync) -> (T, T) {
    let (front, back) = rows.split_at(rows.len() / 2);
    std::thread::scope(|scope| {
        let back = scope.spawn(|| work(back));
        let front = work(front);
        let back = back
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (front, back)
    })
}

/// Sorts `rows` by their text, and marks in `tied` (by place) each row equal to the one
/// before.
fn sort_positions_by_text<'s>(
    rows: &mut [u32],
    tied: &mut [bool],
    order: SortOrder,
    text: &(impl Fn(u32) -> Option<&'s str> + Sync),
) {
    // Each round sorts a run of rows whose text is equal before byte `from` by the sixteen
    // bytes from there, case-folded, as integers; the runs that tie on them and go on past
    // them are sorted by the next sixteen.
    let mut rounds = vec![(0, rows.len(), 0)];
    while let Some((start, end, from)) = rounds.pop() {
        let run = &mut rows[start..end];
        if run.len() <= SMALL_RUN && from > 0 {
            // A few rows equal so far: compared as text at once, with no round of their own.
            let rest = |a: u32, b: u32| match (text(a), text(b)) {
                (Some(a), Some(b)) => compare_folded(
                    a.as_bytes().get(from..).unwrap_or_default(),
                    b.as_bytes().get(from..).unwrap_or_default(),
                ),
                _ => Ordering::Equal,
            };
            run.sort_unstable_by(|&a, &b| {
                let ordering = rest(a, b);
                let ordering = if order.descending {
                    ordering.reverse()
                } else {
                    ordering
                };
                ordering.then(a.cmp(&b))
            });
            for (at, pair) in run.windows(2).enumerate() {
                tied[start + at + 1] = rest(pair[0], pair[1]) == Ordering::Equal;
            }
            continue;
        }
        let keyed = sort_keyed(run, order, &|row| {
            text(row).map(|t| (chunk(t, from), u32::try_from(t.len()).unwrap_or(u32::MAX)))
        });

        let mut at = 0;
        while at < keyed.len() {
            let value = (keyed[at].high, keyed[at].low);
            let tie = keyed[at..]
                .iter()
                .take_while(|k| (k.high, k.low) == value)
                .count();
            let goes_on = keyed[at..at + tie]
                .iter()
                .any(|k| k.len as usize > from + CHUNK);
            if tie > 1 && goes_on && !one_string(&run[at..at + tie], text) {
                rounds.push((start + at, start + at + tie, from + CHUNK));
            } else {
                tied[start + at + 1..start + at + tie].fill(true);
            }
            at += tie;
        }
    }
}

/// Whether every row's text is one string (a label shared by a whole import is): its rows
/// are equal, and already in row order.
fn one_string<'s>(rows: &[u32], text: &impl Fn(u32) -> Option<&'s str>) -> bool {
    let first = rows.first().and_then(|&row| text(row));
    rows.iter().all(|&row| match (text(row), first) {
        (Some(text), Some(first)) => std::ptr::eq(text, first),
        _ => false,
    })
}

/// How much of a text one round of sorting compares.
const CHUNK: usize = 16;
/// Rows still tied after a round, up to this many, are compared as text rather than in a
/// round of their own (which costs two allocations).
const SMALL_RUN: usize = 32;

/// Text compared ignoring ASCII case.
fn compare_folded(a: &[u8], b: &[u8]) -> Ordering {
    a.iter()
        .map(u8::to_ascii_lowercase)
        .cmp(b.iter().map(u8::to_ascii_lowercase))
}

/// Bytes `from..from + CHUNK` of `text`, ASCII lower-cased, as a number that sorts as they
/// do (text ending sooner is padded with zeros, so it sorts first, as a prefix does).
fn chunk(text: &str, from: usize) -> u128 {
    let mut bytes = [0u8; CHUNK];
    let tail = text.as_bytes().get(from..).unwrap_or_default();
    let len = tail.len().min(CHUNK);
    bytes[..len].copy_from_slice(&tail[..len]);
    bytes.make_ascii_lowercase();
    u128::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{OutcomeKind, VideoId};

    struct Video {
        id: u128,
        label: Option<&'static str>,
        title: Option<&'static str>,
        created: Option<i64>,
        status: Option<OutcomeKind>,
    }

    fn videos() -> Vec<Video> {
        let video = |id, label, title, created, status| Video {
            id,
            label,
            title,
            created,
            status,
        };
        vec![
            video(3, Some("b"), Some("Zebra crossing"), Some(30), None),
            video(
                1,
                None,
                Some("apple pie, take 2"),
                None,
                Some(OutcomeKind::Failed),
            ),
            video(2, Some("A"), None, Some(10), Some(OutcomeKind::Forbidden)),
            video(5, Some("b"), Some("apple pie, take 1"), Some(20), None),
            video(
                4,
                Some("a"),
                Some("Apple"),
                Some(20),
                Some(OutcomeKind::Failed),
            ),
        ]
    }

    /// Sorted by `key`, then (when `reversed`) reversed, as `S` does.
    fn sorted_then(key: SortKey, descending: bool, reversed: bool) -> Vec<u32> {
        let videos = videos();
        let subject = |row: u32| {
            let video = &videos[row as usize];
            Subject {
                id: VideoId::from_uuid(uuid::Uuid::from_u128(video.id)),
                label: video.label,
                title: video.title,
                status: video.status,
                created_at: video.created.map(|s| Timestamp::from_second(s).unwrap()),
                added_at: Timestamp::UNIX_EPOCH,
            }
        };
        let mut rows: Vec<u32> = (0..videos.len() as u32).collect();
        let mut ties = sort_rows(&mut rows, SortOrder { key, descending }, subject);
        if reversed {
            reverse_sorted(&mut rows, &mut ties);
            let mut again = ties.clone();
            let mut back = rows.clone();
            reverse_sorted(&mut back, &mut again);
            let mut fresh: Vec<u32> = (0..videos.len() as u32).collect();
            let fresh_ties = sort_rows(&mut fresh, SortOrder { key, descending }, subject);
            assert_eq!((back, again), (fresh, fresh_ties), "reversed twice");
        }
        rows
    }

    fn sorted(key: SortKey, descending: bool) -> Vec<u32> {
        sorted_then(key, descending, false)
    }

    #[test]
    fn reversing_a_sort_gives_the_sort_the_other_way() {
        for key in SortKey::ALL {
            for descending in [false, true] {
                assert_eq!(
                    sorted_then(key, descending, true),
                    sorted(key, !descending),
                    "{key:?}, descending {descending}, reversed"
                );
            }
        }
    }

    #[test]
    fn every_column_sorts_both_ways_with_missing_values_last_and_ties_in_list_order() {
        assert_eq!(sorted(SortKey::Added, false), [0, 1, 2, 3, 4]);
        assert_eq!(
            sorted(SortKey::Added, true),
            [0, 1, 2, 3, 4],
            "all added at once"
        );
        assert_eq!(sorted(SortKey::Id, false), [1, 2, 0, 4, 3]);
        assert_eq!(sorted(SortKey::Id, true), [3, 4, 0, 2, 1]);
        assert_eq!(sorted(SortKey::Label, false), [2, 4, 0, 3, 1]);
        assert_eq!(sorted(SortKey::Label, true), [0, 3, 2, 4, 1]);
        assert_eq!(sorted(SortKey::Title, false), [4, 3, 1, 0, 2]);
        assert_eq!(sorted(SortKey::Title, true), [0, 1, 3, 4, 2]);
        assert_eq!(sorted(SortKey::Created, false), [2, 3, 4, 0, 1]);
        assert_eq!(sorted(SortKey::Created, true), [0, 3, 4, 2, 1]);
        assert_eq!(sorted(SortKey::Status, false), [2, 1, 4, 0, 3]);
        assert_eq!(sorted(SortKey::Status, true), [1, 4, 2, 0, 3]);
    }

    #[test]
    fn text_sorts_ignoring_case_past_the_first_sixteen_bytes() {
        let words = [
            "Intro take 10",
            "intro take 1",
            "INTRO",
            "intro take 02",
            "Intro",
            "intro take 1",
            "intro take 10, second half b",
            "intro take 10, second half a",
            "Zintro take 10, longer",
            "zintro take 10, ",
        ];
        let mut rows: Vec<u32> = (0..words.len() as u32).collect();
        let order = |descending| SortOrder {
            key: SortKey::Title,
            descending,
        };
        sort_by_text(&mut rows, order(false), |row| Some(words[row as usize]));
        assert_eq!(rows, [2, 4, 3, 1, 5, 0, 7, 6, 9, 8]);
        rows.sort_unstable();
        sort_by_text(&mut rows, order(true), |row| Some(words[row as usize]));
        assert_eq!(rows, [8, 9, 6, 7, 0, 1, 5, 3, 2, 4]);
    }

    /// What a plain stable sort says: present values by the column (case-folded text), then
    /// the missing, ties in row order.
    fn reference(titles: &[Option<String>], descending: bool) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
        rows.sort_by(|&a, &b| {
            let (x, y) = (&titles[a as usize], &titles[b as usize]);
            match (x, y) {
                (Some(x), Some(y)) => {
                    let ordering = compare_folded(x.as_bytes(), y.as_bytes());
                    if descending {
                        ordering.reverse()
                    } else {
                        ordering
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        });
        rows
    }

    fn sorted_titles(titles: &[Option<String>], descending: bool) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
        let order = SortOrder {
            key: SortKey::Title,
            descending,
        };
        sort_by_text(&mut rows, order, |row| titles[row as usize].as_deref());
        rows
    }

    /// Sorted by title, then reversed in place (as `S` does), then again: back where it was.
    fn reversed_titles(titles: &[Option<String>], descending: bool) -> Vec<u32> {
        let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
        let order = SortOrder {
            key: SortKey::Title,
            descending,
        };
        let mut ties = sort_by_text(&mut rows, order, |row| titles[row as usize].as_deref());
        let sorted = (rows.clone(), ties.clone());
        reverse_sorted(&mut rows, &mut ties);
        let reversed = rows.clone();
        reverse_sorted(&mut rows, &mut ties);
        assert_eq!((rows, ties), sorted, "reversed twice");
        reversed
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn text_sorts_as_a_plain_stable_sort_would(
            titles in proptest::collection::vec(
                proptest::option::of((
                    proptest::sample::select(vec!["", "Untitled video 2024-05-01 #", "intro TAKE "]),
                    "[a-cA-C0-9 ]{0,40}",
                )),
                0..200,
            ),
            descending in proptest::bool::ANY,
        ) {
            let titles: Vec<Option<String>> = titles
                .into_iter()
                .map(|title| title.map(|(prefix, rest)| format!("{prefix}{rest}")))
                .collect();
            proptest::prop_assert_eq!(sorted_titles(&titles, descending), reference(&titles, descending));
            proptest::prop_assert_eq!(
                reversed_titles(&titles, descending),
                reference(&titles, !descending),
                "sorted, then reversed"
            );
        }
    }

    #[test]
    fn many_rows_sorted_on_two_threads_sort_as_one_would() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let titles: Vec<Option<String>> = (0..PARALLEL_FROM as u64 * 40 + 7)
            .map(|_| {
                let n = next();
                (n % 5 != 0).then(|| format!("Untitled video 2024-05-01 #{}", n % 500))
            })
            .collect();
        for descending in [false, true] {
            assert_eq!(
                sorted_titles(&titles, descending),
                reference(&titles, descending)
            );
            assert_eq!(
                reversed_titles(&titles, descending),
                reference(&titles, !descending)
            );
        }
        let mut rows: Vec<u32> = (0..titles.len() as u32).collect();
        let numbers: Vec<Option<u128>> = titles
            .iter()
            .map(|_| Some(u128::from(next() % 1000)))
            .collect();
        sort_keyed(&mut rows, SortOrder::default(), &|row| {
            numbers[row as usize].map(|n| (n, 0))
        });
        let mut want: Vec<u32> = (0..titles.len() as u32).collect();
        want.sort_by_key(|&row| numbers[row as usize]);
        assert_eq!(rows, want);
    }

    #[test]
    fn the_key_cycles_through_every_column() {
        let mut key = SortKey::default();
        let mut seen = Vec::new();
        for _ in 0..SortKey::ALL.len() {
            seen.push(key);
            key = key.next();
        }
        assert_eq!(seen, SortKey::ALL);
        assert_eq!(key, SortKey::default());
    }
}
