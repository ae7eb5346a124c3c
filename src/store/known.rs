//! The known list in memory: the videos a user has imported, in the order added, with each
//! one's last outcome. Persistence lives beside it; this file holds no I/O.

use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::Generation;

use crate::api::{Outcome, VideoId};

/// One video the user knows of. 64 bytes: a million of them must fit well under 150 MB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KnownVideo {
    pub id: VideoId,
    pub added_at: Timestamp,
    /// Shared: an import gives one label to many videos, so it is stored once (`Labels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Arc<str>>,
    /// Title and creation time, when a structured import gave them, behind one pointer: most
    /// videos have neither, and inline they would make every entry 88 bytes instead of 64.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub details: Option<Box<VideoDetails>>,
    /// The outcome of the last delete attempt on it, if any (a saved list never holds
    /// `Deleted`/`NotFound`: those leave it). Boxed: most videos were never tried, and an
    /// inline outcome would make every entry 160 bytes instead of 56.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Box<LastOutcome>>,
}

impl KnownVideo {
    /// A video never sent, with nothing known of it beyond how it was added.
    pub fn new(id: VideoId, added_at: Timestamp, label: Option<Arc<str>>) -> Self {
        Self {
            id,
            added_at,
            label,
            details: None,
            last: None,
        }
    }

    pub fn title(&self) -> Option<&str> {
        self.details.as_ref()?.title.as_deref()
    }

    pub fn created_at(&self) -> Option<Timestamp> {
        self.details.as_ref()?.created_at
    }

    /// Takes the fields of `details` this video lacks (a known ID imported again); returns
    /// whether anything was filled in.
    pub fn fill_details(&mut self, details: &VideoDetails) -> bool {
        let new_title = self.title().is_none() && details.title.is_some();
        let new_time = self.created_at().is_none() && details.created_at.is_some();
        if !new_title && !new_time {
            return false;
        }
        let kept = self.details.get_or_insert_with(Box::default);
        if new_title {
            kept.title.clone_from(&details.title);
        }
        if new_time {
            kept.created_at = details.created_at;
        }
        true
    }

    /// The server said it is gone (deleted, or not found): it leaves the saved list.
    pub fn is_gone(&self) -> bool {
        self.last
            .as_ref()
            .is_some_and(|last| last.outcome.kind.is_gone())
    }
}

/// What is known of a video beyond its ID: what a structured import (CSV, JSON) said, and
/// what a sync listed (the prompt is its title).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VideoDetails {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<str>>,
    /// When the video was made on the server (not when it was added here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(flatten)]
    pub generation: Generation,
}

impl VideoDetails {
    /// A title and a creation time, nothing of the generation (what an import gives).
    pub fn titled(title: Option<Box<str>>, created_at: Option<Timestamp>) -> Self {
        Self {
            title,
            created_at,
            generation: Generation::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.created_at.is_none() && self.generation.is_empty()
    }
}

/// A delete outcome with when it was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastOutcome {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub at: Timestamp,
}

/// Shares a label with the video before when they are equal: an import gives one label to a
/// run of consecutive videos, so a million videos from a few imports hold a few labels. (A
/// full intern map was measured: with unique labels it made start-up five times slower.)
#[derive(Debug, Default)]
pub struct Labels(Option<Arc<str>>);

impl Labels {
    pub fn intern(&mut self, label: &str) -> Arc<str> {
        match &self.0 {
            Some(last) if **last == *label => Arc::clone(last),
            _ => Arc::clone(self.0.insert(Arc::from(label))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_equal_labels_is_stored_once() {
        let mut labels = Labels::default();
        let a = labels.intern("june import");
        let b = labels.intern("june import");
        assert!(Arc::ptr_eq(&a, &b));
        let c = labels.intern("july");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "july");
    }

    #[test]
    fn details_fill_only_what_is_missing() {
        let at = Timestamp::UNIX_EPOCH;
        let id = VideoId::from_uuid(uuid::Uuid::from_u128(1));
        let mut video = KnownVideo::new(id, at, None);
        assert!(!video.fill_details(&VideoDetails::default()));
        assert_eq!(video.details, None, "nothing to fill allocates nothing");
        let titled = VideoDetails {
            title: Some("first".into()),
            created_at: None,
            ..Default::default()
        };
        assert!(video.fill_details(&titled));
        let both = VideoDetails {
            title: Some("second".into()),
            created_at: Some(at),
            ..Default::default()
        };
        assert!(video.fill_details(&both));
        assert_eq!(
            (video.title(), video.created_at()),
            (Some("first"), Some(at))
        );
        assert!(!video.fill_details(&both), "nothing left to fill");
    }

    #[test]
    fn an_entry_stays_small_enough_for_a_million_in_memory() {
        assert!(
            std::mem::size_of::<KnownVideo>() <= 64,
            "{}",
            std::mem::size_of::<KnownVideo>()
        );
    }
}
