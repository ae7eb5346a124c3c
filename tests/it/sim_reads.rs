//! The simulated server's read routes over real HTTP on loopback, as raw JSON: the listing
//! (both shapes, newest first, paged, filtered, the account's only), a video's details and
//! generation status as it progresses, the same gateway as DELETE (key, rate limit, faults),
//! the listing switched off, and the churn between pages.

use std::collections::HashSet;
use std::time::Duration;

use elytron_tui::sim::{Churn, RouteOff, SimConfig, SimServer, SuccessShape};
use serde_json::Value;

use crate::support::sim::{KEY, plain, serve};

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn get(server: &SimServer, path: &str) -> reqwest::Response {
    client()
        .get(format!("{}{path}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the server answers")
}

/// Status and body; a wrapped success is unwrapped after its `meta` is checked.
async fn read(server: &SimServer, path: &str) -> (u16, Value) {
    let response = get(server, path).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    if status == 200 && body.get("data").is_some() {
        assert!(body["meta"]["request_id"].is_string(), "{body}");
        assert!(body["meta"]["timestamp"].is_string(), "{body}");
        return (status, body["data"].clone());
    }
    (status, body)
}

fn ids(page: &Value) -> Vec<String> {
    page["videos"]
        .as_array()
        .expect("a videos array")
        .iter()
        .map(|video| video["video_id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_the_accounts_videos_newest_first_in_both_shapes() {
    for shape in [SuccessShape::Wrapped, SuccessShape::Bare] {
        let server = serve(SimConfig {
            videos: 45,
            processing: 5,
            failed: 4,
            other_account: 6,
            success_shape: shape,
            ..SimConfig::default()
        })
        .await;
        let body: Value = get(&server, "/videos?limit=100")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            body.get("data").is_some(),
            shape == SuccessShape::Wrapped,
            "{body}"
        );
        let (_, page) = read(&server, "/videos?limit=100").await;
        assert_eq!(
            (&page["total"], &page["limit"], &page["offset"]),
            (&45.into(), &100.into(), &0.into())
        );
        let listed = ids(&page);
        let fixtures = server.fixtures();
        let ours: HashSet<String> = fixtures
            .deletable
            .iter()
            .chain(&fixtures.processing)
            .map(ToString::to_string)
            .collect();
        assert_eq!(listed.iter().cloned().collect::<HashSet<_>>(), ours);
        let created: Vec<&str> = page["videos"]
            .as_array()
            .unwrap()
            .iter()
            .map(|video| video["created_at"].as_str().unwrap())
            .collect();
        let times: Vec<jiff::Timestamp> = created.iter().map(|t| t.parse().unwrap()).collect();
        assert!(
            times.windows(2).all(|pair| pair[0] >= pair[1]),
            "newest first"
        );
        let video = &page["videos"][0];
        for field in [
            "video_id",
            "prompt",
            "status",
            "duration",
            "quality",
            "aspect_ratio",
            "style",
            "created_at",
            "completed_at",
            "download_url",
            "file_size",
            "error",
        ] {
            assert!(video.get(field).is_some(), "{field} missing: {video}");
        }
        let states = |state: &str| {
            page["videos"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|video| video["status"] == state)
                .count()
        };
        assert_eq!(states("pending"), 5, "the processing ones start pending");
        assert_eq!(states("completed") + states("failed"), 40);
        assert!(
            states("failed") >= 3,
            "failed ones are spread over both kinds"
        );
    }
}

#[tokio::test]
async fn pages_by_limit_and_offset_filter_by_status_and_refuse_bad_parameters() {
    let server = serve(SimConfig {
        videos: 30,
        processing: 4,
        ..SimConfig::default()
    })
    .await;
    let (_, all) = read(&server, "/videos?limit=100").await;
    let all = ids(&all);
    let (_, default) = read(&server, "/videos").await;
    assert_eq!((ids(&default).len(), &default["limit"]), (20, &20.into()));
    let (_, second) = read(&server, "/videos?limit=7&offset=7").await;
    assert_eq!(ids(&second), all[7..14]);
    let (_, past) = read(&server, "/videos?offset=30").await;
    assert_eq!((ids(&past).len(), &past["total"]), (0, &30.into()));
    let (_, pending) = read(&server, "/videos?status=pending&limit=3").await;
    assert_eq!((ids(&pending).len(), &pending["total"]), (3, &4.into()));
    for bad in [
        "limit=0",
        "limit=101",
        "offset=x",
        "status=done",
        "limit=2&limit=3",
    ] {
        let (status, body) = read(&server, &format!("/videos?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(body["error"]["code"], "INVALID_PARAMETER", "{bad}: {body}");
    }
}

#[tokio::test]
async fn details_and_status_follow_a_generation_to_its_end() {
    let server = serve(SimConfig {
        videos: 3,
        processing: 1,
        // Pending for its first fifth (1.6 s: time for the two reads and the DELETE below
        // on a loaded machine), then processing.
        processing_for: Duration::from_secs(8),
        other_account: 1,
        unknown: 1,
        ..SimConfig::default()
    })
    .await;
    let fixtures = server.fixtures().clone();
    let busy = fixtures.processing[0];
    let (status, video) = read(&server, &format!("/videos/{busy}")).await;
    assert_eq!(
        (status, &video["status"]),
        (200, &"pending".into()),
        "{video}"
    );
    assert!(video["completed_at"].is_null() && video["download_url"].is_null());
    let (_, pending) = read(&server, &format!("/videos/{busy}/status")).await;
    assert_eq!(
        (&pending["status"], &pending["progress"]),
        (&"pending".into(), &0.into())
    );
    assert!(pending["estimated_completion"].is_string(), "{pending}");
    let delete = client()
        .delete(format!("{}/videos/{busy}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 400, "pending is not deletable");

    // Poll as a client would until it is done.
    let mut seen = Vec::new();
    let done = loop {
        let (_, status) = read(&server, &format!("/videos/{busy}/status")).await;
        let state = status["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&state) {
            seen.push(state.clone());
        }
        if state == "completed" {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        seen.ends_with(&["processing".to_owned(), "completed".to_owned()]),
        "{seen:?}"
    );
    assert_eq!(done["progress"], 100);
    assert!(done["estimated_completion"].is_null());
    let (_, video) = read(&server, &format!("/videos/{busy}")).await;
    assert!(
        video["completed_at"].is_string() && video["file_size"].is_u64(),
        "{video}"
    );

    let foreign = fixtures.other_account[0];
    let unknown = fixtures.unknown[0];
    for (path, want, code) in [
        (format!("/videos/{foreign}"), 403, "FORBIDDEN"),
        (format!("/videos/{foreign}/status"), 403, "FORBIDDEN"),
        (format!("/videos/{unknown}"), 404, "VIDEO_NOT_FOUND"),
        (format!("/videos/{unknown}/status"), 404, "VIDEO_NOT_FOUND"),
        ("/videos/not-a-uuid".to_owned(), 400, "INVALID_VIDEO_ID"),
    ] {
        let (status, body) = read(&server, &path).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (want, Some(code)),
            "{path}"
        );
    }
    let stats = server.stats();
    assert!(
        stats
            .read_paths
            .iter()
            .any(|path| path.ends_with("/status"))
    );
    assert!(stats.deleted.is_empty());
}

#[tokio::test]
async fn reads_share_the_key_and_the_allowance_with_deletes() {
    let server = serve(SimConfig {
        rate_per_sec: Some(0.5),
        burst: Some(3.0),
        ..plain(10)
    })
    .await;
    let unauthorized = client()
        .get(format!("{}/videos", server.base_url()))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    let id = server.fixtures().deletable[0];
    let delete = client()
        .delete(format!("{}/videos/{id}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 204);
    // The bucket held 3: the refused key took one, the delete one; one GET is left.
    assert_eq!(get(&server, "/videos").await.status(), 200);
    let refused = get(&server, &format!("/videos/{id}/status")).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.headers().contains_key("x-ratelimit-remaining"));
}

#[tokio::test]
async fn faults_hit_reads_as_they_hit_deletes() {
    let server = serve(SimConfig {
        fault_rate: 1.0,
        ..plain(5)
    })
    .await;
    for path in [
        "/videos",
        "/videos/00000000-0000-4000-8000-000000000000/status",
    ] {
        let status = get(&server, path).await.status().as_u16();
        assert!(matches!(status, 500 | 502 | 503), "{path}: {status}");
    }
    let garbage = serve(SimConfig {
        garbage_2xx_rate: 1.0,
        ..plain(5)
    })
    .await;
    let response = get(&garbage, "/videos").await;
    assert_eq!(response.status(), 200);
    assert!(serde_json::from_slice::<Value>(&response.bytes().await.unwrap()).is_err());
}

#[tokio::test]
async fn a_listing_switched_off_answers_as_a_server_without_it() {
    for (off, want_status) in [
        (RouteOff::NotFound, 404),
        (RouteOff::MethodNotAllowed, 405),
        (RouteOff::HtmlPage, 200),
    ] {
        let server = serve(SimConfig {
            list_off: Some(off),
            status_off: Some(off),
            ..plain(5)
        })
        .await;
        let id = server.fixtures().deletable[0];
        for path in ["/videos".to_owned(), format!("/videos/{id}/status")] {
            let response = get(&server, &path).await;
            assert_eq!(response.status(), want_status, "{off:?} {path}");
            let html = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .contains("html");
            assert_eq!(html, off == RouteOff::HtmlPage, "{off:?} {path}");
        }
        // The details route is still there.
        assert_eq!(get(&server, &format!("/videos/{id}")).await.status(), 200);
    }
}

#[tokio::test]
async fn churn_deletes_listed_videos_and_creates_new_ones_between_pages() {
    let server = serve(SimConfig {
        churn: Some(Churn {
            delete_listed: 2,
            create: 3,
        }),
        ..plain(20)
    })
    .await;
    let (_, first) = read(&server, "/videos?limit=5").await;
    let first = ids(&first);
    let stats = server.stats();
    assert_eq!(
        (stats.churn_deleted.len(), stats.churn_created.len()),
        (2, 3)
    );
    let deleted: Vec<String> = stats
        .churn_deleted
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        deleted.iter().all(|id| first.contains(id)),
        "only listed ones"
    );
    let (_, now) = read(&server, "/videos?limit=100").await;
    assert_eq!(now["total"], 21);
    let listed = ids(&now);
    let created: Vec<String> = stats
        .churn_created
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut top = listed[..3].to_vec();
    top.sort();
    let mut want = created.clone();
    want.sort();
    assert_eq!(top, want, "the new videos list first");
    assert!(deleted.iter().all(|id| !listed.contains(id)));
    assert!(server.stats().deleted.is_empty(), "churn is not a DELETE");
}

/// `elytron-tui sim`'s flags, as the binary takes them.
#[derive(clap::Parser)]
struct SimCommand {
    #[command(flatten)]
    args: elytron_tui::sim::SimArgs,
}

#[test]
fn the_read_flags_reach_the_config() {
    use clap::Parser;
    let command = SimCommand::try_parse_from([
        "sim",
        "--key",
        "k",
        "--failed",
        "7",
        "--success-shape",
        "bare",
        "--list-off",
        "html-page",
        "--status-off",
        "method-not-allowed",
        "--churn-delete",
        "3",
        "--churn-create",
        "2",
    ])
    .expect("the flags parse");
    let config = command.args.to_config();
    assert_eq!(config.failed, 7);
    assert_eq!(config.success_shape, SuccessShape::Bare);
    assert_eq!(config.list_off, Some(RouteOff::HtmlPage));
    assert_eq!(config.status_off, Some(RouteOff::MethodNotAllowed));
    assert_eq!(
        config.churn,
        Some(Churn {
            delete_listed: 3,
            create: 2
        })
    );
    let plain = SimCommand::try_parse_from(["sim", "--key", "k"]).expect("the flags parse");
    let config = plain.args.to_config();
    assert_eq!(
        (config.success_shape, config.churn),
        (SuccessShape::Wrapped, None)
    );
}
