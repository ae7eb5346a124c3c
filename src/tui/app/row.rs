//! One table row: what the table, the filter and the sorts read of a known video (the store
//! keeps the rest), and where it stands in this session. 64 bytes, so a million rows fit
//! well under 150 MB: times are whole seconds in four bytes (what the table shows and the
//! query reads), the label is one of its chunk's labels and the title a span of the text its
//! chunk of rows keeps (`rows`), the generation is its state, size and duration packed in 13
//! bytes (`Packed`), and what a waiting row waits for is kept beside the rows (`Wait`). No
//! rendering and no I/O here.

use std::time::Duration;

use jiff::Timestamp;

use crate::api::{GenerationState, Outcome, OutcomeKind, VideoId};
use crate::query::GenerationFacts;
use crate::store::{LastOutcome, LastSync};

/// A known video as the table holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: VideoId,
    /// When it was added, and when it was made (`Second::NONE` when unknown); read through
    /// `Rows`, whose chunk keeps a time outside 1970 to 2106.
    pub(super) added: Second,
    pub(super) created: Second,
    /// Which of its chunk's labels it has, and where its title is in its chunk's text.
    pub(super) label: LabelAt,
    pub(super) title: Span,
    /// The outcome of its last delete (a batch of this session, or the store's).
    pub last: Option<Box<LastOutcome>>,
    pub state: RowState,
    /// What the last sync listed of it.
    generation: Packed,
}

/// A time as whole seconds since 1970 in four bytes, for the years 1970 to 2106 (what this
/// tool and the API write); `NONE` for no time, and `FAR` for one outside those years, which
/// the row's chunk keeps whole (`rows`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Second(u32);

impl Second {
    pub const NONE: Self = Self(u32::MAX);
    pub const FAR: Self = Self(u32::MAX - 1);

    /// `at`, or `FAR` when it does not fit.
    pub fn new(at: Option<Timestamp>) -> Self {
        match at {
            None => Self::NONE,
            Some(at) => u32::try_from(at.as_second())
                .ok()
                .filter(|&seconds| seconds < Self::FAR.0)
                .map_or(Self::FAR, Self),
        }
    }

    /// The time, unless there is none or it is `FAR`.
    pub fn near(self) -> Option<Timestamp> {
        (self.0 < Self::FAR.0)
            .then(|| Timestamp::from_second(i64::from(self.0)).unwrap_or(Timestamp::UNIX_EPOCH))
    }
}

/// `GenerationFacts` in 13 bytes: the size and the duration (in milliseconds) with their
/// largest value for unknown, the state and whether the last complete sync listed it in one
/// byte. Byte arrays, so that the row packs them with no padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed {
    size: [u8; 8],
    duration_ms: [u8; 4],
    /// Bits 0-2: the state (0 unknown, then `GenerationState::ALL`'s order + 1); bits 3-4:
    /// listed (0 unknown, 1 listed, 2 not listed).
    words: u8,
}

impl Packed {
    fn new(facts: GenerationFacts) -> Self {
        let state = facts.state.map_or(0, |state| {
            GenerationState::ALL
                .iter()
                .position(|&one| one == state)
                .map_or(0, |at| at as u8 + 1)
        });
        let listed = match facts.listed {
            LastSync::Unknown => 0,
            LastSync::Listed => 1,
            LastSync::NotListed => 2,
        };
        Self {
            size: facts
                .file_size
                .map_or(u64::MAX, |size| size.min(u64::MAX - 1))
                .to_le_bytes(),
            duration_ms: facts
                .duration
                .map_or(u32::MAX, |duration| {
                    u32::try_from(duration.as_millis())
                        .map_or(u32::MAX - 1, |ms| ms.min(u32::MAX - 1))
                })
                .to_le_bytes(),
            words: state | (listed << 3),
        }
    }

    fn facts(self) -> GenerationFacts {
        let state = match self.words & 0b111 {
            0 => None,
            n => GenerationState::ALL.get(usize::from(n) - 1).copied(),
        };
        let listed = match (self.words >> 3) & 0b11 {
            1 => LastSync::Listed,
            2 => LastSync::NotListed,
            _ => LastSync::Unknown,
        };
        let (size, duration_ms) = (
            u64::from_le_bytes(self.size),
            u32::from_le_bytes(self.duration_ms),
        );
        GenerationFacts {
            state,
            file_size: (size != u64::MAX).then_some(size),
            duration: (duration_ms != u32::MAX)
                .then(|| Duration::from_millis(u64::from(duration_ms))),
            listed,
        }
    }
}

