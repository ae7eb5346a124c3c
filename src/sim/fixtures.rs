//! `Fixtures`: the seeded video IDs of each kind the simulated server starts with. Pure and
//! reproducible from `SimConfig::seed`; it holds no server state (see `library`).

use super::config::SimConfig;
use crate::api::VideoId;

/// The IDs the server was seeded with, by how it will answer a first DELETE.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixtures {
    /// The account's ready videos: 204.
    pub deletable: Vec<VideoId>,
    /// The account's videos still generating: 400 `VIDEO_IN_PROCESSING` until
    /// `SimConfig::processing_for` has passed, then 204.
    pub processing: Vec<VideoId>,
    /// Another account's videos: 403 `FORBIDDEN`.
    pub other_account: Vec<VideoId>,
    /// IDs the server never heard of: 404 `VIDEO_NOT_FOUND`.
    pub unknown: Vec<VideoId>,
}

impl Fixtures {
    /// Draws every ID from one generator seeded with `config.seed`, so the same config always
    /// gives the same IDs in the same order.
    pub fn generate(config: &SimConfig) -> Self {
        let mut rng = fastrand::Rng::with_seed(config.seed);
        let processing = config.processing.min(config.videos);
        let mut draw = |count: usize| -> Vec<VideoId> {
            (0..count).map(|_| random_video_id(&mut rng)).collect()
        };
        Self {
            deletable: draw(config.videos - processing),
            processing: draw(processing),
            other_account: draw(config.other_account),
            unknown: draw(config.unknown),
        }
    }

    /// Every ID of every kind: deletable, processing, other account, unknown.
    pub fn all(&self) -> impl Iterator<Item = VideoId> + '_ {
        self.deletable
            .iter()
            .chain(&self.processing)
            .chain(&self.other_account)
            .chain(&self.unknown)
            .copied()
    }
}

/// A version 4 UUID from the seeded generator (not the OS one), so runs repeat.
pub(super) fn random_video_id(rng: &mut fastrand::Rng) -> VideoId {
    let bytes = rng.u128(..).to_le_bytes();
    VideoId::from_uuid(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether two fixture sets share an ID; a collision would make a test's expectations wrong.
    fn overlaps(fixtures: &Fixtures) -> bool {
        let mut seen = std::collections::HashSet::<VideoId>::new();
        fixtures.all().any(|id| !seen.insert(id))
    }

    #[test]
    fn same_seed_same_ids_other_seed_other_ids() {
        let config = SimConfig {
            seed: 7,
            ..SimConfig::default()
        };
        let first = Fixtures::generate(&config);
        assert_eq!(first, Fixtures::generate(&config));
        let other = Fixtures::generate(&SimConfig {
            seed: 8,
            ..SimConfig::default()
        });
        assert_ne!(first.deletable, other.deletable);
    }

    #[test]
    fn counts_follow_the_config_and_ids_are_distinct_v4() {
        let fixtures = Fixtures::generate(&SimConfig {
            videos: 50,
            processing: 60,
            other_account: 3,
            unknown: 4,
            ..SimConfig::default()
        });
        assert_eq!(fixtures.deletable.len(), 0);
        assert_eq!(fixtures.processing.len(), 50);
        assert_eq!(fixtures.other_account.len(), 3);
        assert_eq!(fixtures.unknown.len(), 4);
        assert!(!overlaps(&fixtures));
        assert!(fixtures.all().all(|id| id.as_uuid().get_version_num() == 4));
    }
}
