//! `Catalog`: the made-up fields of the simulated account's videos (prompt, duration,
//! quality, aspect ratio, style, size, when it was made, how its generation went), drawn from
//! the seed so the same config gives the same account. It holds no server state.

use std::time::{Duration, Instant};

use jiff::Timestamp;

use super::fixtures::Fixtures;
use super::video::{Generation, SimClock, SimVideo};
use crate::api::VideoId;

/// Keeps these draws apart from the IDs and the faults drawn from the same seed.
const CATALOG_SEED_SALT: u64 = 0xca7a_1065;

const SUBJECTS: [&str; 8] = [
    "a red fox",
    "an old lighthouse",
    "a paper boat",
    "two astronauts",
    "a jazz trio",
    "a glass city",
    "a sleeping dragon",
    "a street market",
];
const ACTIONS: [&str; 6] = [
    "drifting through",
    "at dawn in",
    "dancing in",
    "seen from above over",
    "slowly melting into",
    "running across",
];
const SETTINGS: [&str; 6] = [
    "heavy rain",
    "a neon night",
    "a field of sunflowers",
    "deep fog",
    "a snowstorm",
    "golden light",
];
const DURATIONS: [u32; 5] = [5, 8, 10, 15, 30];
/// Each quality with the bytes a second of it takes.
const QUALITIES: [(&str, u64); 3] = [("720p", 600_000), ("1080p", 1_250_000), ("4k", 4_000_000)];
const ASPECT_RATIOS: [&str; 3] = ["16:9", "9:16", "1:1"];
const STYLES: [&str; 5] = [
    "cinematic",
    "anime",
    "documentary",
    "watercolor",
    "claymation",
];
const ERRORS: [&str; 3] = [
    "Generation failed: the prompt was refused by the content policy",
    "Generation failed: the render timed out",
    "Generation failed: an internal error occurred",
];

/// Ready videos were made up to this long before the server started.
const HISTORY: Duration = Duration::from_secs(180 * 24 * 3600);

/// Draws video fields from the seed.
pub(super) struct Catalog {
    rng: fastrand::Rng,
}

impl Catalog {
    pub(super) fn new(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed ^ CATALOG_SEED_SALT),
        }
    }

    /// Every video of the fixtures' account: the deletable ones made days to months ago and
    /// done, the processing ones made in the minute before the start and running until
    /// `ready_at`. `failed` of them, spread evenly over both, end failed.
    pub(super) fn account(
        &mut self,
        fixtures: &Fixtures,
        failed: usize,
        clock: &SimClock,
        ready_at: Instant,
    ) -> Vec<SimVideo> {
        let ours = fixtures.deletable.len() + fixtures.processing.len();
        let fails =
            |index: usize| (index + 1) * failed / ours.max(1) > index * failed / ours.max(1);
        let mut videos = Vec::with_capacity(ours);
        for (index, &id) in fixtures.deletable.iter().enumerate() {
            let age = Duration::from_secs(self.rng.u64(3600..HISTORY.as_secs()));
            let created_at = before(clock.start_wall, age);
            let took = Duration::from_secs(self.rng.u64(30..600));
            let generation = Generation::Ended {
                at: after(created_at, took),
                error: fails(index).then(|| self.error()),
            };
            videos.push(self.video(id, created_at, generation));
        }
        let offset = fixtures.deletable.len();
        for (index, &id) in fixtures.processing.iter().enumerate() {
            let age = Duration::from_millis(self.rng.u64(1_000..60_000));
            let generation = Generation::Running {
                from: clock.start,
                until: ready_at,
                error: fails(offset + index).then(|| self.error()),
            };
            videos.push(self.video(id, before(clock.start_wall, age), generation));
        }
        videos
    }

    /// A video asked for at `now` (another client's): pending, then processing for
    /// `generating_for`, then completed.
    pub(super) fn new_video(
        &mut self,
        id: VideoId,
        now: Instant,
        clock: &SimClock,
        generating_for: Duration,
    ) -> SimVideo {
        let generation = Generation::Running {
            from: now,
            until: now + generating_for,
            error: None,
        };
        self.video(id, clock.wall(now), generation)
    }

    fn video(&mut self, id: VideoId, created_at: Timestamp, generation: Generation) -> SimVideo {
        let rng = &mut self.rng;
        let prompt = format!(
            "{} {} {}",
            SUBJECTS[rng.usize(..SUBJECTS.len())],
            ACTIONS[rng.usize(..ACTIONS.len())],
            SETTINGS[rng.usize(..SETTINGS.len())],
        );
        let duration_secs = DURATIONS[rng.usize(..DURATIONS.len())];
        let (quality, rate) = QUALITIES[rng.usize(..QUALITIES.len())];
        // Within 20% of the nominal rate: files of one length are not all one size.
        let file_size = u64::from(duration_secs) * rate * rng.u64(80..=120) / 100;
        SimVideo {
            id,
            prompt,
            duration_secs,
            quality,
            aspect_ratio: ASPECT_RATIOS[rng.usize(..ASPECT_RATIOS.len())],
            style: STYLES[rng.usize(..STYLES.len())],
            created_at,
            file_size,
            generation,
        }
    }

    fn error(&mut self) -> &'static str {
        ERRORS[self.rng.usize(..ERRORS.len())]
    }
}

/// `at - by`, whole seconds (as APIs write times), or `at` if that is out of range.
fn before(at: Timestamp, by: Duration) -> Timestamp {
    at.checked_sub(by)
        .and_then(|t| Timestamp::from_second(t.as_second()))
        .unwrap_or(at)
}

fn after(at: Timestamp, by: Duration) -> Timestamp {
    at.checked_add(by).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn the_same_seed_draws_the_same_account_and_failures_are_spread_over_both_kinds() {
        let config = SimConfig {
            videos: 40,
            processing: 10,
            ..SimConfig::default()
        };
        let fixtures = Fixtures::generate(&config);
        let clock = SimClock::now();
        let ready_at = clock.start + Duration::from_secs(60);
        let draw = || Catalog::new(3).account(&fixtures, 8, &clock, ready_at);
        let (first, again) = (draw(), draw());
        let fields = |videos: &[SimVideo]| -> Vec<(String, u64, Timestamp)> {
            videos
                .iter()
                .map(|v| (v.prompt.clone(), v.file_size, v.created_at))
                .collect()
        };
        assert_eq!(fields(&first), fields(&again));
        let failing = |videos: &[SimVideo]| {
            videos
                .iter()
                .filter(|v| {
                    matches!(
                        v.generation,
                        Generation::Ended { error: Some(_), .. }
                            | Generation::Running { error: Some(_), .. }
                    )
                })
                .count()
        };
        assert_eq!(failing(&first), 8);
        assert_eq!(failing(&first[30..]), 2, "the processing ones fail too");
        // The processing ones are the newest: made after every ready one.
        let oldest_running = first[30..].iter().map(|v| v.created_at).min().unwrap();
        assert!(first[..30].iter().all(|v| v.created_at < oldest_running));
    }
}
