//! The API's read side: `GET /videos` (the account's listing), `GET /videos/{id}` (one
//! video's details) and `GET /videos/{id}/status` (its generation). What their answers hold,
//! read strictly as to whether they are the API's answer at all and tolerantly field by field
//! (`Page`, `Details`, `GenerationStatus`); what one GET came to (`Read`: the same `Attempt`
//! a DELETE comes to, so the engine can pace and halt on it alike); and how it is judged
//! (`RetryPolicy::judge_read`). Sending is `ElytronClient`'s (`requests`); pacing, retrying
//! and walking the pages are not this module's.

mod fields;
mod page;
mod requests;
mod status;
mod verdict;
mod video;

use std::fmt;

pub use fields::Dropped;
pub use page::{Page, PageQuery, Shape};
pub use status::{Details, GenerationStatus};
pub use verdict::{ReadFailure, ReadFailureKind, ReadVerdict};
pub use video::ListedVideo;

use super::attempt::Attempt;

/// Which read route a GET went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadRoute {
    /// `GET /videos`.
    List,
    /// `GET /videos/{id}`.
    Details,
    /// `GET /videos/{id}/status`.
    Status,
}

/// What one GET came to.
#[derive(Clone, Debug, PartialEq)]
pub struct Read<T> {
    pub route: ReadRoute,
    /// As a DELETE's: the status, what an error body said, the rate-limit headers, or how no
    /// answer came. The engine paces and halts on it exactly as on a DELETE's.
    pub attempt: Attempt,
    /// For a 2xx answer only: what its body held, or why it is not what the route answers.
    pub content: Option<Result<T, NotTheApis>>,
}

/// A 2xx answer that is not what the route answers: an HTML page, JSON of another shape, a
/// body cut off. Nothing is read from it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct NotTheApis {
    pub route: ReadRoute,
    /// Why not, for the user: "it answered an HTML page", "it has no videos list".
    pub why: String,
}

impl fmt::Display for NotTheApis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = &self.why;
        match self.route {
            ReadRoute::List => write!(
                f,
                "this server does not list videos ({why}): import IDs instead"
            ),
            ReadRoute::Details => write!(f, "this server does not give a video's details ({why})"),
            ReadRoute::Status => {
                write!(
                    f,
                    "this server does not report a video's generation ({why})"
                )
            }
        }
    }
}
