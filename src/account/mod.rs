//! The account as the API lists it: walking `GET /videos` page by page so that nothing is
//! missed while the account changes underneath (`walk`), what the known list already holds,
//! as a walk needs to know it to stop early (`holdings`), and what a complete walk proves
//! (`listed`). Pure: no I/O, no clock, no store. A driver sends the requests the walk plans
//! (`ElytronClient::list_videos`), hands it each page, and merges what it returns.
//!
//! The listing is paged by offset, and offsets shift: a video deleted on an earlier page
//! moves every later one up, a video created moves them down, and the API says nothing of
//! either (nor of its order). So the walk never trusts an offset alone: each page must share
//! a video with the pages already taken (an "anchor") to be trusted, overlapping the last one
//! by a few videos; a page with no anchor is the listing having moved, and the walk steps
//! back until it finds one. A video that exists for the whole walk is therefore always
//! listed by a trusted page (the proof is in `walk`'s notes).

mod holdings;
mod listed;
mod walk;

pub use holdings::{Held, Holdings, ToMerge};
pub use listed::{Listed, WalkEnd, WalkFailure};
pub use walk::{Planned, Walk, WalkMode, WalkPlan, WalkProgress};
