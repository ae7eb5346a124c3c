//! `Outcome`: what finally happened to one video ID, after every attempt. Shared by the
//! engine, the store, the history, the CLI's JSON and the TUI's rows.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The final state of one ID in a batch. `Cancelled`, `Skipped` and `Protected` never reached
/// the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// 2xx: the video is gone.
    Deleted,
    /// 404: no such video, or an earlier attempt whose answer was lost already deleted it.
    NotFound,
    /// 400 `VIDEO_IN_PROCESSING`: deletable once generation completes or fails.
    Processing,
    /// 403: the video belongs to another account.
    Forbidden,
    /// 401: the key was refused.
    Unauthorized,
    /// Anything else, after retries.
    Failed,
    /// Queued, then cancelled by the user before it was sent.
    Cancelled,
    /// Never sent because the batch stopped (for example the key was refused).
    Skipped,
    /// Never sent: the profile protects it (`rails`). Reported, never recorded: it is not
    /// the video's last delete, and a `protect` rule reading `status:` must not see it.
    Protected,
}

impl OutcomeKind {
    /// Every kind, in the order declared.
    pub const ALL: [Self; 9] = [
        Self::Deleted,
        Self::NotFound,
        Self::Processing,
        Self::Forbidden,
        Self::Unauthorized,
        Self::Failed,
        Self::Cancelled,
        Self::Skipped,
        Self::Protected,
    ];

    /// The kind whose `as_str` word is `word`.
    pub fn from_word(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// The video is no longer on the server: it leaves the known list.
    pub fn is_gone(self) -> bool {
        matches!(self, Self::Deleted | Self::NotFound)
    }

    /// The snake_case word used in JSON output and the history.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deleted => "deleted",
            Self::NotFound => "not_found",
            Self::Processing => "processing",
            Self::Forbidden => "forbidden",
            Self::Unauthorized => "unauthorized",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Skipped => "skipped",
            Self::Protected => "protected",
        }
    }

    /// The words a person reads on screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotFound => "not found",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One ID's outcome with what the server said about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub kind: OutcomeKind,
    /// The HTTP status of the last answer, if any answer came.
    pub status: Option<u16>,
    /// The server's error code (`VIDEO_NOT_FOUND`, ...), from either error body shape.
    pub error_code: Option<String>,
    /// A readable message: the server's, or ours when the body had none.
    pub message: Option<String>,
    /// `meta.request_id` when the server sent one.
    pub request_id: Option<String>,
    /// Requests sent for this ID (0 for cancelled or skipped).
    pub attempts: u32,
}

impl Outcome {
    /// Cancelled or skipped before any request for it went out: nothing happened to the
    /// video, and `delete --resume` sends it.
    pub fn never_sent(&self) -> bool {
        self.attempts == 0 && matches!(self.kind, OutcomeKind::Cancelled | OutcomeKind::Skipped)
    }

    /// An outcome that never reached the server.
    pub fn unsent(kind: OutcomeKind) -> Self {
        Self {
            kind,
            status: None,
            error_code: None,
            message: None,
            request_id: None,
            attempts: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_word_and_serde_writes_the_same_word() {
        for kind in OutcomeKind::ALL {
            assert_eq!(OutcomeKind::from_word(kind.as_str()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.as_str())
            );
        }
        assert_eq!(OutcomeKind::from_word("not found"), None);
    }
}
