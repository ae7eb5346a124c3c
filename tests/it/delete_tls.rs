//! `delete` through the real binary against the simulated server over HTTPS (the test CA in
//! `tests/tls`): trusted the ordinary way (`SSL_CERT_FILE`), the batch negotiates HTTP/2 and
//! shares a connection or two instead of opening one per request in flight; not trusted,
//! nothing is deleted. The app has no trust path of its own for tests.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use elytron_tui::sim::{SimConfig, SimServer, SimTls};

use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, plain, serve};

fn tls_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls")
}

async fn tls_sim(videos: usize) -> SimServer {
    let tls = SimTls::read(
        &tls_dir().join("sim-cert.pem"),
        &tls_dir().join("sim-key.pem"),
    )
    .expect("the test certificate");
    serve(SimConfig {
        latency: Duration::from_millis(50),
        tls: Some(tls),
        ..plain(videos)
    })
    .await
}

/// `delete --yes --from IDS` against `server`, trusting only the certificates in `ca`; the
/// process's output.
async fn delete_all(server: &SimServer, ca: &Path) -> Output {
    let sandbox = Sandbox::new().at(server.base_url()).with_key(KEY);
    let ids: Vec<String> = server
        .fixtures()
        .deletable
        .iter()
        .map(ToString::to_string)
        .collect();
    let ids_file = sandbox.file("ids.txt", &ids.join("\n"));
    let mut command = tokio::process::Command::from(sandbox.command());
    command
        .args(["delete", "--yes", "--from"])
        .arg(&ids_file)
        // Only these, whatever the machine trusts.
        .env("SSL_CERT_FILE", ca)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("delete finishes")
        .expect("delete runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_a_batch_shares_http2_connections() {
    let n = 300;
    let server = tls_sim(n).await;
    assert!(server.base_url().starts_with("https://"));
    let output = delete_all(&server, &tls_dir().join("ca.pem")).await;
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stats = server.stats();
    assert_eq!(stats.deleted.len(), n);
    assert_eq!(
        stats.http2_requests, n as u64,
        "{} connections",
        stats.connections
    );
    // The first few requests may each open one before the first handshake tells the client
    // the server speaks HTTP/2; over HTTP/1.1 it was one per request in flight (64 and more).
    assert!(stats.connections <= 8, "{} connections", stats.connections);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_nobody_trusts_deletes_nothing() {
    let server = tls_sim(3).await;
    // A real certificate, but not the one that signed the server's.
    let output = delete_all(&server, &tls_dir().join("sim-cert.pem")).await;
    assert!(!output.status.success(), "{output:?}");
    assert!(server.stats().deleted.is_empty());
    assert_eq!(
        server.stats().requests,
        0,
        "no request got through a handshake"
    );
}
