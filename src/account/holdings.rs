//! `Holdings`: what the known list already holds about the account, asked one listed video
//! at a time, so a walk can tell what to merge and when an incremental one may stop. The
//! store implements it; the walk only asks.

use std::collections::HashMap;
use std::hash::BuildHasher;

use crate::api::{ListedVideo, VideoId};

/// How a listed video compares with what is held about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Held {
    /// Not held: new to the known list.
    New,
    /// Held, but the listing says something else about it (its state, a field).
    Changed,
    /// Held exactly as listed: nothing to merge.
    Same,
}

/// What the known list holds. Asked before the page is merged (the walk returns what to
/// merge), so it compares the listing with what was held before it.
pub trait Holdings {
    /// `Same` only when every field the known list keeps equals the listing's: an
    /// incremental walk stops on videos held `Same` in a final state.
    fn compare(&self, video: &ListedVideo) -> Held;
}

/// A listed video the known list lacks (`Held::New`) or holds otherwise (`Held::Changed`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToMerge {
    pub video: ListedVideo,
    pub held: Held,
}

/// The videos as they were last listed, by ID.
impl<S: BuildHasher> Holdings for HashMap<VideoId, ListedVideo, S> {
    fn compare(&self, video: &ListedVideo) -> Held {
        match self.get(&video.id) {
            None => Held::New,
            Some(held) if held == video => Held::Same,
            Some(_) => Held::Changed,
        }
    }
}

/// Holding nothing: every video is new, and an incremental walk walks everything.
impl Holdings for () {
    fn compare(&self, _: &ListedVideo) -> Held {
        Held::New
    }
}
