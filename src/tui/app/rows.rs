//! `Rows`: the table's rows, in chunks of 4,096, each chunk with the text its rows' labels and
//! titles point into. Appending to a million rows never moves them all; a row's text is one
//! copy in its chunk's buffer, with no allocation of its own; and a run of rows sharing a
//! label shares its text (so the query tests it once, `query::Matcher`). A row whose label or
//! title changes points at a new copy; the old bytes stay until the app ends (changes from
//! other processes are few).

use std::collections::HashMap;
use std::ops::{Index, IndexMut};

use jiff::Timestamp;

use super::row::{LabelAt, Row, Second, Span};
use crate::api::VideoId;
use crate::query::{GenerationFacts, Reads, Subject};
use crate::store::{GenerationRow, IdsAt, KnownVideo, VideoRow};

/// Rows per chunk: big enough that a million rows are 245 chunks, small enough that the
/// first one (what the first screen waits for) is read in a few milliseconds.
const CHUNK_BITS: u32 = 12;
pub const CHUNK: usize = 1 << CHUNK_BITS;

/// Rows in list order, addressed by row number like a `Vec`. Rows are only ever appended:
/// a row number stays valid for the session (forgetting a row hides it instead).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Every chunk but the last is full.
    chunks: Vec<Chunk>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Chunk {
    rows: Vec<Row>,
    /// The rows' labels and titles.
    text: String,
    /// The labels its rows have (`LabelAt`), each a piece of `text`.
    labels: Vec<Span>,
    /// Its rows' times that are `Second::FAR` (outside 1970 to 2106), in seconds, by row
    /// in the chunk: almost always none.
    far_times: HashMap<(u16, When), i64>,
}

/// One of a row's times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum When {
    Added,
    Created,
}

impl Chunk {
    fn new() -> Self {
        Self {
            rows: Vec::with_capacity(CHUNK),
            text: String::new(),
            labels: Vec::new(),
            far_times: HashMap::new(),
        }
    }

    /// `time` as row `at`'s `when`: kept here when it is far.
    fn keep_time(&mut self, at: usize, when: When, time: Option<Timestamp>) -> Second {
        let second = Second::new(time);
        let key = (at as u16, when);
        match time {
            Some(time) if second == Second::FAR => {
                self.far_times.insert(key, time.as_second());
            }
            _ if !self.far_times.is_empty() => {
                self.far_times.remove(&key);
            }
            _ => {}
        }
        second
    }

    /// Row `at`'s `when`.
    fn time(&self, at: usize, when: When) -> Option<Timestamp> {
        self.time_of(&self.rows[at], at, when)
    }

    /// `row`'s `when`, the row being row `at` of this chunk.
    fn time_of(&self, row: &Row, at: usize, when: When) -> Option<Timestamp> {
        let second = match when {
            When::Added => row.added,
            When::Created => row.created,
        };
        if second == Second::FAR {
            let seconds = self.far_times.get(&(at as u16, when))?;
            Timestamp::from_second(*seconds).ok()
        } else {
            second.near()
        }
    }

    /// Row `at`'s times are now `added_at` and `created_at`.
    fn set_times(&mut self, at: usize, added_at: Timestamp, created_at: Option<Timestamp>) {
        let added = self.keep_time(at, When::Added, Some(added_at));
        let created = self.keep_time(at, When::Created, created_at);
        (self.rows[at].added, self.rows[at].created) = (added, created);
    }

    fn label(&self, at: LabelAt) -> Option<&str> {
        let span = self.labels.get(usize::from(at.0))?;
        span.read(&self.text)
    }

    /// `label` as one of the chunk's labels: `same_as` (the label of the row before, or of
    /// the row itself) when it is the same text, else a new one. A chunk whose labels run
    /// out (tens of thousands of changes to its 4,096 rows) is compacted first.
    fn keep_label(&mut self, label: Option<&str>, same_as: LabelAt) -> LabelAt {
        let Some(label) = label else {
            return LabelAt::NONE;
        };
        if self.label(same_as) == Some(label) {
            return same_as;
        }
        if self.labels.len() >= usize::from(LabelAt::NONE.0) {
            self.compact();
        }
        match self.keep(Some(label)) {
            Span::NONE => LabelAt::NONE,
            span => {
                self.labels.push(span);
                LabelAt((self.labels.len() - 1) as u16)
            }
        }
    }

