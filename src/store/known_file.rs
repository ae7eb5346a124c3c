//! `videos.json` on disk: a versioned JSON document, one video per line so a damaged spot has
//! a useful line number. Loading never modifies the file; a damaged or unknown-version file is
//! an error that says where and how to recover. A file of the previous version loads as well
//! (it lacks only what came after it) and the next save writes the current one. Saving is
//! atomic (see `atomic`).

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use jiff::Timestamp;
use memmap2::Mmap;
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::atomic::write_atomic;
use super::error::DataFile;
use super::known::Labels;
use super::{KnownVideo, KnownVideos, LastOutcome, StoreError, VideoDetails};
use crate::api::VideoId;

/// The format version this build writes. Version 2 added each video's `title` and
/// `created_at`.
pub const KNOWN_FILE_VERSION: u32 = 2;

/// The versions this build reads: every entry of version 1 is a version 2 entry without the
/// fields added since.
const READABLE_VERSIONS: [u32; 2] = [1, KNOWN_FILE_VERSION];

/// Read first, so a future format is reported as such rather than as damage.
#[derive(Deserialize)]
struct Header {
    version: Option<serde_json::Value>,
    #[serde(rename = "videos")]
    _videos: Option<IgnoredAny>,
}

/// Receives the videos of a list being loaded, in file order, a chunk at a time.
pub type VideoSink<'s> = &'s mut dyn FnMut(Vec<KnownVideo>);

/// Loads the list as saved; a missing file is an empty list (first run). `replay` brings it
/// up to date with the journal.
pub fn load_known(path: &Path) -> Result<KnownVideos, StoreError> {
    load_known_file(path).map(|(videos, _)| videos)
}

/// The list and the journal offset it was saved at (`None` for a list saved without one).
pub(super) fn load_known_file(path: &Path) -> Result<(KnownVideos, Option<u64>), StoreError> {
    let mut videos = Vec::new();
    let offset = stream_known(path, &mut |chunk| videos.extend(chunk))?;
    let videos = KnownVideos::from_videos(videos).map_err(|id| StoreError::DuplicateVideo {
        path: path.to_path_buf(),
        id,
    })?;
    Ok((videos, offset))
}

/// Parses the list, handing its videos to `sink` as they are read: the first chunk is small,
/// so a caller can show it while the rest (a million entries take most of a second) loads.
/// Returns the journal offset the list was saved at. On an error, what `sink` has received so
/// far is not the list: the caller discards it. Checking for duplicate IDs is the caller's.
pub fn stream_known(path: &Path, sink: VideoSink<'_>) -> Result<Option<u64>, StoreError> {
    let Some(bytes) = map_file(path)? else {
        return Ok(None);
    };
    let bytes: &[u8] = &bytes;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // One parse in the common case (a 1M-entry file is ~110 MB); the header is read only to
    // tell a future format from damage when the full parse fails.
    let parsed = FileSeed { sink }
        .deserialize(&mut de)
        .and_then(|offset| de.end().map(|()| offset));
    parsed.map_err(|err| classify_failure(path, bytes, &err))
}

