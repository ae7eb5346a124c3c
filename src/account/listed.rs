//! How a walk ended (`WalkEnd`), and what a complete one proves (`Listed`): the IDs the
//! listing held. Only a complete walk of every state proves that a known video was not
//! listed; an incremental walk that stopped early, a walk of one state and a failed walk
//! prove nothing about what they did not list.

use std::fmt;

use crate::api::{GenerationState, VideoId};
use crate::store::IdSet;

/// Every ID a complete walk listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listed {
    ids: IdSet,
    /// The state the walk asked for (`--status`), if only one.
    status: Option<GenerationState>,
}

impl Listed {
    /// The IDs a walk of `status` (every state when `None`) listed to the end.
    pub fn new(ids: IdSet, status: Option<GenerationState>) -> Self {
        Self { ids, status }
    }

    /// Whether the walk was of every state (no `--status`).
    pub fn of_every_state(&self) -> bool {
        self.status.is_none()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: VideoId) -> bool {
        self.ids.contains(&id)
    }

    /// Whether the walk proves `id` was not in the account's listing at some moment of the
    /// walk (`listed:no`): only a walk of every state can. It does not prove the video is
    /// gone (absence from a listing is not a `VIDEO_NOT_FOUND`: it may be another account's,
    /// or the listing may leave some out), only that it was not listed.
    pub fn proves_unlisted(&self, id: VideoId) -> bool {
        self.status.is_none() && !self.ids.contains(&id)
    }
}

/// How a walk ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalkEnd {
    /// It reached the end of the listing through trusted pages.
    Complete(Listed),
    /// An incremental walk met only what was already held, unchanged, and stopped there.
    StoppedEarly,
    /// It could not go on; what it merged is kept, nothing is proven.
    Failed(WalkFailure),
}

/// Why a walk could not go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalkFailure {
    /// A page's request came to nothing (the driver said why).
    Abandoned(String),
    /// The server answered another offset than the one asked: it does not page by offset.
    OffsetIgnored { asked: u64, answered: u64 },
    /// The server's pages hold fewer than two videos: pages cannot overlap.
    PagesTooSmall { limit: u64 },
    /// Pages at other offsets kept listing the same videos: the offset does not move the
    /// listing.
    NotAdvancing { offset: u64 },
}

impl fmt::Display for WalkFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Abandoned(why) => f.write_str(why),
            Self::OffsetIgnored { asked, answered } => write!(
                f,
                "the server answered offset {answered} when offset {asked} was asked: it does \
                 not page by offset, so its listing cannot be walked"
            ),
            Self::PagesTooSmall { limit } => write!(
                f,
                "the server's pages hold {limit} video(s): at least 2 are needed to tie one \
                 page to the next"
            ),
            Self::NotAdvancing { offset } => write!(
                f,
                "the listing did not move on with the offset (up to offset {offset}, pages at \
                 other offsets listed the same videos): the server does not page by offset"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_walk_of_every_state_proves_a_video_unlisted() {
        let listed_id = VideoId::from_uuid(uuid::Uuid::from_u128(1));
        let other = VideoId::from_uuid(uuid::Uuid::from_u128(2));
        let ids: IdSet = [listed_id].into_iter().collect();
        let all = Listed::new(ids.clone(), None);
        assert!(all.proves_unlisted(other) && !all.proves_unlisted(listed_id));
        let failed_only = Listed::new(ids, Some(GenerationState::Failed));
        assert!(!failed_only.proves_unlisted(other));
        assert!(failed_only.contains(listed_id));
    }
}
