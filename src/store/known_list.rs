//! `KnownVideos`: the ordered known list with fast membership, and the few ways it changes
//! (add, forget, apply outcomes). Pure data: loading and saving live in `known_file`.

use std::sync::Arc;

use jiff::Timestamp;

use super::{IdMap, IdSet, KnownVideo, LastOutcome, VideoDetails};
use crate::api::{Outcome, VideoId};

/// The videos a user knows of, in the order they were added (the default order on screen).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownVideos {
    videos: Vec<KnownVideo>,
    ids: IdSet,
}

/// What `KnownVideos::add` did with the IDs it was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddReport {
    pub added: usize,
    pub already_known: usize,
    /// Already known videos that gained a title or a creation time they lacked.
    pub filled: usize,
}

impl KnownVideos {
    /// Builds a list from stored entries; `Err` carries the first ID that appears twice.
    pub fn from_videos(videos: Vec<KnownVideo>) -> Result<Self, VideoId> {
        let mut ids = IdSet::with_capacity_and_hasher(videos.len(), Default::default());
        for video in &videos {
            if !ids.insert(video.id) {
                return Err(video.id);
            }
        }
        Ok(Self { videos, ids })
    }

    pub fn len(&self) -> usize {
        self.videos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.videos.is_empty()
    }

    pub fn contains(&self, id: &VideoId) -> bool {
        self.ids.contains(id)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, KnownVideo> {
        self.videos.iter()
    }

    pub fn as_slice(&self) -> &[KnownVideo] {
        &self.videos
    }

    pub fn get(&self, id: &VideoId) -> Option<&KnownVideo> {
        if !self.contains(id) {
            return None;
        }
        self.videos.iter().find(|video| video.id == *id)
    }

    /// Appends the IDs not already known, in order, all with the same label and time.
    pub fn add(&mut self, ids: &[VideoId], label: Option<&str>, at: Timestamp) -> AddReport {
        self.add_with_details(ids, &IdMap::default(), label, at)
    }

    /// As `add`, each video with its `details` (a structured import's titles and creation
    /// times); videos already known gain the fields they lacked.
    pub fn add_with_details(
        &mut self,
        ids: &[VideoId],
        details: &IdMap<VideoDetails>,
        label: Option<&str>,
        at: Timestamp,
    ) -> AddReport {
        let mut report = AddReport::default();
        let known_before = self.videos.len();
        self.videos.reserve(ids.len());
        self.ids.reserve(ids.len());
        let label: Option<Arc<str>> = label.map(Arc::from);
        for &id in ids {
            if self.ids.insert(id) {
                let mut video = KnownVideo::new(id, at, label.clone());
                if let Some(details) = details.get(&id) {
                    video.fill_details(details);
                }
                self.videos.push(video);
                report.added += 1;
            } else {
                report.already_known += 1;
            }
        }
        if report.already_known > 0 && !details.is_empty() {
            report.filled = self.videos[..known_before]
                .iter_mut()
                .map(|video| {
                    details
                        .get(&video.id)
                        .is_some_and(|details| video.fill_details(details))
                })
                .filter(|&filled| filled)
                .count();
        }
        report
    }

    /// Drops these IDs (nothing is sent anywhere); returns how many were in the list.
    pub fn forget(&mut self, ids: &[VideoId]) -> usize {
        let doomed: IdSet = ids.iter().copied().filter(|id| self.contains(id)).collect();
        if doomed.is_empty() {
            return 0;
        }
        self.videos.retain(|video| !doomed.contains(&video.id));
        self.ids.retain(|id| !doomed.contains(id));
        doomed.len()
    }

    /// Applies finished deletes in one pass: gone IDs (deleted, not found) leave the list, the
    /// others keep their latest outcome. IDs not in the list are ignored (they were sent, and
    /// stay out of it). Later entries for the same ID win. Returns whether the list changed.
    pub fn apply_outcomes(&mut self, results: &[(VideoId, Outcome, Timestamp)]) -> bool {
        let latest: IdMap<(&Outcome, Timestamp)> = results
            .iter()
            .filter(|(id, _, _)| self.contains(id))
            .map(|(id, outcome, at)| (*id, (outcome, *at)))
            .collect();
        if latest.is_empty() {
            return false;
        }
        self.videos.retain_mut(|video| match latest.get(&video.id) {
            None => true,
            Some((outcome, _)) if outcome.kind.is_gone() => false,
            Some((outcome, at)) => {
                video.last = Some(Box::new(LastOutcome {
                    outcome: (*outcome).clone(),
                    at: *at,
                }));
                true
            }
        });
        for (id, (outcome, _)) in &latest {
            if outcome.kind.is_gone() {
                self.ids.remove(id);
            }
        }
        true
    }
}

impl<'a> IntoIterator for &'a KnownVideos {
    type Item = &'a KnownVideo;
    type IntoIter = std::slice::Iter<'a, KnownVideo>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OutcomeKind;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn add_keeps_order_and_counts_known() {
        let mut list = KnownVideos::default();
        let report = list.add(&[id(3), id(1), id(3)], Some("x"), Timestamp::UNIX_EPOCH);
        assert_eq!(
            report,
            AddReport {
                added: 2,
                already_known: 1,
                filled: 0,
            }
        );
        let order: Vec<_> = list.iter().map(|v| v.id).collect();
        assert_eq!(order, [id(3), id(1)]);
    }

