//! `TextField`: text with a cursor, as the filter, the add-IDs and label fields, the key
//! prompt and the type-the-count field hold it. Editing only: which keys edit is the
//! keymap's (`Edit`), drawing is `view::field`'s; it never sees a key event.

/// What a field takes, typed or pasted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Accepts {
    /// One line of any text.
    #[default]
    Line,
    /// One line, lower-cased as it comes in (the filter matches without case).
    LowerCase,
    /// Digits typed one by one; a paste is ignored, so pasted text never confirms anything.
    Digits,
    /// Many lines (pasted lists); line breaks are kept as `\n` whatever the terminal sent.
    Lines,
}

/// The edits a key can make (each has an action in the keymap).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    Left,
    Right,
    Start,
    End,
    DeleteBack,
    DeleteForward,
    /// The word before the cursor, and the spaces after it (as a shell's Ctrl-w).
    DeleteWord,
    DeleteToStart,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextField {
    text: String,
    /// Byte offset into `text`, always on a character boundary.
    cursor: usize,
    accepts: Accepts,
}

impl TextField {
    pub fn new(accepts: Accepts) -> Self {
        Self {
            text: String::new(),
            cursor: 0,
            accepts,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of the cursor in `text`.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Types `c` at the cursor; false when the field does not take it.
    pub fn type_char(&mut self, c: char) -> bool {
        match self.accepts {
            Accepts::Digits if !c.is_ascii_digit() => false,
            _ if c.is_control() => false,
            Accepts::LowerCase => {
                self.insert(&c.to_lowercase().to_string());
                true
            }
            _ => {
                self.insert(c.encode_utf8(&mut [0; 4]));
                true
            }
        }
    }

    /// Inserts pasted text at the cursor, as the field takes it: a one-line field gets it
    /// trimmed with its line breaks as spaces; a many-line field gets every `\r\n` and lone
    /// `\r` (how terminals and multiplexers send Enter) as `\n`. False when nothing changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        let pasted = match self.accepts {
            Accepts::Digits => return false,
            Accepts::Lines => normalized,
            Accepts::Line => one_line(&normalized),
            Accepts::LowerCase => one_line(&normalized).to_lowercase(),
        };
        if pasted.is_empty() {
            return false;
        }
        self.insert(&pasted);
        true
    }

    /// Applies `edit`; true when the text changed (not only the cursor).
    pub fn edit(&mut self, edit: Edit) -> bool {
        let before = self.text.len();
        match edit {
            Edit::Left => self.cursor = self.previous(self.cursor),
            Edit::Right => self.cursor = self.next(self.cursor),
            Edit::Start => self.cursor = 0,
            Edit::End => self.cursor = self.text.len(),
            Edit::DeleteBack => {
                let from = self.previous(self.cursor);
                self.remove(from, self.cursor);
            }
            Edit::DeleteForward => self.remove(self.cursor, self.next(self.cursor)),
            Edit::DeleteWord => {
                let head = &self.text[..self.cursor];
                let word_end = head.trim_end().len();
                let word_start = head[..word_end]
                    .rfind(char::is_whitespace)
                    .map_or(0, |at| self.next(at));
                self.remove(word_start, self.cursor);
            }
            Edit::DeleteToStart => self.remove(0, self.cursor),
        }
        self.text.len() != before
    }

    fn insert(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    fn remove(&mut self, from: usize, to: usize) {
        self.text.replace_range(from..to, "");
        self.cursor = from;
    }

    fn previous(&self, at: usize) -> usize {
        self.text[..at]
            .char_indices()
            .next_back()
            .map_or(0, |(i, _)| i)
    }

    fn next(&self, at: usize) -> usize {
        self.text[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8())
    }
}

/// Pasted text for a one-line field: trimmed, each run of line breaks one space.
fn one_line(text: &str) -> String {
    text.trim()
        .split('\n')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str, accepts: Accepts) -> TextField {
        let mut field = TextField::new(accepts);
        for c in text.chars() {
            field.type_char(c);
        }
        field
    }

    /// The text with `|` where the cursor is.
    fn shown(field: &TextField) -> String {
        let (a, b) = field.text.split_at(field.cursor);
        format!("{a}|{b}")
    }

    #[test]
    fn moves_and_deletes_by_character_word_and_line() {
        let mut f = field("clip 2 ünï", Accepts::Line);
        assert_eq!(shown(&f), "clip 2 ünï|");
        f.edit(Edit::Left);
        f.edit(Edit::Left);
        assert_eq!(shown(&f), "clip 2 ü|nï");
        assert!(f.edit(Edit::DeleteBack));
        assert_eq!(shown(&f), "clip 2 |nï");
        assert!(f.edit(Edit::DeleteForward));
        assert_eq!(shown(&f), "clip 2 |ï");
        f.type_char('X');
        assert_eq!(shown(&f), "clip 2 X|ï");
        f.edit(Edit::Start);
        assert!(
            !f.edit(Edit::Left) && !f.edit(Edit::DeleteBack),
            "nothing before"
        );
        f.edit(Edit::End);
        assert!(
            !f.edit(Edit::Right) && !f.edit(Edit::DeleteForward),
            "nothing after"
        );
        assert!(f.edit(Edit::DeleteWord));
        assert_eq!(shown(&f), "clip 2 |");
        assert!(f.edit(Edit::DeleteWord), "the spaces, then the word");
        assert_eq!(shown(&f), "clip |");
        f.edit(Edit::Left);
        f.edit(Edit::Left);
        assert!(f.edit(Edit::DeleteToStart));
        assert_eq!(shown(&f), "|p ");
    }

    #[test]
    fn each_field_takes_what_it_accepts() {
        assert_eq!(field("CLIP 2", Accepts::LowerCase).text(), "clip 2");
        let mut count = field("1a2y", Accepts::Digits);
        assert_eq!(count.text(), "12");
        assert!(!count.paste("3\n"), "a paste never types a count");
        let mut line = field("x", Accepts::Line);
        assert!(line.paste("  sk-live\r\n"));
        assert_eq!(line.text(), "xsk-live");
        assert!(!line.paste(" \r\n"));
        let mut lines = TextField::new(Accepts::Lines);
        lines.paste("a\r\nb\rc\n");
        assert_eq!(
            lines.text(),
            "a\nb\nc\n",
            "carriage returns from tmux are line breaks"
        );
        let mut filter = TextField::new(Accepts::LowerCase);
        filter.paste("June\rImport\n");
        assert_eq!(filter.text(), "june import");
        assert!(!field("", Accepts::Line).type_char('\u{7}'));
    }
}
