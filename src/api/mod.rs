//! The Elytron API as this project speaks it: identifiers, the key, outcomes, and the HTTP
//! client that sends one `DELETE /videos/{id}`. Knows nothing of batches, the UI or files.

mod key;
mod outcome;
mod video_id;

pub use key::{ApiKey, InvalidApiKey};
pub use outcome::{Outcome, OutcomeKind};
pub use video_id::{InvalidVideoId, VideoId};