    #[test]
    fn outcomes_remove_gone_and_remember_the_rest() {
        let mut list = KnownVideos::default();
        list.add(&[id(1), id(2), id(3)], None, Timestamp::UNIX_EPOCH);
        let at = Timestamp::UNIX_EPOCH;
        list.apply_outcomes(&[
            (id(1), Outcome::unsent(OutcomeKind::Deleted), at),
            (id(2), Outcome::unsent(OutcomeKind::Processing), at),
            (id(3), Outcome::unsent(OutcomeKind::NotFound), at),
            (id(9), Outcome::unsent(OutcomeKind::Failed), at),
        ]);
        assert_eq!(list.len(), 1);
        assert!(!list.contains(&id(1)) && !list.contains(&id(3)) && !list.contains(&id(9)));
        let last = list.get(&id(2)).unwrap().last.as_ref().unwrap();
        assert_eq!(last.outcome.kind, OutcomeKind::Processing);
    }

    #[test]
    fn details_go_with_new_videos_and_fill_in_known_ones() {
        let mut list = KnownVideos::default();
        let at = Timestamp::UNIX_EPOCH;
        list.add(&[id(1), id(2)], Some("old"), at);
        let titled = |title: &str| VideoDetails {
            title: Some(title.into()),
            created_at: None,
        };
        let details: IdMap<VideoDetails> = [(id(1), titled("one")), (id(3), titled("three"))]
            .into_iter()
            .collect();
        let report = list.add_with_details(&[id(1), id(2), id(3)], &details, Some("new"), at);
        assert_eq!(
            (report.added, report.already_known, report.filled),
            (1, 2, 1)
        );
        let titles: Vec<_> = list.iter().map(|v| v.title()).collect();
        assert_eq!(titles, [Some("one"), None, Some("three")]);
        assert_eq!(list.get(&id(1)).unwrap().label.as_deref(), Some("old"));
        let again = list.add_with_details(&[id(1)], &details, None, at);
        assert_eq!(again.filled, 0, "a title it has is kept");
    }

    #[test]
    fn forget_counts_only_known_ids() {
        let mut list = KnownVideos::default();
        list.add(&[id(1), id(2)], None, Timestamp::UNIX_EPOCH);
        assert_eq!(list.forget(&[id(2), id(7)]), 1);
        assert_eq!(list.len(), 1);
        assert_eq!(list.add(&[id(2)], None, Timestamp::UNIX_EPOCH).added, 1);
    }

    #[test]
    fn duplicate_ids_are_refused_on_build() {
        let mut list = KnownVideos::default();
        list.add(&[id(1)], None, Timestamp::UNIX_EPOCH);
        let mut videos = list.as_slice().to_vec();
        videos.push(videos[0].clone());
        assert_eq!(KnownVideos::from_videos(videos), Err(id(1)));
    }
}
