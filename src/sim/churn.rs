//! `Churn`: another client at work on the same account while someone walks its listing.
//! After each page the simulated server lists, it deletes some videos already listed (which
//! shifts every later offset up) and asks for new ones (which shifts everything down). It
//! decides which, with its own seeded dice; the library carries it out.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::catalog::Catalog;
use super::fixtures::random_video_id;
use super::library::Library;
use super::video::SimClock;
use crate::api::VideoId;

/// How much changes between two listed pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Churn {
    /// Videos deleted after each page, drawn from those listed so far and still there.
    pub delete_listed: usize,
    /// New videos created after each page (the newest: they go to the top of the listing).
    pub create: usize,
}

/// What one round of churn did.
#[derive(Debug, Default)]
pub(super) struct Churned {
    pub deleted: Vec<VideoId>,
    pub created: Vec<VideoId>,
}

/// The churn's dice and what has been listed so far.
pub(super) struct ChurnState {
    churn: Churn,
    rng: fastrand::Rng,
    catalog: Catalog,
    /// Listed and possibly still there, to draw deletions from.
    listed: Vec<VideoId>,
    seen: HashSet<VideoId>,
    /// How long a new video generates.
    generating_for: Duration,
}

/// Keeps these draws apart from the rest drawn from the same seed.
const CHURN_SEED_SALT: u64 = 0xc4_0112;

impl ChurnState {
    pub(super) fn new(churn: Churn, seed: u64, generating_for: Duration) -> Self {
        Self {
            churn,
            rng: fastrand::Rng::with_seed(seed ^ CHURN_SEED_SALT),
            catalog: Catalog::new(seed ^ CHURN_SEED_SALT),
            listed: Vec::new(),
            seen: HashSet::new(),
            generating_for,
        }
    }

    /// `page` was just listed: remember it, then delete and create as configured.
    pub(super) fn after_page(
        &mut self,
        page: &[VideoId],
        library: &mut Library,
        now: Instant,
        clock: &SimClock,
    ) -> Churned {
        for &id in page {
            if self.seen.insert(id) {
                self.listed.push(id);
            }
        }
        let mut churned = Churned::default();
        while churned.deleted.len() < self.churn.delete_listed && !self.listed.is_empty() {
            let id = self.listed.swap_remove(self.rng.usize(..self.listed.len()));
            if library.remove(id) {
                churned.deleted.push(id);
            }
        }
        for _ in 0..self.churn.create {
            let id = random_video_id(&mut self.rng);
            library.add(self.catalog.new_video(id, now, clock, self.generating_for));
            churned.created.push(id);
        }
        churned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::library::ListQuery;

    #[test]
    fn deletes_only_listed_videos_still_there_and_creates_at_the_top() {
        let clock = SimClock::now();
        let mut catalog = Catalog::new(1);
        let ids: Vec<VideoId> = (1..=6u128)
            .map(|n| VideoId::from_uuid(uuid::Uuid::from_u128(n)))
            .collect();
        let videos = ids
            .iter()
            .map(|&id| catalog.new_video(id, clock.start, &clock, Duration::ZERO))
            .collect();
        let mut library = Library::new(videos, &[]);
        let churn = Churn {
            delete_listed: 2,
            create: 1,
        };
        let mut state = ChurnState::new(churn, 9, Duration::from_secs(5));
        let later = clock.start + Duration::from_secs(1);
        let churned = state.after_page(&ids[..3], &mut library, later, &clock);
        assert_eq!((churned.deleted.len(), churned.created.len()), (2, 1));
        assert!(churned.deleted.iter().all(|id| ids[..3].contains(id)));
        let query = ListQuery {
            offset: 0,
            limit: 10,
            status: None,
        };
        let (page, total) = library.page(&query, later, &clock);
        assert_eq!(total, 5);
        assert_eq!(
            page[0].id, churned.created[0],
            "the new video is the newest"
        );
        // Only one listed video is left to delete, then none.
        let again = state.after_page(&[], &mut library, later, &clock);
        assert_eq!(again.deleted.len(), 1);
        let none = state.after_page(&[], &mut library, later, &clock);
        assert!(none.deleted.is_empty());
    }
}
