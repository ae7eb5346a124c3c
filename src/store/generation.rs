//! `Generation`: what a sync learned of a video's generation on the server (its state,
//! progress, size, duration, completion time, error, download URL) and whether the last
//! complete sync listed it (`LastSync`). Plain data, kept beside a video's title and creation
//! time; how it is stored is `columns`' and `sync`'s business.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Serialize, Serializer};

use crate::api::GenerationState;

/// A video's generation as the API last listed it. Every field may be unknown: an imported
/// video has none until a sync lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Generation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<GenerationState>,
    /// 0 to 100, while it is being generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<u8>,
    /// In bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    #[serde(
        rename = "duration_seconds",
        serialize_with = "seconds",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<Duration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    /// Why its generation failed, as the server said.
    #[serde(rename = "generation_error", skip_serializing_if = "Option::is_none")]
    pub error: Option<Box<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub download_url: Option<Box<str>>,
    #[serde(skip_serializing_if = "LastSync::is_unknown")]
    pub listed: LastSync,
}

impl Generation {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Whether the last complete sync (every state, to the end of the listing) listed a video.
/// Not listed is not gone: it may be another account's, or the listing may leave it out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LastSync {
    /// No complete sync yet since it was added.
    #[default]
    Unknown,
    Listed,
    #[serde(rename = "not_listed")]
    NotListed,
}

impl LastSync {
    pub fn is_unknown(&self) -> bool {
        *self == Self::Unknown
    }

    /// As stored: NULL, 1 or 0.
    pub fn as_column(self) -> Option<bool> {
        match self {
            Self::Unknown => None,
            Self::Listed => Some(true),
            Self::NotListed => Some(false),
        }
    }

    pub fn from_column(listed: Option<bool>) -> Self {
        match listed {
            None => Self::Unknown,
            Some(true) => Self::Listed,
            Some(false) => Self::NotListed,
        }
    }

    /// The word `listed:` takes and the table shows.
    pub fn word(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Listed => "yes",
            Self::NotListed => "no",
        }
    }
}

/// The sizes of some videos added up, as far as a sync listed them: what a batch frees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SizeTotal {
    /// The known sizes, added.
    pub bytes: u64,
    /// Videos of no known size.
    pub unknown: usize,
}

impl SizeTotal {
    pub fn add(&mut self, size: Option<u64>) {
        match size {
            Some(size) => self.bytes = self.bytes.saturating_add(size),
            None => self.unknown += 1,
        }
    }

    /// `41.2 GB`, or `at least 41.2 GB` when some sizes are unknown; `None` when no size is
    /// known (nothing worth saying).
    pub fn shown(&self) -> Option<String> {
        if self.bytes == 0 {
            return None;
        }
        let size = shown_size(self.bytes);
        Some(if self.unknown > 0 {
            format!("at least {size}")
        } else {
            size
        })
    }
}

impl FromIterator<Option<u64>> for SizeTotal {
    fn from_iter<I: IntoIterator<Item = Option<u64>>>(sizes: I) -> Self {
        let mut total = Self::default();
        for size in sizes {
            total.add(size);
        }
        total
    }
}

/// A size as people read it, in units of 1000: `850 B`, `12.5 MB`, `41.2 GB`.
pub fn shown_size(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// A duration as seconds with their fraction, as the API gives it.
fn seconds<S: Serializer>(duration: &Option<Duration>, serializer: S) -> Result<S::Ok, S::Error> {
    match duration {
        Some(duration) => serializer.serialize_f64(duration.as_secs_f64()),
        None => serializer.serialize_none(),
    }
}

/// A `Generation` borrowing its text from where it is read (a row of the database, or a
/// `Generation`): what a scan of a million videos hands on without allocating.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenerationRow<'r> {
    pub state: Option<GenerationState>,
    pub progress: Option<u8>,
    pub file_size: Option<u64>,
    pub duration: Option<Duration>,
    pub completed_at: Option<Timestamp>,
    pub error: Option<&'r str>,
    pub download_url: Option<&'r str>,
    pub listed: LastSync,
}

impl<'r> GenerationRow<'r> {
    pub fn of(generation: &'r Generation) -> Self {
        Self {
            state: generation.state,
            progress: generation.progress,
            file_size: generation.file_size,
            duration: generation.duration,
            completed_at: generation.completed_at,
            error: generation.error.as_deref(),
            download_url: generation.download_url.as_deref(),
            listed: generation.listed,
        }
    }

    pub fn to_owned(self) -> Generation {
        Generation {
            state: self.state,
            progress: self.progress,
            file_size: self.file_size,
            duration: self.duration,
            completed_at: self.completed_at,
            error: self.error.map(Box::from),
            download_url: self.download_url.map(Box::from),
            listed: self.listed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_units_of_1000_and_a_total_says_when_some_are_unknown() {
        assert_eq!(shown_size(850), "850 B");
        assert_eq!(shown_size(12_500_000), "12.5 MB");
        assert_eq!(shown_size(41_200_000_000), "41.2 GB");
        let all: SizeTotal = [Some(1_000_000), Some(500_000)].into_iter().collect();
        assert_eq!(all.shown().as_deref(), Some("1.5 MB"));
        let some: SizeTotal = [Some(1_000_000), None].into_iter().collect();
        assert_eq!(some.shown().as_deref(), Some("at least 1.0 MB"));
        let none: SizeTotal = [None, None].into_iter().collect();
        assert_eq!(none.shown(), None);
        assert_eq!(SizeTotal::default().shown(), None);
    }
}
