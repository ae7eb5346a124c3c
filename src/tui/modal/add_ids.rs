//! The add-IDs prompt: free text (typed or pasted, many lines) scanned for UUIDs, and an
//! optional label for them. `submit` adds the new ones; `switch` moves between the fields.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::{boxed, field_line, inner_width};
use super::{Dialog, Kind, Next, Then, type_into};
use crate::api::VideoId;
use crate::printable::printable;
use crate::tui::app::App;
use crate::tui::app::text_field::{Accepts, Edit, TextField};
use crate::tui::keymap::{Action, AnyContext, Context, Key, Press, Typing, keys};
use crate::tui::view::Theme;

/// The width of the prompt.
const WIDTH: u16 = 64;

keys! {
    /// The add-IDs prompt's keys.
    pub enum AddIdsKey { Submit, SwitchField, Close, Edit(Edit) }
}

impl Context for AddIdsKey {
    const NAME: &'static str = "the add-IDs prompt";
    const TYPING: Typing = Typing::Text;
}

#[derive(Debug, PartialEq, Eq)]
pub struct AddIds {
    pub text: TextField,
    pub label: TextField,
    pub editing_label: bool,
    /// The UUIDs in `text`, rescanned on each edit (not each frame: a paste can be huge).
    pub found: Vec<VideoId>,
    /// How many of `found` are not known yet.
    pub new: usize,
    /// Why the text is taken whole or not at all and is not (a saved listing with an entry
    /// the API could not have listed): `found` is then empty.
    pub refused: Option<String>,
}

impl Default for AddIds {
    fn default() -> Self {
        Self {
            text: TextField::new(Accepts::Lines),
            label: TextField::new(Accepts::Line),
            editing_label: false,
            found: Vec::new(),
            new: 0,
            refused: None,
        }
    }
}

impl AddIds {
    /// The prompt opened by a paste on the table, holding it.
    pub fn pasted(text: &str, app: &App) -> Self {
        let mut add = Self::default();
        add.on_paste(text, app);
        add
    }

    /// The field being edited.
    fn field(&mut self) -> &mut TextField {
        if self.editing_label {
            &mut self.label
        } else {
            &mut self.text
        }
    }

    fn rescan(&mut self, app: &App) {
        (self.found, self.refused) = match crate::import::scan(self.text.text().as_bytes()) {
            Ok(scan) => (scan.ids, None),
            Err(refused) => (Vec::new(), Some(refused.to_string())),
        };
        self.new = self.found.iter().filter(|id| !app.knows(id)).count();
    }
}

impl Dialog for AddIds {
    const CONTEXTS: &'static [AnyContext] = &[AnyContext::of::<AddIdsKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(mut self, key: Key, app: &App) -> Next<Self> {
        let changed = match app.keymap().read(key) {
            Press::Escape | Press::Action(AddIdsKey::Close) => return Next::Close,
            Press::Action(AddIdsKey::Submit) => {
                let label = Some(self.label.text().trim().to_owned()).filter(|l| !l.is_empty());
                return Next::Then(Then::Add {
                    ids: self.found,
                    label,
                });
            }
            Press::Action(AddIdsKey::SwitchField) => {
                self.editing_label = !self.editing_label;
                false
            }
            Press::Action(AddIdsKey::Edit(edit)) => self.field().edit(edit),
            Press::Other(key) => type_into(self.field(), key),
        };
        if changed && !self.editing_label {
            self.rescan(app);
        }
        Next::Stay(self)
    }

    /// Pasted text goes into the field being edited.
    fn on_paste(&mut self, text: &str, app: &App) {
        if self.editing_label {
            self.label.paste(text);
        } else if self.text.paste(text) {
            self.rescan(app);
        }
    }

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let style = |on: bool| if on { theme.accent() } else { theme.dim() };
        let width = inner_width(frame, WIDTH);
        let keymap = app.keymap();
        let lines = vec![
            Line::from("Type or paste any text; video IDs (UUIDs) are found in it."),
            Line::from(""),
            field_line(
                "IDs:   ",
                &self.text,
                width,
                false,
                style(!self.editing_label),
            ),
            field_line(
                "Label: ",
                &self.label,
                width,
                false,
                style(self.editing_label),
            ),
            Line::from(""),
            match &self.refused {
                Some(why) => Line::from(Span::styled(
                    printable(&format!("Nothing is taken from this listing: {why}")).into_owned(),
                    theme.danger(),
                )),
                None => Line::from(format!(
                    "Found {} ID(s), {} new.",
                    self.found.len(),
                    self.new
                )),
            },
            Line::from(Span::styled(
                format!(
                    "{} add · {} label · {} cancel",
                    keymap.key(Action::Submit),
                    keymap.key(Action::SwitchField),
                    keymap.key(Action::Close)
                ),
                theme.dim(),
            )),
        ];
        boxed(frame, theme, "Add videos", lines, WIDTH);
    }
}
