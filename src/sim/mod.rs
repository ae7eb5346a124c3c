//! The simulated Elytron server (axum, loopback): the tests, the benchmarks and `--demo` run
//! against it. It deletes videos and lists them (with their details and generation status). This file owns starting, inspecting and stopping it in-process; it never
//! listens beyond loopback, and nothing in the app's real path depends on it.

mod access;
mod catalog;
mod churn;
mod config;
mod faults;
mod fixtures;
mod impostor;
mod library;
mod rate_limit;
mod reads;
mod responses;
mod routes;
mod standalone;
mod stats;
mod tls;
mod video;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::serve::{Listener, ListenerExt};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use churn::Churn;
pub use config::{
    DEMO_KEY, ErrorShape, HeaderForm, Refusal, ResetStyle, RouteOff, SimConfig, SuccessShape,
    demo_config,
};
pub use fixtures::Fixtures;
pub use impostor::Misroute;
pub use rate_limit::FixedWindowLimit;
pub use standalone::{SimArgs, SimError, run_standalone};
pub use stats::SimStats;
pub use tls::SimTls;

use rate_limit::{Limiter, TokenBucket};
use routes::{SimState, lock};
use tls::TlsListener;

/// A running simulated server. Dropping it starts a graceful shutdown; `shutdown` also waits
/// for it.
pub struct SimServer {
    addr: SocketAddr,
    /// `http` or, with `SimConfig::tls`, `https`.
    scheme: &'static str,
    fixtures: Fixtures,
    state: Arc<SimState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl SimServer {
    /// Binds `config.addr` (port 0 picks a free port) and serves in a background task, over
    /// TLS if `config.tls` is set. Refuses a non-loopback address, an empty key, a rate that
    /// is not positive, two limits at once and a certificate that does not load.
    pub async fn start(config: SimConfig) -> io::Result<Self> {
        validate(&config)?;
        let tls = config.tls.as_ref().map(SimTls::server_config).transpose()?;
        let listener = bind(config.addr)?;
        let addr = listener.local_addr()?;
        let fixtures = Fixtures::generate(&config);
        let state = Arc::new(SimState::new(&config, &fixtures));
        let (stop, stopped) = oneshot::channel::<()>();
        let app = routes::router(Arc::clone(&state));
        let counted = Arc::clone(&state);
        let connected = move || counted.stats.connected();
        let (scheme, task) = match tls {
            None => {
                let listener = listener.tap_io(move |_| connected());
                ("http", tokio::spawn(serve(listener, app, stopped)))
            }
            Some(tls) => {
                let listener = TlsListener::new(listener, tls, connected)?;
                ("https", tokio::spawn(serve(listener, app, stopped)))
            }
        };
        Ok(Self {
            addr,
            scheme,
            fixtures,
            state,
            stop: Some(stop),
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v1` (`https` with TLS), the form `--base-url` takes.
    pub fn base_url(&self) -> String {
        format!("{}://{}/v1", self.scheme, self.addr)
    }

    /// `http://127.0.0.1:PORT/_sim/stats`, the JSON form of `stats()` for other processes.
    pub fn stats_url(&self) -> String {
        format!("{}://{}/_sim/stats", self.scheme, self.addr)
    }

    /// The seeded IDs, by how the server answers their first DELETE.
    pub fn fixtures(&self) -> &Fixtures {
        &self.fixtures
    }

    pub fn stats(&self) -> SimStats {
        self.state.stats.snapshot()
    }

    /// Zeroes the counters (requests still in flight stay counted). The videos stay as they are.
    pub fn reset_stats(&self) {
        self.state.stats.reset();
    }

    /// Replaces the rate limit from now on with a token bucket, full; `None` lifts it.
    /// `burst` defaults to one second's worth, as in `SimConfig`.
    pub fn set_rate_limit(&self, rate_per_sec: Option<f64>, burst: Option<f64>) {
        *lock(&self.state.limiter) = rate_per_sec
            .filter(|rate| rate.is_finite() && *rate > 0.0)
            .map(|rate| Limiter::TokenBucket(TokenBucket::new(rate, burst, Instant::now())));
    }

    /// Changes the share of requests answered a plain 503 from now on (1.0: a server that
    /// refuses everything).
    pub fn set_unavailable_rate(&self, rate: f64) {
        lock(&self.state.faults).unavailable_rate = rate;
    }

    /// Changes the share of successful deletes answered with a closed connection from now on.
    pub fn set_drop_after_delete_rate(&self, rate: f64) {
        lock(&self.state.faults).drop_after_delete_rate = rate;
    }

    /// Changes the share of requests answered with a garbage `200` from now on.
    pub fn set_garbage_2xx_rate(&self, rate: f64) {
        lock(&self.state.garbage).rate = rate;
    }

    /// Accepts `key` from now on instead of the configured one (a rotated key), with no
    /// revocation scheduled.
    pub fn set_key(&self, key: &str) {
        self.state.access.replace(key);
    }

    /// Changes the delay of answers from now on.
    pub fn set_latency(&self, latency: Duration, jitter: Duration) {
        let mut faults = lock(&self.state.faults);
        faults.latency = latency;
        faults.jitter = jitter;
    }

    /// Stops accepting, lets requests in flight finish, and waits for the server task.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            // The receiver only goes away when the task already ended; joining says how.
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for SimServer {
    /// Where it listens; the key and the live state stay out of it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for SimServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // Same as in `shutdown`: an ended task needs no signal.
            let _ = stop.send(());
        }
    }
}

/// Serves `app` on `listener` until `stopped` fires (or its sender is dropped).
async fn serve<L>(listener: L, app: Router, stopped: oneshot::Receiver<()>) -> io::Result<()>
where
    L: Listener,
    L::Addr: std::fmt::Debug,
{
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // A dropped sender means the `SimServer` is gone: stop either way.
            let _ = stopped.await;
        })
        .await
}

/// Room for the API page's own bulk sample, which opens a connection per ID all at once
/// (thousands): with tokio's default backlog of 1024 the overflow would wait for SYN
/// retransmits and make that sample look slower than the server really is.
const LISTEN_BACKLOG: u32 = 4096;

fn bind(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // Lets `elytron-tui sim` restart on the same port while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

fn validate(config: &SimConfig) -> io::Result<()> {
    let invalid = |why: String| Err(io::Error::new(io::ErrorKind::InvalidInput, why));
    if !config.addr.ip().is_loopback() {
        return invalid(format!(
            "it only listens on loopback (127.0.0.1 or ::1), not {}",
            config.addr
        ));
    }
    if config.key.trim().is_empty() {
        return invalid("it needs a non-empty key".to_owned());
    }
    if let Some(rate) = config.rate_per_sec
        && !(rate.is_finite() && rate > 0.0)
    {
        return invalid(format!("rate_per_sec must be positive, not {rate}"));
    }
    if config.rate_per_sec.is_some() && config.fixed_window.is_some() {
        return invalid("a token bucket (rate_per_sec) or a fixed window, not both".to_owned());
    }
    if config.fixed_window.is_some_and(|window| window.limit == 0) {
        return invalid("a fixed window must admit at least one request".to_owned());
    }
    Ok(())
}
