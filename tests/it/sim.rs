//! The simulated Elytron server over real HTTP on loopback: every answer, both error shapes,
//! auth, processing expiry, seeds, rate limiting, faults, dropped connections, counters; and
//! `elytron-tui sim` as a process, stopped by a signal.

use std::time::{Duration, Instant};

use elytron_tui::api::VideoId;
use elytron_tui::sim::{
    ErrorShape, Fixtures, Misroute, ResetStyle, SimArgs, SimConfig, SimServer, SimStats,
    demo_config,
};
use serde_json::Value;

use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, serve};

fn client() -> reqwest::Client {
    // Every test installs it; only the first call succeeds, the rest find it installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    // A redirect (`misroute`) is looked at, not followed.
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a plain HTTP client builds")
}

async fn delete(client: &reqwest::Client, server: &SimServer, id: &str) -> reqwest::Response {
    client
        .delete(format!("{}/videos/{id}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the server answers")
}

/// Status, and the error code in whichever shape the body came.
async fn status_and_code(response: reqwest::Response) -> (u16, Option<String>) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let code = body["error"]["code"]
        .as_str()
        .or(body["error"].as_str())
        .map(str::to_owned);
    (status, code)
}

#[tokio::test]
async fn every_documented_answer_with_request_ids() {
    let server = serve(SimConfig::default()).await;
    let client = client();
    let f = server.fixtures().clone();
    let (ours, busy, foreign, unknown) = (
        f.deletable[0].to_string(),
        f.processing[0].to_string(),
        f.other_account[0].to_string(),
        f.unknown[0].to_string(),
    );

    let gone = delete(&client, &server, &ours).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(gone.bytes().await.unwrap().len(), 0);

    let mut request_ids = Vec::new();
    for (id, want_status, want_code) in [
        (ours.as_str(), 404, "VIDEO_NOT_FOUND"),
        (unknown.as_str(), 404, "VIDEO_NOT_FOUND"),
        (busy.as_str(), 400, "VIDEO_IN_PROCESSING"),
        (foreign.as_str(), 403, "FORBIDDEN"),
        ("not-a-uuid", 400, "INVALID_VIDEO_ID"),
    ] {
        let response = delete(&client, &server, id).await;
        assert_eq!(response.status(), want_status, "{id}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], want_code, "{id}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        request_ids.push(body["meta"]["request_id"].as_str().unwrap().to_owned());
    }
    request_ids.dedup();
    assert_eq!(request_ids.len(), 5, "request ids repeat: {request_ids:?}");

    let stats = server.stats();
    assert_eq!(stats.deleted, [f.deletable[0]]);
    let paths: Vec<String> = [&ours, &ours, &unknown, &busy, &foreign, "not-a-uuid"]
        .iter()
        .map(|id| format!("/v1/videos/{id}"))
        .collect();
    assert_eq!(stats.delete_paths, paths);
    assert_eq!(stats.requests, 6);
    assert_eq!(
        (
            stats.count(204),
            stats.count(404),
            stats.count(400),
            stats.count(403)
        ),
        (1, 2, 2, 1)
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn flat_and_alternating_error_shapes() {
    let flat = serve(SimConfig {
        error_shape: ErrorShape::Flat,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let unknown = flat.fixtures().unknown[0].to_string();
    let body: Value = delete(&client, &flat, &unknown).await.json().await.unwrap();
    assert_eq!(body["error"], "VIDEO_NOT_FOUND", "{body}");
    assert_eq!(body["message"], "Video not found");
    assert_eq!(body["details"], serde_json::json!({}));
    assert!(body["meta"]["request_id"].is_string());

    let alternating = serve(SimConfig {
        error_shape: ErrorShape::Alternating,
        ..SimConfig::default()
    })
    .await;
    let unknown = alternating.fixtures().unknown[0].to_string();
    let mut shapes = Vec::new();
    for _ in 0..4 {
        let body: Value = delete(&client, &alternating, &unknown)
            .await
            .json()
            .await
            .unwrap();
        shapes.push(if body["error"].is_object() {
            "nested"
        } else {
            "flat"
        });
    }
    assert_eq!(shapes, ["nested", "flat", "nested", "flat"]);
}

#[tokio::test]
async fn missing_or_wrong_key_is_refused_and_deletes_nothing() {
    let server = serve(SimConfig::default()).await;
    let client = client();
    let url = format!(
        "{}/videos/{}",
        server.base_url(),
        server.fixtures().deletable[0]
    );
    let refused = [
        client.delete(&url),
        client.delete(&url).bearer_auth("wrong-key"),
        client.delete(&url).header("Authorization", KEY),
        client.delete(&url).basic_auth(KEY, None::<&str>),
    ];
    for request in refused {
        let (status, code) = status_and_code(request.send().await.unwrap()).await;
        assert_eq!((status, code.as_deref()), (401, Some("UNAUTHORIZED")));
    }
    assert!(server.stats().deleted.is_empty());

    let lower_case_scheme = client
        .delete(&url)
        .header("Authorization", format!("bearer {KEY}"))
        .send()
        .await
        .unwrap();
    assert_eq!(lower_case_scheme.status(), 204);
}

#[tokio::test]
async fn a_revoked_key_is_refused_after_its_uses_and_a_rotated_one_works() {
    let server = serve(SimConfig {
        revoke_key_after: Some(2),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let ids = &server.fixtures().deletable;
    for id in &ids[..2] {
        assert_eq!(
            delete(&client, &server, &id.to_string()).await.status(),
            204
        );
    }
    let (status, code) = status_and_code(delete(&client, &server, &ids[2].to_string()).await).await;
    assert_eq!((status, code.as_deref()), (401, Some("UNAUTHORIZED")));
    server.set_key("rotated-key");
    let url = format!("{}/videos/{}", server.base_url(), ids[2]);
    let rotated = client.delete(&url).bearer_auth("rotated-key").send().await;
    assert_eq!(rotated.unwrap().status(), 204);
    assert_eq!(server.stats().deleted, ids[..3]);
}

#[tokio::test]
async fn misroutes_answer_as_a_wrong_base_url_would_and_delete_nothing() {
    let cases = [
        (Misroute::Html404, 404, Some("text/html")),
        (Misroute::Code404, 404, Some("application/json")),
        (Misroute::Redirect, 308, None),
    ];
    for (misroute, want, content_type) in cases {
        let server = serve(SimConfig {
            misroute: Some(misroute),
            ..SimConfig::default()
        })
        .await;
        let id = server.fixtures().deletable[0].to_string();
        let response = delete(&client(), &server, &id).await;
        assert_eq!(response.status(), want, "{misroute:?}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(
            header("content-type").as_deref(),
            content_type,
            "{misroute:?}"
        );
        if misroute == Misroute::Redirect {
            let location = header("location").unwrap_or_default();
            assert_eq!(
                location,
                format!("https://{}/v1/videos/{id}", server.addr())
            );
        } else {
            let body = response.text().await.unwrap();
            assert!(!body.contains("VIDEO_NOT_FOUND"), "{body}");
        }
        assert!(server.stats().deleted.is_empty(), "{misroute:?}");
    }
}

#[tokio::test]
async fn garbage_2xx_answers_200_with_a_body_that_is_not_json_and_deletes_nothing() {
    let server = serve(SimConfig {
        garbage_2xx_rate: 1.0,
        ..SimConfig::default()
    })
    .await;
    let id = server.fixtures().deletable[0].to_string();
    let response = delete(&client(), &server, &id).await;
    assert_eq!(response.status(), 200);
    let body = response.bytes().await.unwrap();
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert!(server.stats().deleted.is_empty());
    server.set_garbage_2xx_rate(0.0);
    assert_eq!(delete(&client(), &server, &id).await.status(), 204);
}

#[tokio::test]
async fn processing_videos_become_deletable_after_their_time() {
    let processing_for = Duration::from_secs(2);
    let started = Instant::now();
    let server = serve(SimConfig {
        processing_for,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let busy = server.fixtures().processing[0].to_string();
    let (status, code) = status_and_code(delete(&client, &server, &busy).await).await;
    assert_eq!(
        (status, code.as_deref()),
        (400, Some("VIDEO_IN_PROCESSING"))
    );
    tokio::time::sleep_until((started + processing_for + Duration::from_millis(100)).into()).await;
    assert_eq!(delete(&client, &server, &busy).await.status(), 204);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_ids_and_states() {
    let config = SimConfig {
        seed: 42,
        ..SimConfig::default()
    };
    let first = serve(config.clone()).await;
    let second = serve(config).await;
    let other = serve(SimConfig {
        seed: 43,
        ..SimConfig::default()
    })
    .await;
    assert_eq!(first.fixtures(), second.fixtures());
    assert_eq!(
        first.fixtures(),
        &Fixtures::generate(&SimConfig {
            seed: 42,
            ..SimConfig::default()
        })
    );
    assert_ne!(first.fixtures().deletable, other.fixtures().deletable);

    let client = client();
    let f = first.fixtures().clone();
    for (id, want) in [
        (f.deletable[3], 204),
        (f.processing[1], 400),
        (f.other_account[2], 403),
        (f.unknown[4], 404),
    ] {
        assert_eq!(
            delete(&client, &second, &id.to_string()).await.status(),
            want
        );
    }
}

fn header_u64(response: &reqwest::Response, name: &str) -> u64 {
    response.headers()[name]
        .to_str()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("{name} is not whole seconds"))
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_and_headers_on_every_answer() {
    // Half a token a second: refilling one token takes 2 s, far longer than three requests.
    let server = serve(SimConfig {
        rate_per_sec: Some(0.5),
        burst: Some(2.0),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let f = server.fixtures().clone();

    let first = delete(&client, &server, &f.deletable[0].to_string()).await;
    assert_eq!(first.status(), 204);
    assert_eq!(header_u64(&first, "x-ratelimit-limit"), 2);
    assert_eq!(header_u64(&first, "x-ratelimit-remaining"), 1);
    assert!((1..=2).contains(&header_u64(&first, "x-ratelimit-reset")));
    assert!(first.headers().get("retry-after").is_none());

    let refused_key = client
        .delete(format!("{}/videos/{}", server.base_url(), f.deletable[1]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused_key.status(), 401);
    assert_eq!(header_u64(&refused_key, "x-ratelimit-remaining"), 0);

    let limited = delete(&client, &server, &f.deletable[2].to_string()).await;
    assert_eq!(limited.status(), 429);
    assert!((1..=2).contains(&header_u64(&limited, "retry-after")));
    assert_eq!(header_u64(&limited, "x-ratelimit-remaining"), 0);
    assert!((3..=4).contains(&header_u64(&limited, "x-ratelimit-reset")));
    let (_, code) = status_and_code(limited).await;
    assert_eq!(code.as_deref(), Some("RATE_LIMIT_EXCEEDED"));
    assert_eq!(server.stats().deleted, [f.deletable[0]]);

    server.set_rate_limit(None, None);
    let unlimited = delete(&client, &server, &f.deletable[2].to_string()).await;
    assert_eq!(unlimited.status(), 204);
    assert!(unlimited.headers().get("x-ratelimit-limit").is_none());
}

#[tokio::test]
async fn rate_limit_reset_as_unix_seconds() {
    let server = serve(SimConfig {
        rate_per_sec: Some(0.5),
        burst: Some(1.0),
        reset_style: ResetStyle::UnixSeconds,
        ..SimConfig::default()
    })
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let response = delete(
        &client(),
        &server,
        &server.fixtures().unknown[0].to_string(),
    )
    .await;
    let reset = header_u64(&response, "x-ratelimit-reset");
    assert!(
        (now + 1..=now + 4).contains(&reset),
        "reset {reset}, now {now}"
    );
}

#[tokio::test]
async fn fault_rate_is_roughly_honoured_and_faults_delete_nothing() {
    let server = serve(SimConfig {
        videos: 400,
        processing: 0,
        fault_rate: 0.3,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let (mut html, mut json_5xx) = (0, 0);
    for id in server.fixtures().deletable.clone() {
        let response = delete(&client, &server, &id.to_string()).await;
        if response.status().is_server_error() {
            let content_type = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_owned();
            let body = response.text().await.unwrap();
            if content_type.starts_with("text/html") {
                assert!(body.contains("502 Bad Gateway"));
                html += 1;
            } else {
                let body: Value = serde_json::from_str(&body).unwrap();
                assert!(
                    body["error"]["code"].is_string() && body["meta"]["request_id"].is_string()
                );
                json_5xx += 1;
            }
        }
    }
    let stats = server.stats();
    let faults = stats.count(500) + stats.count(502) + stats.count(503);
    assert!((80..=160).contains(&faults), "{faults} faults in 400");
    assert_eq!(faults, html + json_5xx);
    assert!(html > 0 && stats.count(500) > 0 && stats.count(503) > 0);
    assert_eq!(stats.deleted.len() as u64, stats.count(204));
    assert_eq!(stats.count(204) + faults, 400);
}

#[tokio::test]
async fn a_dropped_connection_after_delete_still_deletes() {
    let server = serve(SimConfig {
        drop_after_delete_rate: 1.0,
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let id = server.fixtures().deletable[0];
    let lost = client
        .delete(format!("{}/videos/{id}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await;
    let error = lost.expect_err("the connection closes with no answer");
    assert!(error.is_request() || error.is_connect(), "{error:?}");

    let stats = server.stats();
    assert_eq!(stats.deleted, [id]);
    assert_eq!((stats.dropped_connections, stats.in_flight), (1, 0));
    assert!(stats.by_status.is_empty());

    let retry = delete(&client, &server, &id.to_string()).await;
    assert_eq!(retry.status(), 404, "the retry finds it already gone");

    server.set_drop_after_delete_rate(0.0);
    let next = server.fixtures().deletable[1].to_string();
    assert_eq!(delete(&client, &server, &next).await.status(), 204);
    let stats = server.stats();
    let answered: u64 = stats.by_status.values().sum();
    assert_eq!(stats.requests, answered + stats.dropped_connections);
    assert_eq!(stats.requests, 3);
}

#[tokio::test]
async fn stats_route_serves_the_counters_and_is_not_counted() {
    let server = serve(SimConfig::default()).await;
    let client = client();
    delete(
        &client,
        &server,
        &server.fixtures().deletable[0].to_string(),
    )
    .await;
    let unrouted = client
        .get(format!("{}/accounts", server.base_url()))
        .send()
        .await
        .unwrap();
    let (status, code) = status_and_code(unrouted).await;
    assert_eq!((status, code.as_deref()), (404, Some("NOT_FOUND")));

    let served: SimStats = client
        .get(server.stats_url())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, server.stats());
    assert_eq!(served.requests, 2);
    assert_eq!(served.deleted, [server.fixtures().deletable[0]]);
    assert_eq!((served.count(204), served.count(404)), (1, 1));

    server.reset_stats();
    assert_eq!(server.stats(), SimStats::default());
}

#[tokio::test]
async fn peak_in_flight_counts_parallel_requests() {
    let server = serve(SimConfig {
        latency: Duration::from_millis(1500),
        ..SimConfig::default()
    })
    .await;
    let client = client();
    let ids: Vec<String> = server.fixtures().deletable[..6]
        .iter()
        .map(VideoId::to_string)
        .collect();
    let parallel = ids.iter().map(|id| delete(&client, &server, id));
    let statuses: Vec<u16> = futures_util::future::join_all(parallel)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(statuses, [204; 6]);
    let stats = server.stats();
    // All six overlap unless the machine stalls for over a second; allow for some of that.
    assert!(
        (4..=6).contains(&stats.peak_in_flight),
        "peak {}",
        stats.peak_in_flight
    );
    assert_eq!(stats.in_flight, 0);

    server.reset_stats();
    server.set_latency(Duration::from_millis(20), Duration::ZERO);
    for id in &server.fixtures().unknown[..3] {
        delete(&client, &server, &id.to_string()).await;
    }
    assert_eq!(server.stats().peak_in_flight, 1);
}

#[tokio::test]
async fn refuses_non_loopback_and_stops_on_shutdown() {
    let public = SimServer::start(SimConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..SimConfig::default()
    })
    .await;
    assert_eq!(
        public.err().map(|e| e.kind()),
        Some(std::io::ErrorKind::InvalidInput)
    );

    let server = serve(SimConfig::default()).await;
    let client = client();
    let url = server.stats_url();
    assert!(client.get(&url).send().await.is_ok());
    server.shutdown().await.unwrap();
    let after = client.get(&url).send().await;
    assert!(after.is_err(), "still answering after shutdown");
}

#[tokio::test]
async fn demo_config_serves_its_mix_with_its_own_key() {
    let config = demo_config();
    let server = SimServer::start(config.clone()).await.unwrap();
    let f = server.fixtures();
    assert!(f.deletable.len() > 200 && f.deletable.len() > 5 * f.processing.len());
    assert!(!f.processing.is_empty() && !f.other_account.is_empty() && !f.unknown.is_empty());
    let response = client()
        .delete(format!("{}/videos/{}", server.base_url(), f.deletable[0]))
        .bearer_auth(&config.key)
        .send()
        .await
        .unwrap();
    assert!(
        matches!(response.status().as_u16(), 204 | 500 | 502 | 503),
        "{}",
        response.status()
    );
    assert!(response.headers().contains_key("x-ratelimit-limit"));
}

#[derive(clap::Parser)]
struct SimCommand {
    #[command(flatten)]
    args: SimArgs,
}

#[tokio::test]
async fn standalone_writes_every_seeded_id_to_its_file() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let ids_file = dir.path().join("ids.txt");
    let command = SimCommand::try_parse_from([
        "sim",
        "--addr",
        "127.0.0.1:0",
        "--key",
        "STANDALONE-SECRET",
        "--videos",
        "20",
        "--seed",
        "9",
        "--ids-file",
        ids_file.to_str().unwrap(),
    ])
    .unwrap();
    assert!(!format!("{:?}", command.args).contains("STANDALONE-SECRET"));
    let expected: Vec<VideoId> = Fixtures::generate(&command.args.to_config())
        .all()
        .collect();

    let running = tokio::spawn(elytron_tui::sim::run_standalone(command.args));
    let deadline = Instant::now() + Duration::from_secs(10);
    let written = loop {
        match std::fs::read_to_string(&ids_file) {
            Ok(text) if text.lines().count() == expected.len() => break text,
            _ if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(20)).await,
            other => panic!("no IDs file: {other:?}"),
        }
    };
    running.abort();
    let ids: Vec<VideoId> = written.lines().map(|line| line.parse().unwrap()).collect();
    assert_eq!(ids, expected);
}

/// `elytron-tui sim` as its own process, with its standard output read line by line on a
/// thread (so a hung child fails the test instead of hanging it).
struct SimProcess {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// Its `HOME`, kept while it runs.
    _sandbox: Sandbox,
}

impl SimProcess {
    fn start(ids_file: &std::path::Path) -> Self {
        use std::io::BufRead;
        let sandbox = Sandbox::new();
        let mut child = sandbox
            .bare_command()
            .args([
                "sim",
                "--addr",
                "127.0.0.1:0",
                "--videos",
                "5",
                "--processing",
                "0",
            ])
            .arg("--ids-file")
            .arg(ids_file)
            .env("ELYTRON_SIM_KEY", KEY)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start elytron-tui sim");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            _sandbox: sandbox,
        }
    }

    /// The next line of output, failing the test if none comes in time.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(Duration::from_secs(20))
            .expect("elytron-tui sim printed nothing more in time")
    }

    /// Lines up to and including the first that contains `text`.
    fn until(&self, text: &str) -> Vec<String> {
        let mut seen = Vec::new();
        while !seen.last().is_some_and(|line: &String| line.contains(text)) {
            seen.push(self.line());
        }
        seen
    }

    /// Sends `signal` (`"TERM"`, `"HUP"`, `"INT"`) and waits for the exit.
    fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -{signal} failed");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the sim") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "SIG{signal} did not stop the sim"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        // Already gone is the normal case; this only makes sure a failed test leaves nothing.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(unix)]
#[tokio::test]
async fn standalone_stops_on_sigterm_sighup_and_ctrl_c_with_its_summary() {
    let dir = tempfile::tempdir().unwrap();
    for signal in ["TERM", "HUP", "INT"] {
        let ids_file = dir.path().join(format!("ids-{signal}.txt"));
        let mut sim = SimProcess::start(&ids_file);
        let banner = sim.until("stops it");
        let base_url = banner[0]
            .split_whitespace()
            .last()
            .expect("the first line ends with the base URL")
            .to_owned();
        let ids = std::fs::read_to_string(&ids_file).unwrap();
        let id = ids.lines().next().expect("seeded IDs, the deletable first");
        let response = client()
            .delete(format!("{base_url}/videos/{id}"))
            .bearer_auth(KEY)
            .send()
            .await
            .expect("the sim answers");
        assert_eq!(response.status(), 204);

        let status = sim.stop_with(signal);
        assert_eq!(status.code(), Some(0), "SIG{signal}: {status}");
        let summary = sim.line();
        assert_eq!(
            summary,
            "Served 1 requests (204: 1) on 1 connections, 0 dropped after delete; deleted 1; \
             peak in flight 1.",
            "SIG{signal}"
        );
        assert!(!banner.iter().any(|line| line.contains(KEY)), "{banner:?}");
    }
}

#[tokio::test]
async fn a_client_that_hangs_up_during_latency_changes_nothing() {
    let server = serve(SimConfig {
        latency: Duration::from_secs(3),
        ..SimConfig::default()
    })
    .await;
    let id = server.fixtures().deletable[0];
    let gave_up = client()
        .delete(format!("{}/videos/{id}", server.base_url()))
        .bearer_auth(KEY)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gave_up.expect_err("times out").is_timeout());
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.stats().in_flight > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats = server.stats();
    assert_eq!(
        (stats.requests, stats.abandoned, stats.in_flight),
        (1, 1, 0)
    );
    assert!(stats.deleted.is_empty() && stats.by_status.is_empty());
}

#[tokio::test]
async fn other_methods_on_a_video_get_a_counted_405() {
    let server = serve(SimConfig::default()).await;
    let url = format!(
        "{}/videos/{}",
        server.base_url(),
        server.fixtures().deletable[0]
    );
    let response = client().put(url).bearer_auth(KEY).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "GET, DELETE");
    let (status, code) = status_and_code(response).await;
    assert_eq!((status, code.as_deref()), (405, Some("METHOD_NOT_ALLOWED")));
    let stats = server.stats();
    assert_eq!((stats.requests, stats.count(405)), (1, 1));
    assert!(stats.delete_paths.is_empty() && stats.deleted.is_empty());
}

/// Issue 17 §2, for the one command that writes a file the user names: `sim --ids-file`
/// wrote into a FIFO (blocking until a reader came) or over any file already there.
#[cfg(unix)]
#[test]
fn the_ids_file_is_a_regular_file_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let existing = dir.path().join("ids.txt");
    std::fs::write(&existing, "mine\n").unwrap();
    let sandbox = Sandbox::new();
    let refused = |ids_file: &std::path::Path, why: &str| {
        sandbox
            .bare_cmd()
            .args(["sim", "--addr", "127.0.0.1:0", "--videos", "3"])
            .arg("--ids-file")
            .arg(ids_file)
            .env("ELYTRON_SIM_KEY", KEY)
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(why));
    };
    refused(
        &fifo,
        "it is a FIFO (named pipe), not a regular file; nothing was written",
    );
    refused(&existing, "a file is already there (--force replaces it)");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "mine\n");
}

/// Issue 21 B8: the README documents `--misroute html-404|code-404|redirect`, and the binary
/// took only `html404` and `code404`. The documented spelling works; the old one still does.
#[test]
fn misroute_takes_the_spelling_the_readme_documents() {
    use clap::Parser;
    for (text, want) in [
        ("html-404", Misroute::Html404),
        ("code-404", Misroute::Code404),
        ("redirect", Misroute::Redirect),
        ("html404", Misroute::Html404),
        ("code404", Misroute::Code404),
    ] {
        let parsed = SimCommand::try_parse_from(["sim", "--key", KEY, "--misroute", text])
            .unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(parsed.args.misroute, Some(want), "{text}");
    }
    let help = Sandbox::new()
        .bare_cmd()
        .args(["sim", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("html-404:") && help.contains("code-404:"),
        "{help}"
    );
}

/// Issue 21 B8: `sim --help` listed `--data-dir`, `--config`, `--base-url` and `--profile`,
/// which sim ignored; typed, they are now refused, and its errors no longer say "the
/// simulated server" twice.
#[test]
fn sim_lists_and_takes_only_its_own_options() {
    let sandbox = Sandbox::new();
    let help = sandbox.bare_cmd().args(["sim", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--rate-per-sec"), "{help}");
    for option in [
        "--data-dir",
        "--config",
        "--base-url",
        "--profile",
        "--max-delete",
    ] {
        assert!(!help.contains(option), "{option}: {help}");
    }
    for typed in [
        &["--data-dir", "/tmp/x"][..],
        &["--profile", "production"],
        &["--max-delete", "5"],
    ] {
        sandbox
            .bare_cmd()
            .args(typed)
            .args(["sim", "--addr", "127.0.0.1:0", "--key", KEY])
            .timeout(Duration::from_secs(20))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "it cannot honour {}: drop it",
                typed[0]
            )));
    }
    let public = sandbox
        .bare_cmd()
        .args(["sim", "--addr", "0.0.0.0:0", "--key", KEY])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&public.stderr);
    assert_eq!(public.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: cannot start the simulated server: it only listens on loopback (127.0.0.1 \
         or ::1), not 0.0.0.0:0"
    );
}
