//! `Library`: which videos exist on the simulated server, whose they are, in what order the
//! account's are listed (newest first by `created_at`, ties by ID: stable), and what one
//! DELETE does to them. No HTTP, no faults, no clock of its own (the caller passes `now`).

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use jiff::Timestamp;

use super::video::{SimClock, SimVideo};
use crate::api::{GenerationState, VideoId};

/// What a DELETE of one well-formed ID does, before faults and HTTP are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DeleteVerdict {
    /// It existed, was ours and not generating: it is gone now.
    Deleted,
    /// Never existed, or already deleted.
    NotFound,
    /// Still generating: nothing changed.
    Processing,
    /// Another account's: nothing changed.
    Forbidden,
}

/// Whose a video is, as a GET finds it.
pub(super) enum Lookup<'a> {
    Ours(&'a SimVideo),
    OtherAccount,
    Unknown,
}

/// One page of the account's listing.
pub(super) struct ListQuery {
    pub offset: usize,
    pub limit: usize,
    pub status: Option<GenerationState>,
}

/// Where a video stands in the listing: newest first, then by ID.
type OrderKey = (Reverse<Timestamp>, VideoId);

enum Owner {
    Ours(SimVideo),
    OtherAccount,
}

/// The videos the server holds. Unknown fixture IDs are simply absent.
pub(super) struct Library {
    videos: HashMap<VideoId, Owner>,
    /// The account's videos (not another account's), in listing order.
    order: BTreeSet<OrderKey>,
}

impl Library {
    pub(super) fn new(ours: Vec<SimVideo>, other_account: &[VideoId]) -> Self {
        let mut library = Self {
            videos: other_account
                .iter()
                .map(|&id| (id, Owner::OtherAccount))
                .collect(),
            order: BTreeSet::new(),
        };
        for video in ours {
            library.add(video);
        }
        library
    }

    /// Adds one of the account's videos (a new one goes where its creation time puts it).
    pub(super) fn add(&mut self, video: SimVideo) {
        self.order.insert((Reverse(video.created_at), video.id));
        self.videos.insert(video.id, Owner::Ours(video));
    }

    pub(super) fn delete(&mut self, id: VideoId, now: Instant) -> DeleteVerdict {
        match self.videos.get(&id) {
            None => DeleteVerdict::NotFound,
            Some(Owner::OtherAccount) => DeleteVerdict::Forbidden,
            Some(Owner::Ours(video)) if video.is_generating(now) => DeleteVerdict::Processing,
            Some(Owner::Ours(_)) => {
                self.remove(id);
                DeleteVerdict::Deleted
            }
        }
    }

    /// Removes one of the account's videos whatever its state (another client deleted it,
    /// or it never was); whether it was there.
    pub(super) fn remove(&mut self, id: VideoId) -> bool {
        match self.videos.get(&id) {
            Some(Owner::Ours(video)) => {
                self.order.remove(&(Reverse(video.created_at), id));
                self.videos.remove(&id);
                true
            }
            Some(Owner::OtherAccount) | None => false,
        }
    }

