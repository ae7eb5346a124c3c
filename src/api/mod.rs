//! The Elytron API as this project speaks it: identifiers, the key, outcomes, and the HTTP
//! client that sends one `DELETE /videos/{id}` or one of the reads (`reads`: the listing, a
//! video's details, its generation). Knows nothing of batches, the UI or files.

mod attempt;
mod client;
mod error_body;
mod generation;
mod key;
mod outcome;
mod rate_fields;
mod rate_limit;
mod reads;
mod retry_policy;
mod video_id;

pub use attempt::{Answer, Attempt, TransportFailure};
pub use client::{ClientConfig, ClientError, ElytronClient};
pub use error_body::ErrorBody;
pub use generation::{GenerationState, UnknownState};
pub use key::{ApiKey, InvalidApiKey};
pub use outcome::{Outcome, OutcomeKind};
pub use rate_limit::RateLimitHint;
pub use reads::{
    Details, Dropped, GenerationStatus, ListedVideo, NotTheApis, Page, PageQuery, Read,
    ReadFailure, ReadFailureKind, ReadRoute, ReadVerdict, Shape,
};
pub use retry_policy::{RetryPolicy, RetryState, VIDEO_IN_PROCESSING, Verdict};
pub use video_id::{InvalidVideoId, VideoId};
