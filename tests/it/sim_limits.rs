//! The simulated server's limits and transports, over real HTTP on loopback: a token bucket
//! that answers 429 with `Retry-After` only, a fixed `Retry-After`, a fixed window, each
//! family of rate headers, a proxy's limiter answering 503, scattered plain 503s, connection
//! counting, and HTTPS with HTTP/2 by ALPN. The `elytron-tui sim` flags for each.

use std::time::Duration;

use clap::Parser;
use elytron_tui::sim::{
    FixedWindowLimit, HeaderForm, Refusal, SimArgs, SimConfig, SimServer, SimTls,
};

use crate::support::sim::{KEY, serve};

fn client() -> reqwest::Client {
    // Every test installs it; only the first call succeeds, the rest find it installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .build()
        .expect("a plain HTTP client builds")
}

/// `config` with none of its videos processing.
async fn start(config: SimConfig) -> SimServer {
    serve(SimConfig {
        processing: 0,
        ..config
    })
    .await
}

/// DELETEs the `n`th deletable video; the status and the answer's headers.
async fn delete(
    client: &reqwest::Client,
    server: &SimServer,
    n: usize,
) -> (u16, reqwest::header::HeaderMap) {
    let id = server.fixtures().deletable[n];
    let response = client
        .delete(format!("{}/videos/{id}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the server answers");
    (response.status().as_u16(), response.headers().clone())
}

/// DELETEs the first `count` deletable videos one after the other; each answer's status and
/// headers.
async fn delete_first(server: &SimServer, count: usize) -> Vec<(u16, reqwest::header::HeaderMap)> {
    let client = client();
    let mut answers = Vec::new();
    for n in 0..count {
        answers.push(delete(&client, server, n).await);
    }
    answers
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<u64> {
    headers.get("retry-after")?.to_str().ok()?.parse().ok()
}

fn has_rate_headers(headers: &reqwest::header::HeaderMap) -> bool {
    [
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ]
    .iter()
    .any(|name| headers.contains_key(*name))
}

#[tokio::test]
async fn without_rate_headers_a_refusal_says_only_429_and_the_configured_retry_after() {
    let server = start(SimConfig {
        rate_per_sec: Some(0.5),
        burst: Some(2.0),
        rate_headers: false,
        retry_after: Some(Duration::from_secs(7)),
        ..SimConfig::default()
    })
    .await;
    let answers = delete_first(&server, 3).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [204, 204, 429]);
    assert!(
        answers
            .iter()
            .all(|(_, headers)| !has_rate_headers(headers))
    );
    assert_eq!(retry_after(&answers[2].1), Some(7), "{:?}", answers[2].1);
    assert_eq!(retry_after(&answers[0].1), None);
    assert_eq!(server.stats().deleted.len(), 2);
}

#[tokio::test]
async fn without_retry_after_either_a_refusal_says_only_429() {
    let server = start(SimConfig {
        rate_per_sec: Some(0.5),
        burst: Some(2.0),
        rate_headers: false,
        retry_after_header: false,
        ..SimConfig::default()
    })
    .await;
    let answers = delete_first(&server, 3).await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [204, 204, 429]);
    let refused = &answers[2].1;
    assert!(
        !has_rate_headers(refused) && !refused.contains_key("retry-after"),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_fixed_window_admits_its_quota_then_refuses_until_it_ends() {
    let window = Duration::from_secs(2);
    let server = start(SimConfig {
        fixed_window: Some(FixedWindowLimit { limit: 3, window }),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let mut answers = Vec::new();
    for n in 0..5 {
        answers.push(delete(&client, &server, n).await);
    }
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [204, 204, 204, 429, 429]);
    let (_, refused) = &answers[3];
    assert_eq!(
        retry_after(refused),
        Some(2),
        "the rest of the window, rounded up"
    );
    assert_eq!(refused["x-ratelimit-limit"], "3");
    assert_eq!(refused["x-ratelimit-remaining"], "0");
    assert_eq!(server.stats().count(429), 2);
    tokio::time::sleep(window).await;
    let (status, headers) = delete(&client, &server, 5).await;
    assert_eq!(status, 204, "a new window");
    assert_eq!(headers["x-ratelimit-remaining"], "2");
}

/// A fixed window of 3 per 10 s in each family of headers: the same numbers, where each
/// family puts them.
#[tokio::test]
async fn every_header_form_carries_the_limit_where_that_form_puts_it() {
    let window = Duration::from_secs(10);
    let forms = [
        (
            HeaderForm::XRateLimit,
            &[("x-ratelimit-limit", "3"), ("x-ratelimit-remaining", "2")][..],
        ),
        (
            HeaderForm::XRateLimitList,
            &[
                ("x-ratelimit-limit", "3, 3;w=10"),
                ("x-ratelimit-remaining", "2"),
            ],
        ),
        (
            HeaderForm::Draft,
            &[
                ("ratelimit-limit", "3"),
                ("ratelimit-remaining", "2"),
                ("ratelimit-reset", "10"),
            ],
        ),
        (
            HeaderForm::Structured,
            &[
                ("ratelimit-policy", "\"default\";q=3;w=10"),
                ("ratelimit", "\"default\";r=2;t=10"),
            ],
        ),
    ];
    for (form, want) in forms {
        let server = start(SimConfig {
            fixed_window: Some(FixedWindowLimit { limit: 3, window }),
            header_form: form,
            ..SimConfig::default()
        })
        .await;
        let (status, headers) = delete(&client(), &server, 0).await;
        assert_eq!(status, 204);
        for (name, value) in want {
            assert_eq!(headers[*name], *value, "{form:?}: {headers:?}");
        }
        let others = ["x-ratelimit-limit", "ratelimit-limit", "ratelimit"];
        let sent = others
            .iter()
            .filter(|name| headers.contains_key(**name))
            .count();
        assert_eq!(sent, 1, "one family only: {form:?}: {headers:?}");
    }
}

/// nginx's `limit_req` as it comes: over the rate, a 503 HTML page, no `Retry-After`, and no
/// answer says anything about the limit.
#[tokio::test]
async fn a_proxy_limiter_refuses_with_an_html_503_and_no_word_of_its_limit() {
    let server = start(SimConfig {
        rate_per_sec: Some(1.0),
        burst: Some(2.0),
        refusal: Refusal::Proxy503,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let mut answers = Vec::new();
    for n in 0..3 {
        answers.push(delete(&client, &server, n).await);
    }
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(statuses, [204, 204, 503]);
    assert!(
        answers
            .iter()
            .all(|(_, headers)| !has_rate_headers(headers))
    );
    let (_, refused) = &answers[2];
    assert_eq!(retry_after(refused), None);
    assert_eq!(refused["content-type"], "text/html");
    assert_eq!(
        server.stats().deleted.len(),
        2,
        "the refused one deleted nothing"
    );
}

#[tokio::test]
async fn scattered_plain_503s_come_at_their_rate_and_delete_nothing() {
    let server = start(SimConfig {
        videos: 400,
        unavailable_rate: 0.2,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let mut unavailable = 0;
    for n in 0..400 {
        let (status, headers) = delete(&client, &server, n).await;
        if status == 503 {
            unavailable += 1;
            assert_eq!(retry_after(&headers), None, "a plain 503");
        } else {
            assert_eq!(status, 204);
        }
    }
    assert!(
        (50..=110).contains(&unavailable),
        "{unavailable} 503s in 400"
    );
    let stats = server.stats();
    assert_eq!(stats.count(503), unavailable);
    assert_eq!(stats.deleted.len() as u64, 400 - unavailable);
}

fn test_tls() -> SimTls {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls");
    SimTls::read(&dir.join("sim-cert.pem"), &dir.join("sim-key.pem")).expect("the test cert")
}

/// A client that trusts the test CA (this test's own; the app trusts it only through
/// `SSL_CERT_FILE`, see `delete_tls.rs`).
fn tls_client(http2: bool) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ca =
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls/ca.pem"))
            .expect("the test CA");
    let builder = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("a PEM certificate"));
    let builder = if http2 { builder } else { builder.http1_only() };
    builder.build().expect("a TLS client builds")
}

#[tokio::test]
async fn over_tls_http2_shares_one_connection_and_http1_opens_one_per_request_in_flight() {
    let server = start(SimConfig {
        videos: 40,
        latency: Duration::from_millis(200),
        tls: Some(test_tls()),
        ..SimConfig::default()
    })
    .await;
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    for (http2, range) in [(true, 0..20), (false, 20..40)] {
        server.reset_stats();
        let client = tls_client(http2);
        // One request first, so the client knows the connection before the rest go at once.
        let (status, _) = delete(&client, &server, range.start).await;
        assert_eq!(status, 204);
        let rest = (range.start + 1..range.end).map(|n| delete(&client, &server, n));
        let statuses: Vec<u16> = futures_util::future::join_all(rest)
            .await
            .into_iter()
            .map(|(status, _)| status)
            .collect();
        assert!(statuses.iter().all(|status| *status == 204), "{statuses:?}");
        let stats = server.stats();
        assert_eq!(stats.deleted.len(), 20);
        if http2 {
            assert_eq!(
                (stats.connections, stats.http2_requests),
                (1, 20),
                "{stats:?}"
            );
        } else {
            assert!(stats.connections >= 10, "{stats:?}");
            assert_eq!(stats.http2_requests, 0);
        }
    }
}

#[tokio::test]
async fn a_certificate_that_does_not_load_is_refused_at_start() {
    let error = SimServer::start(SimConfig {
        tls: Some(SimTls::from_pem("not a certificate", "nor a key")),
        ..SimConfig::default()
    })
    .await
    .expect_err("refused");
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    assert!(error.to_string().contains("certificate"), "{error}");
}

#[derive(clap::Parser)]
struct SimCommand {
    #[command(flatten)]
    args: SimArgs,
}

#[test]
fn the_sim_flags_reach_the_config() {
    let command = SimCommand::try_parse_from([
        "sim",
        "--key",
        "k",
        "--window-limit",
        "50",
        "--window-secs",
        "5",
        "--no-rate-headers",
        "--retry-after-secs",
        "2",
        "--unavailable-rate",
        "0.05",
        "--header-form",
        "x-rate-limit-list",
        "--refusal",
        "proxy503",
    ])
    .expect("the flags parse");
    let config = command.args.to_config();
    assert_eq!(
        config.fixed_window,
        Some(FixedWindowLimit {
            limit: 50,
            window: Duration::from_secs(5)
        })
    );
    assert!(!config.rate_headers);
    assert_eq!(config.retry_after, Some(Duration::from_secs(2)));
    assert_eq!(config.unavailable_rate, 0.05);
    assert_eq!(config.header_form, HeaderForm::XRateLimitList);
    assert_eq!(config.refusal, Refusal::Proxy503);
    let both = SimCommand::try_parse_from([
        "sim",
        "--key",
        "k",
        "--rate-per-sec",
        "10",
        "--window-limit",
        "50",
        "--window-secs",
        "5",
    ]);
    assert!(both.is_err(), "a bucket or a window, not both");
    let half_tls = SimCommand::try_parse_from(["sim", "--key", "k", "--tls-cert", "c.pem"]);
    assert!(half_tls.is_err(), "a certificate needs its key");
    let bare = SimCommand::try_parse_from(["sim", "--key", "k", "--no-retry-after"])
        .expect("the flag parses");
    assert!(!bare.args.to_config().retry_after_header);
    let contradiction = SimCommand::try_parse_from([
        "sim",
        "--key",
        "k",
        "--no-retry-after",
        "--retry-after-secs",
        "2",
    ]);
    assert!(contradiction.is_err(), "no Retry-After, or a fixed one");
}
