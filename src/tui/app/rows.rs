//! `Rows`: the table's rows, in chunks of 4,096, each chunk with the text its rows' labels and
//! titles point into. Appending to a million rows never moves them all; a row's text is one
//! copy in its chunk's buffer, with no allocation of its own; and a run of rows sharing a
//! label shares its text (so the query tests it once, `query::Matcher`). A row whose label or
//! title changes points at a new copy; the old bytes stay until the app ends (changes from
//! other processes are few).

use std::ops::{Index, IndexMut};

use super::row::{LabelAt, Row, Span};
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
}

impl Chunk {
    fn new() -> Self {
        Self {
            rows: Vec::with_capacity(CHUNK),
            text: String::new(),
            labels: Vec::new(),
        }
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
        chunk.rows.push(Row::new(
            new.id,
            new.added_at,
            new.created_at,
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
            for row in std::mem::take(&mut chunk.rows) {
                let generation = row.generation();
                self.push(VideoRow {
                    id: row.id,
                    added_at: row.added_at(),
                    label: chunk.label(row.label),
                    title: row.title.read(&chunk.text),
                    created_at: row.created_at(),
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
        let r = &mut chunk.rows[at];
        r.set_times(new.added_at, new.created_at);
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
        let r = &chunk.rows[row as usize & (CHUNK - 1)];
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
                r.created_at()
            } else {
                None
            },
            added_at: r.added_at(),
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
