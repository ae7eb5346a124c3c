//! One query term: what a word means (`status:failed`, `-label:keep`, `age>30d`, or plain
//! text) and how it tests a video. Parsing a word here is the only place the field names and
//! status words are known.

use std::time::Duration;

use super::QueryError;
use super::age::parse_age;
use super::compare::Compare;
use super::generation::{self, GenerationTest};
use super::lexer::Word;
use super::text::IdFragment;
use crate::api::OutcomeKind;

/// A parsed term, negated or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Term {
    pub negated: bool,
    pub test: Test,
}

/// What a term tests. Text is kept lower-cased: it is compared ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Test {
    /// Plain text: in the label, the title or the ID.
    Text {
        lower: String,
        id: Option<IdFragment>,
    },
    Label(String),
    Title(String),
    IdPrefix(IdFragment),
    /// The last outcome is one of these (`Statuses::NONE` for never sent).
    Status(Statuses),
    /// What a sync listed of it: its state, whether listed, its size or duration.
    Generation(GenerationTest),
    /// How old the video is (`created`, or its creation time when known, else when added).
    Age {
        field: AgeField,
        /// `>`: older than `age`.
        compare: Compare,
        age: Duration,
    },
}

impl Term {
    /// Whether every video this term picks is one `wider` picks: the same term, or (neither
    /// negated) the same test on more text, more of an ID or fewer statuses.
    pub fn implies(&self, wider: &Term) -> bool {
        if self == wider {
            return true;
        }
        if self.negated || wider.negated {
            return false;
        }
        match (&self.test, &wider.test) {
            (Test::Text { lower: narrow, .. }, Test::Text { lower: wide, .. })
            | (Test::Label(narrow), Test::Label(wide))
            | (Test::Title(narrow), Test::Title(wide)) => narrow.contains(wide.as_str()),
            (Test::IdPrefix(narrow), Test::IdPrefix(wide)) => narrow.extends(wide),
            (Test::Status(narrow), Test::Status(wide)) => narrow.0 & !wide.0 == 0,
            _ => false,
        }
    }
}

impl Test {
    /// Whether the test reads the label (so its result can be reused along rows sharing one).
    pub fn reads_label(&self) -> bool {
        matches!(self, Self::Text { .. } | Self::Label(_))
    }
}

/// Which time an age term measures from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum AgeField {
    /// `age`: the video's creation time when known, else when it was added.
    Created,
    /// `added`: when it was added to the list.
    Added,
}

/// A set of last outcomes, one bit per status word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Statuses(u16);

/// The words `status:` takes, in the order the help lists them; `none` is "never sent".
pub const STATUS_WORDS: [&str; 9] = [
    "deleted",
    "not_found",
    "processing",
    "forbidden",
    "unauthorized",
    "failed",
    "cancelled",
    "skipped",
    "none",
];

/// The place of a last outcome's word in `STATUS_WORDS` (`None`, never sent, is `none`'s,
/// the last): the bit `status:` tests, and the order a sort by status puts videos in.
pub fn status_rank(status: Option<OutcomeKind>) -> usize {
    // A test checks these against the words.
    match status {
        Some(OutcomeKind::Deleted) => 0,
        Some(OutcomeKind::NotFound) => 1,
        Some(OutcomeKind::Processing) => 2,
        Some(OutcomeKind::Forbidden) => 3,
        Some(OutcomeKind::Unauthorized) => 4,
        Some(OutcomeKind::Failed) => 5,
        Some(OutcomeKind::Cancelled) => 6,
        Some(OutcomeKind::Skipped) => 7,
        // Never a saved outcome (a protected video is never sent, nor recorded); were it
        // one, it would mean what `none` does.
        None | Some(OutcomeKind::Protected) => 8,
    }
}

impl Statuses {
    /// Whether a video whose last outcome is `status` (`None`: never sent) is one of these.
    pub fn contains(self, status: Option<OutcomeKind>) -> bool {
        self.0 & (1 << status_rank(status)) != 0
    }

    /// Every status word that starts with `prefix` (so `status:fail` is failed and `status:f`
    /// failed or forbidden); `-` may stand for `_`.
    fn starting_with(prefix: &str) -> Self {
        let prefix = prefix.to_ascii_lowercase().replace('-', "_");
        Self(
            STATUS_WORDS
                .iter()
                .enumerate()
                .filter(|(_, word)| word.starts_with(&prefix))
                .fold(0, |set, (bit, _)| set | (1 << bit)),
        )
    }
}

/// The field names, for error messages.
const FIELDS: &str =
    "status, label, title, id, age, added, state, listed, size, duration, prompt, outcome";

