//! `SimStats`: what the simulated server saw (connections, requests, answers by status,
//! deletions in order, every DELETE path (and when it came) and GET path, requests in flight,
//! the churn's deletions and creations). Counts only; it decides no answer.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use axum::http::Version;
use serde::{Deserialize, Serialize};

use crate::api::VideoId;

/// A snapshot of the server's counters, also served as JSON at `GET /_sim/stats`.
///
/// Invariant: `requests == by_status.values().sum() + dropped_connections + abandoned +
/// in_flight`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimStats {
    /// Requests received on every route but `/_sim/stats` (answered, dropped, abandoned or in flight).
    pub requests: u64,
    /// Answers sent, by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
    /// Deletes that took effect and were then answered with a closed connection.
    pub dropped_connections: u64,
    /// Requests whose client hung up (a timeout, a cancel) while the server was still
    /// waiting out its latency; nothing was changed for them.
    pub abandoned: u64,
    /// Every video that was deleted, in the order the deletes took effect.
    pub deleted: Vec<VideoId>,
    /// The path of every DELETE received, in arrival order, exactly as asked
    /// (so a test can prove nothing outside a batch was sent).
    pub delete_paths: Vec<String>,
    /// The path and query of every GET to a `/v1/videos` route, in arrival order.
    pub read_paths: Vec<String>,
    /// Videos the churn deleted (another client, not a DELETE request), in that order.
    pub churn_deleted: Vec<VideoId>,
    /// Videos the churn created, in that order.
    pub churn_created: Vec<VideoId>,
    /// When each DELETE arrived, beside `delete_paths`: microseconds since the server started
    /// (or its counters were reset), so a test can count what came in any one second.
    pub delete_arrivals_us: Vec<u64>,
    /// When each GET arrived, beside `read_paths`, counted as `delete_arrivals_us`.
    pub read_arrivals_us: Vec<u64>,
    /// Requests being handled right now.
    pub in_flight: u64,
    /// The most requests ever handled at once since start or the last reset.
    pub peak_in_flight: u64,
    /// Connections accepted (TCP; over TLS, counted before the handshake).
    pub connections: u64,
    /// DELETEs that came over HTTP/2 (the rest came over HTTP/1.1).
    pub http2_requests: u64,
}

impl SimStats {
    /// Answers sent with this status (0 when none).
    pub fn count(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// The live counters behind `SimStats`. One short lock per event; never held across `.await`.
pub(super) struct StatsRecorder {
    stats: Mutex<SimStats>,
    /// What `delete_arrivals_us` and `read_arrivals_us` count from.
    since: Mutex<Instant>,
}

impl Default for StatsRecorder {
    fn default() -> Self {
        Self {
            stats: Mutex::default(),
            since: Mutex::new(Instant::now()),
        }
    }
}

impl StatsRecorder {
    /// Counts a request as received and in flight until the returned guard ends it with an
    /// answer, a dropped connection, or (dropped unfinished) as abandoned by the client.
    pub(super) fn begin(&self, delete_path: Option<&str>) -> InFlight<'_> {
        let mut stats = self.lock();
        stats.requests += 1;
        stats.in_flight += 1;
        stats.peak_in_flight = stats.peak_in_flight.max(stats.in_flight);
        if let Some(path) = delete_path {
            let arrived = self.arrived();
            stats.delete_paths.push(path.to_owned());
            stats.delete_arrivals_us.push(arrived);
        }
        InFlight {
            recorder: self,
            end: End::Abandoned,
        }
    }

    /// As `begin`, for a GET of `path_and_query`.
    pub(super) fn begin_read(&self, path_and_query: &str) -> InFlight<'_> {
        let in_flight = self.begin(None);
        let arrived = self.arrived();
        let mut stats = self.lock();
        stats.read_paths.push(path_and_query.to_owned());
        stats.read_arrivals_us.push(arrived);
        drop(stats);
        in_flight
    }

    /// Microseconds since the server started (or its counters were reset).
    fn arrived(&self) -> u64 {
        let since = *self.since.lock().unwrap_or_else(PoisonError::into_inner);
        u64::try_from(since.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// What the churn did after a listed page.
    pub(super) fn churned(&self, deleted: &[VideoId], created: &[VideoId]) {
        let mut stats = self.lock();
        stats.churn_deleted.extend_from_slice(deleted);
        stats.churn_created.extend_from_slice(created);
    }

    pub(super) fn connected(&self) {
        self.lock().connections += 1;
    }

    /// Counts the HTTP version of a DELETE.
    pub(super) fn over(&self, version: Version) {
        if version == Version::HTTP_2 {
            self.lock().http2_requests += 1;
        }
    }

    pub(super) fn deleted(&self, id: VideoId) {
        self.lock().deleted.push(id);
    }

    pub(super) fn snapshot(&self) -> SimStats {
        self.lock().clone()
    }

    /// Forgets everything seen so far except the requests still in flight, which keep
    /// counting (and set the new peak) so the invariant holds after they finish.
    pub(super) fn reset(&self) {
        *self.since.lock().unwrap_or_else(PoisonError::into_inner) = Instant::now();
        let mut stats = self.lock();
        let in_flight = stats.in_flight;
        *stats = SimStats {
            requests: in_flight,
            in_flight,
            peak_in_flight: in_flight,
            ..SimStats::default()
        };
    }

    /// A poisoned lock only means a handler unwound while counting; the counts stay usable.
    fn lock(&self) -> MutexGuard<'_, SimStats> {
        self.stats.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How a request in flight ended.
enum End {
    Answered(u16),
    Dropped,
    Abandoned,
}

/// One request in flight. It is counted as ended when dropped, which also happens when the
/// handler future is dropped (client gone) or unwinds (connection dropped on purpose).
pub(super) struct InFlight<'a> {
    recorder: &'a StatsRecorder,
    end: End,
}

impl InFlight<'_> {
    pub(super) fn answered(mut self, status: u16) {
        self.end = End::Answered(status);
    }

    /// Called just before the handler unwinds to close the connection with no answer.
    pub(super) fn dropped(mut self) {
        self.end = End::Dropped;
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut stats = self.recorder.lock();
        stats.in_flight = stats.in_flight.saturating_sub(1);
        match self.end {
            End::Answered(status) => *stats.by_status.entry(status).or_default() += 1,
            End::Dropped => stats.dropped_connections += 1,
            End::Abandoned => stats.abandoned += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_follows_overlapping_requests_and_survives_their_end() {
        let recorder = StatsRecorder::default();
        let first = recorder.begin(Some("/v1/videos/a"));
        let second = recorder.begin(None);
        first.answered(404);
        let third = recorder.begin(Some("/v1/videos/b"));
        second.dropped();
        drop(third);
        let stats = recorder.snapshot();
        let counts = (stats.requests, stats.in_flight, stats.peak_in_flight);
        assert_eq!(counts, (3, 0, 2));
        assert_eq!(stats.delete_paths, ["/v1/videos/a", "/v1/videos/b"]);
        assert_eq!((stats.count(404), stats.count(204)), (1, 0));
        assert_eq!((stats.dropped_connections, stats.abandoned), (1, 1));
    }

    #[test]
    fn reset_keeps_requests_in_flight() {
        let recorder = StatsRecorder::default();
        recorder.begin(None).answered(500);
        let open = recorder.begin(None);
        recorder.reset();
        assert_eq!(recorder.snapshot().count(500), 0);
        open.answered(204);
        let stats = recorder.snapshot();
        assert_eq!(
            (stats.requests, stats.in_flight, stats.count(204)),
            (1, 0, 1)
        );
    }
}