    /// Copies `text` into the buffer, and says where.
    fn keep(&mut self, text: Option<&str>) -> Span {
        let Some(text) = text else {
            return Span::NONE;
        };
        match (u32::try_from(self.text.len()), u32::try_from(text.len())) {
            (Ok(start), Ok(len)) if len != u32::MAX => {
                self.text.push_str(text);
                Span { start, len }
            }
            // Four gigabytes of text in 4,096 rows: not shown rather than wrong.
            _ => Span::NONE,
        }
    }

    /// `title` for a row whose title was at `before`: the same piece when it is the same text.
    fn keep_title(&mut self, title: Option<&str>, before: Span) -> Span {
        if title.is_some() && before.read(&self.text) == title {
            return before;
        }
        self.keep(title)
    }

    /// Keeps only the text and the labels the rows have now, as if they were pushed again.
    fn compact(&mut self) {
        let text = std::mem::take(&mut self.text);
        let labels = std::mem::take(&mut self.labels);
        let mut before = LabelAt::NONE;
        for at in 0..self.rows.len() {
            let (label, title) = (self.rows[at].label, self.rows[at].title);
            let label = labels
                .get(usize::from(label.0))
                .and_then(|span| span.read(&text));
            before = self.keep_label(label, before);
            let title = self.keep(title.read(&text));
            let row = &mut self.rows[at];
            (row.label, row.title) = (before, title);
        }
    }
}

impl Rows {
    pub fn len(&self) -> usize {
        self.chunks
            .last()
            .map_or(0, |last| (self.chunks.len() - 1) * CHUNK + last.rows.len())
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    pub fn push(&mut self, new: VideoRow<'_>) {
        if self.len().is_multiple_of(CHUNK) {
            self.chunks.push(Chunk::new());
        }
        let Some(chunk) = self.chunks.last_mut() else {
            return;
        };
        let before = chunk.rows.last().map_or(LabelAt::NONE, |row| row.label);
        let label = chunk.keep_label(new.label, before);
        let title = chunk.keep(new.title);
        let at = chunk.rows.len();
        let times = (
            chunk.keep_time(at, When::Added, Some(new.added_at)),
            chunk.keep_time(at, When::Created, new.created_at),
        );
        chunk.rows.push(Row::new(
            new.id,
            times,
            (label, title),
            new.last,
            GenerationFacts::of(new.generation),
        ));
    }

    /// Appends `more` (rows read on another thread): whole chunks move over when this one's
    /// last chunk is full, which is how a list being read arrives.
    pub fn append(&mut self, more: Rows) {
        if self.len().is_multiple_of(CHUNK) {
            self.chunks.extend(more.chunks);
            return;
        }
        for mut chunk in more.chunks {
            for (at, row) in std::mem::take(&mut chunk.rows).into_iter().enumerate() {
                let generation = row.generation();
                self.push(VideoRow {
                    id: row.id,
                    added_at: chunk
                        .time_of(&row, at, When::Added)
                        .unwrap_or(Timestamp::UNIX_EPOCH),
                    label: chunk.label(row.label),
                    title: row.title.read(&chunk.text),
                    created_at: chunk.time_of(&row, at, When::Created),
                    last: row.last,
                    generation: GenerationRow {
                        state: generation.state,
                        file_size: generation.file_size,
                        duration: generation.duration,
                        listed: generation.listed,
                        ..GenerationRow::default()
                    },
                });
            }
        }
    }

    /// Row `row`'s fields are now `new`'s (the store changed the video); its state stays.
    pub fn set_video(&mut self, row: u32, new: VideoRow<'_>) {
        let chunk = &mut self.chunks[row as usize >> CHUNK_BITS];
        let at = row as usize & (CHUNK - 1);
        // The label first: keeping it may compact the chunk, which moves the title.
        chunk.rows[at].label = chunk.keep_label(new.label, chunk.rows[at].label);
        chunk.rows[at].title = chunk.keep_title(new.title, chunk.rows[at].title);
        chunk.set_times(at, new.added_at, new.created_at);
        let r = &mut chunk.rows[at];
        r.set_generation(GenerationFacts::of(new.generation));
        r.last = new.last;
    }

    pub fn iter(&self) -> impl Iterator<Item = &Row> {
        self.chunks.iter().flat_map(|chunk| chunk.rows.iter())
    }

    pub fn label(&self, row: u32) -> Option<&str> {
        let chunk = &self.chunks[row as usize >> CHUNK_BITS];
        chunk.label(chunk.rows[row as usize & (CHUNK - 1)].label)
    }

    /// When `row`'s video was added.
    pub fn added_at(&self, row: u32) -> Timestamp {
        let chunk = &self.chunks[row as usize >> CHUNK_BITS];
        (chunk.time(row as usize & (CHUNK - 1), When::Added)).unwrap_or(Timestamp::UNIX_EPOCH)
    }

    /// When `row`'s video was made, if known.
    pub fn created_at(&self, row: u32) -> Option<Timestamp> {
        let chunk = &self.chunks[row as usize >> CHUNK_BITS];
        chunk.time(row as usize & (CHUNK - 1), When::Created)
    }

    pub fn title(&self, row: u32) -> Option<&str> {
        let chunk = &self.chunks[row as usize >> CHUNK_BITS];
        chunk.rows[row as usize & (CHUNK - 1)]
            .title
            .read(&chunk.text)
    }

    /// What a query or a sort reads of `row`: only the fields in `reads` (the others
    /// `None`), its status its last outcome as this session shows it.
    pub fn subject(&self, row: u32, reads: Reads) -> Subject<'_> {
        let chunk = &self.chunks[row as usize >> CHUNK_BITS];
        let at = row as usize & (CHUNK - 1);
        let r = &chunk.rows[at];
        Subject {
            id: r.id,
            label: if reads.label {
                chunk.label(r.label)
            } else {
                None
            },
            title: if reads.title {
                r.title.read(&chunk.text)
            } else {
                None
            },
            status: if reads.status {
                r.last.as_ref().map(|last| last.outcome.kind)
            } else {
                None
            },
            created_at: if reads.created_at {
                chunk.time(at, When::Created)
            } else {
                None
            },
            added_at: chunk.time(at, When::Added).unwrap_or(Timestamp::UNIX_EPOCH),
            generation: r.generation(),
        }
    }
}

