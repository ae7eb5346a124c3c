//! `GenerationState`: where a video's generation stands, in the API's four words (`pending`,
//! `processing`, `completed`, `failed`). Owns the names and which states are final; what a
//! state means for a DELETE is `retry_policy`'s.

use std::fmt;
use std::str::FromStr;

/// The `status` of a video as the list, details and status pages give it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum GenerationState {
    /// Received, waiting to start.
    Pending,
    /// Being generated; a DELETE is refused (`VIDEO_IN_PROCESSING`).
    Processing,
    Completed,
    Failed,
}

impl GenerationState {
    pub const ALL: [Self; 4] = [
        Self::Pending,
        Self::Processing,
        Self::Completed,
        Self::Failed,
    ];

    /// Completed or failed: it will not change again, and it can be deleted.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Completed | Self::Failed)
    }

    /// The API's word for it, as sent in `?status=` and read in `status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Completed => "completed",
            Self::Failed => "failed",
        }
    }
}

impl fmt::Display for GenerationState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is none of the four.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{found:?} is not a generation state (pending, processing, completed or failed)")]
pub struct UnknownState {
    pub found: String,
}

impl FromStr for GenerationState {
    type Err = UnknownState;

    /// Exactly the API's lower-case words: another spelling is another server's word.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| UnknownState {
                found: s.chars().take(40).collect(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_exactly_the_four_words_and_knows_which_are_final() {
        for state in GenerationState::ALL {
            assert_eq!(state.as_str().parse(), Ok(state));
        }
        for other in ["Completed", "done", "", " pending"] {
            assert!(other.parse::<GenerationState>().is_err(), "{other:?}");
        }
        let finals: Vec<_> = GenerationState::ALL
            .into_iter()
            .filter(|state| state.is_final())
            .collect();
        assert_eq!(
            finals,
            [GenerationState::Completed, GenerationState::Failed]
        );
    }
}
