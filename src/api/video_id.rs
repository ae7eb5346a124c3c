//! `VideoId`: the one identifier the API deletes by. Parsing is strict here; the lenient
//! "find UUIDs anywhere in text" scanning belongs to `crate::import`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A video's UUID. Always rendered lower-case and hyphenated, which is the form sent in
/// `DELETE /videos/{id}` and stored on disk.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VideoId(Uuid);

/// The text given was not a UUID; nothing was sent for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a video id (expected a UUID such as 550e8400-e29b-41d4-a716-446655440000): {input:?}")]
pub struct InvalidVideoId {
    pub input: String,
}

impl VideoId {
    pub const fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }

    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// Appends the ID as the JSON string `Serialize` writes (quoted, lower-case, hyphenated),
    /// without going through a serializer: files of a million IDs are written this way.
    pub fn push_json(&self, out: &mut Vec<u8>) {
        let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
        out.push(b'"');
        out.extend_from_slice(self.0.hyphenated().encode_lower(&mut text).as_bytes());
        out.push(b'"');
    }
}

impl FromStr for VideoId {
    type Err = InvalidVideoId;

    /// Accepts the forms `uuid` parses (hyphenated, simple, braced, `urn:uuid:`), any case,
    /// surrounding whitespace ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s.trim())
            .map(Self)
            .map_err(|_| InvalidVideoId {
                input: s.to_owned(),
            })
    }
}

impl fmt::Display for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for VideoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VideoId({self})")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn push_json_writes_what_serialize_writes() {
        let id: super::VideoId = "550E8400-E29B-41D4-A716-446655440000".parse().unwrap();
        let mut out = b"[".to_vec();
        id.push_json(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("[{}", serde_json::to_string(&id).unwrap())
        );
    }

    use super::*;

    #[test]
    fn parses_any_case_and_form_and_prints_lower_hyphenated() {
        let want = "550e8400-e29b-41d4-a716-446655440000";
        for input in [
            "550E8400-E29B-41D4-A716-446655440000",
            "{550e8400-e29b-41d4-a716-446655440000}",
            "urn:uuid:550e8400-e29b-41d4-a716-446655440000",
            "550e8400e29b41d4a716446655440000",
            "  550e8400-e29b-41d4-a716-446655440000\n",
        ] {
            assert_eq!(
                input.parse::<VideoId>().unwrap().to_string(),
                want,
                "{input}"
            );
        }
    }

    #[test]
    fn rejects_non_uuids() {
        for input in [
            "",
            "abc",
            "550e8400-e29b-41d4-a716-44665544000",
            "../etc/passwd",
        ] {
            assert!(input.parse::<VideoId>().is_err(), "{input}");
        }
    }
}
