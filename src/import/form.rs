//! Which form the text is in, decided from its start, and the reader for that form. JSON (an
//! object first, or an array whose first element is an object) and a table (a first line that
//! is a header naming an ID, title or creation time column) are read record by record; any
//! other text by the plain scanner, exactly as before there were records. Only the start is
//! held while deciding, at most `SNIFF_CAP` bytes.

use super::delimited::{TableReader, split_cells};
use super::json::JsonReader;
use super::record::{NAME_CAP, Role, first_uuid};
use super::scanner::Scanner;
use super::{Found, SyntaxError};

/// The most held while deciding: a first line longer than this is no header.
const SNIFF_CAP: usize = 64 * 1024;
/// A column's name is a few words ("Created At (UTC)"); more is a sentence.
const MAX_NAME_WORDS: usize = 4;

/// How the text was read (`import` says so when it was not plain text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Form {
    /// Every ID on every line.
    #[default]
    Text,
    /// A table with a header row, its cells separated by this byte (`,`, tab or `;`).
    Table(u8),
    /// JSON values one after another (JSON Lines), or one array of them.
    Json,
}

impl std::fmt::Display for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Text => f.write_str("text"),
            Self::Table(b'\t') => f.write_str("a tab-separated table"),
            Self::Table(b';') => f.write_str("a semicolon-separated table"),
            Self::Table(_) => f.write_str("a CSV table"),
            Self::Json => f.write_str("JSON"),
        }
    }
}

#[derive(Debug)]
pub enum Reader {
    /// The start of the text, until it tells which form this is.
    Deciding(Vec<u8>),
    Text(Scanner),
    Table(TableReader),
    Json(JsonReader),
}

impl Default for Reader {
    fn default() -> Self {
        Self::Deciding(Vec::new())
    }
}

impl Reader {
    /// A reader of plain text, whatever the text looks like.
    pub fn plain() -> Self {
        Self::Text(Scanner::default())
    }

    pub fn form(&self) -> Form {
        match self {
            Self::Deciding(_) | Self::Text(_) => Form::Text,
            Self::Table(table) => Form::Table(table.delimiter()),
            Self::Json(_) => Form::Json,
        }
    }

    pub fn feed(&mut self, text: &[u8], found: &mut Found) -> Result<(), SyntaxError> {
        match self {
            Self::Deciding(head) => {
                head.extend_from_slice(text);
                match decide(head, false) {
                    Some(form) => self.start(form, found),
                    None => Ok(()),
                }
            }
            Self::Text(scanner) => {
                scanner.feed(text, found);
                Ok(())
            }
            Self::Table(table) => table.feed(text, found),
            Self::Json(json) => json.feed(text, found),
        }
    }

    pub fn finish(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        if let Self::Deciding(head) = self {
            let form = decide(head, true).unwrap_or_default();
            self.start(form, found)?;
        }
        match self {
            Self::Deciding(_) => Ok(()),
            Self::Text(scanner) => {
                scanner.finish(found);
                Ok(())
            }
            Self::Table(table) => table.finish(found),
            Self::Json(json) => json.finish(found),
        }
    }

    /// Leaves deciding: the reader for `form` reads what was held.
    fn start(&mut self, form: Form, found: &mut Found) -> Result<(), SyntaxError> {
        let Self::Deciding(head) = self else {
            return Ok(());
        };
        let head = std::mem::take(head);
        *self = match form {
            Form::Text => Self::plain(),
            Form::Table(delimiter) => Self::Table(TableReader::new(delimiter)),
            Form::Json => Self::Json(JsonReader::default()),
        };
        self.feed(&head, found)
    }
}

/// The form of text starting with `head`, or `None` while more is needed (`ended`: there is
/// no more).
fn decide(head: &[u8], ended: bool) -> Option<Form> {
    let undecided = if ended || head.len() >= SNIFF_CAP {
        Some(Form::Text)
    } else {
        None
    };
    let Some(start) = head.iter().position(|b| !b.is_ascii_whitespace()) else {
        return undecided;
    };
    match head[start] {
        b'{' => return Some(Form::Json),
        b'[' => {
            let after = &head[start + 1..];
            return match after.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => Some(Form::Json),
                Some(_) => Some(Form::Text),
                None => undecided,
            };
        }
        _ => {}
    }
    let line_start = head[..start]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let rest = &head[line_start..];
    let line = match rest.iter().position(|&b| b == b'\n') {
        Some(end) => &rest[..end],
        None if ended => rest,
        None => return undecided,
    };
    Some(header_delimiter(line).map_or(Form::Text, Form::Table))
}

/// The delimiter of `line` if it is a table's header: no ID in it, every cell short enough
/// to be a column's name (a few words), and a column for the video's ID, title or creation
/// time (a lone column only when it is the ID's, so a first line saying "title" is not a
/// table).
fn header_delimiter(line: &[u8]) -> Option<u8> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if first_uuid(line).is_some() {
        return None;
    }
    let delimiter = [b'\t', b',', b';']
        .into_iter()
        .find(|d| line.contains(d))
        .unwrap_or(b',');
    let cells = split_cells(line, delimiter);
    let name_like = |cell: &Vec<u8>| {
        cell.len() <= NAME_CAP
            && cell
                .split(u8::is_ascii_whitespace)
                .filter(|w| !w.is_empty())
                .count()
                <= MAX_NAME_WORDS
    };
    if !cells.iter().all(name_like) {
        return None;
    }
    let roles: Vec<Role> = cells.iter().map(|cell| Role::of(cell)).collect();
    let names_an_id = roles.iter().any(|r| matches!(r, Role::VideoId | Role::Id));
    let names_any = roles.iter().any(|r| *r != Role::Other);
    let header = if roles.len() == 1 {
        names_an_id
    } else {
        names_any
    };
    header.then_some(delimiter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_of_the_text_decides_its_form() {
        let cases: [(&str, Option<Form>); 14] = [
            ("{\"id\"", Some(Form::Json)),
            ("\n  [ \n {", Some(Form::Json)),
            ("[\"550e", Some(Form::Text)),
            ("[", None),
            ("id,title\n", Some(Form::Table(b','))),
            ("\n\nVideo ID\tTitle\r\n", Some(Form::Table(b'\t'))),
            ("id;name\n", Some(Form::Table(b';'))),
            ("\"video_id\"\n", Some(Form::Table(b','))),
            ("id,title", None),
            ("title\n", Some(Form::Text)),
            (
                "Title, and below it some prose about ids\n",
                Some(Form::Text),
            ),
            (
                "id,550e8400-e29b-41d4-a716-446655440000\n",
                Some(Form::Text),
            ),
            ("names,of,things\n", Some(Form::Text)),
            ("2024-05-01 INFO id=1\n", Some(Form::Text)),
        ];
        for (head, want) in cases {
            assert_eq!(decide(head.as_bytes(), false), want, "{head:?}");
        }
        assert_eq!(decide(b"id,title", true), Some(Form::Table(b',')));
        assert_eq!(decide(b"[", true), Some(Form::Text));
        assert_eq!(decide(b"  \n", true), Some(Form::Text));
        assert_eq!(decide(&[b'x'; SNIFF_CAP], false), Some(Form::Text));
    }
}
