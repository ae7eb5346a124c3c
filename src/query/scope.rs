//! Which fields the things a query tests hold: a video of the known list holds every field
//! the language names; a history entry only its video's ID and title and the delete's
//! outcome. A term about a field the scope lacks is refused where it is, never read as
//! matching nothing (or, negated, everything).

use super::term::{AgeField, Test};

/// What a query is parsed to test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Videos of the known list (`list`, `delete`, the app's filter, protect rules).
    KnownList,
    /// Entries of the history (`history QUERY`).
    History,
}

/// What the history's queries test, for the errors that refuse the others.
const HISTORY_TESTS: &str =
    "it tests the ID, the title and the outcome (id:, title:, status: or outcome:, plain text)";

impl Scope {
    /// Why `test` cannot be asked of this scope, or `None` when it can.
    pub(super) fn refuses(self, test: &Test) -> Option<String> {
        match self {
            Self::KnownList => None,
            Self::History => match test {
                Test::Text { .. } | Test::Title(_) | Test::IdPrefix(_) | Test::Status(_) => None,
                Test::Label(_) => Some(format!("the history keeps no labels: {HISTORY_TESTS}")),
                Test::Age { field, .. } => {
                    let name = match field {
                        AgeField::Created => "age",
                        AgeField::Added => "added",
                    };
                    Some(format!(
                        "the history keeps no video's {name}: --since 7d (or a date, \
                         2026-12-01) picks the entries recorded since"
                    ))
                }
                Test::Generation(_) => Some(format!(
                    "the history keeps no generation state, listing, size or duration: \
                     {HISTORY_TESTS}"
                )),
            },
        }
    }
}
