//! `GenerationStatus`: what `GET /videos/{id}/status` says about one video's generation, and
//! `Details`: what `GET /videos/{id}` says about it. Both are about the video asked for, or
//! they are not an answer: a `status` the API does not name, or another video's ID, is
//! refused; other fields are read tolerantly.

use jiff::Timestamp;
use serde_json::Value;

use super::fields::{Dropped, Fields, shown};
use super::page::{Shape, unwrap};
use super::video::ListedVideo;
use crate::api::{GenerationState, VideoId};

/// One video's generation, as its status route reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GenerationStatus {
    pub id: VideoId,
    pub state: GenerationState,
    /// 0 to 100 while it runs.
    pub progress: Option<u8>,
    /// When it is expected to end.
    pub estimated_completion: Option<Timestamp>,
    /// Why it failed.
    pub error: Option<String>,
    pub shape: Shape,
    pub dropped: Vec<Dropped>,
}

impl GenerationStatus {
    /// The status of `asked` in `body`, or why `body` is not one.
    pub(super) fn from_json(body: &Value, asked: VideoId) -> Result<Self, String> {
        let (object, shape) = unwrap(body, "status")?;
        let mut dropped = Vec::new();
        let mut fields = Fields::new(object, "", &mut dropped);
        let Some(state) = fields
            .value("status")
            .and_then(|value| value.as_str()?.parse().ok())
        else {
            let found = fields.value("status").map_or("null".to_owned(), shown);
            return Err(format!(
                "its status is {found}, not pending, processing, completed or failed"
            ));
        };
        let id = about(fields.value("video_id"), asked)?;
        Ok(Self {
            id,
            state,
            progress: fields.percent("progress"),
            estimated_completion: fields.time("estimated_completion"),
            error: fields.error("error"),
            shape,
            dropped,
        })
    }
}

/// One video, as its details route gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    pub video: ListedVideo,
    pub shape: Shape,
    pub dropped: Vec<Dropped>,
}

impl Details {
    /// The details of `asked` in `body`, or why `body` is not them.
    pub(super) fn from_json(body: &Value, asked: VideoId) -> Result<Self, String> {
        let (object, shape) = unwrap(body, "video_id")?;
        about(object.get("video_id"), asked)?;
        let mut dropped = Vec::new();
        let video = ListedVideo::from_object(object, "", &mut dropped).ok_or_else(|| {
            dropped
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        Ok(Self {
            video,
            shape,
            dropped,
        })
    }
}

/// `asked`, unless the answer names another video (or an ID that is not one).
fn about(video_id: Option<&Value>, asked: VideoId) -> Result<VideoId, String> {
    match video_id.filter(|value| !value.is_null()) {
        None => Ok(asked),
        Some(Value::String(text)) if text.parse::<VideoId>().ok() == Some(asked) => Ok(asked),
        Some(other) => Err(format!(
            "its video_id is {}, not the video asked about ({asked})",
            shown(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const A: &str = "550e8400-e29b-41d4-a716-446655440000";
    const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    fn id(text: &str) -> VideoId {
        text.parse().unwrap()
    }

    #[test]
    fn reads_a_status_in_both_shapes() {
        let bare = json!({
            "video_id": A, "status": "processing", "progress": 65,
            "estimated_completion": "2026-01-01T12:02:00Z", "error": null,
        });
        let wrapped = json!({"data": bare, "meta": {"request_id": "r"}});
        for (body, shape) in [(&bare, Shape::Bare), (&wrapped, Shape::Wrapped)] {
            let status = GenerationStatus::from_json(body, id(A)).unwrap();
            assert_eq!(
                (status.state, status.progress, status.shape),
                (GenerationState::Processing, Some(65), shape)
            );
            assert_eq!(
                status.estimated_completion.unwrap().to_string(),
                "2026-01-01T12:02:00Z"
            );
        }
        let failed = json!({"status": "failed", "error": "refused", "progress": "n/a"});
        let status = GenerationStatus::from_json(&failed, id(A)).unwrap();
        assert_eq!(
            (status.id, status.error.as_deref()),
            (id(A), Some("refused"))
        );
        assert_eq!(status.dropped.len(), 1, "progress was left out");
    }

    #[test]
    fn a_status_without_a_known_state_or_about_another_video_is_refused() {
        for (body, why) in [
            (json!({"video_id": A}), "no status"),
            (
                json!({"status": "queued"}),
                "its status is the text \"queued\"",
            ),
            (json!({"status": null}), "its status is null"),
            (
                json!({"status": "completed", "video_id": B}),
                "not the video asked about",
            ),
            (
                json!({"status": "completed", "video_id": 7}),
                "the number 7",
            ),
            (json!("<html>"), "not an object"),
        ] {
            let error = GenerationStatus::from_json(&body, id(A)).unwrap_err();
            assert!(error.contains(why), "{body}: {error}");
        }
    }

    #[test]
    fn details_are_the_asked_videos_in_both_shapes() {
        let video = json!({"video_id": A, "prompt": "fox", "file_size": "x"});
        for body in [video.clone(), json!({"data": video, "meta": {}})] {
            let details = Details::from_json(&body, id(A)).unwrap();
            assert_eq!(details.video.prompt.as_deref(), Some("fox"));
            assert_eq!(details.dropped.len(), 1);
        }
        let error = Details::from_json(&json!({"video_id": B}), id(A)).unwrap_err();
        assert!(error.contains("not the video asked about"), "{error}");
        let error = Details::from_json(&json!({"id": A}), id(A)).unwrap_err();
        assert!(error.contains("no video_id"), "{error}");
    }
}
