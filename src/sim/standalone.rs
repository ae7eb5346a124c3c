//! `elytron-tui sim`: the simulated server as its own process, for pointing the app, curl or
//! the API page's bulk sample at it. Parses its flags, prints where it listens, writes the
//! seeded IDs to a file, serves until Ctrl-C, SIGTERM or SIGHUP, then prints what it saw.
//! Never prints the key.

use std::fmt;
use std::fmt::Write as _;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::churn::Churn;
use super::config::{
    ErrorShape, HeaderForm, Refusal, ResetStyle, RouteOff, SimConfig, SuccessShape,
};
use super::impostor::Misroute;
use super::rate_limit::FixedWindowLimit;
use super::tls::SimTls;
use super::{SimServer, SimStats};
use crate::printable::out::print_line;
use crate::stop_signals::StopSignals;
use crate::store::{Existing, UserFileError, write_user_file};

/// Where the seeded IDs go unless `--ids-file` says otherwise: the sim's own file, replaced
/// on every run.
const DEFAULT_IDS_FILE: &str = "elytron-sim-ids.txt";

/// The flags of `elytron-tui sim`.
#[derive(Clone, clap::Args)]
pub struct SimArgs {
    /// Address to listen on; loopback only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// The bearer key the server accepts.
    #[arg(long, env = "ELYTRON_SIM_KEY", hide_env_values = true)]
    pub key: String,
    /// Videos of the account, including the processing ones.
    #[arg(long, default_value_t = 500)]
    pub videos: usize,
    /// How many of them are still processing at start.
    #[arg(long, default_value_t = 25)]
    pub processing: usize,
    /// Seconds until the processing videos become deletable.
    #[arg(long, default_value_t = 20)]
    pub processing_secs: u64,
    /// How many of the videos end their generation failed (some at start, some when their
    /// processing ends).
    #[arg(long, default_value_t = 0)]
    pub failed: usize,
    /// Videos of another account (403), on top of --videos.
    #[arg(long, default_value_t = 25)]
    pub other_account: usize,
    /// IDs the server never heard of (404), added to the IDs file.
    #[arg(long, default_value_t = 25)]
    pub unknown: usize,
    /// Fixed delay before every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Random extra delay, up to this many milliseconds.
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Token-bucket rate limit; no limit when absent.
    #[arg(long)]
    pub rate_per_sec: Option<f64>,
    /// Bucket capacity; one second's worth when absent.
    #[arg(long, requires = "rate_per_sec")]
    pub burst: Option<f64>,
    /// A fixed-window limit instead: this many requests per --window-secs.
    #[arg(long, requires = "window_secs", conflicts_with = "rate_per_sec")]
    pub window_limit: Option<u64>,
    /// The fixed window's length in seconds.
    #[arg(long, requires = "window_limit")]
    pub window_secs: Option<f64>,
    /// Send no X-RateLimit-* headers: a refusal says only 429 and Retry-After.
    #[arg(long)]
    pub no_rate_headers: bool,
    /// A 429's Retry-After, in seconds, whatever the limit would need [default: the
    /// limit's own wait, rounded up]
    #[arg(long)]
    pub retry_after_secs: Option<u64>,
    /// Send no Retry-After with a 429 (with --no-rate-headers, a refusal says only 429).
    #[arg(long, conflicts_with = "retry_after_secs")]
    pub no_retry_after: bool,
    /// How X-RateLimit-Reset is written.
    #[arg(long, value_enum, default_value_t = ResetStyle::DeltaSeconds)]
    pub reset_style: ResetStyle,
    /// Which headers carry the limit: X-RateLimit-*, the same with the policy listed
    /// (`10, 10;w=1`), the IETF draft's RateLimit-*, or its RateLimit-Policy + RateLimit.
    #[arg(long, value_enum, default_value_t = HeaderForm::XRateLimit)]
    pub header_form: HeaderForm,
    /// What a request over the limit gets: the API's 429, or a proxy's 503 HTML page
    /// with no Retry-After and no rate headers (nginx's limit_req as it comes).
    #[arg(long, value_enum, default_value_t = Refusal::Api429)]
    pub refusal: Refusal,
    /// Share of requests answered 500/502/503 (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Share of requests answered a plain 503, each on its own (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    pub unavailable_rate: f64,
    /// Share of successful deletes answered with a closed connection (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    pub drop_after_delete_rate: f64,
    /// Error body shape.
    #[arg(long, value_enum, default_value_t = ErrorShape::Nested)]
    pub error_shape: ErrorShape,
    /// How GET /videos, /videos/{id} and /videos/{id}/status lay out a success: under
    /// "data" with "meta", or bare.
    #[arg(long, value_enum, default_value_t = SuccessShape::Wrapped)]
    pub success_shape: SuccessShape,
    /// Answer GET /videos as a server without the listing would: a JSON 404, a 405, or a
    /// 200 HTML page.
    #[arg(long, value_enum)]
    pub list_off: Option<RouteOff>,
    /// Answer GET /videos/{id}/status as a server without it would.
    #[arg(long, value_enum)]
    pub status_off: Option<RouteOff>,
    /// After each listed page, delete this many videos listed so far (another client at
    /// work: later offsets shift up).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub churn_delete: usize,
    /// After each listed page, create this many new videos (they list first: offsets shift
    /// down).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub churn_create: usize,
    /// Share of requests answered 200 with a body that is not JSON, nothing deleted (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    pub garbage_2xx_rate: f64,
    /// Answer every request as a wrong base URL would: an nginx 404 page, a 404 with another
    /// code, or a redirect; nothing is deleted.
    #[arg(long, value_enum)]
    pub misroute: Option<Misroute>,
    /// Refuse the key (401) after this many requests carrying it, as if it were revoked.
    #[arg(long, value_name = "N")]
    pub revoke_key_after: Option<u64>,
    /// Seed of the IDs and the faults: the same seed gives the same IDs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Where to write the seeded IDs, one per line (every kind); a regular file only, and
    /// one already there only with --force (the default file is the sim's own: always)
    #[arg(long, default_value = DEFAULT_IDS_FILE)]
    pub ids_file: PathBuf,
    /// Replace the --ids-file if a file is already there
    #[arg(long)]
    pub force: bool,
    /// Serve HTTPS (HTTP/2 or HTTP/1.1) with this certificate chain (PEM); clients must
    /// trust it (e.g. SSL_CERT_FILE)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl fmt::Debug for SimArgs {
    /// The flags as `SimConfig` shows them, key hidden.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimArgs")
            .field("config", &self.to_config())
            .field("ids_file", &self.ids_file)
            .finish()
    }
}

