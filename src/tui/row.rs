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
    pub session: Session,
}

/// Where a row stands in this session. Boxed payloads keep the common case small.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Session {
    /// Not in a batch this session; `video.last` is the outcome saved by an earlier one.
    Idle,
    Queued,
    Deleting {
        attempt: u32,
    },
    Retrying(Box<Retry>),
    /// A batch of this session finished it; `video.last` is how.
    Done,
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
            session: Session::Idle,
        }
    }

    /// Records a final outcome: the row shows it, and the list saved from the rows keeps it
    /// (or drops the video, when it is gone).
    pub fn finish(&mut self, outcome: Outcome, at: Timestamp) {
        self.video.last = Some(Box::new(LastOutcome { outcome, at }));
        self.session = Session::Done;
    }

    /// A row may be marked (and so deleted) unless it is gone or already in a batch.
    pub fn is_markable(&self) -> bool {
        match self.session {
            Session::Idle | Session::Done => !self.video.is_gone(),
            Session::Queued | Session::Deleting { .. } | Session::Retrying(_) => false,
        }
    }

    /// Queued, being sent, or waiting to retry: the spinner shows beside these.
    pub fn is_active(&self) -> bool {
        matches!(
            self.session,
            Session::Queued | Session::Deleting { .. } | Session::Retrying(_)
        )
    }

    /// The last final outcome, from this session or a saved one (none while in a batch).
    pub fn finished(&self) -> Option<&LastOutcome> {
        match self.session {
            Session::Idle | Session::Done => self.video.last.as_deref(),
            _ => None,
        }
    }

    /// The row's last delete ended without the video gone (so `R` marks it to retry).
    pub fn last_failed(&self) -> bool {
        self.finished().is_some_and(|f| !f.outcome.kind.is_gone())
    }

    /// The plain-text status word (readable without colour).
    pub fn status_word(&self) -> &'static str {
        match &self.session {
            Session::Idle | Session::Done => self.outcome_kind().map_or("", OutcomeKind::label),
            Session::Queued => "queued",
            Session::Deleting { .. } => "deleting",
            Session::Retrying(_) => "retrying",
        }
    }

    pub fn outcome_kind(&self) -> Option<OutcomeKind> {
        self.finished().map(|f| f.outcome.kind)
    }

    /// Case-insensitive substring match on the ID or label. Allocation-free: this runs over
    /// every row on each filter keystroke.
    pub fn matches(&self, needle: &Needle<'_>) -> bool {
        if needle.text.is_empty()
            || self
                .video
                .label
                .as_deref()
                .is_some_and(|label| contains_ci(label, needle.text))
        {
            return true;
        }
        // Labels first: they are short and already text. The ID is formatted (on the stack)
        // only for a needle that can be part of one.
        needle.id.is_some_and(|fragment| {
            let id = self.video.id.as_uuid();
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
    use super::*;

    fn row(label: Option<&str>) -> Row {
        Row::new(KnownVideo {
            id: "550E8400-e29b-41d4-a716-446655440000".parse().unwrap(),
            added_at: Timestamp::UNIX_EPOCH,
            label: label.map(Into::into),
            last: None,
        })
    }

    #[test]
    fn a_row_stays_small_enough_for_a_million_in_memory() {
        assert!(
            std::mem::size_of::<Row>() <= 72,
            "{}",
            std::mem::size_of::<Row>()
        );
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
            assert!(r.matches(&Needle::new(needle)), "{needle}");
        }
        for needle in [
            "zzz",
            "holidays",
            "4466554400000",
            "550e8400-e29b-41d4-a716-4466554400000",
            "84-",
        ] {
            assert!(!r.matches(&Needle::new(needle)), "{needle}");
        }
        assert!(!row(None).matches(&Needle::new("clip")));
        // Case folding finds both cases of a letter and nothing else ('@' | 0x20 is '`').
        assert!(row(Some("A@b")).matches(&Needle::new("a@b")));
        assert!(!row(Some("@")).matches(&Needle::new("`")));
        assert!(row(None).matches(&Needle::new("e29b-41")));
        for (digit, found) in [("5", true), ("9", true), ("f", false), ("c", false)] {
            assert_eq!(row(None).matches(&Needle::new(digit)), found, "{digit}");
        }
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
        r.session = Session::Queued;
        assert!(!r.is_markable() && r.is_active());
    }
}
