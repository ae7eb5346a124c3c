//! Case-insensitive text tests that run over every row on each filter keystroke: substring in
//! a label or title, and fragments of a video ID. Allocation-free on the ASCII path; no
//! knowledge of rows or queries.

use crate::api::VideoId;

/// A fragment of a lower-case hyphenated ID (`550e84`, `a716-4466`): only hex digits and
/// hyphens, at most 36 of them. Anything else can never be part of an ID, so no ID is
/// formatted to test it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct IdFragment(Box<[u8]>);

impl IdFragment {
    /// `text` lower-cased, if it can be part of an ID.
    pub(super) fn new(text: &str) -> Option<Self> {
        let text = text.to_ascii_lowercase();
        let id_like = !text.is_empty()
            && text.len() <= uuid::fmt::Hyphenated::LENGTH
            && text
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'-'));
        id_like.then(|| Self(text.into_bytes().into_boxed_slice()))
    }

    /// Anywhere in the hyphenated ID.
    pub(super) fn found_in(&self, id: &VideoId) -> bool {
        let id = id.as_uuid();
        if let [digit] = *self.0
            && let Some(nibble) = hex_value(digit)
        {
            // A one-digit fragment (the first keystroke) scans every row: test the 32
            // nibbles, unformatted.
            return id.as_bytes().iter().fold(false, |any, b| {
                any | (b >> 4 == nibble) | (b & 0xf == nibble)
            });
        }
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        id.hyphenated().encode_lower(&mut buf);
        contains_ascii_ci(&buf, &self.0)
    }

    /// Whether every ID this prefix starts is one `shorter` starts (hyphens ignored).
    pub(super) fn extends(&self, shorter: &IdFragment) -> bool {
        let digits = |fragment: &IdFragment| {
            fragment
                .0
                .iter()
                .copied()
                .filter(|&b| b != b'-')
                .collect::<Vec<u8>>()
        };
        digits(self).starts_with(&digits(shorter))
    }

    /// At the start of the ID, hyphens ignored on both sides (`id:550e8400e29b` and
    /// `id:550e8400-e29b` are the same prefix).
    pub(super) fn starts(&self, id: &VideoId) -> bool {
        let mut buf = [0u8; uuid::fmt::Simple::LENGTH];
        let simple = id.as_uuid().simple().encode_lower(&mut buf).as_bytes();
        let mut digits = self.0.iter().filter(|&&b| b != b'-');
        simple
            .iter()
            .zip(digits.by_ref())
            .all(|(have, want)| have == want)
            && digits.next().is_none()
    }
}

/// A lower-case hex digit's value.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

/// `hay` contains the lower-case `needle`, ignoring ASCII case in `hay`. Finds candidates by
/// the first byte with one OR and one compare per byte (exact: only a letter's two cases OR
/// to its lower case), then checks the rest; no library search, whose set-up costs more than
/// scanning a label or an ID.
fn contains_ascii_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    let fold = if first.is_ascii_lowercase() { 0x20 } else { 0 };
    // Most rows hold no candidate at all: test that without an early exit and with a byte
    // accumulator, which the compiler turns into a vector loop.
    let starts = &hay[..=last_start];
    if starts
        .iter()
        .fold(0u8, |any, &b| any | u8::from(b | fold == first))
        == 0
    {
        return false;
    }
    rest.is_empty()
        || starts.iter().enumerate().any(|(i, &b)| {
            b | fold == first
                && hay[i + 1..i + needle.len()]
                    .iter()
                    .zip(rest)
                    .all(|(h, n)| h.to_ascii_lowercase() == *n)
        })
}

/// `hay` contains `needle` (already lower-case), ignoring case: the ASCII scan above, with a
/// Unicode fallback for text that is not ASCII.
pub(super) fn contains_ci(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() {
        contains_ascii_ci(hay.as_bytes(), needle.as_bytes())
    } else {
        hay.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> VideoId {
        "550e8400-e29b-41d4-a716-446655440000".parse().unwrap()
    }

    #[test]
    fn a_fragment_is_found_anywhere_in_the_id() {
        for text in ["550e84", "A716-4466", "0000", "5", "9", &id().to_string()] {
            let fragment = IdFragment::new(text).unwrap();
            assert!(fragment.found_in(&id()), "{text}");
        }
        for text in ["f", "c", "84-", "4466554400000"] {
            let fragment = IdFragment::new(text).unwrap();
            assert!(!fragment.found_in(&id()), "{text}");
        }
        for text in ["", "xyz", "550e8400-e29b-41d4-a716-4466554400000"] {
            assert_eq!(IdFragment::new(text), None, "{text}");
        }
    }

    #[test]
    fn a_prefix_ignores_hyphens() {
        for text in [
            "5",
            "550e8400-e2",
            "550e8400e29b41",
            "550E8400",
            &id().to_string(),
        ] {
            assert!(IdFragment::new(text).unwrap().starts(&id()), "{text}");
        }
        for text in ["50", "e29b", "550e8400-e29b-41d4-a716-4466554400000"] {
            let fragment = IdFragment::new(text);
            assert!(!fragment.is_some_and(|f| f.starts(&id())), "{text}");
        }
    }

    #[test]
    fn text_matches_ignoring_case_ascii_or_not() {
        assert!(contains_ci("Holiday Ünïcode Clip", "ünï"));
        assert!(contains_ci("Holiday Clip", "day c"));
        assert!(contains_ci("anything", ""));
        assert!(!contains_ci("Holiday", "holidays"));
        // Case folding finds both cases of a letter and nothing else ('@' | 0x20 is '`').
        assert!(contains_ci("A@b", "a@b"));
        assert!(!contains_ci("@", "`"));
    }
}