impl SimArgs {
    /// The server's config; `tls` stays `None` (reading the files is `run_standalone`'s).
    pub fn to_config(&self) -> SimConfig {
        SimConfig {
            addr: self.addr,
            key: self.key.clone(),
            seed: self.seed,
            videos: self.videos,
            processing: self.processing,
            failed: self.failed,
            other_account: self.other_account,
            unknown: self.unknown,
            processing_for: Duration::from_secs(self.processing_secs),
            latency: Duration::from_millis(self.latency_ms),
            jitter: Duration::from_millis(self.jitter_ms),
            rate_per_sec: self.rate_per_sec,
            burst: self.burst,
            fixed_window: self.fixed_window(),
            rate_headers: !self.no_rate_headers,
            retry_after: self.retry_after_secs.map(Duration::from_secs),
            retry_after_header: !self.no_retry_after,
            reset_style: self.reset_style,
            header_form: self.header_form,
            refusal: self.refusal,
            fault_rate: self.fault_rate,
            unavailable_rate: self.unavailable_rate,
            drop_after_delete_rate: self.drop_after_delete_rate,
            error_shape: self.error_shape,
            success_shape: self.success_shape,
            list_off: self.list_off,
            status_off: self.status_off,
            churn: self.churn(),
            garbage_2xx_rate: self.garbage_2xx_rate,
            misroute: self.misroute,
            revoke_key_after: self.revoke_key_after,
            tls: None,
        }
    }

