//! `elytron-tui sync` through the real binary: against the simulated server in both shapes
//! (every video listed, an unchanged account re-synced in one request, labels and past
//! outcomes kept, known videos not listed marked and kept), with the account churning between
//! pages, with the listing switched off, killed mid-walk, and against wiremock servers.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use elytron_tui::api::{GenerationState, VideoId};
use elytron_tui::sim::{Churn, RouteOff, SimConfig, SuccessShape};
use elytron_tui::store::LastSync;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::mock::api_error;
use crate::support::runs::{PATIENCE, json_lines, stderr};
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, Sim, plain};

/// Every video the server holds now, by what its fixtures say.
fn account(sim: &Sim) -> HashSet<VideoId> {
    let fixtures = sim.server.fixtures();
    fixtures
        .deletable
        .iter()
        .chain(&fixtures.processing)
        .copied()
        .collect()
}

fn listed_of(sandbox: &Sandbox, id: VideoId) -> LastSync {
    let list = sandbox.store().videos().expect("the list reads");
    let video = list.get(&id).expect("still known");
    video
        .details
        .as_ref()
        .map_or(LastSync::Unknown, |details| details.generation.listed)
}

#[test]
fn sync_lists_every_video_in_both_shapes_and_an_unchanged_account_resyncs_in_one_request() {
    for shape in [SuccessShape::Bare, SuccessShape::Wrapped] {
        let sim = Sim::start(SimConfig {
            seed: 7,
            failed: 12,
            success_shape: shape,
            ..plain(250)
        });
        let sandbox = sim.sandbox();
        let mine = sim.deletable()[3];
        let stranger = VideoId::from_uuid(uuid::Uuid::from_u128(42));
        sandbox.import(&[mine, stranger]);

        let output = sandbox.run(&["sync", "--json"]);
        assert!(output.status.success(), "{shape:?}: {}", stderr(&output));
        let lines = json_lines(&output.stdout);
        assert_eq!(
            lines.len(),
            250,
            "{shape:?}: one line per new or changed video"
        );
        let changed: Vec<&serde_json::Value> = lines
            .iter()
            .filter(|line| line["change"] == "changed")
            .collect();
        assert_eq!(changed.len(), 1, "the known one changed, the rest are new");
        assert_eq!(changed[0]["id"], mine.to_string());
        assert!(
            lines
                .iter()
                .all(|line| line["prompt"].is_string() && line["state"].is_string())
        );

        let known = sandbox.known();
        assert!(
            account(&sim).is_subset(&known),
            "{shape:?}: every video listed is known"
        );
        assert!(known.contains(&stranger), "a video not listed stays");
        assert_eq!(listed_of(&sandbox, stranger), LastSync::NotListed);
        assert_eq!(listed_of(&sandbox, mine), LastSync::Listed);
        let list = sandbox.store().videos().unwrap();
        let failed = list
            .iter()
            .filter(|v| {
                v.details.as_ref().and_then(|d| d.generation.state) == Some(GenerationState::Failed)
            })
            .count();
        assert_eq!(failed, 12, "{shape:?}");
        assert!(
            stderr(&output).contains("synced 250 video(s)"),
            "{}",
            stderr(&output)
        );
        assert!(sim.deleted().is_empty(), "a sync deletes nothing");

        sim.server.reset_stats();
        let again = sandbox.run(&["sync", "--json"]);
        assert!(again.status.success(), "{}", stderr(&again));
        assert!(json_lines(&again.stdout).is_empty(), "nothing changed");
        let requests = sim.stats().read_paths.len();
        assert!(
            requests <= 3,
            "{shape:?}: an unchanged account re-synced in {requests}"
        );
        assert_eq!(requests, 1);

        sim.server.reset_stats();
        let full = sandbox.run(&["sync", "--full"]);
        assert!(full.status.success());
        assert_eq!(sim.stats().read_paths.len(), 3, "--full walks every page");
    }
}

