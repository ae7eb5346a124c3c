//! Import: finds the video IDs in arbitrary text and reports the lines that had none. Any
//! text yields every video ID (a hyphenated UUID, any case, bare, in braces or after
//! `urn:uuid:`) anywhere on any line (lists, logs, exports). Text that starts as a table with a
//! header row (CSV, TSV), as JSON Lines or as a JSON array of objects is read as one video per
//! row or object instead, with its title and creation time when named (`record`); an object
//! that is a page of the API's listing gives one video per entry of its `videos`. The input
//! is read in chunks (`scan_reader`), so memory grows with what is kept, never with the input
//! or a line's length; UTF-8 (with or without a BOM) and UTF-16 (spreadsheet "Unicode text"
//! exports) are read as such (`encoding`), and bytes that are not valid text are only noise
//! between IDs. It reads bytes only; adding to the known list is the caller's (`Store::add`).
//! What it keeps grows with the IDs found: each once (an index of their positions, not a set
//! of copies), and their titles and creation times in one buffer (`store::Details`).

mod delimited;
mod encoding;
mod form;
mod json;
mod listing;
mod record;
mod scanner;

use std::io::{self, Read};

use uuid::Uuid;

use crate::api::{ListedVideo, VideoId};
use crate::store::{AddBatch, Details, IdIndex, IdSet, LateDetails, VideoDetails};
use encoding::Decoder;
use form::Reader;
use record::clean_title;

pub use form::Form;
pub use record::{MAX_TITLE, parse_created_at};

/// How many lines without an ID (or with a field that could not be read) are listed by
/// number; the rest are only counted.
pub const LISTED_BAD_LINES: usize = 10;

/// What a scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportScan {
    /// How the text was read.
    pub form: Form,
    /// Every distinct ID, in the order first seen.
    pub ids: Vec<VideoId>,
    /// Titles and creation times, by position in `ids` (a structured input's; empty for any
    /// other text).
    pub details: Details,
    /// IDs seen again after their first appearance in the same input.
    pub repeated: usize,
    /// Pages of the API's listing read (JSON objects holding a `videos` list).
    pub listing_pages: usize,
    /// The videos those pages list, every field as a sync reads it, once each (the first
    /// entry of a video listed twice), in the order first listed. Their IDs, titles and
    /// creation times are in `ids` and `details` too.
    pub listed: Vec<ListedVideo>,
    /// Line numbers (from 1) of the first `LISTED_BAD_LINES` lines (or rows, or objects)
    /// that had text but no ID.
    pub bad_lines: Vec<usize>,
    /// All lines that had text but no ID.
    pub bad_line_count: usize,
    /// The first `LISTED_BAD_LINES` fields that could not be read (a creation time that is
    /// not one), by line: the video is kept without it.
    pub bad_fields: Vec<(usize, String)>,
    pub bad_field_count: usize,
}

/// Text that began as JSON (or a table) and stopped being it: nothing of it is taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The text is a listing of the API's with an entry the API could not have listed: read
    /// as plain text it would yield IDs the listing does not name (a `request_id`, an ID
    /// from the broken entry), so it is never read that way.
    pub in_listing: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] io::Error),
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
}

/// Scans text already in memory (a paste). Text that starts like JSON or a table but is not
/// one is read as any other text: every ID on every line; a saved listing with an entry the
/// API could not have listed is refused whole (`SyntaxError::in_listing`).
pub fn scan(input: &[u8]) -> Result<ImportScan, SyntaxError> {
    let mut scanner = TextScanner::sized_for(input.len());
    scanner.feed(input);
    match scanner.finish() {
        Err(err) if err.in_listing => Err(err),
        Err(_) => {
            let mut plain = TextScanner::plain(input.len());
            plain.feed(input);
            Ok(plain.finish().unwrap_or_default())
        }
        Ok(scan) => Ok(scan),
    }
}

/// How much of the input is read at a time.
const CHUNK: usize = 64 * 1024;