/// Which of its chunk's labels a row has (`rows`), or none: a label is most often shared by
/// a run of rows, and two bytes where a `Span` would take eight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct LabelAt(pub u16);

impl LabelAt {
    pub const NONE: Self = Self(u16::MAX);
}

/// A piece of a chunk's text, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub start: u32,
    pub len: u32,
}

impl Span {
    pub const NONE: Self = Self {
        start: 0,
        len: u32::MAX,
    };

    /// The text in `text`, unless there is none.
    pub fn read(self, text: &str) -> Option<&str> {
        if self == Self::NONE {
            return None;
        }
        let start = self.start as usize;
        text.get(start..start + self.len as usize)
    }
}

/// Where a row stands in this session, in 8 bytes: what a waiting row waits for is kept
/// beside the rows (`Wait`, few rows wait at once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Not in a batch this session; `last` is the outcome of an earlier one.
    Idle,
    Queued,
    Deleting {
        attempt: u32,
    },
    /// A failed attempt waiting for its next one (`Wait::Retry` says when and why).
    Retrying,
    /// Refused while its video is generating: waiting for the generation to end, then sent
    /// again (`Wait::Generation` says how far it is).
    Generating,
    /// Sent with a key the server then refused: back in the queue, nothing is on its way for
    /// it until a new key is entered.
    AwaitingKey,
    /// A batch of this session finished it; `last` is how.
    Done,
    /// Left the list this session without a delete of this session: forgotten (`x`), or
    /// found gone by another process. Hidden, never saved, never marked;
    /// the row keeps its place so no other row's number changes.
    Removed,
}

/// What a retrying or generating row waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
    Retry(Retry),
    Generation(Generation),
}

impl Wait {
    /// The state of a row waiting for this.
    pub fn state(&self) -> RowState {
        match self {
            Self::Retry(_) => RowState::Retrying,
            Self::Generation(_) => RowState::Generating,
        }
    }
}

/// A failed attempt waiting for its next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    pub attempt: u32,
    pub next_at: Timestamp,
    pub reason: String,
}

/// How far a video's generation is, as the server last said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Generation {
    pub progress: Option<u8>,
    pub estimated_completion: Option<Timestamp>,
}

impl Row {
    /// A row of `id`, its label `label` of its chunk's and its title at `title` in its
    /// chunk's text.
    pub(super) fn new(
        id: VideoId,
        (added, created): (Second, Second),
        (label, title): (LabelAt, Span),
        last: Option<Box<LastOutcome>>,
        generation: GenerationFacts,
    ) -> Self {
        Self {
            id,
            added,
            created,
            label,
            title,
            last,
            state: RowState::Idle,
            generation: Packed::new(generation),
        }
    }

    /// What the last sync listed of it.
    pub fn generation(&self) -> GenerationFacts {
        self.generation.facts()
    }

    pub(super) fn set_generation(&mut self, generation: GenerationFacts) {
        self.generation = Packed::new(generation);
    }

    /// The server said it is gone (deleted, or not found).
    pub fn is_gone(&self) -> bool {
        self.last
            .as_ref()
            .is_some_and(|last| last.outcome.kind.is_gone())
    }

    /// Records a final outcome: the row shows it.
    pub fn finish(&mut self, outcome: Outcome, at: Timestamp) {
        self.last = Some(Box::new(LastOutcome { outcome, at }));
        self.state = RowState::Done;
    }

    /// A row may be marked (and so deleted) unless it is gone or already in a batch.
    pub fn is_markable(&self) -> bool {
        match self.state {
            RowState::Idle | RowState::Done => !self.is_gone(),
            RowState::Queued
            | RowState::Deleting { .. }
            | RowState::Retrying
            | RowState::Generating
            | RowState::AwaitingKey
            | RowState::Removed => false,
        }
    }

    /// Shown in the table (when the filter lets it through): every row but removed ones,
    /// including those a delete of this session finished.
    pub fn is_shown(&self) -> bool {
        self.state != RowState::Removed
    }

