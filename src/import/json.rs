//! JSON, read a byte at a time: JSON Lines (values one after another) or one array. Each
//! object at the top, or directly in a top-level array, is one record: its keys name the
//! fields (`record::Role`); nested values count only as "other" fields (where an ID may be
//! found when no key names one). Strings elsewhere (an array of IDs mixed in) give every ID
//! in them. Such an object that holds a `videos` list, itself or under `data`, is a page of
//! the API's listing instead (`{"data": {"videos": [...]}, "meta": ...}`, `{"videos":
//! [...]}`): each object in that list is a record, the rest of the page (its `meta`, its
//! `total`) gives nothing. Memory is the nesting (at most `MAX_DEPTH` levels) and one string
//! of at most `FIELD_CAP` bytes: a value of any size is skipped past, not held. Anything that
//! is not JSON is a syntax error naming its line and column.

use super::listing::{Entry, Place};
use super::record::{FIELD_CAP, NAME_CAP, Record, Role};
use super::scanner::for_each_uuid;
use super::{Found, SyntaxError};

/// Deeper nesting than this is refused (it is no export of videos).
const MAX_DEPTH: usize = 128;
/// The most of a number or literal kept: enough for any creation time.
const SCALAR_CAP: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Open {
    Object,
    Array,
}

/// What may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// A value (at the top level: the next one, or the end).
    Value,
    /// Right after `[`: a value or `]`.
    ValueOrClose,
    /// Right after `{`: a key or `}`.
    KeyOrClose,
    /// After a comma in an object.
    Key,
    Colon,
    CommaOrClose,
}

/// The token being read, if one is half read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    None,
    /// A string: a key or a value.
    Str {
        key: bool,
        escape: Escape,
    },
    /// A number or a literal (`true`, `false`, `null`).
    Scalar,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Escape {
    None,
    /// Just after a backslash.
    Backslash,
    /// `\u`, with the hex digits read so far and their value.
    Unicode {
        digits: u8,
        value: u16,
    },
}

/// The keys that make an object a page of the API's listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Data,
    Videos,
    Other,
}

impl Key {
    /// The API's own names, exactly.
    fn of(name: &[u8]) -> Self {
        match name {
            b"data" => Self::Data,
            b"videos" => Self::Videos,
            _ => Self::Other,
        }
    }
}

/// A top-level object as a possible page of the listing. Depths are the stack's length
/// inside what they name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Listing {
    /// The object's depth.
    top: usize,
    page: Page,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    /// No `videos` list yet: a record, unless one comes (in it, or in its `data` object at
    /// this depth).
    Maybe { data: Option<usize> },
    /// A page, inside its `videos` list at this depth.
    Videos(usize),
    /// A page, past its `videos` list: the rest of it gives nothing.
    Done,
}

impl Listing {
    /// The depth of the page's `videos` list, while inside it.
    fn videos(self) -> Option<usize> {
        match self.page {
            Page::Videos(depth) => Some(depth),
            Page::Maybe { .. } | Page::Done => None,
        }
    }

    fn is_page(self) -> bool {
        !matches!(self.page, Page::Maybe { .. })
    }
}

#[derive(Debug)]
pub struct JsonReader {
    line: usize,
    column: usize,
    /// The open objects and arrays, with the line each began on.
    stack: Vec<(Open, usize)>,
    expect: Expect,
    token: Token,
    /// The current string's text (escapes decoded) or scalar, cut at its cap.
    text: Vec<u8>,
    /// A `\u` high surrogate waiting for its low half.
    high_surrogate: Option<u16>,
    /// The record being read, and how deep its object is (the stack's length inside it).
    record: Option<(Record, usize)>,
    /// The role of the record's key whose value comes next.
    role: Role,
    /// The key whose value comes next, as the listing's page names them.
    key: Key,
    /// The top-level object being read, as a possible page.
    listing: Option<Listing>,
    /// The entry of a page's `videos` being read (its text kept), and how deep its object
    /// is.
    entry: Option<(Entry, usize)>,
    /// Entries met so far in the page's `videos` list being read.
    entries: usize,
    /// Pages of the listing met so far.
    pages: usize,
}

