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
    /// The generation state a sync listed (pending, processing, completed, failed; unknown
    /// last).
    State,
    /// The file size a sync listed (unknown last).
    Size,
    /// The duration a sync listed (unknown last).
    Duration,
}

impl SortKey {
    /// In the order a key cycles through them.
    pub const ALL: [Self; 9] = [
        Self::Added,
        Self::Id,
        Self::Label,
        Self::Title,
        Self::Created,
        Self::Status,
        Self::State,
        Self::Size,
        Self::Duration,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Id => "id",
            Self::Label => "label",
            Self::Title => "title",
            Self::Created => "created",
            Self::Status => "status",
            Self::State => "state",
            Self::Size => "size",
            Self::Duration => "duration",
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
                number_key(order.key, row, || subject(row)).map(|value| (value, 0))
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

/// The column's value for `row` as a number that sorts as the value does; `None` when there
/// is none. The order added is the list's own order, the row number: videos added in one
/// import share a time, and reversed by it they stayed as they were.
fn number_key<'s>(key: SortKey, row: u32, subject: impl Fn() -> Subject<'s>) -> Option<u128> {
    // Times as nanoseconds, the sign bit flipped so that earlier is smaller unsigned.
    let time = |at: jiff::Timestamp| (at.as_nanosecond() as u128) ^ (1 << 127);
    match key {
        SortKey::Added => Some(u128::from(row)),
        SortKey::Id => Some(subject().id.as_uuid().as_u128()),
        SortKey::Created => subject().created_at.map(time),
        // Never sent (`none`, the last word) is no value: it goes last either way.
        SortKey::Status => subject()
            .status
            .map(|status| status_rank(Some(status)))
            .filter(|&rank| rank < STATUS_WORDS.len() - 1)
            .map(|rank| rank as u128),
        SortKey::State => subject().generation.state.map(|state| state as u128),
        SortKey::Size => subject().generation.file_size.map(u128::from),
        SortKey::Duration => subject()
            .generation
            .duration
            .map(|duration| duration.as_nanos()),
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
        keyed_part(rows, order, key, Buffers::for_rows(rows.len()))
    } else {
        let ((front_keyed, front_missing), (back_keyed, back_missing)) =
            on_halves(rows, Buffers::for_rows, |half, buffers| {
                keyed_part(half, order, key, buffers)
            });
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

/// Room for the keys of some rows and for those without one: as many of each as there are
/// rows, so filling them never reallocates.
struct Buffers {
    keyed: Vec<Keyed>,
    missing: Vec<u32>,
}

impl Buffers {
    fn for_rows(count: usize) -> Self {
        Self {
            keyed: Vec::with_capacity(count),
            missing: Vec::with_capacity(count),
        }
    }
}

/// The keys of `rows`, sorted, and the rows without one, ascending, in `buffers`.
fn keyed_part(
    rows: &[u32],
    order: SortOrder,
    key: &impl Fn(u32) -> Option<(u128, u32)>,
    Buffers {
        mut keyed,
        mut missing,
    }: Buffers,
) -> (Vec<Keyed>, Vec<u32>) {
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
    let each = |half: &[u32], mut out: Vec<T>| {
        out.extend(half.iter().map(|&row| f(row)));
        out
    };
    if rows.len() < PARALLEL_FROM {
        return each(rows, Vec::with_capacity(rows.len()));
    }
    let (mut front, back) = on_halves(rows, Vec::with_capacity, each);
    front.extend(back);
    front
}

/// `work` on the front half of `rows` here and on the back half on a second thread, each
/// given what `room` makes for its length. `room` runs here, on this thread, for both: memory
/// a thread allocates comes from a malloc arena of its own, which keeps it once freed (at a
/// million rows, tens of megabytes resident for good after a sort), while memory this thread
/// allocates is reused by the next sort.
fn on_halves<S: Send, T: Send>(
    rows: &[u32],
    room: impl Fn(usize) -> S,
    work: impl Fn(&[u32], S) -> T + Sync,
) -> (T, T) {
    let (front, back) = rows.split_at(rows.len() / 2);
    let (front_room, back_room) = (room(front.len()), room(back.len()));
    std::thread::scope(|scope| {
        let back = scope.spawn(|| work(back, back_room));
        let front = work(front, front_room);
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
mod tests;
