//! The entries of a saved page of the API's listing, as import reads them: each entry of a
//! page's `videos` list is kept as its text while the JSON reader passes over it, then read
//! as a live page's entries are (`ListedVideo`), but strictly: an entry the API could not
//! have listed (no video ID, a field of the wrong kind) refuses the whole input, naming its
//! page, its place in the list and its line. Memory is one entry at a time.

use serde_json::Value;

use super::SyntaxError;
use crate::api::{Dropped, ListedVideo};

/// The most text one entry may hold: far above any video the API lists (its prompt and a
/// download URL), so an entry larger than this is no video of the listing.
pub const MAX_ENTRY: usize = 1 << 20;

/// Where an entry is: its page (from 1, in the input), its index in that page's `videos`
/// (from 0, as `videos[N]` names it) and the line it begins on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    pub page: usize,
    pub index: usize,
    pub line: usize,
}

impl Place {
    /// `page 2, videos[3]`, and the field when there is one.
    fn named(self, field: &str) -> String {
        let Self { page, index, .. } = self;
        match field {
            "" => format!("page {page}, videos[{index}]"),
            field => format!("page {page}, videos[{index}].{field}"),
        }
    }

    /// The input is refused here: `message` says why.
    fn refused(self, message: String) -> SyntaxError {
        SyntaxError {
            line: self.line,
            column: 0,
            message,
            in_listing: true,
        }
    }

    /// An entry that is not an object (loose text, a number, a list): `found` says what.
    pub fn not_a_video(self, found: &str) -> SyntaxError {
        self.refused(format!(
            "{} is {found}, not a video (an object): a saved listing is imported whole or not at all",
            self.named("")
        ))
    }
}

/// One entry (an object) being read: its text so far.
#[derive(Debug)]
pub struct Entry {
    pub place: Place,
    text: Vec<u8>,
    too_large: bool,
}

impl Entry {
    /// An entry whose `{` was just read.
    pub fn opened(place: Place) -> Self {
        Self {
            place,
            text: vec![b'{'],
            too_large: false,
        }
    }

    /// More of its text, as read.
    pub fn push(&mut self, text: &[u8]) {
        if self.text.len() + text.len() > MAX_ENTRY {
            self.too_large = true;
            self.text = Vec::new();
        }
        if !self.too_large {
            self.text.extend_from_slice(text);
        }
    }

    /// Its closing `}` has been read: the video it lists, or why the input is refused.
    pub fn close(self) -> Result<ListedVideo, SyntaxError> {
        let place = self.place;
        if self.too_large {
            return Err(place.refused(format!(
                "{} holds more than {} MiB of text: no video of the listing is that large",
                place.named(""),
                MAX_ENTRY >> 20
            )));
        }
        let value: Value = serde_json::from_slice(&self.text)
            .map_err(|err| place.refused(format!("{} is not JSON: {err}", place.named(""))))?;
        ListedVideo::from_saved(&value).map_err(|dropped| refused_field(place, &dropped))
    }
}

fn refused_field(place: Place, dropped: &Dropped) -> SyntaxError {
    place.refused(format!(
        "{} is {}, not {}: a saved listing is imported whole or not at all",
        place.named(&dropped.at),
        dropped.found,
        dropped.wanted
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLACE: Place = Place {
        page: 2,
        index: 3,
        line: 57,
    };

    fn entry(text: &str) -> Result<ListedVideo, SyntaxError> {
        let mut entry = Entry::opened(PLACE);
        for piece in text.as_bytes()[1..].chunks(3) {
            entry.push(piece);
        }
        entry.close()
    }

    #[test]
    fn an_entry_is_read_as_the_listing_reads_it() {
        let video = entry(
            r#"{"video_id":"550e8400-e29b-41d4-a716-446655440000","file_size":12,"status":"failed"}"#,
        )
        .unwrap();
        assert_eq!(video.file_size, Some(12));
    }

    #[test]
    fn an_odd_field_refuses_with_its_page_index_and_line() {
        let err = entry(r#"{"video_id":"550e8400-e29b-41d4-a716-446655440000","file_size":-5}"#)
            .unwrap_err();
        assert_eq!((err.line, err.column), (57, 0));
        assert!(
            err.message
                .starts_with("page 2, videos[3].file_size is the number -5, not a whole number"),
            "{err}"
        );
        let err = entry(r#"{"video_id":"v-1"}"#).unwrap_err();
        assert!(
            err.message
                .starts_with("page 2, videos[3].video_id is the text"),
            "{err}"
        );
    }

    #[test]
    fn an_entry_larger_than_any_video_is_refused_not_held() {
        let mut entry = Entry::opened(PLACE);
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..(MAX_ENTRY / chunk.len() + 2) {
            entry.push(&chunk);
        }
        assert!(entry.text.capacity() <= MAX_ENTRY);
        let err = entry.close().unwrap_err();
        assert!(err.message.contains("more than 1 MiB"), "{err}");
    }
}