impl Default for JsonReader {
    fn default() -> Self {
        Self {
            line: 1,
            column: 0,
            stack: Vec::new(),
            expect: Expect::Value,
            token: Token::None,
            text: Vec::new(),
            high_surrogate: None,
            record: None,
            role: Role::Other,
            key: Key::Other,
            listing: None,
            entry: None,
            entries: 0,
            pages: 0,
        }
    }
}

impl JsonReader {
    pub fn feed(&mut self, text: &[u8], found: &mut Found) -> Result<(), SyntaxError> {
        let mut rest = text;
        while let Some((&b, after)) = rest.split_first() {
            if let Token::Str {
                escape: Escape::None,
                ..
            } = self.token
            {
                // A string's plain text is taken whole, not a byte at a time.
                let run = rest
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                    .unwrap_or(rest.len());
                if run > 0 {
                    if let Some((entry, _)) = &mut self.entry {
                        entry.push(&rest[..run]);
                    }
                    self.end_lone_surrogate();
                    let room = FIELD_CAP.saturating_sub(self.text.len());
                    self.text.extend_from_slice(&rest[..run.min(room)]);
                    self.column += run;
                    rest = &rest[run..];
                    continue;
                }
            }
            self.column += 1;
            if let Some((entry, _)) = &mut self.entry {
                entry.push(&[b]);
            }
            self.byte(b, found)?;
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            }
            rest = after;
        }
        Ok(())
    }

    pub fn finish(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        if self.token == Token::Scalar {
            self.end_scalar(found)?;
        }
        if let Token::Str { .. } = self.token {
            return Err(self.error("the input ends inside a string"));
        }
        if let Some(&(open, line)) = self.stack.last() {
            let what = match open {
                Open::Object => "an object",
                Open::Array => "an array",
            };
            return Err(SyntaxError {
                line,
                column: 0,
                message: format!("{what} begins here and the input ends before it closes"),
                in_listing: false,
            });
        }
        Ok(())
    }

    fn byte(&mut self, b: u8, found: &mut Found) -> Result<(), SyntaxError> {
        match self.token {
            Token::Str { key, escape } => return self.string_byte(b, key, escape, found),
            Token::Scalar if is_scalar_byte(b) => {
                self.keep(b, SCALAR_CAP);
                return Ok(());
            }
            Token::Scalar => self.end_scalar(found)?,
            Token::None => {}
        }
        if b.is_ascii_whitespace() {
            return Ok(());
        }
        match (self.expect, b) {
            (Expect::Value | Expect::ValueOrClose, b'{') => self.open(Open::Object, found),
            (Expect::Value | Expect::ValueOrClose, b'[') => self.open(Open::Array, found),
            (Expect::Value | Expect::ValueOrClose, b'"') => {
                self.start_token(Token::Str {
                    key: false,
                    escape: Escape::None,
                });
                Ok(())
            }
            (Expect::Value | Expect::ValueOrClose, b) if is_scalar_start(b) => {
                self.start_token(Token::Scalar);
                self.keep(b, SCALAR_CAP);
                Ok(())
            }
            (Expect::KeyOrClose | Expect::Key, b'"') => {
                self.start_token(Token::Str {
                    key: true,
                    escape: Escape::None,
                });
                Ok(())
            }
            (Expect::Colon, b':') => {
                self.expect = Expect::Value;
                Ok(())
            }
            (Expect::CommaOrClose, b',') => {
                self.expect = match self.stack.last() {
                    Some((Open::Object, _)) => Expect::Key,
                    _ => Expect::Value,
                };
                Ok(())
            }
            (Expect::KeyOrClose | Expect::CommaOrClose, b'}')
                if matches!(self.stack.last(), Some((Open::Object, _))) =>
            {
                self.close(found)
            }
            (Expect::ValueOrClose | Expect::CommaOrClose, b']')
                if matches!(self.stack.last(), Some((Open::Array, _))) =>
            {
                self.close(found)
            }
            _ => Err(self.error(&format!(
                "{} where {} should be",
                shown(b),
                match self.expect {
                    Expect::Value => "a value",
                    Expect::ValueOrClose => "a value or ]",
                    Expect::KeyOrClose => "a key or }",
                    Expect::Key => "a key in quotes",
                    Expect::Colon => "a colon",
                    Expect::CommaOrClose => match self.stack.last() {
                        Some((Open::Object, _)) => "a comma or }",
                        _ => "a comma or ]",
                    },
                }
            ))),
        }
    }

    fn start_token(&mut self, token: Token) {
        self.token = token;
        self.text.clear();
        self.high_surrogate = None;
    }

    fn keep(&mut self, b: u8, cap: usize) {
        if self.text.len() < cap {
            self.text.push(b);
        }
    }

    fn keep_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            self.keep(b, FIELD_CAP);
        }
    }

    fn open(&mut self, open: Open, found: &mut Found) -> Result<(), SyntaxError> {
        if self.stack.len() == MAX_DEPTH {
            return Err(self.error(&format!("nested more than {MAX_DEPTH} levels deep")));
        }
        // The value of a field the record reads, which a nested value cannot be.
        if self.at_record_level()
            && let Some((record, _)) = &mut self.record
        {
            let what = match open {
                Open::Object => "an object",
                Open::Array => "a list",
            };
            record.unusable(self.role, what);
        }
        let depth = self.stack.len();
        let top_level = matches!(self.stack.as_slice(), [] | [(Open::Array, _)]);
        // A record: an object at the top, or directly in a top-level array, or directly in
        // a page's `videos` list.
        let in_videos = self.in_page_list();
        if in_videos && open == Open::Array {
            return Err(self.next_entry().not_a_video("a list"));
        }
        let is_record = open == Open::Object && self.record.is_none() && top_level;
        self.stack.push((open, self.line));
        if in_videos {
            // Read whole once it closes (`listing`), not field by field.
            self.entry = Some((Entry::opened(self.next_entry()), self.stack.len()));
        }
        if open == Open::Object && top_level {
            self.listing = Some(Listing {
                top: depth + 1,
                page: Page::Maybe { data: None },
            });
        }
        if let Some(listing) = &mut self.listing
            && let Page::Maybe { data } = listing.page
        {
            match (open, self.key) {
                (Open::Object, Key::Data) if depth == listing.top => {
                    listing.page = Page::Maybe {
                        data: Some(depth + 1),
                    };
                }
                (Open::Array, Key::Videos) if depth == listing.top || Some(depth) == data => {
                    // A page after all: what was read of it as a record was its envelope.
                    listing.page = Page::Videos(depth + 1);
                    self.record = None;
                    self.entries = 0;
                    self.pages += 1;
                    found.listing_page();
                }
                _ => {}
            }
        }
        if is_record {
            self.record = Some((Record::starting_at(self.line), self.stack.len()));
        }
        self.expect = match open {
            Open::Object => Expect::KeyOrClose,
            Open::Array => Expect::ValueOrClose,
        };
        Ok(())
    }

    fn close(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        let depth = self.stack.len();
        self.stack.pop();
        if let Some((_, entry_depth)) = &self.entry
            && *entry_depth == depth
            && let Some((entry, _)) = self.entry.take()
        {
            found.take_listed(entry.close()?);
        }
        if let Some((_, record_depth)) = &self.record
            && *record_depth == depth
            && let Some((record, _)) = self.record.take()
        {
            record.finish(found);
        }
        if let Some(listing) = &mut self.listing {
            match listing.page {
                _ if depth == listing.top => self.listing = None,
                Page::Videos(videos) if depth == videos => listing.page = Page::Done,
                Page::Maybe { data: Some(data) } if depth == data => {
                    listing.page = Page::Maybe { data: None };
                }
                _ => {}
            }
        }
        self.value_done();
        Ok(())
    }

    /// A value has been read: what may follow it where it was.
    fn value_done(&mut self) {
        self.expect = if self.stack.is_empty() {
            Expect::Value
        } else {
            Expect::CommaOrClose
        };
    }

    fn string_byte(
        &mut self,
        b: u8,
        key: bool,
        escape: Escape,
        found: &mut Found,
    ) -> Result<(), SyntaxError> {
        let escape = match (escape, b) {
            (Escape::None, b'"') => {
                self.token = Token::None;
                return self.end_string(key, found);
            }
            (Escape::None, b'\\') => Escape::Backslash,
            (Escape::None, b) if b < 0x20 => {
                return Err(self.error("a line break or control character inside a string"));
            }
            (Escape::None, b) => {
                self.end_lone_surrogate();
                self.keep(b, FIELD_CAP);
                Escape::None
            }
            (Escape::Backslash, b'u') => Escape::Unicode {
                digits: 0,
                value: 0,
            },
            (Escape::Backslash, b) => {
                let c = match b {
                    b'"' | b'\\' | b'/' => char::from(b),
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    _ => return Err(self.error(&format!("\\{} is no escape", shown(b)))),
                };
                self.end_lone_surrogate();
                self.keep_char(c);
                Escape::None
            }
            (Escape::Unicode { digits, value }, b) => {
                let Some(digit) = char::from(b).to_digit(16) else {
                    return Err(self.error("\\u takes four hex digits"));
                };
                let value = value << 4 | digit as u16;
                if digits < 3 {
                    Escape::Unicode {
                        digits: digits + 1,
                        value,
                    }
                } else {
                    self.unicode_unit(value);
                    Escape::None
                }
            }
        };
        self.token = Token::Str { key, escape };
        Ok(())
    }

    /// A `\uXXXX` code unit: a surrogate pair makes one character, a lone half U+FFFD.
    fn unicode_unit(&mut self, unit: u16) {
        let c = match (self.high_surrogate.take(), unit) {
            (Some(high), 0xdc00..=0xdfff) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                char::from_u32(code)
            }
            (high, 0xd800..=0xdbff) => {
                if high.is_some() {
                    self.keep_char(char::REPLACEMENT_CHARACTER);
                }
                self.high_surrogate = Some(unit);
                return;
            }
            (high, unit) => {
                if high.is_some() {
                    self.keep_char(char::REPLACEMENT_CHARACTER);
                }
                char::from_u32(u32::from(unit))
            }
        };
        self.keep_char(c.unwrap_or(char::REPLACEMENT_CHARACTER));
    }

    /// A high surrogate followed by anything but its low half stands alone: U+FFFD, there.
    fn end_lone_surrogate(&mut self) {
        if self.high_surrogate.take().is_some() {
            self.keep_char(char::REPLACEMENT_CHARACTER);
        }
    }

    fn end_string(&mut self, key: bool, found: &mut Found) -> Result<(), SyntaxError> {
        self.end_lone_surrogate();
        if key {
            self.role = if self.at_record_level() && self.text.len() <= NAME_CAP {
                Role::of(&self.text)
            } else {
                Role::Other
            };
            self.key = Key::of(&self.text);
            self.expect = Expect::Colon;
            return Ok(());
        }
        self.no_loose_entry(|text| format!("the text {text:?}"))?;
        self.value(found)
    }

    fn end_scalar(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        self.token = Token::None;
        let text = &self.text;
        let literal = matches!(text.as_slice(), b"true" | b"false" | b"null");
        let number = std::str::from_utf8(text)
            .ok()
            .filter(|t| t.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
            .is_some_and(|t| t.parse::<f64>().is_ok());
        if !literal && !number {
            return Err(self.error(&format!(
                "{:?} is not a JSON value",
                String::from_utf8_lossy(text)
            )));
        }
        if number {
            self.no_loose_entry(|text| format!("the number {text}"))?;
            self.value(found)?;
        } else {
            self.no_loose_entry(str::to_owned)?;
            if self.at_record_level()
                && let Some((record, _)) = &mut self.record
            {
                match self.text.as_slice() {
                    b"true" => record.unusable(self.role, "true"),
                    b"false" => record.unusable(self.role, "false"),
                    _ => {}
                }
            }
            self.value_done();
        }
        Ok(())
    }

    /// A string or number value has been read (`text`): a field of the record, or loose
    /// text whose IDs are all taken (not in a page: its `meta` and the like name no video,
    /// and its `videos` list holds videos, read as `listing` reads them).
    fn value(&mut self, found: &mut Found) -> Result<(), SyntaxError> {
        let at_record_level = self.at_record_level();
        let loose_ids = !self.listing.is_some_and(Listing::is_page);
        match &mut self.record {
            Some((record, _)) => {
                let role = if at_record_level {
                    self.role
                } else {
                    Role::Other
                };
                record.field(role, &self.text);
            }
            None if loose_ids => for_each_uuid(&self.text, |_, uuid| _ = found.take_id(uuid)),
            None => {}
        }
        self.value_done();
        Ok(())
    }

    /// A string, number or literal just read (`text`) is no entry of a page's `videos`
    /// list: `shown` says what it is.
    fn no_loose_entry(&mut self, shown: impl FnOnce(&str) -> String) -> Result<(), SyntaxError> {
        if !self.in_page_list() {
            return Ok(());
        }
        let text: String = String::from_utf8_lossy(&self.text)
            .chars()
            .take(40)
            .collect();
        Err(self.next_entry().not_a_video(&shown(&text)))
    }

    /// Directly inside a page's `videos` list, where only videos (objects) may be.
    fn in_page_list(&self) -> bool {
        self.listing.and_then(Listing::videos) == Some(self.stack.len())
    }

    /// The place of the next entry of the page's `videos` list, counted.
    fn next_entry(&mut self) -> Place {
        self.entries += 1;
        Place {
            page: self.pages,
            index: self.entries - 1,
            line: self.line,
        }
    }

    /// Directly inside the record's object (not in a value nested in it).
    fn at_record_level(&self) -> bool {
        self.record
            .as_ref()
            .is_some_and(|(_, depth)| *depth == self.stack.len())
    }

    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            line: self.line,
            column: self.column,
            message: format!("not JSON: {message}"),
            in_listing: false,
        }
    }
}

