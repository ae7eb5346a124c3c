//! `videos.json` of earlier versions: a versioned JSON document (version 1, or 2 with titles
//! and creation times), one video per line, and how much of `history.jsonl` it reflected
//! when it was saved. Read, never written: a damaged or unknown-version file is an error that
//! says where (line and column) and how to recover, and the file is left as it was.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader};
use std::path::Path;

use jiff::Timestamp;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::api::VideoId;
use crate::store::error::DataFile;
use crate::store::{KnownVideo, KnownVideos, Labels, LastOutcome, StoreError, VideoDetails};

/// The last version of the file. Version 2 added each video's `title` and `created_at`.
const KNOWN_FILE_VERSION: u32 = 2;

/// The versions there were: every entry of version 1 is a version 2 entry without the
/// fields added since.
const READABLE_VERSIONS: [u32; 2] = [1, KNOWN_FILE_VERSION];

/// Read first, so a future format is reported as such rather than as damage.
#[derive(Deserialize)]
struct Header {
    version: Option<serde_json::Value>,
    #[serde(rename = "videos")]
    _videos: Option<IgnoredAny>,
}

/// Receives the videos of a list being read, in file order, a chunk at a time.
type VideoSink<'s> = &'s mut dyn FnMut(Vec<KnownVideo>);

/// The list and the history offset it was saved at (`None` for a list saved without one).
/// A file that repeats an ID is refused (`DuplicateVideo`).
pub fn load_known_file(path: &Path) -> Result<(KnownVideos, Option<u64>), StoreError> {
    let mut videos = Vec::new();
    let offset = read(path, &mut |chunk| videos.extend(chunk))?;
    let videos = KnownVideos::from_videos(videos).map_err(|id| StoreError::DuplicateVideo {
        path: path.to_path_buf(),
        id,
    })?;
    Ok((videos, offset))
}

/// Parses the file from a buffered reader (a million videos are 190 MB of JSON, which is
/// never held whole), handing its videos to `sink` as they are read.
fn read(path: &Path, sink: VideoSink<'_>) -> Result<Option<u64>, StoreError> {
    let open = || File::open(path).map(BufReader::new);
    let file = open().map_err(|err| StoreError::io(path, err))?;
    let mut de = serde_json::Deserializer::from_reader(file);
    let parsed = FileSeed { sink }
        .deserialize(&mut de)
        .and_then(|offset| de.end().map(|()| offset));
    parsed.map_err(|err| match open() {
        Ok(again) => classify_failure(path, again, &err),
        Err(io) => StoreError::io(path, io),
    })
}

/// The top-level object: `version` (checked before any video is handed out), then
/// `journal_offset` and `videos`, in any order; any other key is damage.
struct FileSeed<'s> {
    sink: VideoSink<'s>,
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Version,
    JournalOffset,
    Videos,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Option<u64>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a known-videos object with \"version\" and \"videos\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut version = None;
        let mut journal_offset = None;
        let mut videos_seen = false;
        // Videos read before the version is known are held back until it is checked.
        let mut held: Option<Vec<KnownVideo>> = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Version => {
                    let found: u32 = map.next_value()?;
                    if !READABLE_VERSIONS.contains(&found) {
                        return Err(de::Error::custom(format!("version {found}")));
                    }
                    version = Some(found);
                }
                Field::JournalOffset => journal_offset = map.next_value::<Option<u64>>()?,
                Field::Videos if videos_seen => return Err(de::Error::duplicate_field("videos")),
                Field::Videos => {
                    videos_seen = true;
                    let mut hold = |chunk: Vec<KnownVideo>| {
                        held.get_or_insert_with(Vec::new).extend(chunk);
                    };
                    let sink: VideoSink<'_> = if version.is_some() {
                        &mut *self.sink
                    } else {
                        &mut hold
                    };
                    map.next_value_seed(VideosSeed { sink })?;
                }
            }
        }
        if version.is_none() {
            return Err(de::Error::missing_field("version"));
        }
        if !videos_seen {
            return Err(de::Error::missing_field("videos"));
        }
        if let Some(held) = held {
            (self.sink)(held);
        }
        Ok(journal_offset)
    }
}

/// The `videos` array, handed out in chunks that grow from a screenful to 64k entries.
struct VideosSeed<'s> {
    sink: VideoSink<'s>,
}

const FIRST_CHUNK: usize = 256;
const MAX_CHUNK: usize = 65_536;

impl<'de> DeserializeSeed<'de> for VideosSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for VideosSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of videos")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut labels = Labels::default();
        let mut added_at = TimestampParser::default();
        let mut chunk_len = FIRST_CHUNK;
        let mut chunk = Vec::with_capacity(chunk_len);
        while let Some(raw) = seq.next_element::<RawVideo<'de>>()? {
            let details = raw.details();
            chunk.push(KnownVideo {
                id: raw.id,
                added_at: added_at.parse(&raw.added_at).map_err(de::Error::custom)?,
                label: raw.label.map(|label| labels.intern(&label)),
                details,
                last: raw.last,
            });
            if chunk.len() == chunk_len {
                chunk_len = (chunk_len * 4).min(MAX_CHUNK);
                (self.sink)(std::mem::replace(&mut chunk, Vec::with_capacity(chunk_len)));
            }
        }
        if !chunk.is_empty() {
            (self.sink)(chunk);
        }
        Ok(())
    }
}

