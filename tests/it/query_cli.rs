//! The query language and sorting through the real binary: `list --query/--sort/--reverse/
//! --ids`, a query that does not parse (shown with a caret, exit 2), and `delete --query`
//! against a loopback server (wiremock), which must receive exactly the videos the query
//! picks, and nothing without a confirmation; `history QUERY --since WHEN` on what the
//! history keeps.

use jiff::{Timestamp, ToSpan};
use predicates::prelude::*;
use predicates::str::contains;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use elytron_tui::api::{Outcome, OutcomeKind, VideoId};
use elytron_tui::store::{Details, Store, VideoDetails};

use crate::support::mock::{answer_every_delete, api_error};
use crate::support::sandbox::Sandbox;

const KEY: &str = "sk-query-KEY-7";
const OLD: &str = "00000000-0000-4000-8000-000000000001";
const OLD_FORBIDDEN: &str = "00000000-0000-4000-8000-000000000002";
const NEW: &str = "00000000-0000-4000-8000-000000000003";
const UNDATED: &str = "00000000-0000-4000-8000-000000000004";

/// A sandbox on `base_url`, with the key.
fn sandbox(base_url: String) -> Sandbox {
    Sandbox::new().at(base_url).with_key(KEY)
}

/// Four videos: two made 40 and 60 days ago, one yesterday, one with no creation time.
fn import_four(sandbox: &Sandbox) {
    let ago = |days: i64| (Timestamp::now() - (days * 24).hours()).to_string();
    let csv = format!(
        "id,title,created_at\n\
         {OLD},Old draft,{}\n\
         {OLD_FORBIDDEN},Someone else's,{}\n\
         {NEW},Fresh cut,{}\n\
         {UNDATED},Undated,\n",
        ago(40),
        ago(60),
        ago(1)
    );
    sandbox
        .cmd()
        .args(["import", "--label", "june", "-"])
        .write_stdin(csv)
        .assert()
        .code(0);
}