fn is_scalar_start(b: u8) -> bool {
    b == b'-' || b.is_ascii_alphanumeric()
}

fn is_scalar_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')
}

/// A byte as an error shows it.
fn shown(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("{:?}", char::from(b))
    } else {
        format!("byte 0x{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportScan;

    const A: &str = "550e8400-e29b-41d4-a716-446655440000";
    const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    fn read(text: &str, piece: usize) -> Result<ImportScan, SyntaxError> {
        let mut json = JsonReader::default();
        let mut found = Found::default();
        for chunk in text.as_bytes().chunks(piece) {
            json.feed(chunk, &mut found)?;
        }
        json.finish(&mut found)?;
        Ok(found.finish())
    }

    fn summary(scan: &ImportScan) -> Vec<(String, Option<String>, Option<String>)> {
        scan.ids
            .iter()
            .enumerate()
            .map(|(at, id)| {
                (
                    id.to_string(),
                    scan.details.title(at).map(str::to_owned),
                    scan.details.created_at(at).map(|t| t.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn json_lines_and_arrays_give_one_video_per_object() {
        let lines = format!(
            "{{\"id\":\"{A}\",\"title\":\"caf\\u00e9 \\ud83c\\udfac\",\"created_at\":1714557600,\
               \"project_id\":\"{B}\",\"tags\":[\"x\",{{\"y\":null}}],\"n\":-1.5e3}}\n\
             \n\
             {{\"prompt\":\"a cat\",\"video\":{{\"url\":\"https://x/{B}\"}},\"ok\":true}}\n"
        );
        let array = format!("[\n  {}\n]\n", lines.trim().replace("}\n\n{", "},\n  {"));
        for text in [lines, array] {
            for piece in [1, 3, 1000] {
                let scan = read(&text, piece).unwrap();
                assert_eq!(
                    summary(&scan),
                    [
                        (
                            A.to_owned(),
                            Some("café 🎬".to_owned()),
                            Some("2024-05-01T10:00:00Z".to_owned())
                        ),
                        (B.to_owned(), Some("a cat".to_owned()), None),
                    ],
                    "{text}"
                );
                assert!(scan.bad_lines.is_empty());
            }
        }
    }

    #[test]
    fn a_lone_surrogate_half_is_one_replacement_character_where_it_stands() {
        for (escaped, want) in [
            ("\\ud83cX\\udfac", "\u{fffd}X\u{fffd}"),
            ("\\ud83c\\n\\udfac!", "\u{fffd} \u{fffd}!"),
            ("a\\ud83c\\ud83c\\udfacb", "a\u{fffd}🎬b"),
        ] {
            let text = format!("{{\"id\":\"{A}\",\"title\":\"{escaped}\"}}\n");
            for piece in [1, 1000] {
                let scan = read(&text, piece).unwrap();
                assert_eq!(
                    summary(&scan)[0].1.as_deref(),
                    Some(want),
                    "{text}, {piece}"
                );
            }
        }
    }

    #[test]
    fn an_object_without_an_id_is_a_bad_line_and_loose_strings_give_their_ids() {
        let text = format!("{{\"title\":\"x\"}}\n[\"{A} and {B}\", 3]\n{{}}\n");
        let scan = read(&text, 4).unwrap();
        assert_eq!(scan.bad_lines, [1]);
        let ids: Vec<String> = scan.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, [A, B]);
    }

    #[test]
    fn what_is_not_json_is_an_error_with_its_line_and_column() {
        for (text, line, column, why) in [
            ("{\"id\":1}\n{\"id\" 2}", 2, 7, "where a colon should be"),
            ("{\"a\":1,}", 1, 8, "where a key in quotes should be"),
            (
                "{\"id\":1}\nplain text here",
                2,
                6,
                "\"plain\" is not a JSON value",
            ),
            ("[{\"a\":\"b\n\"}]", 1, 9, "line break"),
            ("[{\"a\":\"\\x\"}]", 1, 9, "no escape"),
            ("{\"a\":[1,2}", 1, 10, "where a comma or ] should be"),
            ("[{\"a\":1}", 1, 0, "an array begins here"),
            ("{\"a\":\"open", 1, 10, "ends inside a string"),
        ] {
            let err = read(text, 2).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text}: {err}");
            assert!(err.message.contains(why), "{text}: {err}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1);
        assert!(read(&deep, 10).unwrap_err().message.contains("nested"));
    }

    /// A page of the API's listing with `ids` (titled by `prompt`, with a creation time),
    /// wrapped in `data` with a `meta` naming a request by a UUID, or bare.
    fn page(ids: &[&str], wrapped: bool) -> String {
        let videos: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    "{{\"video_id\":\"{id}\",\"prompt\":\"made {id}\",\"status\":\"completed\",\
                     \"duration\":10,\"created_at\":\"2024-05-01T10:00:00Z\",\
                     \"download_url\":\"https://cdn.example/{id}.mp4\",\"error\":null}}"
                )
            })
            .collect();
        let listing = format!(
            "\"videos\":[{}],\"total\":{},\"limit\":20,\"offset\":0",
            videos.join(",\n"),
            ids.len()
        );
        if wrapped {
            format!(
                "{{\"meta\":{{\"request_id\":\"{C}\"}},\"data\":{{{listing}}},\
                 \"other\":{{\"videos\":[{{\"id\":\"{C}\"}}]}}}}"
            )
        } else {
            format!("{{{listing},\"meta\":{{\"request_id\":\"{C}\"}}}}")
        }
    }

    const C: &str = "00000000-0000-4000-8000-00000000000c";
    const D: &str = "00000000-0000-4000-8000-00000000000d";
    const E: &str = "00000000-0000-4000-8000-00000000000e";

    #[test]
    fn a_listing_page_gives_one_video_per_entry_in_either_shape() {
        for wrapped in [true, false] {
            let text = page(&[A, B, D], wrapped);
            for piece in [1, 7, 10_000] {
                let scan = read(&text, piece).unwrap();
                let kept = summary(&scan);
                let ids: Vec<&str> = kept.iter().map(|(id, _, _)| id.as_str()).collect();
                assert_eq!(
                    ids,
                    [A, B, D],
                    "{wrapped} {piece}: not the meta's, not other's"
                );
                assert_eq!(kept[1].1.as_deref(), Some(&*format!("made {B}")));
                assert_eq!(kept[2].2.as_deref(), Some("2024-05-01T10:00:00Z"));
                assert_eq!((scan.listing_pages, scan.bad_line_count), (1, 0));
            }
        }
    }

    #[test]
    fn a_dump_of_pages_in_an_array_or_one_after_another_gives_every_video() {
        let pages = [page(&[A, B], true), page(&[], true), page(&[D, E], false)];
        for text in [format!("[{}]", pages.join(",")), pages.join("\n")] {
            let scan = read(&text, 5).unwrap();
            let ids: Vec<String> = scan.ids.iter().map(ToString::to_string).collect();
            assert_eq!(ids, [A, B, D, E]);
            assert_eq!((scan.listing_pages, scan.bad_line_count), (3, 0));
        }
    }

    #[test]
    fn only_an_object_holding_a_videos_list_is_a_page() {
        // A record with a `data` object, or a `videos` that is no list, stays one record.
        let text = format!(
            "{{\"id\":\"{A}\",\"data\":{{\"x\":\"{B}\"}}}}\n{{\"videos\":3,\"id\":\"{D}\"}}\n\
             {{\"data\":{{\"videos\":[]}}, \"meta\":\"{E}\"}}\n"
        );
        let scan = read(&text, 3).unwrap();
        let ids: Vec<String> = scan.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, [A, D], "a page's meta names no video");
        assert_eq!((scan.listing_pages, scan.bad_line_count), (1, 0));
        assert!(scan.listed.is_empty());
    }

    #[test]
    fn a_page_keeps_every_field_of_each_video_once() {
        let text = format!("{}\n{}", page(&[A, B], true), page(&[B, D], false));
        for piece in [1, 9, 10_000] {
            let scan = read(&text, piece).unwrap();
            let listed: Vec<String> = scan.listed.iter().map(|v| v.id.to_string()).collect();
            assert_eq!(listed, [A, B, D], "{piece}: B listed twice is kept once");
            let b = &scan.listed[1];
            assert_eq!(b.state, Some(crate::api::GenerationState::Completed));
            assert_eq!(b.duration, Some(std::time::Duration::from_secs(10)));
            assert_eq!(
                b.download_url.as_deref(),
                Some(&*format!("https://cdn.example/{B}.mp4"))
            );
            assert_eq!((scan.repeated, scan.ids.len()), (1, 3));
        }
    }

    #[test]
    fn a_page_with_an_entry_the_api_could_not_list_is_refused_with_where() {
        let second = |entry: &str| {
            format!(
                "{}\n{{\"data\":{{\"videos\":[\n{{\"video_id\":\"{D}\"}},\n{entry}]}}}}",
                page(&[A], false)
            )
        };
        for (entry, why) in [
            (
                format!("{{\"video_id\":\"{E}\",\"file_size\":-1}}"),
                "page 2, videos[1].file_size is the number -1, not a whole number from 0",
            ),
            (
                format!("{{\"video_id\":\"{E}\",\"status\":\"queued\"}}"),
                "page 2, videos[1].status is the text \"queued\", not pending",
            ),
            (
                "{\"prompt\":\"no id\"}".to_owned(),
                "page 2, videos[1].video_id is missing, not a video ID",
            ),
            (
                format!("\"{E}\""),
                "page 2, videos[1] is the text \"00000000",
            ),
            ("null".to_owned(), "page 2, videos[1] is null, not a video"),
            ("[]".to_owned(), "page 2, videos[1] is a list, not a video"),
        ] {
            for piece in [1, 10_000] {
                let err = read(&second(&entry), piece).unwrap_err();
                assert_eq!(err.line, 4, "{entry}: {err}");
                assert!(err.message.starts_with(why), "{entry}: {err}");
            }
        }
    }

    #[test]
    fn a_huge_value_is_skipped_past_not_held() {
        let huge = "x".repeat(FIELD_CAP * 20);
        let text = format!("{{\"title\":\"{huge}\",\"skip\":\"{huge}\",\"id\":\"{A}\"}}");
        let mut json = JsonReader::default();
        let mut found = Found::default();
        json.feed(text.as_bytes(), &mut found).unwrap();
        json.finish(&mut found).unwrap();
        assert!(json.text.capacity() <= FIELD_CAP * 2);
        let scan = found.finish();
        assert_eq!(scan.ids.len(), 1);
    }
}
