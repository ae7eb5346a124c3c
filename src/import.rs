//! Import: finds every video ID (a hyphenated UUID, any case, bare, in braces or after
//! `urn:uuid:`) anywhere in arbitrary text (lists, CSV, JSON, logs), dedupes, and reports the
//! lines that had none. The text is read in chunks (`scan_reader`), so memory grows with the
//! IDs found, never with the input or a line's length; UTF-8 (with or without a BOM) and
//! UTF-16 (spreadsheet "Unicode text" exports) are read as such (`encoding`), and bytes that
//! are not valid text are only noise between IDs. It reads bytes only; adding to the known
//! list is the caller's (`KnownVideos::add`).

mod encoding;
mod scanner;

use std::io::{self, Read};

use crate::api::VideoId;
use encoding::Decoder;
use scanner::Scanner;

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

/// Scans all of `input` (see `TextScanner` for what counts as an ID, a line and a bad line).
pub fn scan(input: &[u8]) -> ImportScan {
    let mut scanner = TextScanner::sized_for(input.len());
    scanner.feed(input);
    scanner.finish()
}

/// How much of the input is read at a time.
const CHUNK: usize = 64 * 1024;

/// Scans what `input` yields until its end, a chunk at a time.
pub fn scan_reader(mut input: impl Read) -> io::Result<ImportScan> {
    let mut scanner = TextScanner::sized_for(0);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        match input.read(&mut chunk) {
            Ok(0) => return Ok(scanner.finish()),
            Ok(n) => scanner.feed(&chunk[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}

/// Text fed in pieces of any size. Lines are split on `\n` (a trailing `\r` is ignored). A
/// line counts as empty, not bad, when it holds only whitespace and JSON punctuation (`[`,
/// `]`, `{`, `}`, `,`, `"`), so a pretty-printed JSON array reports nothing. The 32-digit
/// form without hyphens is not accepted: in logs it is far more often a hash or a trace id.
struct TextScanner {
    decoder: Decoder,
    scanner: Scanner,
}

impl TextScanner {
    /// `input_len`, when known, sizes the table of IDs seen (typical lines are 40 to 80
    /// bytes, most with one ID); 0 lets it grow.
    fn sized_for(input_len: usize) -> Self {
        Self {
            decoder: Decoder::default(),
            scanner: Scanner::with_capacity(input_len / 64),
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        let scanner = &mut self.scanner;
        self.decoder.decode(bytes, &mut |text| scanner.feed(text));
    }

    fn finish(mut self) -> ImportScan {
        let scanner = &mut self.scanner;
        self.decoder.finish(&mut |text| scanner.feed(text));
        self.scanner.finish()
    }
}