/// Reads one word as a term.
pub(super) fn parse_term(word: &Word) -> Result<Term, QueryError> {
    let error = |message: String| QueryError::new(message, word.span.clone());
    // Syntax (`-`, a field name, `:`, `<`) counts only before the first quote.
    let syntax_end = word.quoted_from.unwrap_or(word.text.len());
    let (negated, body, body_syntax_end) = match word.text.strip_prefix('-') {
        Some(rest) if syntax_end > 0 => (true, rest, syntax_end - 1),
        _ => (false, word.text.as_str(), syntax_end),
    };
    if body.is_empty() {
        return Err(error(
            "nothing follows this \"-\" (quote it to search for a dash: \"-\")".to_owned(),
        ));
    }
    // `--june` is neither `june` nor `-june`: refused, never read as "not `-june`", which
    // picks nearly everything.
    if negated && body_syntax_end > 0 && body.starts_with('-') {
        let dashes = body[..body_syntax_end]
            .bytes()
            .take_while(|&b| b == b'-')
            .count();
        let start = word.span.start;
        return Err(QueryError::new(
            "more than one \"-\": one negates the term (-june); quote text that starts \
             with a dash (-\"-june\")",
            start..start + 1 + dashes,
        ));
    }
    let name_len = body[..body_syntax_end]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let operator = body[name_len..body_syntax_end].chars().next();
    let test = match operator {
        Some(':' | '<' | '>' | '=') if name_len > 0 => {
            field_test(&body[..name_len], &body[name_len..]).map_err(error)?
        }
        _ => Test::Text {
            lower: body.to_lowercase(),
            id: IdFragment::new(body),
        },
    };
    Ok(Term { negated, test })
}

/// `name` followed by `rest` (which starts with its operator).
fn field_test(name: &str, rest: &str) -> Result<Test, String> {
    let name = name.to_ascii_lowercase();
    match name.as_str() {
        "age" | "added" => {
            let field = if name == "age" {
                AgeField::Created
            } else {
                AgeField::Added
            };
            age_test(&name, field, rest)
        }
        "status" | "outcome" | "label" | "title" | "prompt" | "id" => {
            let Some(value) = rest.strip_prefix(':') else {
                return Err(format!(
                    "{name} takes \":\" ({name}:...); only age and added compare with < and >"
                ));
            };
            if value.is_empty() {
                return Err(format!("{name}: needs something after the colon"));
            }
            match name.as_str() {
                "status" | "outcome" => status_test(value),
                "label" => Ok(Test::Label(value.to_lowercase())),
                "title" | "prompt" => Ok(Test::Title(value.to_lowercase())),
                _ => IdFragment::new(value)
                    .map(Test::IdPrefix)
                    .ok_or_else(|| format!("id:{value}: an ID has only hex digits and hyphens")),
            }
        }
        other => match generation::parse(other, rest) {
            Some(test) => test.map(Test::Generation),
            None => Err(format!(
                "unknown field {name:?} (fields: {FIELDS}); put text with a colon in quotes"
            )),
        },
    }
}

fn status_test(value: &str) -> Result<Test, String> {
    let statuses = Statuses::starting_with(value);
    if statuses.0 == 0 {
        return Err(format!(
            "no status starts with {value:?} ({})",
            STATUS_WORDS.join(", ")
        ));
    }
    Ok(Test::Status(statuses))
}

fn age_test(name: &str, field: AgeField, rest: &str) -> Result<Test, String> {
    let (compare, value) = Compare::read(rest).ok_or_else(|| {
        format!("{name} compares with > or <: {name}>30d (older than 30 days), {name}<2h (newer)")
    })?;
    let age = parse_age(value).map_err(|why| format!("{name}: {why}"))?;
    Ok(Test::Age {
        field,
        compare,
        age,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_status_has_the_bit_of_its_word() {
        let kinds = [
            OutcomeKind::Deleted,
            OutcomeKind::NotFound,
            OutcomeKind::Processing,
            OutcomeKind::Forbidden,
            OutcomeKind::Unauthorized,
            OutcomeKind::Failed,
            OutcomeKind::Cancelled,
            OutcomeKind::Skipped,
        ];
        for kind in kinds.map(Some).into_iter().chain([None]) {
            let word = kind.map_or("none", OutcomeKind::as_str);
            let only = Statuses::starting_with(word);
            assert!(only.contains(kind), "{word}");
            assert_eq!(only.0.count_ones(), 1, "{word}");
            assert_eq!(STATUS_WORDS[status_rank(kind)], word);
        }
    }
}