    /// In a batch of this session and not finished: queued, being sent, waiting to retry,
    /// or waiting for a key.
    pub fn is_active(&self) -> bool {
        matches!(
            self.state,
            RowState::Queued
                | RowState::Deleting { .. }
                | RowState::Retrying
                | RowState::Generating
                | RowState::AwaitingKey
        )
    }

    /// Moving by itself (the spinner shows beside these): active, and not held up until the
    /// user enters a key.
    pub fn is_moving(&self) -> bool {
        self.is_active() && self.state != RowState::AwaitingKey
    }

    /// The last final outcome, from this session or a saved one (none while in a batch).
    pub fn finished(&self) -> Option<&LastOutcome> {
        match self.state {
            RowState::Idle | RowState::Done => self.last.as_deref(),
            _ => None,
        }
    }

    /// The row's last delete ended without the video gone (so `R` marks it to retry).
    pub fn last_failed(&self) -> bool {
        self.finished().is_some_and(|f| !f.outcome.kind.is_gone())
    }

    /// The plain-text status word (readable without colour).
    pub fn status_word(&self) -> &'static str {
        match &self.state {
            RowState::Idle | RowState::Done => self.outcome_kind().map_or("", OutcomeKind::label),
            RowState::Queued => "queued",
            RowState::Deleting { .. } => "deleting",
            RowState::Retrying => "retrying",
            RowState::Generating => "generating",
            RowState::AwaitingKey => "needs key",
            RowState::Removed => "",
        }
    }

    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        self.finished().map(|f| f.outcome.kind)
    }
}

/// What the STATE column shows of a row: its generation state as the last sync listed it, or
/// `not listed` when the last complete sync did not list it (its state is then stale);
/// `None` when no sync listed it.
pub fn state_text(row: &Row) -> Option<&'static str> {
    let facts = row.generation();
    if facts.listed == LastSync::NotListed {
        return Some("not listed");
    }
    facts.state.map(GenerationState::as_str)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A row of one fixed ID, with no label or title.
    pub fn row() -> Row {
        Row::new(
            "550E8400-e29b-41d4-a716-446655440000".parse().unwrap(),
            (Second::new(Some(Timestamp::UNIX_EPOCH)), Second::NONE),
            (LabelAt::NONE, Span::NONE),
            None,
            GenerationFacts::default(),
        )
    }

    #[test]
    fn a_row_stays_small_enough_for_a_million_in_memory() {
        assert!(
            std::mem::size_of::<Row>() <= 64,
            "{}",
            std::mem::size_of::<Row>()
        );
    }

    #[test]
    fn gone_rows_cannot_be_marked_and_failed_ones_count_for_retry() {
        let mut r = row();
        assert!(r.is_markable() && !r.last_failed());
        for (kind, markable) in [
            (OutcomeKind::Deleted, false),
            (OutcomeKind::NotFound, false),
            (OutcomeKind::Forbidden, true),
        ] {
            r.finish(Outcome::unsent(kind), Timestamp::UNIX_EPOCH);
            assert_eq!(r.is_markable(), markable, "{kind}");
            assert_eq!(r.last_failed(), markable, "{kind}");
            assert_eq!(r.is_gone(), !markable, "{kind}");
        }
        r.state = RowState::Queued;
        assert!(!r.is_markable() && r.is_active());
    }

    #[test]
    fn generation_facts_read_back_as_packed_and_unknown_stays_unknown() {
        let mut r = row();
        assert_eq!(r.generation(), GenerationFacts::default());
        for state in GenerationState::ALL {
            for listed in [LastSync::Unknown, LastSync::Listed, LastSync::NotListed] {
                let facts = GenerationFacts {
                    state: Some(state),
                    file_size: Some(41_200_000_000),
                    duration: Some(Duration::from_millis(4_500)),
                    listed,
                };
                r.set_generation(facts);
                assert_eq!(r.generation(), facts);
            }
        }
        let zero = GenerationFacts {
            file_size: Some(0),
            duration: Some(Duration::ZERO),
            ..GenerationFacts::default()
        };
        r.set_generation(zero);
        assert_eq!(r.generation(), zero, "zero is known, not unknown");
    }
}
