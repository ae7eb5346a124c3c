//! The ID scanner: a hand-written byte matcher fed text in pieces of any size. Memory holds
//! the IDs found and at most one window of the current line (a line longer than that is
//! scanned a window at a time, each overlapping the last by an ID's length), so a line of
//! gigabytes costs no more than a short one. A million lines take well under a second.

use uuid::Uuid;

use super::Found;

/// The most of one line held at once.
const WINDOW: usize = 64 * 1024;
/// What a window keeps of the last: an ID that straddles the two, and the byte before it.
const OVERLAP: usize = UUID_LEN + 1;

#[derive(Debug, Default)]
pub struct Scanner {
    /// The current line's index (from 0).
    line: usize,
    /// The current line's bytes not scanned yet, after the last window's overlap; empty at
    /// the start of a line, never longer than `WINDOW`.
    carry: Vec<u8>,
    /// Matches in `carry` starting before this were taken in the window before.
    taken_before: usize,
    found_in_line: bool,
    text_in_line: bool,
}

impl Scanner {
    pub fn feed(&mut self, text: &[u8], found: &mut Found) {
        let mut rest = text;
        if !self.carry.is_empty() {
            // The line begun in an earlier piece ends in this one, or goes on past it.
            let Some(end) = rest.iter().position(|&b| b == b'\n') else {
                self.push(rest, found);
                return;
            };
            self.push(&rest[..end], found);
            self.scan_carry(true, found);
            self.end_line(found);
            rest = &rest[end + 1..];
        }
        let mut lines = rest.split(|&b| b == b'\n');
        // `split` always yields at least one piece: the unfinished line (often empty).
        let unfinished = lines.next_back().unwrap_or_default();
        for line in lines {
            self.whole_line(line, found);
        }
        self.push(unfinished, found);
    }

    /// A line that lies whole in one piece: scanned where it lies, not copied.
    fn whole_line(&mut self, line: &[u8], found: &mut Found) {
        let mut any = false;
        for_each_uuid(line, |_, uuid| {
            any = true;
            _ = found.take_id(uuid);
        });
        // Only a line without an ID needs telling apart from an empty one.
        self.text_in_line = !any && !is_blank(line);
        self.end_line(found);
    }

    pub fn finish(&mut self, found: &mut Found) {
        self.scan_carry(true, found);
        self.end_line(found);
    }

    /// Adds the next bytes of the current line, scanning each window that fills.
    fn push(&mut self, mut bytes: &[u8], found: &mut Found) {
        if bytes.is_empty() {
            return;
        }
        self.text_in_line |= !is_blank(bytes);
        // One window, allocated once and reused by every line after.
        self.carry.reserve_exact(WINDOW - self.carry.len());
        while !bytes.is_empty() {
            let take = (WINDOW - self.carry.len()).min(bytes.len());
            self.carry.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.carry.len() == WINDOW {
                self.scan_carry(false, found);
            }
        }
    }

    /// Scans what is held of the line; unless the line ends here, keeps its last `OVERLAP`
    /// bytes for the next window.
    fn scan_carry(&mut self, line_ends: bool, found: &mut Found) {
        let carry = std::mem::take(&mut self.carry);
        self.scan_window(&carry, self.taken_before, line_ends, found);
        self.carry = carry;
        if line_ends {
            self.carry.clear();
            self.taken_before = 0;
        } else {
            let keep = self.carry.len() - OVERLAP;
            self.carry.drain(..keep);
            // The match at 0 (if any) ended inside the window just scanned: it was taken.
            self.taken_before = 1;
        }
    }

    /// Takes the IDs in `window` that start at `taken_before` or later. Unless the line ends
    /// with the window, an ID touching its end is left for the next one, which sees the byte
    /// after it.
    fn scan_window(
        &mut self,
        window: &[u8],
        taken_before: usize,
        line_ends: bool,
        found: &mut Found,
    ) {
        let found_in_line = &mut self.found_in_line;
        for_each_uuid(window, |start, uuid| {
            if start < taken_before || (!line_ends && start + UUID_LEN == window.len()) {
                return;
            }
            *found_in_line = true;
            _ = found.take_id(uuid);
        });
    }

    fn end_line(&mut self, found: &mut Found) {
        if self.text_in_line && !self.found_in_line {
            found.bad_line(self.line + 1);
        }
        self.line += 1;
        self.found_in_line = false;
        self.text_in_line = false;
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| b.is_ascii_whitespace() || b"[]{},\"".contains(b))
}