    pub(super) fn lookup(&self, id: VideoId) -> Lookup<'_> {
        match self.videos.get(&id) {
            Some(Owner::Ours(video)) => Lookup::Ours(video),
            Some(Owner::OtherAccount) => Lookup::OtherAccount,
            None => Lookup::Unknown,
        }
    }

    /// The page `query` asks for at `now`, and how many videos match in all.
    pub(super) fn page(
        &self,
        query: &ListQuery,
        now: Instant,
        clock: &SimClock,
    ) -> (Vec<&SimVideo>, usize) {
        let Some(status) = query.status else {
            // Skipped in the order alone: a page deep in 100,000 videos looks none of them up.
            let ids = self.order.iter().skip(query.offset).take(query.limit);
            let page = ids.filter_map(|(_, id)| self.ours(*id)).collect();
            return (page, self.order.len());
        };
        let matches = |video: &&SimVideo| video.phase(now, clock).state() == status;
        let listed = || self.order.iter().filter_map(|(_, id)| self.ours(*id));
        let page = listed()
            .filter(matches)
            .skip(query.offset)
            .take(query.limit)
            .collect();
        (page, listed().filter(matches).count())
    }

    /// One of the account's videos.
    fn ours(&self, id: VideoId) -> Option<&SimVideo> {
        match self.videos.get(&id) {
            Some(Owner::Ours(video)) => Some(video),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sim::SimConfig;
    use crate::sim::catalog::Catalog;
    use crate::sim::fixtures::Fixtures;

    fn library(config: &SimConfig, clock: &SimClock) -> (Fixtures, Library) {
        let fixtures = Fixtures::generate(config);
        let ready_at = clock.start + config.processing_for;
        let ours = Catalog::new(config.seed).account(&fixtures, 0, clock, ready_at);
        let library = Library::new(ours, &fixtures.other_account);
        (fixtures, library)
    }

    #[test]
    fn each_kind_answers_as_documented_and_deletes_once() {
        let config = SimConfig {
            processing_for: Duration::from_secs(5),
            ..SimConfig::default()
        };
        let clock = SimClock::now();
        let (fixtures, mut library) = library(&config, &clock);
        let start = clock.start;
        let ready_at = start + Duration::from_secs(5);
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

    /// Issue 21 B8: the demo's processing videos were done 20 s after it started, so a
    /// newcomer rarely saw `processing`. They keep generating for minutes now.
    #[test]
    fn the_demos_processing_videos_keep_generating_for_minutes() {
        let config = crate::sim::demo_config();
        let clock = SimClock::now();
        let (fixtures, mut library) = library(&config, &clock);
        let busy = fixtures.processing[0];
        let later = clock.start + Duration::from_secs(5 * 60);
        assert_eq!(library.delete(busy, later), DeleteVerdict::Processing);
        assert_eq!(
            library.delete(busy, clock.start + config.processing_for),
            DeleteVerdict::Deleted
        );
    }

    #[test]
    fn the_listing_is_the_accounts_newest_first_paged_and_filtered() {
        let config = SimConfig {
            videos: 30,
            processing: 4,
            ..SimConfig::default()
        };
        let clock = SimClock::now();
        let (fixtures, mut library) = library(&config, &clock);
        let now = clock.start;
        let all = |library: &Library| {
            let query = ListQuery {
                offset: 0,
                limit: 100,
                status: None,
            };
            let (page, total) = library.page(&query, now, &clock);
            assert_eq!(page.len(), total);
            page.iter()
                .map(|v| (v.created_at, v.id))
                .collect::<Vec<_>>()
        };
        let listed = all(&library);
        assert_eq!(listed.len(), 30, "another account's videos are not listed");
        assert!(
            listed.windows(2).all(|pair| pair[0].0 >= pair[1].0),
            "newest first"
        );
        let page = |offset, limit, status| {
            let query = ListQuery {
                offset,
                limit,
                status,
            };
            let (page, total) = library.page(&query, now, &clock);
            (page.iter().map(|v| v.id).collect::<Vec<_>>(), total)
        };
        let (second, total) = page(10, 10, None);
        assert_eq!(total, 30);
        assert_eq!(
            second,
            listed[10..20].iter().map(|v| v.1).collect::<Vec<_>>()
        );
        let (pending, total) = page(1, 10, Some(GenerationState::Pending));
        assert_eq!((pending.len(), total), (3, 4));
        assert!(pending.iter().all(|id| fixtures.processing.contains(id)));
        assert_eq!(page(40, 10, None), (vec![], 30));

        let first = listed[0].1;
        assert!(library.remove(first));
        assert!(!library.remove(first));
        assert!(!library.remove(fixtures.other_account[0]));
        assert_eq!(all(&library), listed[1..]);
    }
}
