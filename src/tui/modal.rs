//! The modals and prompts that take the keyboard from the table, with the state each one
//! edits. Which keys do what lives in `update::modal_keys`; drawing in `view::modals`.

use jiff::Timestamp;

use super::confirm::{ConfirmDelete, Grace};
use crate::api::VideoId;
use crate::store::HistoryEntry;

/// At most one modal is open; the table gets the keys when it is `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Modal {
    #[default]
    None,
    Confirm(ConfirmDelete),
    Grace(Grace),
    ConfirmForget(Vec<VideoId>),
    ConfirmQuit,
    AddIds(AddIds),
    KeyPrompt(KeyPrompt),
    Detail,
    Help,
    History(History),
}

/// The `a` prompt: free text to scan for UUIDs, and an optional label for them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddIds {
    pub text: String,
    pub label: String,
    pub editing_label: bool,
    /// The UUIDs in `text`, rescanned on each edit (not each frame: a paste can be huge).
    pub found: Vec<VideoId>,
    /// How many of `found` are not known yet.
    pub new: usize,
}

impl AddIds {
    /// `known` says whether an ID is in the list already.
    pub fn with_text(text: String, known: impl Fn(&VideoId) -> bool) -> Self {
        let mut add = Self::default();
        add.set_text(text, known);
        add
    }

    pub fn set_text(&mut self, text: String, known: impl Fn(&VideoId) -> bool) {
        self.found = crate::import::scan(text.as_bytes()).ids;
        self.new = self.found.iter().filter(|id| !known(id)).count();
        self.text = text;
    }
}

/// The masked key prompt opened by a 401 (or by `K`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct KeyPrompt {
    pub input: String,
    pub save: bool,
    pub error: Option<String>,
}

impl std::fmt::Debug for KeyPrompt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPrompt")
            .field("input_len", &self.input.chars().count())
            .field("save", &self.save)
            .field("error", &self.error)
            .finish()
    }
}

/// The `H` view: the history journal, once loaded (oldest first, as the store reads it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub entries: Option<Vec<HistoryEntry>>,
    pub scroll: usize,
}

impl Modal {
    /// The grace deadline, when a countdown is running (the loop ticks faster then).
    pub fn grace_deadline(&self) -> Option<Timestamp> {
        match self {
            Self::Grace(grace) => Some(grace.deadline),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_add_prompt_counts_found_and_new_ids() {
        let known: VideoId = "550e8400-e29b-41d4-a716-446655440000".parse().unwrap();
        let add = AddIds::with_text(
            "https://x/videos/550e8400-e29b-41d4-a716-446655440000, \
             \"550E8400-E29B-41D4-A716-446655440001\"\nnope 1234 550e8400-e29b-41d4-a716-446655440000"
                .into(),
            |id| *id == known,
        );
        assert_eq!((add.found.len(), add.new), (2, 1));
        assert_eq!(
            add.found[1].to_string(),
            "550e8400-e29b-41d4-a716-446655440001"
        );
    }

    #[test]
    fn key_prompt_debug_hides_the_input() {
        let prompt = KeyPrompt {
            input: "sk-SECRET".into(),
            ..KeyPrompt::default()
        };
        assert!(!format!("{prompt:?}").contains("SECRET"));
    }
}
