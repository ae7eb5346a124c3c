//! Shared by the engine test files: building a loopback client, spawning the engine and
//! collecting its events with a deadline (so a bug shows as a failure, not a hung test).

use std::time::Duration;

use elytron_tui::api::{ApiKey, ClientConfig, ElytronClient, Outcome, VideoId};
use elytron_tui::engine::{self, BatchCounts, Command, EngineConfig, Event, ServerPace};
use elytron_tui::rails::{Cleared, Rails};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

pub const SECRET: &str = "sk-live-ENGINE-SECRET-77";
/// No single test waits longer than this for an event.
const PATIENCE: Duration = Duration::from_secs(30);

pub fn key() -> ApiKey {
    ApiKey::new(SECRET).expect("valid key")
}

pub fn ids(n: usize) -> Vec<VideoId> {
    (0..n)
        .map(|_| VideoId::from_uuid(uuid::Uuid::new_v4()))
        .collect()
}

/// `ids` as the engine takes them: checked and confirmed on a profile with no rails.
pub fn cleared(ids: Vec<VideoId>) -> Cleared {
    Rails::default()
        .check(ids, |_| None, jiff::Timestamp::now())
        .expect("no rails refuse")
        .confirm(None)
        .expect("no name asked")
}

pub fn client(base_url: &str) -> ElytronClient {
    ElytronClient::new(&ClientConfig {
        base_url: base_url.to_owned(),
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(2),
    })
    .expect("loopback base URL is accepted")
}

/// Fast backoff so retry tests take milliseconds.
pub fn config() -> EngineConfig {
    EngineConfig {
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(50),
        ..EngineConfig::default()
    }
}

pub struct Driver {
    pub commands: UnboundedSender<Command>,
    pub events: UnboundedReceiver<Event>,
    /// Every event seen so far, in order.
    pub seen: Vec<Event>,
}

impl Driver {
    pub fn start(base_url: &str, key: Option<ApiKey>, config: EngineConfig) -> Self {
        Self::start_seeded(base_url, key, config, None)
    }

    /// As `start`, from what an earlier batch learned.
    pub fn start_seeded(
        base_url: &str,
        key: Option<ApiKey>,
        config: EngineConfig,
        seed: Option<ServerPace>,
    ) -> Self {
        let (commands, events) = engine::spawn_seeded(client(base_url), key, config, seed);
        Self {
            commands,
            events,
            seen: Vec::new(),
        }
    }

    pub fn send(&self, command: Command) {
        self.commands.send(command).expect("engine is running");
    }

    /// Queues `ids`, past rails that protect nothing (what these tests drive is the engine).
    pub fn enqueue(&self, ids: Vec<VideoId>) {
        self.send(Command::Enqueue(cleared(ids)));
    }

    /// The next event, failing the test if none comes in time.
    pub async fn next(&mut self) -> Event {
        let event = tokio::time::timeout(PATIENCE, self.events.recv())
            .await
            .expect("the engine went quiet")
            .expect("the engine stopped without `Stopped`");
        self.seen.push(event.clone());
        event
    }

    /// Events up to and including the first that matches.
    pub async fn until(&mut self, mut done: impl FnMut(&Event) -> bool) -> Vec<Event> {
        let mut got = Vec::new();
        loop {
            let event = self.next().await;
            let stop = done(&event);
            got.push(event);
            if stop {
                return got;
            }
        }
    }

    /// Runs to `Idle` and returns its counts.
    pub async fn until_idle(&mut self) -> BatchCounts {
        match self.until(|e| matches!(e, Event::Idle { .. })).await.pop() {
            Some(Event::Idle { counts }) => counts,
            other => panic!("expected Idle, got {other:?}"),
        }
    }

    /// The final outcome of `id`, from the events seen so far.
    pub fn outcome(&self, id: VideoId) -> Outcome {
        self.seen
            .iter()
            .find_map(|event| match event {
                Event::Finished { id: done, outcome } if *done == id => Some(outcome.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{id} never finished"))
    }

    /// IDs in the order their first attempt started.
    pub fn first_starts(&self) -> Vec<VideoId> {
        self.seen
            .iter()
            .filter_map(|event| match event {
                Event::Started { id, attempt: 1 } => Some(*id),
                _ => None,
            })
            .collect()
    }
}
