//! `elytron-tui sync` paced as `delete` is, through the real binary: under the simulated
//! server's limiter (with its rate headers, and with a bare 429 and `Retry-After` only) it
//! walks to the end with few refusals, `--max-rate` holds where the pages arrive, and a
//! `Reset` past `max_wait_seconds` halts it (exit 4) saying why. And in one engine (the
//! app's), a batch's DELETEs and a sync's pages share one allowance.

use elytron_tui::api::PageQuery;
use elytron_tui::engine::{Command, EngineConfig, PageAsk, Rate};
use elytron_tui::sim::SimConfig;
use tokio::sync::oneshot;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::engine::Driver;
use crate::support::mock::{completed_page, sync_against};
use crate::support::runs::{most_in_a_second, stderr};
use crate::support::sim::{Sim, api_key, plain, serve};

/// 2,000 videos: 20 pages of 100.
const VIDEOS: usize = 2_000;

/// Syncs the whole account of a server limited to `rate` a second with a burst of 2; what
/// it answered 429 to.
fn sync_under_limiter(rate_headers: bool, rate: f64) -> u64 {
    let sim = Sim::start(SimConfig {
        rate_per_sec: Some(rate),
        burst: Some(2.0),
        rate_headers,
        ..plain(VIDEOS)
    });
    let sandbox = sim.sandbox();
    let output = sandbox.run(&["sync"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(sandbox.known().len(), VIDEOS, "every page was merged");
    sim.server.stats().count(429)
}

#[test]
fn under_a_limiter_with_rate_headers_the_sync_ends_with_few_429s() {
    let refused = sync_under_limiter(true, 10.0);
    assert!(refused <= 2, "{refused} pages refused with 429");
}

#[test]
fn under_a_limiter_saying_only_429_and_retry_after_the_sync_ends_with_few_429s() {
    let refused = sync_under_limiter(false, 10.0);
    assert!(refused <= 3, "{refused} pages refused with 429");
}

#[test]
fn max_rate_holds_for_the_pages_where_they_arrive() {
    let sim = Sim::start(plain(VIDEOS));
    let sandbox = sim.sandbox();
    let output = sandbox.run(&["sync", "--max-rate", "5"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let arrivals = sim.server.stats().read_arrivals_us;
    assert_eq!(arrivals.len(), VIDEOS / 100 + 1, "one request a page");
    let most = most_in_a_second(&arrivals);
    assert!(most <= 5, "{most} pages arrived within one second");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_far_reset_with_nothing_remaining_halts_the_sync_exit_4() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/videos"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(completed_page(100, 500))
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "600"),
        )
        .mount(&server)
        .await;
    let (output, sandbox) = sync_against(&server).await;
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(4), "{err}");
    assert!(err.contains("max_wait_seconds"), "{err}");
    assert!(err.contains("nothing remaining"), "{err}");
    assert!(err.contains("every page merged so far is kept"), "{err}");
    assert_eq!(sandbox.known().len(), 100, "the page that came is merged");
    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(
        requests.len(),
        1,
        "nothing more was sent after the halt: {err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_and_pages_sent_by_one_engine_share_its_allowance() {
    let server = serve(plain(60)).await;
    let config = EngineConfig {
        max_rate: Rate::new(10.0),
        ..EngineConfig::default()
    };
    let mut driver = Driver::start(&server.base_url(), Some(api_key()), config);
    let pages: Vec<_> = (0..20)
        .map(|n| {
            let (reply, answer) = oneshot::channel();
            let query = PageQuery::new(n * 3, 3, None);
            driver.send(Command::ListPage(PageAsk { query, reply }));
            answer
        })
        .collect();
    driver.enqueue(server.fixtures().deletable.clone());
    let counts = driver.until_idle().await;
    assert_eq!(counts.deleted, 60, "{counts:?}");
    for answer in pages {
        let read = answer.await.expect("every page is answered");
        assert!(read.content.is_some_and(|page| page.is_ok()), "a page read");
    }
    let stats = server.stats();
    let mut arrivals = stats.delete_arrivals_us.clone();
    arrivals.extend(&stats.read_arrivals_us);
    arrivals.sort_unstable();
    assert_eq!(arrivals.len(), 80);
    let most = most_in_a_second(&arrivals);
    assert!(most <= 10, "{most} requests arrived within one second");
}
