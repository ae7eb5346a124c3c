//! `ListedVideo`: one video as `GET /videos` lists it and `GET /videos/{id}` details it, every
//! field the API documents, each one optional (absent, `null` or unreadable alike). Reads one
//! JSON object; which shape the answer came in is `page`'s and `requests`'s business.

use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Map, Value};

use super::fields::{Dropped, Fields, shown};
use crate::api::{GenerationState, VideoId};

/// A video of the account, as the API listed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedVideo {
    pub id: VideoId,
    /// The text it was generated from: its natural title.
    pub prompt: Option<String>,
    /// `status`: where its generation stands.
    pub state: Option<GenerationState>,
    /// 0 to 100 while it is generated (the status route's field, when a listing gives it
    /// too).
    pub progress: Option<u8>,
    pub duration: Option<Duration>,
    pub quality: Option<String>,
    pub aspect_ratio: Option<String>,
    pub style: Option<String>,
    pub created_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
    pub download_url: Option<String>,
    /// In bytes.
    pub file_size: Option<u64>,
    /// Why its generation failed.
    pub error: Option<String>,
}

impl ListedVideo {
    /// The video `value` describes. `None`, with a `Dropped` saying why, when it is not an
    /// object or has no `video_id` that is a video ID: without one nothing can be known about
    /// it, and nothing could be deleted by it. `at` names it in the notes (`videos[3]`).
    pub(super) fn from_json(value: &Value, at: &str, dropped: &mut Vec<Dropped>) -> Option<Self> {
        match value {
            Value::Object(object) => Self::from_object(object, at, dropped),
            other => {
                dropped.push(skipped(shown(other), "a video (an object)", at.to_owned()));
                None
            }
        }
    }

    /// The video a saved listing holds at `value` (one entry of its `videos`), read
    /// strictly: the first field that is not what the API documents (a `video_id` that is
    /// no UUID, a negative size, an unknown state), or an entry that is no object, refuses
    /// it. What a saved file says is taken whole or not at all; a live page is read
    /// tolerantly instead (`from_json`).
    pub fn from_saved(value: &Value) -> Result<Self, Dropped> {
        let mut dropped = Vec::new();
        let video = Self::from_json(value, "", &mut dropped);
        match (video, dropped.into_iter().next()) {
            (Some(video), None) => Ok(video),
            (_, Some(first)) => Err(first),
            (None, None) => Err(skipped(shown(value), "a video (an object)", String::new())),
        }
    }

    /// As `from_json`, for an object.
    pub(super) fn from_object(
        object: &Map<String, Value>,
        at: &str,
        dropped: &mut Vec<Dropped>,
    ) -> Option<Self> {
        let id_at = if at.is_empty() {
            "video_id".to_owned()
        } else {
            format!("{at}.video_id")
        };
        let id = match object.get("video_id") {
            Some(Value::String(text)) => text.parse::<VideoId>().ok(),
            _ => None,
        };
        let Some(id) = id else {
            let found = object.get("video_id").map_or("missing".to_owned(), shown);
            dropped.push(skipped(found, "a video ID (a UUID)", id_at));
            return None;
        };
        let mut fields = Fields::new(object, at, dropped);
        Some(Self {
            id,
            prompt: fields.text("prompt"),
            state: fields.state("status"),
            progress: fields.percent("progress"),
            duration: fields.seconds("duration"),
            quality: fields.text("quality"),
            aspect_ratio: fields.text("aspect_ratio"),
            style: fields.text("style"),
            created_at: fields.time("created_at"),
            completed_at: fields.time("completed_at"),
            download_url: fields.text("download_url"),
            file_size: fields.count("file_size"),
            error: fields.error("error"),
        })
    }
}

fn skipped(found: String, wanted: &'static str, at: String) -> Dropped {
    Dropped {
        at,
        found,
        wanted,
        entry_skipped: true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const ID: &str = "550e8400-e29b-41d4-a716-446655440000";

    #[test]
    fn reads_every_documented_field() {
        let mut dropped = Vec::new();
        let value = json!({
            "video_id": ID,
            "prompt": "a fox in the snow",
            "status": "completed",
            "duration": 10,
            "quality": "1080p",
            "aspect_ratio": "16:9",
            "style": "anime",
            "created_at": "2024-05-01T10:00:00Z",
            "completed_at": "2024-05-01T10:03:00Z",
            "download_url": "https://cdn.example/v.mp4",
            "file_size": 12_500_000,
            "error": null,
            "thumbnail": "ignored",
        });
        let video = ListedVideo::from_json(&value, "videos[0]", &mut dropped).unwrap();
        assert_eq!(video.id.to_string(), ID);
        assert_eq!(video.prompt.as_deref(), Some("a fox in the snow"));
        assert_eq!(video.state, Some(GenerationState::Completed));
        assert_eq!(video.duration, Some(Duration::from_secs(10)));
        assert_eq!(
            (
                video.quality.as_deref(),
                video.aspect_ratio.as_deref(),
                video.style.as_deref()
            ),
            (Some("1080p"), Some("16:9"), Some("anime"))
        );
        assert_eq!(
            video.completed_at.map(|t| t.to_string()).as_deref(),
            Some("2024-05-01T10:03:00Z")
        );
        assert_eq!((video.file_size, video.error), (Some(12_500_000), None));
        assert!(dropped.is_empty());
    }

    #[test]
    fn an_entry_without_a_video_id_is_skipped_and_said_one_odd_field_is_not() {
        let mut dropped = Vec::new();
        for value in [
            json!({"prompt": "no id"}),
            json!({"video_id": "42"}),
            json!({"video_id": 42}),
            json!("550e8400-e29b-41d4-a716-446655440000"),
        ] {
            assert_eq!(
                ListedVideo::from_json(&value, "videos[1]", &mut dropped),
                None
            );
        }
        let notes: Vec<String> = dropped.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes[0],
            "videos[1].video_id is missing, not a video ID (a UUID): the entry is skipped"
        );
        assert!(
            notes[3].starts_with("videos[1] is the text"),
            "{}",
            notes[3]
        );
        dropped.clear();
        let odd = json!({"video_id": ID, "file_size": "big", "status": "queued", "prompt": "kept"});
        let video = ListedVideo::from_json(&odd, "", &mut dropped).unwrap();
        assert_eq!(
            (video.prompt.as_deref(), video.file_size, video.state),
            (Some("kept"), None, None)
        );
        assert_eq!(dropped.len(), 2);
        assert!(
            dropped[0].at == "status" && !dropped[0].entry_skipped,
            "{dropped:?}"
        );
    }

    #[test]
    fn a_saved_entry_is_refused_at_its_first_odd_field() {
        let kept = ListedVideo::from_saved(&json!({"video_id": ID, "prompt": "p", "error": null}));
        assert_eq!(kept.unwrap().prompt.as_deref(), Some("p"));
        for (value, at, found) in [
            (json!({"video_id": "42"}), "video_id", "the text \"42\""),
            (
                json!({"video_id": ID, "file_size": -5}),
                "file_size",
                "the number -5",
            ),
            (
                json!({"video_id": ID, "status": "queued"}),
                "status",
                "the text \"queued\"",
            ),
            (json!(ID), "", "the text"),
        ] {
            let refused = ListedVideo::from_saved(&value).unwrap_err();
            assert_eq!(refused.at, at, "{value}");
            assert!(refused.found.starts_with(found), "{value}: {refused}");
        }
    }
}
