//! The query language that picks videos: the app's `/` filter, `list --query`,
//! `delete --query` and a profile's `protect` rules all read it. Plain words match the ID,
//! label or title; `status:` (or `outcome:`), `label:`, `title:` (or `prompt:`), `id:`,
//! `age>`/`age<`, `added>`/`added<`, and what a sync listed (`state:`, `listed:`, `size>`,
//! `duration<`) test one field; a leading `-` negates; terms are ANDed; quotes group words. It parses text
//! and tests one video (or history entry: `Scope`) at a time; it knows nothing of rows,
//! files or the screen.

mod age;
mod compare;
mod generation;
mod lexer;
mod scope;
mod term;
mod text;

use std::marker::PhantomData;
use std::ops::Range;

use std::time::Duration;

use jiff::Timestamp;

pub use age::{age_at, compact_age, parse_age};
pub use generation::STATE_WORDS;
pub use scope::Scope;
pub use term::{STATUS_WORDS, status_rank};

use crate::api::{GenerationState, OutcomeKind, VideoId};
use crate::store::{GenerationRow, HistoryEntry, KnownVideo, LastSync};
use term::{AgeField, Term, Test};
use text::contains_ci;

/// A parsed query. The empty query matches every video.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Query {
    terms: Vec<Term>,
}

/// Why a query does not parse, and where: shown in the filter line, or after `--query`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    message: String,
    span: Range<usize>,
}

impl QueryError {
    fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            message: message.into(),
            span,
        }
    }

    /// The bytes of the query the error is about.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

/// The most terms a query takes: each one's result along a run of rows sharing a label is
/// kept in one bit.
const MAX_TERMS: usize = 64;

/// What a query can test about one video. Built per video from whatever holds it (a table
/// row, the store's list), borrowing its text.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'s> {
    pub id: VideoId,
    pub label: Option<&'s str>,
    pub title: Option<&'s str>,
    /// The last delete's outcome; `None` if it was never sent.
    pub status: Option<OutcomeKind>,
    pub created_at: Option<Timestamp>,
    pub added_at: Timestamp,
    pub generation: GenerationFacts,
}

/// What a sync listed of a video that a query tests and a sort orders by (all `Copy`: a
/// table row keeps them packed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenerationFacts {
    pub state: Option<GenerationState>,
    /// In bytes.
    pub file_size: Option<u64>,
    pub duration: Option<Duration>,
    pub listed: LastSync,
}

impl GenerationFacts {
    pub fn of(generation: GenerationRow<'_>) -> Self {
        Self {
            state: generation.state,
            file_size: generation.file_size,
            duration: generation.duration,
            listed: generation.listed,
        }
    }
}

impl<'s> Subject<'s> {
    /// A video of the known list, as saved (its status is its last saved outcome).
    pub fn of(video: &'s KnownVideo) -> Self {
        Self::reading(video, Reads::ALL)
    }

    /// As `of`, with only the fields in `reads` (the others `None`): a title, a creation
    /// time and an outcome are each behind a pointer, and a scan of a million rows is
    /// mostly the fetching.
    pub fn reading(video: &'s KnownVideo, reads: Reads) -> Self {
        Self {
            id: video.id,
            label: video.label.as_deref().filter(|_| reads.label),
            title: if reads.title { video.title() } else { None },
            status: if reads.status {
                video.last.as_ref().map(|last| last.outcome.kind)
            } else {
                None
            },
            created_at: if reads.created_at {
                video.created_at()
            } else {
                None
            },
            added_at: video.added_at,
            generation: video
                .details
                .as_ref()
                .map(|details| GenerationFacts::of(GenerationRow::of(&details.generation)))
                .unwrap_or_default(),
        }
    }
}

impl<'s> Subject<'s> {
    /// A history entry: its video's ID and title (as recorded) and the delete's outcome.
    /// It has no label, no creation time, no generation: `Scope::History` refuses terms
    /// about them. Its time stands as when it was added, which no history query reads.
    pub fn of_entry(entry: &'s HistoryEntry) -> Self {
        Self {
            id: entry.id,
            label: None,
            title: entry.title.as_deref(),
            status: Some(entry.outcome),
            created_at: None,
            added_at: entry.at,
            generation: GenerationFacts::default(),
        }
    }
}

/// Which of a subject's fields a query reads (the ID and when it was added are always there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reads {
    pub label: bool,
    pub title: bool,
    pub status: bool,
    pub created_at: bool,
}

impl Reads {
    pub const ALL: Self = Self {
        label: true,
        title: true,
        status: true,
        created_at: true,
    };
}

impl Query {
    /// A query on the known list's videos.
    pub fn parse(text: &str) -> Result<Self, QueryError> {
        Self::parse_in(text, Scope::KnownList)
    }

