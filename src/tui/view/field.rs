//! Drawing a text field in the cells it is given: the text around the cursor, the cursor as
//! a reversed cell (a bar past the end), scrolled only once text and cursor no longer fit.
//! Line breaks show as `⏎`, what would hide or drive the terminal as its printable escape
//! (`printable`); a masked field shows one `•` per character and nothing else.

use std::borrow::Cow;

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;
use unicode_width::UnicodeWidthChar;

use crate::printable::escaped;
use crate::tui::app::text_field::TextField;

/// Shown after the last character when the cursor is there.
const END: char = '▏';

/// The spans drawing `field` in `width` cells, in `style`; with `mask`, the characters are
/// hidden.
pub fn field_spans(
    field: &TextField,
    width: usize,
    mask: bool,
    style: Style,
) -> Vec<Span<'static>> {
    if width == 0 {
        return Vec::new();
    }
    // What a character shows as: itself, `⏎` for a line break, a printable escape for what
    // would hide or drive the terminal (`printable`), `•` for each when masked.
    let shown = |c: char| -> Cow<'static, str> {
        match c {
            _ if mask => Cow::Borrowed("•"),
            '\n' => Cow::Borrowed("⏎"),
            c => escaped(c).map_or_else(|| Cow::Owned(c.to_string()), Cow::Owned),
        }
    };
    let cells = |c: char| match c {
        _ if mask => 1,
        '\n' => 1,
        c => escaped(c).map_or_else(|| c.width().unwrap_or(0), |escape| escape.len()),
    };
    let (before, at_cursor) = field.text().split_at(field.cursor());
    let mut after = at_cursor.chars();
    let under = after.next();
    let cursor_cells = under.map_or(1, cells).max(1);
    let mut room = width.saturating_sub(cursor_cells);
    let mut head: Vec<Cow<'static, str>> = Vec::new();
    if fits_in(before.chars().map(cells), room) {
        // Everything up to the cursor fits: no scrolling.
        head.extend(before.chars().map(shown));
        room -= before.chars().map(cells).sum::<usize>();
    } else {
        // Scrolled: the end of the text when the cursor is within it, else the cursor at
        // the right edge.
        let rest = after.clone().map(cells);
        let mut head_room = room;
        if fits_in(rest.clone(), room) {
            head_room -= rest.sum::<usize>();
        }
        for c in before.chars().rev() {
            match head_room.checked_sub(cells(c)) {
                Some(left) => {
                    head_room = left;
                    room -= cells(c);
                    head.push(shown(c));
                }
                None => break,
            }
        }
        head.reverse();
    }
    let mut tail = String::new();
    for c in after {
        match room.checked_sub(cells(c)) {
            Some(left) => {
                room = left;
                tail.push_str(&shown(c));
            }
            None => break,
        }
    }
    let cursor = match under {
        Some(c) => Span::styled(shown(c), style.add_modifier(Modifier::REVERSED)),
        None => Span::styled(END.to_string(), style),
    };
    vec![
        Span::styled(head.concat(), style),
        cursor,
        Span::styled(tail, style),
    ]
}

/// Whether cells of these widths fit in `room`, looking no further than `room` allows (a
/// pasted list can be megabytes; only what fits on screen is read).
fn fits_in(widths: impl Iterator<Item = usize>, room: usize) -> bool {
    let mut used = 0;
    for w in widths {
        used += w;
        if used > room {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::app::text_field::{Accepts, Edit};

    fn drawn(field: &TextField, width: usize, mask: bool) -> String {
        field_spans(field, width, mask, Style::new())
            .iter()
            .map(|span| span.content.as_ref())
            .collect()
    }

    fn field(text: &str) -> TextField {
        let mut field = TextField::new(Accepts::Lines);
        field.paste(text);
        field
    }

    #[test]
    fn scrolls_only_once_the_field_is_full() {
        let mut f = field("abcdefgh");
        assert_eq!(drawn(&f, 10, false), "abcdefgh▏");
        assert_eq!(
            drawn(&f, 9, false),
            "abcdefgh▏",
            "the cursor takes the last cell"
        );
        assert_eq!(drawn(&f, 8, false), "bcdefgh▏");
        f.edit(Edit::Start);
        assert_eq!(
            drawn(&f, 5, false),
            "abcde",
            "from the start, the cursor on a"
        );
        f.edit(Edit::End);
        f.edit(Edit::Left);
        f.edit(Edit::Left);
        assert_eq!(
            drawn(&f, 5, false),
            "defgh",
            "the cursor on g, h still shown"
        );
    }

    #[test]
    fn line_breaks_show_as_a_symbol_and_a_mask_hides_everything() {
        let f = field("a\r\nb");
        assert_eq!(drawn(&f, 10, false), "a⏎b▏");
        let mut key = TextField::new(Accepts::Line);
        key.paste("sk-secret");
        let masked = drawn(&key, 20, true);
        assert_eq!(masked, "•••••••••▏");
        assert_eq!(drawn(&key, 5, true), "••••▏");
    }

    #[test]
    fn pasted_bidi_and_zero_width_characters_show_as_escapes_in_their_cells() {
        let f = field("ab\u{202e}c\u{200b}");
        assert_eq!(drawn(&f, 30, false), "ab\\u{202e}c\\u{200b}▏");
        assert_eq!(
            drawn(&f, 12, false),
            "c\\u{200b}▏",
            "scrolled by whole escapes"
        );
    }

    #[test]
    fn wide_characters_take_their_two_cells() {
        let f = field("日本語");
        assert_eq!(drawn(&f, 7, false), "日本語▏");
        assert_eq!(drawn(&f, 6, false), "本語▏");
    }
}
