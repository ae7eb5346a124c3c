//! `SimVideo`: one of the account's videos on the simulated server, with every field the API's
//! pages list, and where its generation stands at a given moment (`Phase`), as JSON in the
//! API's field names. It decides nothing about requests; `SimClock` turns the server's
//! `Instant`s into the wall-clock times the API shows.

use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::api::{GenerationState, VideoId};

/// The server's start, on both clocks: `Instant`s decide, `Timestamp`s are shown.
#[derive(Clone, Copy, Debug)]
pub(super) struct SimClock {
    pub start: Instant,
    pub start_wall: Timestamp,
}

impl SimClock {
    pub(super) fn now() -> Self {
        Self {
            start: Instant::now(),
            start_wall: Timestamp::now(),
        }
    }

    /// The wall-clock time of `instant`.
    pub(super) fn wall(&self, instant: Instant) -> Timestamp {
        let after = |d: Duration| self.start_wall.checked_add(d).ok();
        let before = |d: Duration| self.start_wall.checked_sub(d).ok();
        match instant.checked_duration_since(self.start) {
            Some(since) => after(since),
            None => before(self.start.saturating_duration_since(instant)),
        }
        .unwrap_or(self.start_wall)
    }
}

/// How a video's generation goes.
#[derive(Clone, Debug)]
pub(super) enum Generation {
    /// Over before the server started.
    Ended {
        at: Timestamp,
        error: Option<&'static str>,
    },
    /// Pending for its first fifth, then processing until `until`; then completed, or failed
    /// with `error`.
    Running {
        from: Instant,
        until: Instant,
        error: Option<&'static str>,
    },
}

/// Where a generation stands at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    Pending { eta: Instant },
    Processing { progress: u8, eta: Instant },
    Completed { at: Timestamp },
    Failed { error: &'static str },
}

impl Phase {
    pub(super) fn state(self) -> GenerationState {
        match self {
            Self::Pending { .. } => GenerationState::Pending,
            Self::Processing { .. } => GenerationState::Processing,
            Self::Completed { .. } => GenerationState::Completed,
            Self::Failed { .. } => GenerationState::Failed,
        }
    }
}

/// One of the account's videos.
#[derive(Clone, Debug)]
pub(super) struct SimVideo {
    pub id: VideoId,
    pub prompt: String,
    pub duration_secs: u32,
    pub quality: &'static str,
    pub aspect_ratio: &'static str,
    pub style: &'static str,
    pub created_at: Timestamp,
    /// The file's size once it is completed.
    pub file_size: u64,
    pub generation: Generation,
}

impl SimVideo {
    /// Whether a DELETE at `now` is refused with `VIDEO_IN_PROCESSING`.
    pub(super) fn is_generating(&self, now: Instant) -> bool {
        matches!(self.generation, Generation::Running { until, .. } if now < until)
    }

    pub(super) fn phase(&self, now: Instant, clock: &SimClock) -> Phase {
        let (ended_at, error) = match self.generation {
            Generation::Ended { at, error } => (at, error),
            Generation::Running { from, until, .. } if now < until => {
                let run = until.saturating_duration_since(from);
                let pending = run / 5;
                let into = now.saturating_duration_since(from);
                if into < pending {
                    return Phase::Pending { eta: until };
                }
                let share = (into - pending).as_secs_f64() / (run - pending).as_secs_f64();
                let progress = (share * 100.0).floor().clamp(0.0, 99.0) as u8;
                return Phase::Processing {
                    progress,
                    eta: until,
                };
            }
            Generation::Running { until, error, .. } => (clock.wall(until), error),
        };
        match error {
            Some(error) => Phase::Failed { error },
            None => Phase::Completed { at: ended_at },
        }
    }

    /// The video as `GET /videos` and `GET /videos/{id}` list it: every field, `null` where
    /// the generation has not given it (no `completed_at`, `download_url` or `file_size`
    /// before it completes; no `error` unless it failed).
    pub(super) fn listing_json(&self, now: Instant, clock: &SimClock) -> Value {
        let phase = self.phase(now, clock);
        let (completed_at, download_url, file_size, error) = match phase {
            Phase::Completed { at } => (
                Value::from(at.to_string()),
                Value::from(format!(
                    "https://cdn.elytron.invalid/videos/{}.mp4",
                    self.id
                )),
                Value::from(self.file_size),
                Value::Null,
            ),
            Phase::Failed { error } => (Value::Null, Value::Null, Value::Null, error.into()),
            Phase::Pending { .. } | Phase::Processing { .. } => {
                (Value::Null, Value::Null, Value::Null, Value::Null)
            }
        };
        json!({
            "video_id": self.id.to_string(),
            "prompt": self.prompt,
            "status": phase.state().as_str(),
            "duration": self.duration_secs,
            "quality": self.quality,
            "aspect_ratio": self.aspect_ratio,
            "style": self.style,
            "created_at": self.created_at.to_string(),
            "completed_at": completed_at,
            "download_url": download_url,
            "file_size": file_size,
            "error": error,
        })
    }