fn stdout(sandbox: &Sandbox, args: &[&str]) -> String {
    let out = sandbox.cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn list_picks_sorts_and_prints_bare_ids() {
    let sandbox = sandbox("http://127.0.0.1:9/v1".to_owned());
    import_four(&sandbox);
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list", "--ids"];
        all.extend_from_slice(args);
        stdout(&sandbox, &all).lines().map(str::to_owned).collect()
    };
    assert_eq!(ids(&[]), [OLD, OLD_FORBIDDEN, NEW, UNDATED]);
    assert_eq!(ids(&["--query", "age>30d"]), [OLD, OLD_FORBIDDEN]);
    assert_eq!(ids(&["--query", "CUT"]), [NEW]);
    assert_eq!(
        ids(&["--query", "-title:\"old draft\" june"]),
        [OLD_FORBIDDEN, NEW, UNDATED]
    );
    assert_eq!(
        ids(&["--sort", "created"]),
        [OLD_FORBIDDEN, OLD, NEW, UNDATED]
    );
    assert_eq!(
        ids(&["--sort", "created", "--reverse"]),
        [NEW, OLD, OLD_FORBIDDEN, UNDATED]
    );
    assert_eq!(
        ids(&["--sort", "title", "--query", "-id:0000"]),
        Vec::<String>::new()
    );
    assert_eq!(
        ids(&["--sort", "title"]),
        [NEW, OLD, OLD_FORBIDDEN, UNDATED]
    );

    let table = stdout(&sandbox, &["list", "--query", "fresh"]);
    assert!(table.starts_with(NEW) && table.contains("june") && table.contains("Fresh cut"));
    sandbox
        .cmd()
        .args(["list", "--query", "nothing-like-it"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("no video of the 4 known matches the query"));
}

#[test]
fn a_query_that_does_not_parse_says_where_and_nothing_is_printed() {
    let sandbox = sandbox("http://127.0.0.1:9/v1".to_owned());
    import_four(&sandbox);
    sandbox
        .cmd()
        .args(["list", "--query", "june stauts:failed"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            contains("--query: unknown field \"stauts\"")
                .and(contains("  june stauts:failed\n       ^^^^^^^^^^^^^")),
        );
    sandbox
        .cmd()
        .args(["delete", "--query", "age>30x", "--yes"])
        .assert()
        .code(2)
        .stderr(contains("unknown unit"));
    sandbox
        .cmd()
        .args(["delete", "--query", "  ", "--yes"])
        .assert()
        .code(2)
        .stderr(contains(
            "--query is empty, which picks every video: say --all if that is meant; \
             nothing was sent",
        ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_query_sends_exactly_what_it_picks_and_asks_first() {
    let server = MockServer::start().await;
    let sandbox = sandbox(server.uri());
    import_four(&sandbox);
    Mock::given(method("DELETE"))
        .and(path(format!("/videos/{OLD_FORBIDDEN}")))
        .respond_with(api_error(403, "FORBIDDEN", "Not yours"))
        .mount(&server)
        .await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    // The one the server refuses first, so its last outcome is forbidden.
    sandbox
        .cmd()
        .args(["delete", OLD_FORBIDDEN, "--yes"])
        .assert()
        .code(1);
    let sent = || async {
        let requests = server.received_requests().await.unwrap();
        requests
            .iter()
            .map(|request| request.url.path().trim_start_matches("/videos/").to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(sent().await, [OLD_FORBIDDEN]);

    // No terminal and no --yes: refused, with the count, and nothing sent.
    sandbox
        .cmd()
        .args(["delete", "--query", "age>30d -status:forbidden"])
        .assert()
        .code(2)
        .stderr(
            contains("the query picks 1 of the 4 known video(s)")
                .and(contains("refusing to delete 1 video(s)")),
        );
    assert_eq!(sent().await, [OLD_FORBIDDEN]);

    sandbox
        .cmd()
        .args(["delete", "--query", "age>30d -status:forbidden", "--yes"])
        .assert()
        .code(0);
    assert_eq!(sent().await, [OLD_FORBIDDEN, OLD]);
    let left: Vec<String> = stdout(&sandbox, &["list", "--ids"])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(left, [OLD_FORBIDDEN, NEW, UNDATED]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_with_two_leading_dashes_is_refused_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let sandbox = sandbox(server.uri());
    import_four(&sandbox);
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    // `--june` was read as "not `-june`", which every video is.
    sandbox
        .cmd()
        .args(["list", "--query=--june"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("more than one \"-\"").and(contains("  --june\n  ^^\n")));
    let many = format!("-----{}", "x".repeat(40));
    for query in [many.as_str(), "june --title:cut"] {
        sandbox
            .cmd()
            .args(["delete", "--query", query, "--yes"])
            .assert()
            .code(2)
            .stderr(contains("more than one \"-\""));
    }
    sandbox
        .cmd()
        .args(["delete", "--query", "-----x", "--yes"])
        .assert()
        .code(2)
        .stderr(contains("  -----x\n  ^^^^^\n"));
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    assert_eq!(stdout(&sandbox, &["list", "--ids"]).lines().count(), 4);
}

/// A history of four deletes: the fox deleted 10 days ago, the hen refused 3 days ago and
/// deleted 1 day ago (both titled), and an untitled video deleted an hour ago.
fn four_deletes(sandbox: &Sandbox) -> Timestamp {
    let now = Timestamp::now();
    let mut store = Store::open(&sandbox.paths()).unwrap();
    let ids = [OLD, NEW, UNDATED].map(|id| id.parse::<VideoId>().unwrap());
    let mut titles = Details::default();
    titles.fill(0, &VideoDetails::titled(Some("A fox".into()), None));
    titles.fill(1, &VideoDetails::titled(Some("A hen".into()), None));
    store.add(&ids, &titles, None, now).unwrap();
    let ended = |kind| Outcome {
        attempts: 1,
        ..Outcome::unsent(kind)
    };
    let hours_ago = |hours: i64| now - hours.hours();
    let results = [
        (ids[0], ended(OutcomeKind::Deleted), hours_ago(240)),
        (ids[1], ended(OutcomeKind::Forbidden), hours_ago(72)),
        (ids[1], ended(OutcomeKind::Deleted), hours_ago(24)),
        (ids[2], ended(OutcomeKind::Deleted), hours_ago(1)),
    ];
    store.record(&results, None).unwrap();
    now
}

/// The IDs and outcomes `history ARGS --json` prints, in order.
fn history(sandbox: &Sandbox, args: &[&str]) -> Vec<(String, String)> {
    let out = sandbox
        .cmd()
        .arg("history")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = entry["id"].as_str().unwrap().to_owned();
            (id, entry["outcome"].as_str().unwrap().to_owned())
        })
        .collect()
}

/// Issue 21 B6: the history filters with the query language and `--since`.
#[test]
fn history_picks_entries_by_query_and_since() {
    let sandbox = Sandbox::new();
    let now = four_deletes(&sandbox);
    let entry = |id: &str, outcome: &str| (id.to_owned(), outcome.to_owned());
    assert_eq!(
        history(&sandbox, &["title:hen outcome:deleted"]),
        [entry(NEW, "deleted")]
    );
    assert_eq!(
        history(&sandbox, &["-outcome:deleted"]),
        [entry(NEW, "forbidden")],
        "a leading dash is the query's"
    );
    assert_eq!(
        history(&sandbox, &["FOX"]),
        [entry(OLD, "deleted")],
        "text finds the title"
    );
    assert_eq!(
        history(&sandbox, &["--since", "2d"]),
        [entry(NEW, "deleted"), entry(UNDATED, "deleted")]
    );
    let day = (now - 96.hours()).strftime("%Y-%m-%d").to_string();
    assert_eq!(
        history(&sandbox, &["outcome:deleted", "--since", &day]),
        [entry(NEW, "deleted"), entry(UNDATED, "deleted")]
    );
    assert_eq!(
        history(&sandbox, &["outcome:deleted", "--limit", "2"]),
        [entry(NEW, "deleted"), entry(UNDATED, "deleted")],
        "the newest two that match"
    );
    sandbox
        .cmd()
        .args(["history", "title:zebra"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(contains("no recorded delete matches"));
}

#[test]
fn a_history_query_or_since_that_does_not_parse_refuses_and_says_where() {
    let sandbox = Sandbox::new();
    four_deletes(&sandbox);
    sandbox
        .cmd()
        .args(["history", "fox label:june"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            contains("QUERY: the history keeps no labels")
                .and(contains("  fox label:june\n      ^^^^^^^^^^")),
        );
    sandbox
        .cmd()
        .args(["history", "age>3d"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--since 7d"));
    sandbox
        .cmd()
        .args(["history", "--since", "7x"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--since \"7x\": \"7x\": unknown unit").and(contains("write an age")));
    sandbox
        .cmd()
        .args(["history", "--since", "2026-12-01T09:00"])
        .assert()
        .code(2)
        .stderr(contains("a time needs its offset"));
}