#[test]
fn sync_keeps_labels_and_past_outcomes_of_known_videos() {
    let sim = Sim::start(SimConfig {
        other_account: 1,
        ..plain(30)
    });
    let sandbox = sim.sandbox();
    let ids: Vec<String> = sim.deletable()[..2]
        .iter()
        .map(ToString::to_string)
        .collect();
    let labelled = sandbox.cmd_run(&["import", "--label", "june"], &ids);
    assert!(labelled.status.success());
    let forbidden = sim.other_account()[0];
    sandbox.import(&[forbidden]);
    let refused = sandbox.run(&["delete", "--yes", &forbidden.to_string()]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));

    let output = sandbox.run(&["sync"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let list = sandbox.store().videos().unwrap();
    for id in &sim.deletable()[..2] {
        let video = list.get(id).unwrap();
        assert_eq!(video.label.as_deref(), Some("june"));
        assert!(video.title().is_some(), "the prompt is its title");
    }
    let other = list.get(&forbidden).unwrap();
    assert_eq!(
        other.last.as_ref().map(|last| last.outcome.kind.label()),
        Some("forbidden"),
        "its past outcome is kept"
    );
    assert_eq!(listed_of(&sandbox, forbidden), LastSync::NotListed);
}

#[test]
fn nothing_that_lasts_the_whole_sync_is_missed_while_the_account_churns() {
    let sim = Sim::start(SimConfig {
        seed: 19,
        processing: 10,
        churn: Some(Churn {
            delete_listed: 8,
            create: 3,
        }),
        ..plain(900)
    });
    let sandbox = sim.sandbox();
    let output = sandbox.run(&["sync"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let churned: HashSet<VideoId> = sim.stats().churn_deleted.into_iter().collect();
    assert!(
        churned.len() >= 50,
        "the account churned: {}",
        churned.len()
    );
    let known = sandbox.known();
    let all = account(&sim);
    let missed: Vec<&VideoId> = all
        .iter()
        .filter(|id| !churned.contains(id) && !known.contains(id))
        .collect();
    assert!(missed.is_empty(), "{} lasting videos missed", missed.len());
}

#[test]
fn a_server_without_the_listing_is_told_and_the_list_is_unchanged() {
    for off in [
        RouteOff::NotFound,
        RouteOff::MethodNotAllowed,
        RouteOff::HtmlPage,
    ] {
        let sim = Sim::start(SimConfig {
            list_off: Some(off),
            ..plain(20)
        });
        let sandbox = sim.sandbox();
        sandbox.import(&[sim.deletable()[0]]);
        let before = sandbox.store().videos().unwrap();
        let output = sandbox.run(&["sync"]);
        assert_eq!(
            output.status.code(),
            Some(4),
            "{off:?}: {}",
            stderr(&output)
        );
        let said = stderr(&output);
        assert!(
            said.contains("this server does not list videos")
                && said.contains("import IDs instead"),
            "{off:?}: {said}"
        );
        assert_eq!(sandbox.store().videos().unwrap(), before, "{off:?}");
    }
}

/// A server of 1,000 videos answering in 150 ms, and a `sync` of it that has asked for three
/// pages (so some are merged, most are not).
fn a_slow_sync_under_way() -> (Sim, Sandbox, std::process::Child) {
    let sim = Sim::start(SimConfig {
        latency: Duration::from_millis(150),
        ..plain(1_000)
    });
    let sandbox = sim.sandbox();
    let child = sandbox
        .command()
        .arg("sync")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sync starts");
    let deadline = Instant::now() + PATIENCE;
    while sim.stats().read_paths.len() < 3 {
        assert!(Instant::now() < deadline, "no pages asked");
        std::thread::sleep(Duration::from_millis(20));
    }
    (sim, sandbox, child)
}

#[test]
fn a_sync_killed_mid_walk_keeps_its_pages_and_the_next_walks_everything() {
    let (sim, sandbox, mut child) = a_slow_sync_under_way();
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let kept = sandbox.known().len();
    assert!(
        (100..1_000).contains(&kept),
        "pages merged before the kill: {kept}"
    );

    sim.server.reset_stats();
    let output = sandbox.run(&["sync"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(account(&sim).is_subset(&sandbox.known()));
    assert_eq!(
        sim.stats().read_paths.len(),
        11,
        "after an interrupted sync the next walks everything"
    );
}

#[test]
fn ctrl_c_stops_a_sync_at_once_keeping_its_pages_exit_130() {
    let (_sim, sandbox, child) = a_slow_sync_under_way();
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill -INT");
    assert!(sent.success());
    let output = crate::support::runs::finish_within(child, PATIENCE);
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    assert!(stderr(&output).contains("interrupted: every page merged so far is kept"));
    let kept = sandbox.known().len();
    assert!((100..1_000).contains(&kept), "{kept}");
}

/// A wiremock listing of `videos` in one page, in `shape`.
fn listing(videos: &[serde_json::Value], wrapped: bool) -> serde_json::Value {
    let page = json!({"videos": videos, "total": videos.len(), "limit": 100, "offset": 0});
    if wrapped {
        json!({"data": page, "meta": {"timestamp": "2026-12-07T00:00:00Z", "request_id": "r1"}})
    } else {
        page
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wiremock_servers_of_both_shapes_and_a_refused_key() {
    for wrapped in [false, true] {
        let server = MockServer::start().await;
        let videos = [
            json!({"video_id": "550e8400-e29b-41d4-a716-446655440000", "prompt": "a fox",
                   "status": "completed", "file_size": 1_000, "duration": 4.5,
                   "created_at": "2026-01-02T00:00:00Z"}),
            json!({"video_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "prompt": "a cat",
                   "status": "failed", "error": {"code": "CONTENT", "message": "refused"},
                   "created_at": "2026-01-01T00:00:00Z"}),
        ];
        Mock::given(method("GET"))
            .and(path("/videos"))
            .and(query_param("offset", "0"))
            .respond_with(ResponseTemplate::new(200).set_body_json(listing(&videos, wrapped)))
            .mount(&server)
            .await;
        let sandbox = Sandbox::new().at(server.uri()).with_key(KEY);
        let output = tokio::task::spawn_blocking(move || {
            let output = sandbox.run(&["sync", "--json"]);
            (output, sandbox)
        })
        .await
        .unwrap();
        let (output, sandbox) = output;
        assert!(output.status.success(), "{}", stderr(&output));
        let lines = json_lines(&output.stdout);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["error"], "CONTENT: refused");
        assert_eq!(lines[0]["duration_seconds"], 4.5);
        let list = sandbox.store().videos().unwrap();
        let fox = list.iter().find(|v| v.title() == Some("a fox")).unwrap();
        assert_eq!(
            fox.details.as_ref().unwrap().generation.file_size,
            Some(1_000)
        );
    }

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(api_error(401, "UNAUTHORIZED", "Invalid API key"))
        .mount(&server)
        .await;
    let sandbox = Sandbox::new().at(server.uri()).with_key(KEY);
    let output = tokio::task::spawn_blocking(move || sandbox.run(&["sync"]))
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(3), "{}", stderr(&output));
    assert!(stderr(&output).contains("refused"), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_gives_progress_has_it_kept_and_shown_in_list_json() {
    let server = MockServer::start().await;
    let videos = [
        json!({"video_id": "550e8400-e29b-41d4-a716-446655440000", "status": "processing",
               "progress": 40}),
        json!({"video_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "status": "completed"}),
    ];
    Mock::given(method("GET"))
        .and(path("/videos"))
        .respond_with(ResponseTemplate::new(200).set_body_json(listing(&videos, true)))
        .mount(&server)
        .await;
    let sandbox = Sandbox::new().at(server.uri()).with_key(KEY);
    let (output, sandbox) = tokio::task::spawn_blocking(move || (sandbox.run(&["sync"]), sandbox))
        .await
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let rows = crate::import_records::list_json(&sandbox);
    assert_eq!(rows[0]["progress"], 40, "{rows:?}");
    assert_eq!(rows[1].get("progress"), None, "{rows:?}");
}

#[test]
fn sync_status_asks_only_that_state_and_marks_nothing_not_listed() {
    let sim = Sim::start(SimConfig {
        failed: 5,
        ..plain(40)
    });
    let sandbox = sim.sandbox();
    let stranger = VideoId::from_uuid(uuid::Uuid::from_u128(7));
    sandbox.import(&[stranger]);
    let output = sandbox.run(&["sync", "--status", "failed", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json_lines(&output.stdout).len(), 5);
    assert!(sim.stats().read_paths[0].contains("status=failed"));
    assert_eq!(listed_of(&sandbox, stranger), LastSync::Unknown);
    let bad = sandbox.run(&["sync", "--status", "done"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn after_a_sync_list_carries_the_generation_and_the_query_picks_by_it() {
    let sim = Sim::start(SimConfig {
        failed: 6,
        ..plain(40)
    });
    let sandbox = sim.sandbox();
    let stranger = VideoId::from_uuid(uuid::Uuid::from_u128(9));
    sandbox.import(&[stranger]);
    assert!(sandbox.run(&["sync"]).status.success());

    let out = sandbox.run(&["list", "--json"]);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines.len(), 41);
    let synced = lines
        .iter()
        .find(|line| line["id"] != stranger.to_string())
        .unwrap();
    for field in ["state", "file_size", "duration_seconds", "download_url"] {
        assert!(!synced[field].is_null(), "{field}: {synced}");
    }
    assert_eq!(synced["listed"], "listed");
    let unlisted = lines
        .iter()
        .find(|line| line["id"] == stranger.to_string())
        .unwrap();
    assert_eq!(unlisted["listed"], "not_listed");
    assert!(unlisted.get("state").is_none());

    let failed = sandbox.run(&["list", "--ids", "--query", "state:failed listed:yes"]);
    assert_eq!(String::from_utf8_lossy(&failed.stdout).lines().count(), 6);
    let not_listed = sandbox.run(&["list", "--ids", "--query", "listed:no"]);
    assert_eq!(
        String::from_utf8_lossy(&not_listed.stdout).trim(),
        stranger.to_string()
    );
    let table = sandbox.run(&["list", "--query", "state:failed"]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.lines().all(|line| line.contains("  failed  ")),
        "{table}"
    );
    let by_size = sandbox.run(&["list", "--json", "--sort", "size", "--reverse"]);
    let sizes: Vec<Option<u64>> = json_lines(&by_size.stdout)
        .iter()
        .map(|line| line["file_size"].as_u64())
        .collect();
    let mut expected = sizes.clone();
    expected[..40].sort_by(|a, b| b.cmp(a));
    assert_eq!(sizes, expected, "largest first, unknown last");
    assert_eq!(sizes[40], None);
}

/// The target of issue 19: an unchanged account of 100,000 videos re-syncs in at most 3
/// requests (it takes 1: the first page is all held, unchanged and finished).
#[test]
fn an_unchanged_account_of_100000_videos_resyncs_in_at_most_3_requests() {
    let sim = Sim::start(plain(100_000));
    let sandbox = sim.sandbox();
    let first = sandbox.run(&["sync"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(sandbox.store().count_videos().unwrap(), 100_000);
    sim.server.reset_stats();
    let again = sandbox.run(&["sync"]);
    assert!(again.status.success(), "{}", stderr(&again));
    let requests = sim.stats().read_paths.len();
    assert!((1..=3).contains(&requests), "{requests} requests");
}