/// Scans what `input` yields until its end, a chunk at a time. `size`, when known (a file's
/// length), sizes what the scan keeps up front instead of growing it as IDs are found.
pub fn scan_reader(input: impl Read, size: Option<u64>) -> Result<ImportScan, ImportError> {
    let found = read_to_end(input, size, |_| true)?;
    Ok(found.finish())
}

/// Scans like `scan_reader`, and hands what it finds to `send` as it goes, in batches of
/// about `batch` IDs (and the last at the end), so they can be written while the rest is
/// read. A syntax or read error stops it with the error; what was sent before is the
/// receiver's to drop. `send` returning false (the receiver gave up) stops it too, with
/// what it had found so far.
pub fn scan_reader_in_batches(
    input: impl Read,
    size: Option<u64>,
    batch: usize,
    mut send: impl FnMut(AddBatch) -> bool,
) -> Result<ImportScan, ImportError> {
    let mut sending = true;
    let mut found = read_to_end(input, size, |found| {
        if found.unsent() >= batch {
            sending = send(found.take_batch());
        }
        sending
    })?;
    if sending && found.unsent() > 0 {
        send(found.take_batch());
    }
    Ok(found.finish())
}

/// Reads `input` to its end (or until `between`, called after each chunk, returns false)
/// into what the scan found.
fn read_to_end(
    mut input: impl Read,
    size: Option<u64>,
    mut between: impl FnMut(&mut Found) -> bool,
) -> Result<Found, ImportError> {
    let size = size.map_or(0, |size| usize::try_from(size).unwrap_or(usize::MAX));
    let mut scanner = TextScanner::sized_for(size);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        match input.read(&mut chunk) {
            Ok(0) => return Ok(scanner.finish_found()?),
            Ok(n) => scanner.feed(&chunk[..n]),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err.into()),
        }
        if let Some(err) = scanner.error.take() {
            return Err(err.into());
        }
        if !between(&mut scanner.found) {
            return Ok(scanner.found);
        }
    }
}

/// Text fed in pieces of any size: decoded (`encoding`), its form decided from its start
/// (`form`), then read in that form.
struct TextScanner {
    decoder: Decoder,
    reader: Reader,
    found: Found,
    /// The first syntax error: what follows it is not read.
    error: Option<SyntaxError>,
}

impl TextScanner {
    /// `input_len`, when known, sizes the table of IDs seen (typical lines are 40 to 80
    /// bytes, most with one ID); 0 lets it grow.
    fn sized_for(input_len: usize) -> Self {
        Self {
            decoder: Decoder::default(),
            reader: Reader::default(),
            found: Found::with_capacity(input_len / 64),
            error: None,
        }
    }

    /// Reads any input as plain text.
    fn plain(input_len: usize) -> Self {
        Self {
            reader: Reader::plain(),
            ..Self::sized_for(input_len)
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        if self.error.is_some() {
            return;
        }
        let Self {
            decoder,
            reader,
            found,
            error,
        } = self;
        decoder.decode(bytes, &mut until_error(reader, found, error));
    }

    fn finish(self) -> Result<ImportScan, SyntaxError> {
        Ok(self.finish_found()?.finish())
    }

    fn finish_found(mut self) -> Result<Found, SyntaxError> {
        let Self {
            decoder,
            reader,
            found,
            error,
        } = &mut self;
        decoder.finish(&mut until_error(reader, found, error));
        if let Some(err) = self.error {
            return Err(err);
        }
        self.reader.finish(&mut self.found)?;
        self.found.scan.form = self.reader.form();
        Ok(self.found)
    }
}

/// The decoded text's sink: `reader` reads it into `found` until its first syntax error,
/// kept in `error`.
fn until_error<'a>(
    reader: &'a mut Reader,
    found: &'a mut Found,
    error: &'a mut Option<SyntaxError>,
) -> impl FnMut(&[u8]) + 'a {
    move |text| {
        if error.is_none()
            && let Err(err) = reader.feed(text, found)
        {
            *error = Some(err);
        }
    }
}