impl IdsAt for Rows {
    fn id(&self, row: u32) -> &VideoId {
        &self[row as usize].id
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl Extend<KnownVideo> for Rows {
    fn extend<I: IntoIterator<Item = KnownVideo>>(&mut self, videos: I) {
        for video in videos {
            self.push(VideoRow::of(&video));
        }
    }
}

impl FromIterator<KnownVideo> for Rows {
    fn from_iter<I: IntoIterator<Item = KnownVideo>>(videos: I) -> Self {
        let mut rows = Self::default();
        rows.extend(videos);
        rows
    }
}

impl Index<usize> for Rows {
    type Output = Row;

    /// Panics past the end, as a `Vec` does (every chunk but the last is full).
    fn index(&self, row: usize) -> &Row {
        &self.chunks[row >> CHUNK_BITS].rows[row & (CHUNK - 1)]
    }
}

impl IndexMut<usize> for Rows {
    fn index_mut(&mut self, row: usize) -> &mut Row {
        &mut self.chunks[row >> CHUNK_BITS].rows[row & (CHUNK - 1)]
    }
}

#[cfg(test)]
pub(super) mod tests {
    use jiff::Timestamp;

    use super::*;

    /// Video `n`, labelled `label`, with no other field.
    pub(in crate::tui::app) fn new(n: usize, label: Option<&str>) -> VideoRow<'_> {
        VideoRow {
            id: VideoId::from_uuid(uuid::Uuid::from_u128(n as u128)),
            added_at: Timestamp::UNIX_EPOCH,
            label,
            title: None,
            created_at: None,
            last: None,
            generation: GenerationRow::default(),
        }
    }

    fn rows(n: usize) -> Rows {
        let labels: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut rows = Rows::default();
        for (i, label) in labels.iter().enumerate() {
            rows.push(new(i, Some(label)));
        }
        rows
    }

    #[test]
    fn rows_are_addressed_across_chunks_in_order() {
        let rows = rows(CHUNK * 2 + 3);
        assert_eq!(rows.len(), CHUNK * 2 + 3);
        for i in [0, CHUNK - 1, CHUNK, CHUNK * 2 + 2] {
            assert_eq!(rows.label(i as u32), Some(i.to_string().as_str()));
            assert_eq!(rows[i].id, new(i, None).id);
        }
        assert_eq!(rows.iter().count(), CHUNK * 2 + 3);
    }

    #[test]
    fn a_run_of_one_label_is_kept_once_and_a_change_points_at_new_text() {
        let mut rows = Rows::default();
        for i in 0..3 {
            rows.push(VideoRow {
                title: Some("a title"),
                ..new(i, Some("june"))
            });
        }
        let (a, b) = (rows.label(0).unwrap(), rows.label(2).unwrap());
        assert_eq!(a.as_ptr(), b.as_ptr(), "one copy");
        rows.set_video(
            1,
            VideoRow {
                title: Some("renamed"),
                ..new(1, Some("june"))
            },
        );
        assert_eq!(
            (rows.label(1), rows.title(1), rows.title(0)),
            (Some("june"), Some("renamed"), Some("a title"))
        );
    }

    #[test]
    fn a_chunk_whose_labels_run_out_is_compacted_and_every_row_keeps_its_text() {
        let mut rows = rows(3);
        rows.set_video(
            2,
            VideoRow {
                title: Some("kept"),
                ..new(2, Some("2"))
            },
        );
        // Row 0 takes a new label 70,000 times: more than a chunk can name without compacting.
        let labels: Vec<String> = (0..70_000).map(|n| format!("take {n}")).collect();
        for label in &labels {
            rows.set_video(0, new(0, Some(label)));
        }
        assert!(rows.chunks[0].labels.len() < usize::from(u16::MAX));
        assert_eq!(
            (rows.label(0), rows.label(1), rows.label(2), rows.title(2)),
            (Some("take 69999"), Some("1"), Some("2"), Some("kept"))
        );
        assert!(
            rows.chunks[0].text.len() < 70_000 * 6,
            "the old labels' text went with the compaction"
        );
    }

    #[test]
    fn times_outside_four_bytes_are_kept_whole_and_follow_a_change() {
        let time = |text: &str| Some(text.parse::<Timestamp>().unwrap());
        let (long_ago, far_ahead, near) = (
            time("1903-12-17T10:35:00Z"),
            time("2240-01-01T00:00:00Z"),
            time("2026-12-07T09:30:12.9Z"),
        );
        let mut rows = Rows::default();
        for (n, created) in [long_ago, far_ahead, near, None].into_iter().enumerate() {
            rows.push(VideoRow {
                created_at: created,
                added_at: near.unwrap(),
                ..new(n, None)
            });
        }
        let seconds = |row| rows.created_at(row).map(|at: Timestamp| at.as_second());
        assert_eq!(
            [0, 1, 2, 3].map(seconds),
            [long_ago, far_ahead, near, None].map(|at| at.map(|at| at.as_second()))
        );
        let subject = rows.subject(0, crate::sort::SortKey::Created.reads());
        assert_eq!(subject.created_at, long_ago);
        assert_eq!(rows.added_at(1).as_second(), near.unwrap().as_second());

        rows.set_video(
            0,
            VideoRow {
                created_at: near,
                added_at: far_ahead.unwrap(),
                ..new(0, None)
            },
        );
        rows.set_video(
            2,
            VideoRow {
                created_at: far_ahead,
                ..new(2, None)
            },
        );
        assert_eq!(
            rows.created_at(0).map(|at| at.as_second()),
            near.map(|at| at.as_second())
        );
        assert_eq!(rows.added_at(0), far_ahead.unwrap());
        assert_eq!(rows.created_at(2), far_ahead);
        assert_eq!(
            rows.chunks[0].far_times.len(),
            3,
            "1 and 2 created, 0 added"
        );
    }

    #[test]
    fn appended_rows_keep_their_text_whether_their_chunks_move_over_or_not() {
        let mut whole = rows(CHUNK);
        whole.append(rows(3));
        assert_eq!(
            (whole.len(), whole.label(CHUNK as u32 + 2)),
            (CHUNK + 3, Some("2"))
        );
        let mut partial = rows(5);
        partial.append(rows(CHUNK + 1));
        assert_eq!(partial.len(), CHUNK + 6);
        assert_eq!(partial.label(5), Some("0"));
        assert_eq!(
            partial.label(CHUNK as u32 + 5),
            Some(CHUNK.to_string().as_str())
        );
    }
}
