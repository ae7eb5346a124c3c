//! One table row: a known video (the one copy of it in memory: the list is saved from the
//! rows) and where it stands in this session. Compact on purpose (a million rows must fit
//! well under 150 MB); no rendering and no I/O here.

use jiff::Timestamp;

use crate::api::{Outcome, OutcomeKind};
use crate::store::{KnownVideo, LastOutcome};

/// A known video as the table holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// As saved; `last` is updated as outcomes arrive, so saving the rows saves the list.
    pub video: KnownVideo,
    pub state: RowState,
}

/// Where a row stands in this session. Boxed payloads keep the common case small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowState {
    /// Not in a batch this session; `video.last` is the outcome saved by an earlier one.
    Idle,
    Queued,
    Deleting {
        attempt: u32,
    },
    Retrying(Box<Retry>),
    /// Sent with a key the server then refused: back in the queue, nothing is on its way for
    /// it until a new key is entered.
    AwaitingKey,
    /// A batch of this session finished it; `video.last` is how.
    Done,
    /// Left the list this session without a delete of this session: forgotten (`x`), or
    /// found gone by another process. Hidden, never saved, never marked;
    /// the row keeps its place so no other row's number changes.
    Removed,
}

/// A failed attempt waiting for its next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retry {
    pub attempt: u32,
    pub next_at: Timestamp,
    pub reason: String,
}

impl Row {
    pub fn new(video: KnownVideo) -> Self {
        Self {
            video,
            state: RowState::Idle,
        }
    }

    /// Records a final outcome: the row shows it, and the list saved from the rows keeps it
    /// (or drops the video, when it is gone).
    pub fn finish(&mut self, outcome: Outcome, at: Timestamp) {
        self.video.last = Some(Box::new(LastOutcome { outcome, at }));
        self.state = RowState::Done;
    }

    /// A row may be marked (and so deleted) unless it is gone or already in a batch.
    pub fn is_markable(&self) -> bool {
        match self.state {
            RowState::Idle | RowState::Done => !self.video.is_gone(),
            RowState::Queued
            | RowState::Deleting { .. }
            | RowState::Retrying(_)
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
                | RowState::Retrying(_)
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
            RowState::Idle | RowState::Done => self.video.last.as_deref(),
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
            RowState::Retrying(_) => "retrying",
            RowState::AwaitingKey => "needs key",
            RowState::Removed => "",
        }
    }

    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        self.finished().map(|f| f.outcome.kind)
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A row of one fixed ID, with `label`.
    pub fn row(label: Option<&str>) -> Row {
        Row::new(KnownVideo {
            id: "550E8400-e29b-41d4-a716-446655440000".parse().unwrap(),
            added_at: Timestamp::UNIX_EPOCH,
            label: label.map(Into::into),
            details: None,
            last: None,
        })
    }

    #[test]
    fn a_row_stays_small_enough_for_a_million_in_memory() {
        assert!(
            std::mem::size_of::<Row>() <= 80,
            "{}",
            std::mem::size_of::<Row>()
        );
    }

    #[test]
    fn gone_rows_cannot_be_marked_and_failed_ones_count_for_retry() {
        let mut r = row(None);
        assert!(r.is_markable() && !r.last_failed());
        for (kind, markable) in [
            (OutcomeKind::Deleted, false),
            (OutcomeKind::NotFound, false),
            (OutcomeKind::Forbidden, true),
        ] {
            r.finish(Outcome::unsent(kind), Timestamp::UNIX_EPOCH);
            assert_eq!(r.is_markable(), markable, "{kind}");
            assert_eq!(r.last_failed(), markable, "{kind}");
            assert_eq!(r.video.is_gone(), !markable, "{kind}");
        }
        r.state = RowState::Queued;
        assert!(!r.is_markable() && r.is_active());
    }
}
