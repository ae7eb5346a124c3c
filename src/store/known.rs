//! The known list in memory: the videos a user has imported, in the order added, with each
//! one's last outcome. Persistence lives beside it; this file holds no I/O.

use std::sync::Arc;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::api::{Outcome, VideoId};

/// One video the user knows of. 56 bytes: a million of them must fit well under 150 MB.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVideo {
    pub id: VideoId,
    pub added_at: Timestamp,
    /// Shared: an import gives one label to many videos, so it is stored once (`Labels`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Arc<str>>,
    /// The outcome of the last delete attempt on it, if any (a saved list never holds
    /// `Deleted`/`NotFound`: those leave it). Boxed: most videos were never tried, and an
    /// inline outcome would make every entry 160 bytes instead of 56.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Box<LastOutcome>>,
}

impl KnownVideo {
    /// The server said it is gone (deleted, or not found): it leaves the saved list.
    pub fn is_gone(&self) -> bool {
        self.last
            .as_ref()
            .is_some_and(|last| last.outcome.kind.is_gone())
    }
}

/// A delete outcome with when it was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastOutcome {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub at: Timestamp,
}

/// Shares a label with the video before when they are equal: an import gives one label to a
/// run of consecutive videos, so a million videos from a few imports hold a few labels. (A
/// full intern map was measured: with unique labels it made start-up five times slower.)
#[derive(Debug, Default)]
pub struct Labels(Option<Arc<str>>);

impl Labels {
    pub fn intern(&mut self, label: &str) -> Arc<str> {
        match &self.0 {
            Some(last) if **last == *label => Arc::clone(last),
            _ => Arc::clone(self.0.insert(Arc::from(label))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_equal_labels_is_stored_once() {
        let mut labels = Labels::default();
        let a = labels.intern("june import");
        let b = labels.intern("june import");
        assert!(Arc::ptr_eq(&a, &b));
        let c = labels.intern("july");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "july");
    }

    #[test]
    fn an_entry_stays_small_enough_for_a_million_in_memory() {
        assert!(
            std::mem::size_of::<KnownVideo>() <= 56,
            "{}",
            std::mem::size_of::<KnownVideo>()
        );
    }
}
