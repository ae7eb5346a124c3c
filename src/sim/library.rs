//! `Library`: which videos exist on the simulated server and in what state, and what one
//! DELETE does to them. No HTTP, no faults, no clock of its own (the caller passes `now`).

use std::collections::HashMap;
use std::time::Instant;

use super::fixtures::Fixtures;
use crate::api::VideoId;

/// What a DELETE of one well-formed ID does, before faults and HTTP are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeleteVerdict {
    /// It existed, was ours and ready: it is gone now.
    Deleted,
    /// Never existed, or already deleted.
    NotFound,
    /// Still generating: nothing changed.
    Processing,
    /// Another account's: nothing changed.
    Forbidden,
}

#[derive(Clone, Copy, Debug)]
enum VideoState {
    Ready,
    ProcessingUntil(Instant),
    OtherAccount,
}

/// The videos the server holds. Unknown fixture IDs are simply absent.
pub(super) struct Library {
    videos: HashMap<VideoId, VideoState>,
}

impl Library {
    /// Every processing fixture becomes ready at `ready_at`.
    pub(super) fn new(fixtures: &Fixtures, ready_at: Instant) -> Self {
        let ready = fixtures.deletable.iter().map(|&id| (id, VideoState::Ready));
        let processing = fixtures
            .processing
            .iter()
            .map(|&id| (id, VideoState::ProcessingUntil(ready_at)));
        let foreign = fixtures
            .other_account
            .iter()
            .map(|&id| (id, VideoState::OtherAccount));
        Self {
            videos: ready.chain(processing).chain(foreign).collect(),
        }
    }

    pub(super) fn delete(&mut self, id: VideoId, now: Instant) -> DeleteVerdict {
        match self.videos.get(&id) {
            None => DeleteVerdict::NotFound,
            Some(VideoState::OtherAccount) => DeleteVerdict::Forbidden,
            Some(VideoState::ProcessingUntil(until)) if now < *until => DeleteVerdict::Processing,
            Some(VideoState::Ready | VideoState::ProcessingUntil(_)) => {
                self.videos.remove(&id);
                DeleteVerdict::Deleted
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn each_kind_answers_as_documented_and_deletes_once() {
        let fixtures = Fixtures::generate(&SimConfig::default());
        let start = Instant::now();
        let ready_at = start + Duration::from_secs(5);
        let mut library = Library::new(&fixtures, ready_at);
        let ours = fixtures.deletable[0];
        assert_eq!(library.delete(ours, start), DeleteVerdict::Deleted);
        assert_eq!(library.delete(ours, start), DeleteVerdict::NotFound);
        let foreign = fixtures.other_account[0];
        assert_eq!(library.delete(foreign, start), DeleteVerdict::Forbidden);
        assert_eq!(library.delete(foreign, ready_at), DeleteVerdict::Forbidden);
        assert_eq!(
            library.delete(fixtures.unknown[0], start),
            DeleteVerdict::NotFound
        );
        let busy = fixtures.processing[0];
        assert_eq!(library.delete(busy, start), DeleteVerdict::Processing);
        assert_eq!(library.delete(busy, ready_at), DeleteVerdict::Deleted);
    }
}
