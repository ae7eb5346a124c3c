//! The filter line: the query as typed, the same query parsed (kept in step with the text by
//! every edit, so no caller re-parses), and whether the line has the keyboard.

use crate::query::{Query, QueryError};
use crate::tui::app::text_field::{Accepts, Edit, TextField};

#[derive(Debug)]
pub struct FilterLine {
    text: TextField,
    /// `text`, parsed (`Err`: it does not parse, and shows no row).
    query: Result<Query, QueryError>,
    /// The line has the keyboard.
    editing: bool,
}

/// How an edit changed the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    /// The new query can only pick fewer rows than the last (typing on at its end, the
    /// common case): only the rows shown now need a look.
    Narrowed,
    /// Anything else: every row needs a look.
    Other,
}

impl Default for FilterLine {
    fn default() -> Self {
        Self {
            text: TextField::new(Accepts::Line),
            query: Ok(Query::default()),
            editing: false,
        }
    }
}

impl FilterLine {
    pub fn text(&self) -> &str {
        self.text.text()
    }

    /// The query the rows are filtered by (`Err`: the text does not parse).
    pub fn query(&self) -> Result<&Query, &QueryError> {
        self.query.as_ref()
    }

    /// The line, with its cursor, while it has the keyboard.
    pub fn editing(&self) -> Option<&TextField> {
        self.editing.then_some(&self.text)
    }

    /// The line takes the keyboard.
    pub fn start(&mut self) {
        self.editing = true;
    }

    /// The line lets go of the keyboard, the filter staying; not while it does not parse (it
    /// keeps the keyboard, and the line under it says why).
    pub fn keep(&mut self) {
        if self.query.is_ok() {
            self.editing = false;
        }
    }

    /// No filter; `None` when there was none.
    pub fn clear(&mut self) -> Option<Changed> {
        if self.text.is_empty() {
            return None;
        }
        self.text.clear();
        self.query = Ok(Query::default());
        Some(Changed::Other)
    }

    pub fn type_char(&mut self, c: char) -> Option<Changed> {
        let typed = self.text.type_char(c);
        self.parsed_if(typed)
    }

    pub fn paste(&mut self, text: &str) -> Option<Changed> {
        let pasted = self.text.paste(text);
        self.parsed_if(pasted)
    }

    pub fn edit(&mut self, edit: Edit) -> Option<Changed> {
        let edited = self.text.edit(edit);
        self.parsed_if(edited)
    }

    /// Parses the text again if it `changed`.
    fn parsed_if(&mut self, changed: bool) -> Option<Changed> {
        if !changed {
            return None;
        }
        let query = Query::parse(self.text.text());
        let narrowed = matches!((&query, &self.query), (Ok(new), Ok(old)) if new.narrows(old));
        self.query = query;
        Some(if narrowed {
            Changed::Narrowed
        } else {
            Changed::Other
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_edit_keeps_the_query_in_step_with_the_text() {
        let mut line = FilterLine::default();
        line.start();
        assert_eq!(
            line.type_char('a'),
            Some(Changed::Narrowed),
            "any filter narrows none"
        );
        assert_eq!(line.type_char('b'), Some(Changed::Narrowed));
        assert_eq!(line.edit(Edit::DeleteBack), Some(Changed::Other), "widened");
        assert_eq!(line.type_char('b'), Some(Changed::Narrowed));
        assert_eq!(line.text(), "ab");
        assert!(line.query().is_ok());
        assert_eq!(line.paste(" state:nope"), Some(Changed::Other));
        assert!(line.query().is_err(), "an unknown state does not parse");
        line.keep();
        assert!(
            line.editing().is_some(),
            "kept the keyboard while it does not parse"
        );
        assert_eq!(line.clear(), Some(Changed::Other));
        assert_eq!(line.clear(), None, "nothing left to clear");
        assert!(line.query().is_ok());
        line.keep();
        assert!(line.editing().is_none());
    }
}