    /// A query on what `scope` holds: a term about a field it lacks is an error.
    pub fn parse_in(text: &str, scope: Scope) -> Result<Self, QueryError> {
        let words = lexer::words(text)?;
        if let Some(extra) = words.get(MAX_TERMS) {
            return Err(QueryError::new(
                format!("a query takes at most {MAX_TERMS} terms"),
                extra.span.start..text.len(),
            ));
        }
        let terms = words
            .iter()
            .map(|word| {
                let term = term::parse_term(word)?;
                match scope.refuses(&term.test) {
                    Some(why) => Err(QueryError::new(why, word.span.clone())),
                    None => Ok(term),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { terms })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The fields its terms read; a subject needs no others.
    pub fn reads(&self) -> Reads {
        let mut reads = Reads {
            label: false,
            title: false,
            status: false,
            created_at: false,
        };
        for term in &self.terms {
            match &term.test {
                Test::Text { .. } => {
                    reads.label = true;
                    reads.title = true;
                }
                Test::Label(_) => reads.label = true,
                Test::Title(_) => reads.title = true,
                Test::Status(_) => reads.status = true,
                Test::Age {
                    field: AgeField::Created,
                    ..
                } => reads.created_at = true,
                Test::IdPrefix(_)
                | Test::Generation(_)
                | Test::Age {
                    field: AgeField::Added,
                    ..
                } => {}
            }
        }
        reads
    }

    /// Whether every video this query picks is one `wider` picks too, known from the terms
    /// alone: each term of `wider` is here unchanged, or made stricter by typing on (more
    /// text, more of an ID, fewer statuses), and this query may add terms. A filter then
    /// tests only what `wider` let through.
    pub fn narrows(&self, wider: &Query) -> bool {
        self.terms.len() >= wider.terms.len()
            && wider
                .terms
                .iter()
                .zip(&self.terms)
                .all(|(wide, narrow)| narrow.implies(wide))
    }

    /// A tester for one pass over many videos, with ages measured from `now`.
    pub fn matcher<'s>(&self, now: Timestamp) -> Matcher<'_, 's> {
        Matcher {
            query: self,
            now_seconds: now.as_second(),
            label_memo: None,
            reads_label: self.terms.iter().any(|term| term.test.reads_label()),
            subjects: PhantomData,
        }
    }

    /// Whether one video matches (for many, `matcher` reuses work along shared labels).
    pub fn matches(&self, subject: &Subject<'_>, now: Timestamp) -> bool {
        self.matcher(now).matches(subject)
    }
}

/// Tests videos against a query during one pass. Videos from one import share one label
/// string; the label's terms are tested once along such a run. `'s` ties every subject of the
/// pass to one borrow, so a label's address cannot be reused for other text meanwhile.
pub struct Matcher<'q, 's> {
    query: &'q Query,
    now_seconds: i64,
    /// The last label seen (address and length) and which terms it satisfied, one bit each.
    label_memo: Option<((usize, usize), u64)>,
    reads_label: bool,
    subjects: PhantomData<&'s str>,
}

impl<'s> Matcher<'_, 's> {
    pub fn matches(&mut self, subject: &Subject<'s>) -> bool {
        let label_hits = self.label_hits(subject.label);
        self.query.terms.iter().enumerate().all(|(at, term)| {
            let label_hit = label_hits & (1 << at) != 0;
            let hit = match &term.test {
                Test::Text { lower, id } => {
                    label_hit
                        || subject.title.is_some_and(|title| contains_ci(title, lower))
                        || id.as_ref().is_some_and(|id| id.found_in(&subject.id))
                }
                Test::Label(_) => label_hit,
                Test::Title(lower) => subject.title.is_some_and(|title| contains_ci(title, lower)),
                Test::IdPrefix(prefix) => prefix.starts(&subject.id),
                Test::Status(statuses) => statuses.contains(subject.status),
                Test::Generation(test) => test.matches(&subject.generation),
                Test::Age {
                    field,
                    compare,
                    age,
                } => {
                    let at = match field {
                        AgeField::Created => subject.created_at.unwrap_or(subject.added_at),
                        AgeField::Added => subject.added_at,
                    };
                    let seconds_old = self.now_seconds.saturating_sub(at.as_second());
                    let limit = i64::try_from(age.as_secs()).unwrap_or(i64::MAX);
                    compare.holds(seconds_old, limit)
                }
            };
            hit != term.negated
        })
    }

    /// Which label-reading terms the label satisfies, from the memo while the label is the
    /// same string as the last video's.
    fn label_hits(&mut self, label: Option<&'s str>) -> u64 {
        let Some(label) = label.filter(|_| self.reads_label) else {
            return 0;
        };
        let key = (label.as_ptr() as usize, label.len());
        match self.label_memo {
            Some((seen, hits)) if seen == key => hits,
            _ => {
                let hits = self
                    .query
                    .terms
                    .iter()
                    .enumerate()
                    .fold(0, |hits, (at, term)| {
                        let hit = match &term.test {
                            Test::Text { lower, .. } | Test::Label(lower) => {
                                contains_ci(label, lower)
                            }
                            _ => false,
                        };
                        hits | (u64::from(hit) << at)
                    });
                self.label_memo = Some((key, hits));
                hits
            }
        }
    }
}

#[cfg(test)]
mod tests;