    /// The video as `GET /videos/{id}/status` reports it: `progress` 0 while pending, 0 to 99
    /// while processing, 100 once completed (`null` once failed); `estimated_completion`
    /// only while it runs; `error` only once failed.
    pub(super) fn status_json(&self, now: Instant, clock: &SimClock) -> Value {
        let phase = self.phase(now, clock);
        let (progress, eta, error) = match phase {
            Phase::Pending { eta } => (Value::from(0), Some(eta), Value::Null),
            Phase::Processing { progress, eta } => (Value::from(progress), Some(eta), Value::Null),
            Phase::Completed { .. } => (Value::from(100), None, Value::Null),
            Phase::Failed { error } => (Value::Null, None, error.into()),
        };
        json!({
            "video_id": self.id.to_string(),
            "status": phase.state().as_str(),
            "progress": progress,
            "estimated_completion": eta.map(|eta| clock.wall(eta).to_string()),
            "error": error,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn video(generation: Generation) -> SimVideo {
        SimVideo {
            id: VideoId::from_uuid(uuid::Uuid::nil()),
            prompt: "a fox".to_owned(),
            duration_secs: 10,
            quality: "1080p",
            aspect_ratio: "16:9",
            style: "anime",
            created_at: Timestamp::from_second(1_700_000_000).unwrap(),
            file_size: 12_000_000,
            generation,
        }
    }

    #[test]
    fn a_generation_goes_pending_then_processing_then_completed_or_failed() {
        let clock = SimClock::now();
        let from = clock.start;
        let until = from + Duration::from_secs(100);
        for error in [None, Some("refused by the content policy")] {
            let running = video(Generation::Running { from, until, error });
            let at = |secs: u64| running.phase(from + Duration::from_secs(secs), &clock);
            assert_eq!(at(0), Phase::Pending { eta: until });
            assert_eq!(at(19), Phase::Pending { eta: until });
            assert_eq!(
                at(20),
                Phase::Processing {
                    progress: 0,
                    eta: until
                }
            );
            assert_eq!(
                at(60),
                Phase::Processing {
                    progress: 50,
                    eta: until
                }
            );
            assert!(running.is_generating(from + Duration::from_secs(99)));
            assert!(!running.is_generating(until));
            let done = at(100);
            match error {
                None => assert_eq!(
                    done,
                    Phase::Completed {
                        at: clock.wall(until)
                    }
                ),
                Some(error) => assert_eq!(done, Phase::Failed { error }),
            }
        }
    }

    #[test]
    fn fields_are_null_where_the_generation_has_not_given_them() {
        let clock = SimClock::now();
        let from = clock.start;
        let until = from + Duration::from_secs(10);
        let running = video(Generation::Running {
            from,
            until,
            error: None,
        });
        let listed = running.listing_json(from + Duration::from_secs(5), &clock);
        assert_eq!(listed["status"], "processing");
        for field in ["completed_at", "download_url", "file_size", "error"] {
            assert!(listed[field].is_null(), "{field}: {listed}");
        }
        assert_eq!(
            (listed["duration"].as_u64(), &listed["prompt"]),
            (Some(10), &json!("a fox"))
        );
        let status = running.status_json(from + Duration::from_secs(5), &clock);
        assert_eq!(status["progress"], 37);
        assert_eq!(
            status["estimated_completion"],
            clock.wall(until).to_string()
        );

        let done = running.listing_json(until, &clock);
        assert_eq!(done["status"], "completed");
        assert_eq!(done["file_size"], 12_000_000);
        assert!(done["download_url"].as_str().unwrap().ends_with(".mp4"));
        assert_eq!(running.status_json(until, &clock)["progress"], 100);

        let failed = video(Generation::Ended {
            at: clock.start_wall,
            error: Some("out of credits"),
        });
        let listed = failed.listing_json(until, &clock);
        assert_eq!(
            (&listed["status"], &listed["error"]),
            (&json!("failed"), &json!("out of credits"))
        );
        assert!(listed["completed_at"].is_null() && listed["file_size"].is_null());
        let status = failed.status_json(until, &clock);
        assert!(status["progress"].is_null() && status["estimated_completion"].is_null());
    }
}
