//! `KnownVideos`: the known list as a command reads it from the store, in the order added,
//! with fast membership. Read only: every change is the store's.

use super::{IdIndex, IdsAt, KnownVideo};
use crate::api::VideoId;

/// The videos a user knows of, in the order they were added (the default order on screen).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownVideos {
    videos: Vec<KnownVideo>,
    /// Where each ID is in `videos` (a fifth of the memory of a map from ID to place).
    places: IdIndex,
}

impl IdsAt for [KnownVideo] {
    fn id(&self, row: u32) -> &VideoId {
        &self[row as usize].id
    }

    fn count(&self) -> usize {
        self.len()
    }
}

impl KnownVideos {
    /// Builds a list from stored entries; `Err` carries the first ID that appears twice.
    pub fn from_videos(videos: Vec<KnownVideo>) -> Result<Self, VideoId> {
        let mut places = IdIndex::with_capacity(videos.len());
        for (place, video) in videos.iter().enumerate() {
            if !places.insert(videos.as_slice(), place as u32) {
                return Err(video.id);
            }
        }
        Ok(Self { videos, places })
    }

    pub fn len(&self) -> usize {
        self.videos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.videos.is_empty()
    }

    pub fn contains(&self, id: &VideoId) -> bool {
        self.get(id).is_some()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, KnownVideo> {
        self.videos.iter()
    }

    pub fn as_slice(&self) -> &[KnownVideo] {
        &self.videos
    }

    pub fn get(&self, id: &VideoId) -> Option<&KnownVideo> {
        (self.places.get(self.videos.as_slice(), id)).map(|place| &self.videos[place as usize])
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
    use jiff::Timestamp;

    use super::*;

    fn video(n: u128) -> KnownVideo {
        KnownVideo::new(
            VideoId::from_uuid(uuid::Uuid::from_u128(n)),
            Timestamp::UNIX_EPOCH,
            None,
        )
    }

    #[test]
    fn a_list_knows_its_videos_in_order_and_refuses_one_twice() {
        let list = KnownVideos::from_videos(vec![video(3), video(1)]).unwrap();
        let order: Vec<_> = list.iter().map(|v| v.id).collect();
        assert_eq!(order, [video(3).id, video(1).id]);
        assert!(list.contains(&video(1).id) && !list.contains(&video(2).id));
        assert_eq!(list.get(&video(1).id), Some(&video(1)));
        assert_eq!(
            KnownVideos::from_videos(vec![video(1), video(1)]),
            Err(video(1).id)
        );
    }
}