    fn churn(&self) -> Option<Churn> {
        let churn = Churn {
            delete_listed: self.churn_delete,
            create: self.churn_create,
        };
        (churn != Churn::default()).then_some(churn)
    }

    fn fixed_window(&self) -> Option<FixedWindowLimit> {
        let limit = self.window_limit?;
        let seconds = self.window_secs.filter(|s| s.is_finite() && *s > 0.0)?;
        Some(FixedWindowLimit {
            limit,
            window: Duration::from_secs_f64(seconds),
        })
    }

    fn tls(&self) -> Result<Option<SimTls>, SimError> {
        let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
            return Ok(None);
        };
        SimTls::read(cert, key).map(Some).map_err(SimError::Tls)
    }
}

/// Why `elytron-tui sim` stopped early.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot start the simulated server: {0}")]
    Start(#[source] io::Error),
    #[error("cannot read the TLS certificate or key: {0}")]
    Tls(#[source] io::Error),
    #[error("cannot write the IDs file {}: {source}{}; nothing was written", path.display(),
        if matches!(source, UserFileError::Exists { .. }) { " (--force replaces it)" } else { "" })]
    IdsFile {
        path: PathBuf,
        #[source]
        source: UserFileError,
    },
    #[error("cannot listen for Ctrl-C, SIGTERM or SIGHUP: {0}")]
    Signal(#[source] io::Error),
    #[error("the simulated server failed: {0}")]
    Serve(#[source] io::Error),
    #[error("cannot write where it listens on standard output: {0}")]
    Output(#[source] io::Error),
}

/// Starts the server, prints how to reach it, writes the IDs file, and serves until Ctrl-C,
/// SIGTERM or SIGHUP; then prints what it saw.
pub async fn run_standalone(args: SimArgs) -> Result<(), SimError> {
    // Listening before anything is printed: a stop sent as soon as the address shows must
    // not meet the default action (death without the summary).
    let mut stop = StopSignals::listen(true).map_err(SimError::Signal)?;
    let config = SimConfig {
        tls: args.tls()?,
        ..args.to_config()
    };
    let server = SimServer::start(config).await.map_err(SimError::Start)?;
    let fixtures = server.fixtures();
    let ids = fixtures.all().fold(String::new(), |mut text, id| {
        // Writing into a String cannot fail.
        let _ = writeln!(text, "{id}");
        text
    });
    let existing = if args.force || args.ids_file == Path::new(DEFAULT_IDS_FILE) {
        Existing::Replace
    } else {
        Existing::Keep
    };
    // One small file, once, before anything is served.
    write_user_file(&args.ids_file, ids.as_bytes(), existing).map_err(|source| {
        SimError::IdsFile {
            path: args.ids_file.clone(),
            source,
        }
    })?;
    let banner = format!(
        "Simulated Elytron server at {}\n  key: the value given with --key / ELYTRON_SIM_KEY \
         (not shown)\n  IDs written to {}: {} deletable, {} processing for {} s, {} of another \
         account, {} unknown\n  counters: GET {}\nCtrl-C (or SIGTERM, SIGHUP) stops it.",
        server.base_url(),
        args.ids_file.display(),
        fixtures.deletable.len(),
        fixtures.processing.len(),
        args.processing_secs,
        fixtures.other_account.len(),
        fixtures.unknown.len(),
        server.stats_url(),
    );
    print_line(&banner).map_err(SimError::Output)?;
    let waited = stop.recv().await;
    let stats = server.stats();
    server.shutdown().await.map_err(SimError::Serve)?;
    waited.map_err(SimError::Signal)?;
    // After a hangup the terminal may be gone; the server still stopped cleanly, so a summary
    // nobody can read is not a failure.
    let _ = print_line(&summary(&stats));
    Ok(())
}

fn summary(stats: &SimStats) -> String {
    let by_status = stats
        .by_status
        .iter()
        .map(|(status, count)| format!("{status}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Served {} requests ({by_status}) on {} connections, {} dropped after delete; \
         deleted {}; peak in flight {}.",
        stats.requests,
        stats.connections,
        stats.dropped_connections,
        stats.deleted.len(),
        stats.peak_in_flight,
    )
}
