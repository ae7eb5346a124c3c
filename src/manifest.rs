//! What a delete batch takes, in words, for the person about to confirm it: one line per
//! video (its ID, then what `FIELDS` know of it) and the batch's breakdown by last outcome and
//! by protection. The app's confirmation, `delete`'s question and its dry run all describe a
//! batch here, from `query::Subject`s, so the three say the same. Text only, every piece of
//! outside text made printable; no drawing, no I/O, and nothing here decides what is sent.

use std::time::Duration;

use jiff::Timestamp;

use crate::api::OutcomeKind;
use crate::printable::{into_printable, printable};
use crate::query::{Subject, age_at};

/// One thing said of each video after its ID. A new field (a generation state, a size) is
/// one more entry in `FIELDS`, read from the `Subject` that carries it.
pub struct Field {
    /// What the field is, for the documentation and the tests.
    pub name: &'static str,
    /// Its words for a video at `now`, printable; `None` when the video lacks it.
    pub read: fn(&Subject<'_>, Timestamp) -> Option<String>,
}

/// The fields a video's line shows, in order: the short ones first, so a line cut to the
/// screen loses the end of the title, never the last outcome.
pub const FIELDS: &[Field] = &[
    Field {
        name: "age",
        read: |video, now| {
            video.created_at.map(|at| {
                if at > now {
                    format!("made {} (a clock is wrong)", age_at(now, at))
                } else {
                    format!("made {} ago", age_at(now, at))
                }
            })
        },
    },
    Field {
        name: "last outcome",
        read: |video, _| video.status.map(|kind| format!("last: {kind}")),
    },
    Field {
        name: "title",
        read: |video, _| video.title.map(|title| format!("\"{}\"", printable(title))),
    },
];

/// What is known of `video` beyond its ID, fields joined by ` · `; empty when nothing is.
pub fn describe(video: &Subject<'_>, now: Timestamp) -> String {
    let fields: Vec<String> = FIELDS
        .iter()
        .filter_map(|field| (field.read)(video, now))
        .collect();
    fields.join(" · ")
}

/// `ID  made 3d ago · last: forbidden · "Title"`: one video as a batch lists it.
pub fn line(video: &Subject<'_>, now: Timestamp) -> String {
    let known = describe(video, now);
    if known.is_empty() {
        video.id.to_string()
    } else {
        format!("{}  {known}", video.id)
    }
}

/// A batch counted by what happened the last time each video was tried, and by why the
/// rails left some out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// How many of the batch were last tried with each outcome, at `OutcomeKind::ALL`'s index.
    tried: [usize; OutcomeKind::ALL.len()],
    /// Never tried before.
    untried: usize,
    /// Not last tried as processing, but still generating (pending or processing) when the
    /// last sync listed them.
    synced_generating: usize,
    /// Left out as protected, counted by why (the rails' words), first seen first.
    protected: Vec<(String, usize)>,
}

impl Breakdown {
    /// The batch's videos by their last outcome (`None`: never tried) and their stored
    /// generation state, and the reasons of the ones the rails left out, one per video.
    pub fn new<'v>(
        videos: impl IntoIterator<Item = Subject<'v>>,
        protected: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut breakdown = Self::default();
        for video in videos {
            let kind = video.status;
            match kind.and_then(|kind| OutcomeKind::ALL.iter().position(|&k| k == kind)) {
                Some(at) => breakdown.tried[at] += 1,
                None => breakdown.untried += 1,
            }
            if kind != Some(OutcomeKind::Processing)
                && video
                    .generation
                    .state
                    .is_some_and(|state| !state.is_final())
            {
                breakdown.synced_generating += 1;
            }
        }
        for why in protected {
            match breakdown
                .protected
                .iter_mut()
                .find(|(seen, _)| *seen == why)
            {
                Some((_, count)) => *count += 1,
                None => breakdown.protected.push((why, 1)),
            }
        }
        breakdown
    }

    /// How many the rails left out.
    pub fn protected(&self) -> usize {
        self.protected.iter().map(|(_, count)| count).sum()
    }

    /// One sentence per outcome seen before (`12 were refused before (forbidden).`), then
    /// how many were never tried (when some were), then the protected ones left out and why.
    /// Empty for a batch never tried with nothing protected.
    pub fn sentences(&self) -> Vec<String> {
        let mut out: Vec<String> = OutcomeKind::ALL
            .iter()
            .zip(self.tried)
            .filter(|(_, count)| *count > 0)
            .map(|(&kind, count)| format!("{count} {} {}.", were(count), before(kind)))
            .collect();
        if !out.is_empty() && self.untried > 0 {
            out.push(format!("{} never tried.", self.untried));
        }
        if self.synced_generating > 0 {
            let count = self.synced_generating;
            out.push(format!(
                "{count} {} still generating when last synced.",
                were(count)
            ));
        }
        let protected = self.protected();
        if protected > 0 {
            let why: Vec<String> = (self.protected.iter())
                .map(|(why, count)| format!("{count} {why}"))
                .collect();
            out.push(into_printable(format!(
                "{protected} more {} protected: left out, never sent ({}).",
                if protected == 1 { "is" } else { "are" },
                why.join("; ")
            )));
        }
        out
    }
}