/// What the readers have found so far: IDs once each, in order, with the details of each,
/// and the lines to report.
#[derive(Debug, Default)]
pub struct Found {
    scan: ImportScan,
    /// Where each ID of `scan.ids` is.
    seen: IdIndex,
    /// The IDs of `scan.listed`.
    listed_ids: IdSet,
    /// How many of `scan.ids` were handed on in batches (`take_batch`).
    sent: usize,
    /// Details given since to IDs that were handed on.
    late: Vec<LateDetails>,
}

impl Found {
    fn with_capacity(ids: usize) -> Self {
        Self {
            scan: ImportScan {
                ids: Vec::with_capacity(ids),
                ..ImportScan::default()
            },
            seen: IdIndex::with_capacity(ids),
            ..Self::default()
        }
    }

    /// How much `take_batch` would hand on.
    fn unsent(&self) -> usize {
        self.scan.ids.len() - self.sent + self.late.len()
    }

    /// The IDs found since the last batch, with their details, and the details given since
    /// to IDs of earlier batches (a copy: the scan keeps them all).
    fn take_batch(&mut self) -> AddBatch {
        let batch = AddBatch {
            ids: self.scan.ids[self.sent..].to_vec(),
            details: self.scan.details.copy_from(self.sent),
            late: std::mem::take(&mut self.late),
        };
        self.sent = self.scan.ids.len();
        batch
    }

    /// An ID found in plain text; where it is in `ids`.
    fn take_id(&mut self, uuid: Uuid) -> usize {
        let ids = &mut self.scan.ids;
        ids.push(VideoId::from_uuid(uuid));
        let at = ids.len() - 1;
        let Some(first) = self.seen.first_or_insert(&ids[..], at as u32) else {
            return at;
        };
        ids.pop();
        self.scan.repeated += 1;
        first as usize
    }

    /// A video of a structured input; details given for a repeated ID fill what its first
    /// mention lacked.
    fn take(&mut self, uuid: Uuid, details: VideoDetails) {
        let at = self.take_id(uuid);
        if self.scan.details.fill(at, &details) && at < self.sent {
            self.late.push(LateDetails {
                at,
                id: self.scan.ids[at],
                details,
            });
        }
    }

    /// An entry of a page of the API's listing.
    fn take_listed(&mut self, video: ListedVideo) {
        let title = video
            .prompt
            .as_deref()
            .and_then(|prompt| clean_title(prompt.as_bytes()));
        self.take(
            *video.id.as_uuid(),
            VideoDetails::titled(title, video.created_at),
        );
        if self.listed_ids.insert(video.id) {
            self.scan.listed.push(video);
        }
    }

    /// A page of the API's listing begins.
    fn listing_page(&mut self) {
        self.scan.listing_pages += 1;
    }

    /// `line` (from 1) had text but no ID.
    fn bad_line(&mut self, line: usize) {
        self.scan.bad_line_count += 1;
        if self.scan.bad_lines.len() < LISTED_BAD_LINES {
            self.scan.bad_lines.push(line);
        }
    }

    /// A field on `line` could not be read, for `why`.
    fn bad_field(&mut self, line: usize, why: String) {
        self.scan.bad_field_count += 1;
        if self.scan.bad_fields.len() < LISTED_BAD_LINES {
            self.scan.bad_fields.push((line, why));
        }
    }

    fn finish(self) -> ImportScan {
        self.scan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A receiver that gives up (the writer stopped) stops the scan at its next batch: what
    /// was found so far comes back, and the rest of the input is never read.
    #[test]
    fn a_receiver_that_gives_up_stops_the_scan_with_what_it_found() {
        const IDS: usize = 3 * 8192;
        let text: String = (1..=IDS as u128)
            .map(|n| format!("{}\n", Uuid::from_u128(n)))
            .collect();
        let mut sent = 0;
        let found = scan_reader_in_batches(text.as_bytes(), None, 1000, |batch| {
            sent += batch.ids.len();
            false
        })
        .unwrap();
        assert!(sent >= 1000, "one batch went: {sent}");
        assert_eq!(found.ids.len(), sent, "nothing found after it");
        assert!(found.ids.len() < IDS, "{}", found.ids.len());
        let whole = scan_reader_in_batches(text.as_bytes(), None, 1000, |_| true).unwrap();
        assert_eq!(whole.ids.len(), IDS);
    }
}
