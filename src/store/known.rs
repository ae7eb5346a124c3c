//! The known list in memory: the videos a user has imported, in the order added, with each
//! one's last outcome. Persistence lives beside it; this file holds no I/O.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::api::{Outcome, VideoId};

/// One video the user knows of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVideo {
    pub id: VideoId,
    pub added_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The outcome of the last delete attempt on it, if any (never `Deleted`/`NotFound`:
    /// those leave the list). Boxed: most videos were never tried, and an inline outcome
    /// would make every entry 160 bytes instead of 64 (96 MB more at a million videos).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Box<LastOutcome>>,
}

/// A delete outcome with when it was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastOutcome {
    #[serde(flatten)]
    pub outcome: Outcome,
    pub at: Timestamp,
}