impl Breakdown {
    /// What the batch does with the videos still processing when last tried or generating
    /// when last synced, after the sentences that count them: waits `wait` for their
    /// generation to end, or leaves them (`how_to_wait` says what would wait). `None` when
    /// the batch holds none.
    pub fn generating(&self, wait: Option<Duration>, how_to_wait: &str) -> Option<String> {
        let at = OutcomeKind::ALL
            .iter()
            .position(|&kind| kind == OutcomeKind::Processing)?;
        let one = match self.tried[at] + self.synced_generating {
            0 => return None,
            count => count == 1,
        };
        Some(match (wait, one) {
            (Some(wait), true) => format!(
                "If it is still generating, it is deleted once generation ends (waiting up to \
                 {} s).",
                wait.as_secs()
            ),
            (Some(wait), false) => format!(
                "Those still generating are deleted once generation ends (waiting up to {} s).",
                wait.as_secs()
            ),
            (None, true) => {
                format!(
                    "If it is still generating, it is left as it is ({how_to_wait} waits for it)."
                )
            }
            (None, false) => format!(
                "Those still generating are left as they are ({how_to_wait} waits for them)."
            ),
        })
    }
}

fn were(count: usize) -> &'static str {
    if count == 1 { "was" } else { "were" }
}

/// What an earlier try did, after "12 were".
fn before(kind: OutcomeKind) -> &'static str {
    match kind {
        OutcomeKind::Deleted => "deleted before",
        OutcomeKind::NotFound => "not found before",
        OutcomeKind::Processing => "still processing when last tried",
        OutcomeKind::Forbidden => "refused before (forbidden)",
        OutcomeKind::Unauthorized => "sent before with a key that was refused",
        OutcomeKind::Failed => "tried before and failed",
        OutcomeKind::Cancelled => "cancelled before they were sent",
        OutcomeKind::Skipped => "skipped before they were sent",
        OutcomeKind::Protected => "protected before",
    }
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;

    use super::*;
    use crate::api::{GenerationState, VideoId};
    use crate::query::GenerationFacts;

    fn video(
        title: Option<&str>,
        created_at: Option<Timestamp>,
        status: Option<OutcomeKind>,
    ) -> Subject<'_> {
        Subject {
            id: VideoId::from_uuid(uuid::Uuid::from_u128(7)),
            label: Some("not shown"),
            title,
            status,
            created_at,
            added_at: Timestamp::UNIX_EPOCH,
            generation: GenerationFacts::default(),
        }
    }

    #[test]
    fn a_line_says_the_title_the_age_and_the_last_outcome_printable() {
        let now = Timestamp::UNIX_EPOCH + (400 * 24).hours();
        let made = now - 72.hours();
        let line = line(
            &video(
                Some("Cat\u{1b}[2J"),
                Some(made),
                Some(OutcomeKind::Forbidden),
            ),
            now,
        );
        assert_eq!(
            line,
            "00000000-0000-0000-0000-000000000007  made 3d ago · last: forbidden · \"Cat\\x1b[2J\""
        );
        let bare = video(None, None, None);
        assert_eq!(
            super::line(&bare, now),
            "00000000-0000-0000-0000-000000000007"
        );
        let ahead = video(None, Some(now + 48.hours()), None);
        assert_eq!(describe(&ahead, now), "made in 2d (a clock is wrong)");
    }

    #[test]
    fn a_breakdown_counts_last_outcomes_and_protection_reasons() {
        let last = [
            Some(OutcomeKind::Forbidden),
            Some(OutcomeKind::Forbidden),
            None,
            Some(OutcomeKind::Failed),
        ];
        let why = [
            "protected by ID",
            "protected: label:keep",
            "protected by ID",
        ];
        let breakdown = Breakdown::new(
            last.map(|kind| video(None, None, kind)),
            why.map(str::to_owned),
        );
        assert_eq!(breakdown.protected(), 3);
        assert_eq!(
            breakdown.sentences(),
            [
                "2 were refused before (forbidden).",
                "1 was tried before and failed.",
                "1 never tried.",
                "3 more are protected: left out, never sent (2 protected by ID; 1 protected: \
                 label:keep).",
            ]
        );
        let untried = [video(None, None, None), video(None, None, None)];
        assert!(Breakdown::new(untried, []).sentences().is_empty());
    }

    #[test]
    fn a_breakdown_counts_the_videos_generating_when_last_synced() {
        let synced = |state, status| Subject {
            generation: GenerationFacts {
                state: Some(state),
                ..GenerationFacts::default()
            },
            ..video(None, None, status)
        };
        let batch = [
            synced(GenerationState::Pending, None),
            synced(GenerationState::Processing, None),
            // Counted once, as last tried.
            synced(GenerationState::Processing, Some(OutcomeKind::Processing)),
            synced(GenerationState::Completed, None),
            video(None, None, None),
        ];
        let breakdown = Breakdown::new(batch, []);
        assert_eq!(
            breakdown.sentences(),
            [
                "1 was still processing when last tried.",
                "4 never tried.",
                "2 were still generating when last synced.",
            ]
        );
        assert_eq!(
            breakdown.generating(Some(Duration::from_secs(60)), "--wait-processing"),
            Some(
                "Those still generating are deleted once generation ends (waiting up to 60 s)."
                    .to_owned()
            )
        );
        let completed = [synced(GenerationState::Completed, None)];
        assert_eq!(Breakdown::new(completed, []).generating(None, "x"), None);
    }
}
