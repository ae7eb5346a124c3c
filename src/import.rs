//! Import: finds every video ID (a hyphenated UUID, any case, bare, in braces or after
//! `urn:uuid:`) anywhere in arbitrary text (lists, CSV, JSON, logs), dedupes, and reports the
//! lines that had none. A hand-written byte scanner: a million lines take well under a second.
//! It reads bytes only; adding to the known list is the caller's (`KnownVideos::add`).

use uuid::Uuid;

use crate::api::VideoId;
use crate::store::IdSet;

/// How many lines without an ID are listed by number; the rest are only counted.
pub const LISTED_BAD_LINES: usize = 10;

/// What a scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportScan {
    /// Every distinct ID, in the order first seen.
    pub ids: Vec<VideoId>,
    /// IDs seen again after their first appearance in the same input.
    pub repeated: usize,
    /// Line numbers (from 1) of the first `LISTED_BAD_LINES` lines that had text but no ID.
    pub bad_lines: Vec<usize>,
    /// All lines that had text but no ID.
    pub bad_line_count: usize,
}

/// Scans `input`. Lines are split on `\n` (a trailing `\r` is ignored). A line counts as
/// empty, not bad, when it holds only whitespace and JSON punctuation (`[`, `]`, `{`, `}`,
/// `,`, `"`), so a pretty-printed JSON array reports nothing. The 32-digit form without
/// hyphens is not accepted: in logs it is far more often a hash or a trace id.
pub fn scan(input: &[u8]) -> ImportScan {
    let mut scan = ImportScan::default();
    // Typical lines are 40 to 80 bytes, most with one ID.
    let mut seen = IdSet::with_capacity_and_hasher(input.len() / 64, Default::default());
    for (index, line) in input.split(|&b| b == b'\n').enumerate() {
        let mut found = false;
        for_each_uuid(line, |uuid| {
            found = true;
            let id = VideoId::from_uuid(uuid);
            if seen.insert(id) {
                scan.ids.push(id);
            } else {
                scan.repeated += 1;
            }
        });
        if !found && !is_blank(line) {
            scan.bad_line_count += 1;
            if scan.bad_lines.len() < LISTED_BAD_LINES {
                scan.bad_lines.push(index + 1);
            }
        }
    }
    scan
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

/// Calls `found` for each UUID in `line`. A match must not touch another hex digit on either
/// side, so the middle of a longer hex run is never taken for an ID (a hyphen may touch it:
/// `video-<id>-final.mp4`). Finds
/// candidates from the first hyphen (which most bytes are not), then checks the rest.
fn for_each_uuid(line: &[u8], mut found: impl FnMut(Uuid)) {
    let mut from = HYPHENS[0];
    while from < line.len() {
        let Some(offset) = line[from..].iter().position(|&b| b == b'-') else {
            return;
        };
        let hyphen = from + offset;
        let start = hyphen - HYPHENS[0];
        match parse_at(line, start) {
            Some(uuid) => {
                found(uuid);
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
