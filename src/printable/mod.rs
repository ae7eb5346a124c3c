//! Text from outside (server bodies, files, config, labels, titles, error messages that echo
//! any of them) made safe to show on a terminal: the one place that decides which characters
//! would drive the terminal or hide themselves, and how each is shown instead. It never
//! changes what is stored; only what is shown.
//!
//! A hidden character is shown as an escape made of printable ASCII: `\n`, `\r`, `\t`; other
//! ASCII controls and DEL as `\x1b`, `\x7f`; everything else as `\u{202e}` (lowercase hex,
//! as Rust writes it). Hidden are: every control (C0, DEL, C1), bidi controls (U+202A-202E,
//! U+2066-2069, U+200E/200F, U+061C), zero-width and other invisible format characters
//! (U+200B-200D, U+2060-2064, U+FEFF, U+00AD, tags, ...), variation selectors, the Hangul
//! fillers, and the line and paragraph separators. So two titles that differ only by an
//! invisible character look different, and none of them reaches the terminal raw.
//!
//! What prints it: the app draws through `printable`, and `out` is every human-readable line
//! the commands write (`terminal` the questions they ask); `json` keeps JSON Lines exact JSON
//! with the same characters as `\u` escapes.

pub mod json;
pub mod out;
pub mod terminal;

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use unicode_width::UnicodeWidthStr;

/// Whether `c` is shown escaped: it would drive the terminal, or show as nothing.
pub fn is_hidden(c: char) -> bool {
    if c.is_ascii() {
        // Nearly every character: decided in one comparison.
        return c.is_ascii_control();
    }
    c.is_control()
        || matches!(
            c,
            // Format characters (Unicode category Cf) and the rest of the default-ignorable
            // code points: soft hyphen, combining grapheme joiner, Arabic letter mark and
            // number signs, Hangul and Khmer fillers, Mongolian selectors.
            '\u{00AD}'
                | '\u{034F}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{115F}'..='\u{1160}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                // Zero-width space, non-joiner and joiner; left-to-right and right-to-left
                // marks; line and paragraph separators; the bidi embeddings and overrides.
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                // Word joiner, invisible operators, bidi isolates, deprecated formats.
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                // Variation selectors, the byte order mark, the halfwidth Hangul filler,
                // interlinear annotation marks.
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                // Tags and the variation selectors supplement.
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// `text` with every hidden character escaped (see the module's doc); borrowed when nothing
/// is hidden, which is nearly always.
pub fn printable(text: &str) -> Cow<'_, str> {
    match text.find(is_hidden) {
        None => Cow::Borrowed(text),
        Some(first) => {
            let mut shown = String::with_capacity(text.len() + 8);
            shown.push_str(&text[..first]);
            escape_into(&mut shown, &text[first..]);
            Cow::Owned(shown)
        }
    }
}

/// As `printable`, for text already owned: given back as it is when nothing is hidden.
pub fn into_printable(text: String) -> String {
    match printable(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    }
}

/// The escape `c` is shown as, or `None` when it shows as itself.
pub fn escaped(c: char) -> Option<String> {
    is_hidden(c).then(|| {
        let mut shown = String::new();
        push_escape(&mut shown, c);
        shown
    })
}

/// How many terminal cells `text` takes once printable.
pub fn width(text: &str) -> usize {
    printable(text).width()
}

/// `text` made printable and padded with spaces to `cells` terminal cells (wide characters
/// and escapes counted as they show), for a table column; longer text is left whole.
pub fn padded(text: &str, cells: usize) -> String {
    let shown = printable(text);
    let fill = cells.saturating_sub(shown.width());
    let mut out = String::with_capacity(shown.len() + fill);
    out.push_str(&shown);
    out.extend(std::iter::repeat_n(' ', fill));
    out
}

/// `text` made printable and cut to at most `cells` terminal cells, ending in `…` when cut:
/// a line that must not wrap (one video of a list, in a box).
pub fn cut(text: &str, cells: usize) -> String {
    let shown = printable(text);
    if shown.width() <= cells {
        return shown.into_owned();
    }
    let mut out = String::with_capacity(shown.len());
    let mut used = 0;
    for c in shown.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > cells {
            break;
        }
        used += w;
        out.push(c);
    }
    if cells > 0 {
        out.push('…');
    }
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if is_hidden(c) {
            push_escape(out, c);
        } else {
            out.push(c);
        }
    }
}

fn push_escape(out: &mut String, c: char) {
    // Writing into a String cannot fail.
    let _ = match c {
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        c if c.is_ascii() => write!(out, "\\x{:02x}", u32::from(c)),
        c => write!(out, "\\u{{{:x}}}", u32::from(c)),
    };
}

/// Shows any `Display` value printable: `Printable(&err)` escapes what the error echoes.
/// A width (`{:<20}`) pads by the cells the printable text takes.
pub struct Printable<T>(pub T);

impl<T: fmt::Display> fmt::Display for Printable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        let shown = printable(&text);
        match f.width() {
            None => f.write_str(&shown),
            Some(cells) => {
                let fill = cells.saturating_sub(shown.width());
                let (before, after) = match f.align() {
                    Some(fmt::Alignment::Right) => (fill, 0),
                    Some(fmt::Alignment::Center) => (fill / 2, fill - fill / 2),
                    Some(fmt::Alignment::Left) | None => (0, fill),
                };
                let pad = |f: &mut fmt::Formatter<'_>, n: usize| {
                    (0..n).try_for_each(|_| f.write_char(f.fill()))
                };
                pad(f, before)?;
                f.write_str(&shown)?;
                pad(f, after)
            }
        }
    }
}

#[cfg(test)]
mod tests;