/// One entry as written, its strings borrowed from the file where they have no escapes.
#[derive(Deserialize)]
struct RawVideo<'a> {
    id: VideoId,
    #[serde(borrow)]
    added_at: Cow<'a, str>,
    #[serde(borrow, default)]
    label: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    title: Option<Cow<'a, str>>,
    /// Parsed as it is read, so bad text is reported at its own line.
    #[serde(default)]
    created_at: Option<Timestamp>,
    #[serde(default)]
    last: Option<Box<LastOutcome>>,
}

impl RawVideo<'_> {
    /// The title and creation time, allocated only when there is one.
    fn details(&self) -> Option<Box<VideoDetails>> {
        if self.title.is_none() && self.created_at.is_none() {
            return None;
        }
        Some(Box::new(VideoDetails::titled(
            self.title.as_deref().map(Box::from),
            self.created_at,
        )))
    }
}

/// Videos imported together share one `added_at`: its text is parsed once per run.
#[derive(Default)]
struct TimestampParser {
    last: Option<(String, Timestamp)>,
}

impl TimestampParser {
    fn parse(&mut self, text: &str) -> Result<Timestamp, jiff::Error> {
        match &self.last {
            Some((cached, at)) if cached == text => Ok(*at),
            _ => {
                let at: Timestamp = text.parse()?;
                self.last = Some((text.to_owned(), at));
                Ok(at)
            }
        }
    }
}

/// Why a file that did not parse as this version's list was refused: a different `version`
/// (kept apart, so a newer build's file is not called damaged), no version, or damage.
fn classify_failure(path: &Path, file: impl io::Read, err: &serde_json::Error) -> StoreError {
    let header: Header = match serde_json::from_reader(file) {
        Ok(header) => header,
        Err(header_err) => return corrupt(path, &header_err),
    };
    match header.version {
        Some(serde_json::Value::Number(n))
            if n.as_u64()
                .is_some_and(|n| READABLE_VERSIONS.iter().any(|&v| u64::from(v) == n)) =>
        {
            corrupt(path, err)
        }
        Some(other) => StoreError::UnknownVersion {
            path: path.to_path_buf(),
            file: DataFile::KnownList,
            found: other.to_string(),
            supported: KNOWN_FILE_VERSION,
        },
        None => StoreError::Corrupt {
            path: path.to_path_buf(),
            file: DataFile::KnownList,
            line: 1,
            column: 1,
            reason: "it has no \"version\" field".to_owned(),
        },
    }
}

fn corrupt(path: &Path, err: &serde_json::Error) -> StoreError {
    StoreError::json(path, DataFile::KnownList, err.line(), err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &Path) -> Result<KnownVideos, StoreError> {
        load_known_file(path).map(|(videos, _)| videos)
    }

    #[test]
    fn a_future_version_is_refused_even_when_its_entries_parse() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        for (text, found) in [
            ("{\"version\":3,\"videos\":[]}\n", "3"),
            ("{\"version\":\"2\",\"videos\":[{\"new\":1}]}\n", "\"2\""),
        ] {
            std::fs::write(&path, text).unwrap();
            match load(&path) {
                Err(StoreError::UnknownVersion { found: f, .. }) => assert_eq!(f, found),
                other => panic!("expected UnknownVersion, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_version_1_file_loads_with_its_offset_and_labels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        let id = "550e8400-e29b-41d4-a716-446655440000";
        std::fs::write(
            &path,
            format!(
                "{{\"version\":1,\"journal_offset\":7,\"videos\":[\n\
                 {{\"id\":\"{id}\",\"added_at\":\"2024-01-01T00:00:00Z\",\"label\":\"x\"}}\n]}}\n"
            ),
        )
        .unwrap();
        let (list, offset) = load_known_file(&path).unwrap();
        assert_eq!((list.len(), offset), (1, Some(7)));
        assert_eq!(list.as_slice()[0].label.as_deref(), Some("x"));
        assert_eq!(list.as_slice()[0].details, None);
    }

    #[test]
    fn a_bad_creation_time_is_damage_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        let text = "{\"version\":2,\"videos\":[\n\
            {\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"added_at\":\"2024-01-01T00:00:00Z\"},\n\
            {\"id\":\"550e8400-e29b-41d4-a716-446655440001\",\"added_at\":\"2024-01-01T00:00:00Z\",\
             \"created_at\":\"yesterday\"}\n]}\n";
        std::fs::write(&path, text).unwrap();
        match load(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected Corrupt, got {other:?}"),
        }
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "left as it was"
        );
    }

    #[test]
    fn an_empty_or_repeating_file_is_damage_not_a_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        std::fs::write(&path, "").unwrap();
        match load(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 1),
            other => panic!("expected Corrupt, got {other:?}"),
        }
        let id = "550e8400-e29b-41d4-a716-446655440000";
        let entry = format!("{{\"id\":\"{id}\",\"added_at\":\"2024-01-01T00:00:00Z\"}}");
        std::fs::write(
            &path,
            format!("{{\"version\":2,\"videos\":[\n{entry},\n{entry}\n]}}\n"),
        )
        .unwrap();
        assert!(matches!(
            load(&path),
            Err(StoreError::DuplicateVideo { .. })
        ));
    }

    #[test]
    fn damage_is_reported_with_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        std::fs::write(
            &path,
            "{\"version\":1,\"videos\":[\n{\"id\":\"nope\"}\n]}\n",
        )
        .unwrap();
        match load(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
}