/// Value of each hex digit, or `NOT_HEX`.
const NOT_HEX: u8 = 0xff;
const HEX: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Hyphen positions within the 36-byte form `8-4-4-4-12`.
const HYPHENS: [usize; 4] = [8, 13, 18, 23];
const UUID_LEN: usize = 36;

/// Calls `found` with the start of each UUID in `line`. A match must not touch another hex
/// digit on either side, so the middle of a longer hex run is never taken for an ID (a
/// hyphen may touch it: `video-<id>-final.mp4`); two matches can therefore never overlap.
/// Finds candidates from the first hyphen (which most bytes are not), then checks the rest.
pub fn for_each_uuid(line: &[u8], mut found: impl FnMut(usize, Uuid)) {
    let mut from = HYPHENS[0];
    while from < line.len() {
        let Some(offset) = line[from..].iter().position(|&b| b == b'-') else {
            return;
        };
        let hyphen = from + offset;
        let start = hyphen - HYPHENS[0];
        match parse_at(line, start) {
            Some(uuid) => {
                found(start, uuid);
                from = start + UUID_LEN + HYPHENS[0];
            }
            None => from = hyphen + 1,
        }
    }
}

/// The UUID whose 36-byte text starts at `start`, if one does there with clean edges.
fn parse_at(line: &[u8], start: usize) -> Option<Uuid> {
    let text = line.get(start..start + UUID_LEN)?;
    let edge_ok = |b: Option<&u8>| b.is_none_or(|&b| HEX[b as usize] == NOT_HEX);
    if (start > 0 && !edge_ok(line.get(start - 1))) || !edge_ok(line.get(start + UUID_LEN)) {
        return None;
    }
    let mut value: u128 = 0;
    for (i, &b) in text.iter().enumerate() {
        if HYPHENS.contains(&i) {
            if b != b'-' {
                return None;
            }
            continue;
        }
        let digit = HEX[b as usize];
        if digit == NOT_HEX {
            return None;
        }
        value = value << 4 | u128::from(digit);
    }
    Some(Uuid::from_u128(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::ImportScan;

    const A: &str = "550e8400-e29b-41d4-a716-446655440000";

    fn fed_in_pieces(text: &[u8], piece: usize) -> ImportScan {
        let mut scanner = Scanner::default();
        let mut found = Found::default();
        for chunk in text.chunks(piece) {
            scanner.feed(chunk, &mut found);
        }
        scanner.finish(&mut found);
        found.finish()
    }

    #[test]
    fn an_id_across_every_window_edge_is_found_once_and_its_edges_checked() {
        // IDs placed so one straddles, ends at, or starts at a window edge; the input cut
        // into pieces of every awkward size.
        for shift in [0, 1, 2, 35, 36, 37, 38] {
            let mut line = vec![b'.'; WINDOW - shift];
            line.extend_from_slice(A.as_bytes());
            line.extend_from_slice(b" x ");
            line.extend_from_slice(&vec![b'.'; WINDOW]);
            line.extend_from_slice(A.as_bytes());
            line.push(b'0'); // touches a hex digit: not an ID
            line.extend_from_slice(b"\nnothing\n");
            for piece in [1, 7, 4096, WINDOW - 1, WINDOW, line.len()] {
                let found = fed_in_pieces(&line, piece);
                assert_eq!(found.ids.len(), 1, "shift {shift}, piece {piece}");
                assert_eq!(found.repeated, 0, "shift {shift}, piece {piece}");
                assert_eq!(found.bad_lines, [2], "shift {shift}, piece {piece}");
            }
        }
    }

    #[test]
    fn a_hex_digit_just_past_a_window_edge_still_rejects_the_id() {
        let mut line = vec![b' '; WINDOW - UUID_LEN];
        line.extend_from_slice(A.as_bytes());
        line.extend_from_slice(b"f\n");
        let found = fed_in_pieces(&line, 1000);
        assert!(found.ids.is_empty());
        assert_eq!(found.bad_lines, [1]);
    }

    #[test]
    fn a_line_longer_than_a_window_is_held_a_window_at_a_time() {
        let mut scanner = Scanner::default();
        let mut found = Found::default();
        for _ in 0..100 {
            scanner.feed(&[b'z'; WINDOW / 3], &mut found);
            assert!(scanner.carry.len() < WINDOW);
            assert!(scanner.carry.capacity() <= WINDOW);
        }
        scanner.feed(b"\n", &mut found);
        scanner.finish(&mut found);
        assert_eq!(found.finish().bad_lines, [1]);
    }
}
