//! `PageQuery` (one `GET /videos`: offset, limit, status) and `Page` (what it answered). A
//! page is read strictly as to what it is (an object holding a `videos` list, at the top or
//! under `data`: anything else is not the API's listing) and tolerantly inside it (one odd
//! field or entry is left out and said, never the page).

use serde_json::{Map, Value};

use super::fields::{Dropped, Fields, shown};
use super::video::ListedVideo;
use crate::api::GenerationState;

/// One request for a page of the account's videos.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageQuery {
    pub offset: u64,
    /// 1 to `MAX_LIMIT`.
    limit: u32,
    /// Only the videos in this state.
    pub status: Option<GenerationState>,
}

impl PageQuery {
    /// The most videos a page may hold, as the API's pages document `limit`.
    pub const MAX_LIMIT: u32 = 100;

    /// `limit` is kept within 1 to `MAX_LIMIT`: what the API takes (above it, it may refuse
    /// or clamp; it does not say).
    pub fn new(offset: u64, limit: u32, status: Option<GenerationState>) -> Self {
        Self {
            offset,
            limit: limit.clamp(1, Self::MAX_LIMIT),
            status,
        }
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// `videos?limit=L&offset=O[&status=S]`, after the base URL.
    pub fn path(&self) -> String {
        let mut path = format!("videos?limit={}&offset={}", self.limit, self.offset);
        if let Some(status) = self.status {
            path.push_str("&status=");
            path.push_str(status.as_str());
        }
        path
    }
}

/// Which of the two documented layouts an answer came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// The fields at the top level (the pages' schemas).
    Bare,
    /// Under `data`, beside `meta` (the pages' examples).
    Wrapped,
}

/// One page of the listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// In the order listed.
    pub videos: Vec<ListedVideo>,
    /// How many videos match in all (at the time of this page).
    pub total: Option<u64>,
    /// The page size the server applied.
    pub limit: Option<u64>,
    /// Where the server says this page starts.
    pub offset: Option<u64>,
    pub shape: Shape,
    /// Fields left out and entries skipped, in the order met.
    pub dropped: Vec<Dropped>,
}

impl Page {
    /// The listing in `body`, or why `body` is not one.
    pub(super) fn from_json(body: &Value) -> Result<Self, String> {
        let (listing, shape) = unwrap(body, "videos")?;
        let items = match listing.get("videos") {
            Some(Value::Array(items)) => items,
            Some(other) => return Err(format!("its videos is {}, not a list", shown(other))),
            None => return Err("it has no videos list".to_owned()),
        };
        let mut dropped = Vec::new();
        let videos = items
            .iter()
            .enumerate()
            .filter_map(|(n, item)| {
                ListedVideo::from_json(item, &format!("videos[{n}]"), &mut dropped)
            })
            .collect();
        let mut fields = Fields::new(listing, "", &mut dropped);
        let (total, limit, offset) = (
            fields.count("total"),
            fields.count("limit"),
            fields.count("offset"),
        );
        Ok(Self {
            videos,
            total,
            limit,
            offset,
            shape,
            dropped,
        })
    }
}

/// The object holding `key`: the body itself (bare) or its `data` (wrapped); or why neither.
/// A body that has `key` in both places is refused: which one is the answer is not clear.
pub(super) fn unwrap<'a>(
    body: &'a Value,
    key: &str,
) -> Result<(&'a Map<String, Value>, Shape), String> {
    let Value::Object(top) = body else {
        return Err(format!("it is {}, not an object", shown(body)));
    };
    let data = match top.get("data") {
        Some(Value::Object(data)) if data.contains_key(key) => Some(data),
        _ => None,
    };
    match (top.contains_key(key), data) {
        (true, Some(_)) => Err(format!(
            "it has both a top-level {key} and data.{key}: which one is the answer is not clear"
        )),
        (true, None) => Ok((top, Shape::Bare)),
        (false, Some(data)) => Ok((data, Shape::Wrapped)),
        (false, None) => Err(format!("it has no {key} (neither {key} nor data.{key})")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const A: &str = "550e8400-e29b-41d4-a716-446655440000";
    const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

    #[test]
    fn the_query_keeps_limit_within_the_api_and_names_its_parameters() {
        assert_eq!(PageQuery::new(0, 500, None).limit(), 100);
        assert_eq!(PageQuery::new(0, 0, None).limit(), 1);
        assert_eq!(
            PageQuery::new(200, 100, Some(GenerationState::Failed)).path(),
            "videos?limit=100&offset=200&status=failed"
        );
    }

    #[test]
    fn reads_both_shapes() {
        let listing = json!({
            "videos": [{"video_id": A, "prompt": "one"}, {"video_id": B}],
            "total": 2, "limit": 20, "offset": 0,
        });
        let wrapped = json!({"data": listing, "meta": {"timestamp": "x", "request_id": "r"}});
        for (body, shape) in [(&listing, Shape::Bare), (&wrapped, Shape::Wrapped)] {
            let page = Page::from_json(body).unwrap();
            assert_eq!(page.shape, shape);
            assert_eq!(
                (page.total, page.limit, page.offset),
                (Some(2), Some(20), Some(0))
            );
            let ids: Vec<String> = page.videos.iter().map(|v| v.id.to_string()).collect();
            assert_eq!(ids, [A, B]);
            assert!(page.dropped.is_empty());
        }
    }

    #[test]
    fn what_is_not_a_listing_says_why() {
        for (body, why) in [
            (json!([{"video_id": A}]), "it is a list, not an object"),
            (
                json!({"items": []}),
                "it has no videos (neither videos nor data.videos)",
            ),
            (json!({"data": {"items": []}}), "no videos"),
            (json!({"data": []}), "no videos"),
            (json!({"videos": null}), "its videos is null, not a list"),
            (
                json!({"data": {"videos": {"a": 1}}}),
                "its videos is an object, not a list",
            ),
            (json!({"videos": [], "data": {"videos": []}}), "not clear"),
        ] {
            let error = Page::from_json(&body).unwrap_err();
            assert!(error.contains(why), "{body}: {error}");
        }
    }

    #[test]
    fn odd_entries_and_fields_are_left_out_and_the_rest_kept() {
        let body = json!({
            "videos": [{"video_id": A, "duration": "long"}, {"title": "no id"}, {"video_id": B}],
            "total": "many",
        });
        let page = Page::from_json(&body).unwrap();
        assert_eq!(page.videos.len(), 2);
        assert_eq!(page.total, None);
        let notes: Vec<String> = page.dropped.iter().map(ToString::to_string).collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].starts_with("videos[0].duration"), "{notes:?}");
        assert!(
            notes[1].starts_with("videos[1].video_id is missing"),
            "{notes:?}"
        );
        assert!(
            notes[2].starts_with("total is the text \"many\""),
            "{notes:?}"
        );
    }
}
