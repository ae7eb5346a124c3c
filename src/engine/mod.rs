//! The delete engine: one async task that takes confirmed IDs and sends one DELETE each,
//! paced to the server, with bounded adaptive concurrency and retries. It knows nothing of
//! the UI, the store or files; drivers talk to it only through `protocol`.

mod protocol;

pub use protocol::{BatchCounts, Command, Event, Pause};
