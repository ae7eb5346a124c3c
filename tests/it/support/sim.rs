//! The simulated server as the tests start it, always with the one key they use: `serve` on
//! an async test's runtime, `Sim` on a runtime of its own for synchronous tests (reading back
//! what it saw).

use std::collections::HashSet;

use elytron_tui::api::{ApiKey, VideoId};
use elytron_tui::sim::{SimConfig, SimServer, SimStats};

/// The key the simulated server accepts in these tests.
pub const KEY: &str = "sk-sim-RIGHT-4711";

/// The simulated server, on a runtime of its own so the tests stay synchronous. Field order
/// matters: the server stops before its runtime goes.
pub struct Sim {
    pub server: SimServer,
    _runtime: tokio::runtime::Runtime,
}

impl Sim {
    /// Serves `config` as it is, with `KEY`.
    pub fn start(config: SimConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime for the simulated server");
        let server = runtime.block_on(serve(config));
        Self {
            server,
            _runtime: runtime,
        }
    }

    /// A server of `videos` deletable videos and nothing else, its IDs drawn from `seed`.
    pub fn seeded(seed: u64, videos: usize) -> Self {
        Self::start(SimConfig {
            seed,
            ..plain(videos)
        })
    }

    /// `config` where every video can be deleted: none processing, none unknown.
    pub fn deletable_only(config: SimConfig) -> Self {
        Self::with_other_account(config, 0)
    }

    /// As `deletable_only`, plus `others` videos of another account (403 `FORBIDDEN`).
    pub fn with_other_account(config: SimConfig, others: usize) -> Self {
        Self::start(SimConfig {
            processing: 0,
            other_account: others,
            unknown: 0,
            ..config
        })
    }

    /// A sandbox whose every run talks to this server with `KEY`.
    pub fn sandbox(&self) -> super::sandbox::Sandbox {
        super::sandbox::Sandbox::new()
            .at(self.server.base_url())
            .with_key(KEY)
    }

    pub fn deletable(&self) -> &[VideoId] {
        &self.server.fixtures().deletable
    }

    pub fn other_account(&self) -> &[VideoId] {
        &self.server.fixtures().other_account
    }

    pub fn stats(&self) -> SimStats {
        self.server.stats()
    }

    /// Every ID the server deleted, sorted, as text.
    pub fn deleted(&self) -> Vec<String> {
        sorted(self.stats().deleted.iter().map(ToString::to_string))
    }

    /// The IDs the server deleted.
    pub fn deleted_ids(&self) -> HashSet<VideoId> {
        self.stats().deleted.into_iter().collect()
    }
}

/// Serves `config` as it is, with `KEY`, on the caller's runtime (for async tests).
pub async fn serve(config: SimConfig) -> SimServer {
    SimServer::start(SimConfig {
        key: KEY.to_owned(),
        ..config
    })
    .await
    .expect("simulated server starts on loopback")
}

/// `KEY`, as the engine and the client take it.
pub fn api_key() -> ApiKey {
    ApiKey::new(KEY).expect("valid key")
}

/// A server with `videos` deletable videos and nothing else.
pub fn plain(videos: usize) -> SimConfig {
    SimConfig {
        videos,
        processing: 0,
        other_account: 0,
        unknown: 0,
        ..SimConfig::default()
    }
}

/// A server with two videos, both generating for `generating`, and nothing else.
pub fn generating_only(generating: std::time::Duration) -> SimConfig {
    SimConfig {
        videos: 2,
        processing: 2,
        processing_for: generating,
        ..plain(2)
    }
}

pub fn strings(ids: &[VideoId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

pub fn sorted(ids: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut ids: Vec<String> = ids.into_iter().collect();
    ids.sort();
    ids
}
