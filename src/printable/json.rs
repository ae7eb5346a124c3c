//! JSON Lines that stay exact JSON and are still safe on a terminal: serde_json escapes the
//! C0 controls already; this also writes every other hidden character (`super::is_hidden`:
//! DEL, C1, bidi controls, zero-width characters, ...) as a `\u` escape. A JSON reader gets
//! the very same strings back; a terminal that is shown the line sees no raw control.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

use super::is_hidden;

/// `value` as one line of JSON, newline included.
pub fn line<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Into memory, plain data: serializing cannot fail, and an empty line would show it.
    if write(&mut bytes, value).is_ok() {
        bytes.push(b'\n');
    }
    bytes
}

/// Writes `value` as JSON (no newline) to `writer`.
pub fn write<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(writer, HiddenEscaped);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// serde_json's compact layout, hidden characters in strings written as `\u` escapes.
struct HiddenEscaped;

impl Formatter for HiddenEscaped {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices().filter(|&(_, c)| is_hidden(c)) {
            writer.write_all(&fragment.as_bytes()[start..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_json_escapes_and_read_back_the_same() {
        let text = "a\u{1b}]0;pwned\u{7}b\u{7f}\u{9b}c\u{202e}d\u{200b}e\u{e0041}f é 日本";
        let bytes = line(&serde_json::json!({ "message": text }));
        let shown = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(
            shown,
            "{\"message\":\"a\\u001b]0;pwned\\u0007b\\u007f\\u009bc\\u202ed\\u200be\
             \\udb40\\udc41f é 日本\"}\n"
        );
        assert!(!shown.trim_end().chars().any(is_hidden), "{shown:?}");
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back["message"], text);
    }

    #[test]
    fn text_with_nothing_hidden_is_what_serde_json_writes() {
        let value = serde_json::json!({ "id": "550e8400", "n": 3, "title": "Première \"prise\"" });
        let mut plain = serde_json::to_vec(&value).unwrap();
        plain.push(b'\n');
        assert_eq!(line(&value), plain);
    }
}
