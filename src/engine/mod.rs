//! The delete engine: one async task that takes confirmed IDs and sends one DELETE each,
//! paced to the server, with bounded adaptive concurrency and retries. It knows nothing of
//! the UI, the store or files; drivers talk to it only through `protocol`.

mod allowance;
mod attempt;
mod concurrency;
mod config;
mod feedback;
mod generation_wait;
mod halt;
mod pacer;
mod probe_pace;
mod protocol;
mod pushback;
mod rate_cap;
mod run;
mod tagged_tasks;
mod wait_gate;
mod window_clock;
mod window_quota;

use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use crate::api::{ApiKey, ElytronClient};

pub use config::{DEFAULT_MAX_WAIT, EngineConfig};
pub use halt::ProbeBackoff;
pub use protocol::{BatchCounts, Command, Event, Halt, HaltCause, Pause, RateWait, ServerPace};
pub use rate_cap::Rate;
pub use run::PageAsk;

/// Starts the engine on the current tokio runtime and returns its two channel ends. Dropping
/// the sender shuts it down (in-flight requests finish); dropping the receiver stops it at once.
/// With `key` `None`, the first `Enqueue` answers `Paused(Unauthorized)` until `SetKey`.
///
/// # Panics
/// Outside a tokio runtime, like `tokio::spawn`.
pub fn spawn(
    client: ElytronClient,
    key: Option<ApiKey>,
    config: EngineConfig,
) -> (UnboundedSender<Command>, UnboundedReceiver<Event>) {
    spawn_seeded(client, key, config, None)
}

/// As `spawn`, starting from what an earlier batch on the same server learned (its
/// `Event::Learned`): half the requests in flight it grew to, and the rate it found, rather
/// than from scratch.
///
/// # Panics
/// Outside a tokio runtime, like `tokio::spawn`.
pub fn spawn_seeded(
    client: ElytronClient,
    key: Option<ApiKey>,
    config: EngineConfig,
    seed: Option<ServerPace>,
) -> (UnboundedSender<Command>, UnboundedReceiver<Event>) {
    let (command_tx, command_rx) = mpsc::unbounded_channel();
    let (event_tx, event_rx) = mpsc::unbounded_channel();
    let engine = run::Engine::new(client, key, &config, seed, event_tx);
    tokio::spawn(engine.run(command_rx));
    (command_tx, event_rx)
}