/// The file's bytes, mapped rather than read: parsing starts at once instead of after a
/// 110 MB copy (about 130 ms at a million videos), and the pages parsed are the kernel's
/// cache, not a second copy on the heap. `None` when there is no file.
fn map_file(path: &Path) -> Result<Option<Mmap>, StoreError> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(StoreError::io(path, err)),
    };
    // A folder opens, and then cannot be mapped ("no such device").
    if file.metadata().is_ok_and(|meta| meta.is_dir()) {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    // SAFETY: a mapping is undefined behaviour if the file changes under it. This one is
    // never written in place: saves replace it by renaming a new file over it (`atomic`),
    // which leaves the mapped one intact, and only the holder of the data folder's lock
    // saves. Only a process ignoring that lock and rewriting the file in place could
    // change it while it is read.
    let map = unsafe { Mmap::map(&file) }.map_err(|err| StoreError::io(path, err))?;
    #[cfg(unix)]
    {
        // Read-ahead for a front-to-back parse; only a hint.
        _ = map.advise(memmap2::Advice::Sequential);
    }
    Ok(Some(map))
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
        Some(Box::new(VideoDetails {
            title: self.title.as_deref().map(Box::from),
            created_at: self.created_at,
        }))
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
fn classify_failure(path: &Path, bytes: &[u8], err: &serde_json::Error) -> StoreError {
    let header: Header = match serde_json::from_slice(bytes) {
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

/// Replaces the file with `videos`, atomically and 0600. `journal_offset` is the length of
/// `history.jsonl` whose every entry `videos` already reflects.
pub fn save_known<'a>(
    path: &Path,
    videos: impl IntoIterator<Item = &'a KnownVideo>,
    journal_offset: Option<u64>,
) -> Result<(), StoreError> {
    let bytes = encode(videos, journal_offset).map_err(|err| StoreError::io(path, err))?;
    write_atomic(path, &bytes).map_err(|err| StoreError::io(path, err))
}

fn encode<'a>(
    videos: impl IntoIterator<Item = &'a KnownVideo>,
    journal_offset: Option<u64>,
) -> io::Result<Vec<u8>> {
    let videos = videos.into_iter();
    let mut out = Vec::with_capacity(64 + videos.size_hint().0 * 120);
    write!(out, "{{\"version\":{KNOWN_FILE_VERSION},")?;
    if let Some(offset) = journal_offset {
        write!(out, "\"journal_offset\":{offset},")?;
    }
    out.extend_from_slice(b"\"videos\":[");
    let mut added_at = AddedAtCache::default();
    for (n, video) in videos.enumerate() {
        out.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
        if video.last.is_none() {
            encode_fresh(&mut out, video, &mut added_at)?;
        } else {
            serde_json::to_writer(&mut out, video)?;
        }
    }
    out.extend_from_slice(b"\n]}\n");
    Ok(out)
}

/// The common entry (never tried yet) written by hand, byte for byte what serde writes: a
/// million-line import saves in a fraction of the time. Videos imported together share one
/// `added_at`, so its rendering is reused.
fn encode_fresh(
    out: &mut Vec<u8>,
    video: &KnownVideo,
    added_at: &mut AddedAtCache,
) -> io::Result<()> {
    out.extend_from_slice(b"{\"id\":");
    video.id.push_json(out);
    out.extend_from_slice(b",\"added_at\":\"");
    out.extend_from_slice(added_at.render(video.added_at).as_bytes());
    out.push(b'"');
    if let Some(label) = &video.label {
        out.extend_from_slice(b",\"label\":");
        serde_json::to_writer(&mut *out, label)?;
    }
    if let Some(title) = video.title() {
        out.extend_from_slice(b",\"title\":");
        serde_json::to_writer(&mut *out, title)?;
    }
    if let Some(created_at) = video.created_at() {
        write!(out, ",\"created_at\":\"{created_at}\"")?;
    }
    out.push(b'}');
    Ok(())
}

#[derive(Default)]
struct AddedAtCache {
    last: Option<(jiff::Timestamp, String)>,
}

impl AddedAtCache {
    fn render(&mut self, at: jiff::Timestamp) -> &str {
        if self.last.as_ref().is_none_or(|(cached, _)| *cached != at) {
            self.last = Some((at, at.to_string()));
        }
        self.last.as_ref().map_or("", |(_, text)| text)
    }
}

fn corrupt(path: &Path, err: &serde_json::Error) -> StoreError {
    StoreError::json(path, DataFile::KnownList, err.line(), err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::VideoDetails;
    use jiff::Timestamp;

    #[test]
    fn round_trips_and_writes_one_video_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        let mut list = KnownVideos::default();
        let ids: Vec<_> = (1..=3)
            .map(|n| crate::api::VideoId::from_uuid(uuid::Uuid::from_u128(n)))
            .collect();
        list.add(&ids, Some("batch \"1\""), Timestamp::UNIX_EPOCH);
        save_known(&path, &list, Some(42)).unwrap();
        assert_eq!(load_known_file(&path).unwrap(), (list, Some(42)));
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 5);
    }

    #[test]
    fn the_hand_written_entries_match_serde_byte_for_byte() {
        let mut list = KnownVideos::default();
        let at = Timestamp::now();
        let ids: Vec<_> = (1..=3)
            .map(|n| crate::api::VideoId::from_uuid(uuid::Uuid::from_u128(n * 0xabcdef)))
            .collect();
        list.add(&ids[..2], Some("quote \" \\ tab\t é"), at);
        list.add(&ids[2..], None, Timestamp::UNIX_EPOCH);
        let details = [
            VideoDetails {
                title: Some("a \"title\"\n é".into()),
                created_at: Some("2024-03-01T12:30:00.5Z".parse().unwrap()),
            },
            VideoDetails {
                title: None,
                created_at: Some(Timestamp::UNIX_EPOCH),
            },
        ];
        let details = ids[1..].iter().copied().zip(details).collect();
        list.add_with_details(&ids[1..], &details, None, at);
        let fast = encode(&list, None).unwrap();
        let mut by_serde = Vec::new();
        for video in list.iter() {
            by_serde.extend_from_slice(b"\n");
            serde_json::to_writer(&mut by_serde, video).unwrap();
        }
        let fast = String::from_utf8(fast).unwrap();
        let by_serde = String::from_utf8(by_serde).unwrap();
        let fast_lines: Vec<_> = fast
            .lines()
            .skip(1)
            .take(3)
            .map(|l| l.trim_end_matches(','))
            .collect();
        let serde_lines: Vec<_> = by_serde.lines().skip(1).collect();
        assert_eq!(fast_lines, serde_lines);
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
            match load_known(&path) {
                Err(StoreError::UnknownVersion { found: f, .. }) => assert_eq!(f, found),
                other => panic!("expected UnknownVersion, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_version_1_file_loads_and_is_saved_as_version_2_with_the_new_fields() {
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
        let (mut list, offset) = load_known_file(&path).unwrap();
        assert_eq!((list.len(), offset), (1, Some(7)));
        let details = VideoDetails {
            title: Some("Final cut".into()),
            created_at: Some("2023-05-06T07:08:09Z".parse().unwrap()),
        };
        let id = id.parse().unwrap();
        let given = [(id, details.clone())].into_iter().collect();
        let report = list.add_with_details(&[id], &given, None, Timestamp::now());
        assert_eq!((report.already_known, report.filled), (1, 1));
        save_known(&path, &list, offset).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("{\"version\":2,"), "{text}");
        assert!(
            text.contains(
                "\"label\":\"x\",\"title\":\"Final cut\",\"created_at\":\"2023-05-06T07:08:09Z\"}"
            ),
            "{text}"
        );
        let (again, _) = load_known_file(&path).unwrap();
        assert_eq!(again, list);
        let video = &again.as_slice()[0];
        assert_eq!(
            (video.title(), video.created_at()),
            (details.title.as_deref(), details.created_at)
        );
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
        match load_known(&path) {
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
    fn missing_file_is_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        assert!(
            load_known(&dir.path().join("videos.json"))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn an_empty_file_is_damage_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("videos.json");
        std::fs::write(&path, "").unwrap();
        match load_known(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 1),
            other => panic!("expected Corrupt, got {other:?}"),
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"", "left as it was");
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
        match load_known(&path) {
            Err(StoreError::Corrupt { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
}
