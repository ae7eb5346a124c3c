//! The orders a list of videos can be shown in: by one column (`SortKey`), ascending or
//! descending, and putting row numbers in that order fast enough for a million (each row's key
//! is made once, then rows are compared as integers; only titles and labels sharing their
//! first eight letters are compared as text). Videos lacking the column's value (no title,
//! never sent) come last either way, and ties keep list order. It orders row numbers through
//! `query::Subject`; it knows nothing of the table or the store.

use std::cmp::Ordering;

use crate::query::{STATUS_WORDS, Subject};

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

/// Puts `rows` in `order`, `subject` telling what each row holds. Ties (and rows with no
/// value for the column, which go last) stay in ascending row order.
pub fn sort_rows<'s>(rows: &mut [u32], order: SortOrder, subject: impl Fn(u32) -> Subject<'s>) {
    match order.key {
        SortKey::Label | SortKey::Title => sort_by_text(rows, order, |row| {
            let subject = subject(row);
            match order.key {
                SortKey::Label => subject.label,
                _ => subject.title,
            }
        }),
        _ => sort_by_number(rows, order, |row| number_key(order.key, &subject(row))),
    }
}

/// The column's value as a number that sorts as the value does; `None` when there is none.
fn number_key(key: SortKey, subject: &Subject<'_>) -> Option<u128> {
    // Times as nanoseconds, the sign bit flipped so that earlier is smaller unsigned.
    let time = |at: jiff::Timestamp| (at.as_nanosecond() as u128) ^ (1 << 127);
    match key {
        SortKey::Id => Some(subject.id.as_uuid().as_u128()),
        SortKey::Added => Some(time(subject.added_at)),
        SortKey::Created => subject.created_at.map(time),
        SortKey::Status => subject.status.and_then(|status| {
            let word = status.as_str();
            STATUS_WORDS
                .iter()
                .position(|known| *known == word)
                .map(|rank| rank as u128)
        }),
        SortKey::Label | SortKey::Title => None,
    }
}

fn sort_by_number(rows: &mut [u32], order: SortOrder, key: impl Fn(u32) -> Option<u128>) {
    // (missing, key, row): one integer comparison settles almost every pair.
    let mut keyed: Vec<(bool, u128, u32)> = rows
        .iter()
        .map(|&row| match key(row) {
            Some(value) if order.descending => (false, !value, row),
            Some(value) => (false, value, row),
            None => (true, 0, row),
        })
        .collect();
    keyed.sort_unstable();
    for (slot, (_, _, row)) in rows.iter_mut().zip(keyed) {
        *slot = row;
    }
}

fn sort_by_text<'s>(rows: &mut [u32], order: SortOrder, text: impl Fn(u32) -> Option<&'s str>) {
    // (missing, the first eight bytes case-folded, row); the whole text only on a tie.
    let mut keyed: Vec<(bool, u64, u32)> = rows
        .iter()
        .map(|&row| match text(row) {
            Some(text) => (false, prefix(text), row),
            None => (true, 0, row),
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| {
                let ordering = a.1.cmp(&b.1).then_with(|| match (text(a.2), text(b.2)) {
                    (Some(x), Some(y)) => compare_folded(x, y),
                    _ => Ordering::Equal,
                });
                if order.descending {
                    ordering.reverse()
                } else {
                    ordering
                }
            })
            .then(a.2.cmp(&b.2))
    });
    for (slot, (_, _, row)) in rows.iter_mut().zip(keyed) {
        *slot = row;
    }
}

/// The first eight bytes, ASCII lower-cased, as a number that sorts as they do (shorter
/// text is padded with zeros, so it sorts first, as a prefix does).
fn prefix(text: &str) -> u64 {
    let mut bytes = [0u8; 8];
    for (slot, b) in bytes.iter_mut().zip(text.bytes()) {
        *slot = b.to_ascii_lowercase();
    }
    u64::from_be_bytes(bytes)
}

/// Text compared ignoring ASCII case (the same text, shared, is equal at once).
fn compare_folded(a: &str, b: &str) -> Ordering {
    if std::ptr::eq(a, b) {
        return Ordering::Equal;
    }
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
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

    fn sorted(key: SortKey, descending: bool) -> Vec<u32> {
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
        sort_rows(&mut rows, SortOrder { key, descending }, subject);
        rows
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
    fn text_sorts_ignoring_case_past_the_first_eight_letters() {
        let words = [
            "Intro take 10",
            "intro take 1",
            "INTRO",
            "intro take 02",
            "Intro",
            "intro ta",
        ];
        let mut rows: Vec<u32> = (0..6).collect();
        sort_by_text(&mut rows, SortOrder::default(), |row| {
            Some(words[row as usize])
        });
        assert_eq!(rows, [2, 4, 5, 3, 1, 0]);
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
