//! What `delete` says of a batch before it asks, and beside each request of a dry run: each
//! video as `manifest` describes it (title, age, last outcome), and the batch counted by last
//! outcome and protection, from what the store knows of the asked IDs. Text only: it decides
//! nothing about what is sent.

use std::time::Duration;

use jiff::Timestamp;

use super::CliError;
use crate::api::{Outcome, VideoId};
use crate::manifest::{self, Breakdown};
use crate::query::Subject;
use crate::rails::bare_subject;
use crate::store::{IdMap, KnownVideo, KnownVideos, Store};

/// What makes `delete` wait for videos still generating, as its confirmation names it.
pub const WAITS_FOR_GENERATION: &str = "--wait-processing SECS";

/// Videos listed by line above the question; a dry run lists them all.
const LISTED: usize = 10;

/// What is known of the asked videos: the list, when `delete` read it (by ID: a batch may
/// be a million of them), else the asked IDs looked up in the store.
pub struct Described<'v> {
    list: &'v KnownVideos,
    looked_up: IdMap<KnownVideo>,
    now: Timestamp,
}

impl<'v> Described<'v> {
    pub fn new(
        store: &Store,
        list: &'v KnownVideos,
        ids: &[VideoId],
        now: Timestamp,
    ) -> Result<Self, CliError> {
        let looked_up = if list.is_empty() {
            store.videos_of(ids)?
        } else {
            IdMap::default()
        };
        Ok(Self {
            list,
            looked_up,
            now,
        })
    }

    fn video(&self, id: VideoId) -> Option<&KnownVideo> {
        self.list.get(&id).or_else(|| self.looked_up.get(&id))
    }

    fn subject(&self, id: VideoId) -> Subject<'_> {
        match self.video(id) {
            Some(video) => Subject::of(video),
            None => bare_subject(id, self.now),
        }
    }

    /// The sizes the last sync listed of `ids`, for those it gave one (what deleting them
    /// frees).
    pub fn sizes(&self, ids: &[VideoId]) -> IdMap<u64> {
        ids.iter()
            .filter_map(|&id| {
                let details = self.video(id)?.details.as_ref()?;
                Some((id, details.generation.file_size?))
            })
            .collect()
    }

    /// What is known of `id` beyond the ID (`"Title" · made 3d ago`), maybe nothing.
    pub fn describe(&self, id: VideoId) -> String {
        manifest::describe(&self.subject(id), self.now)
    }

    /// The batch `ids` by last outcome and generation state, and the `protected` ones left out by why.
    pub fn breakdown(&self, ids: &[VideoId], protected: &[(VideoId, Outcome)]) -> Breakdown {
        let reasons = protected.iter().map(|(_, outcome)| {
            (outcome.message.clone()).unwrap_or_else(|| "protected".to_owned())
        });
        Breakdown::new(ids.iter().map(|&id| self.subject(id)), reasons)
    }

    /// The lines said above the question: the first videos, one a line, then the breakdown
    /// and what the batch does with those still generating (it waits `wait_processing`).
    pub fn preface(
        &self,
        ids: &[VideoId],
        protected: &[(VideoId, Outcome)],
        wait_processing: Option<Duration>,
    ) -> Vec<String> {
        let mut lines: Vec<String> = (ids.iter().take(LISTED))
            .map(|&id| format!("  {}", manifest::line(&self.subject(id), self.now)))
            .collect();
        if ids.len() > LISTED {
            lines.push(format!(
                "  and {} more (--dry-run lists them all)",
                ids.len() - LISTED
            ));
        }
        let breakdown = self.breakdown(ids, protected);
        lines.extend(breakdown.sentences());
        lines.extend(breakdown.generating(wait_processing, WAITS_FOR_GENERATION));
        lines
    }
}
