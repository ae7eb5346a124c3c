//! `import` of what the API's listing answered, saved to a file: one page in either shape,
//! or a dump of pages, gives every video of every page, titled by its prompt, with its
//! creation time and every generation field a sync keeps (the simulated server's own
//! answers, as a user would save them); a page holding a video the API could not have
//! listed is refused whole, saying where.

use elytron_tui::sim::{SimConfig, SimServer, SuccessShape};
use predicates::str::contains;
use serde_json::Value;

use crate::import_records::list_json;
use crate::support::sandbox::Sandbox;
use crate::support::sim::{KEY, plain, serve};

/// The body of `GET /videos?{query}`, as saved from a terminal.
async fn saved_page(server: &SimServer, query: &str) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
        .get(format!("{}/videos?{query}", server.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("the server answers")
        .text()
        .await
        .expect("a body")
}

#[tokio::test]
async fn a_saved_page_in_either_shape_adds_every_video_with_its_prompt_and_time() {
    for shape in [SuccessShape::Wrapped, SuccessShape::Bare] {
        let server = serve(SimConfig {
            success_shape: shape,
            ..plain(5)
        })
        .await;
        let page = saved_page(&server, "limit=20").await;
        let sandbox = Sandbox::new();
        let file = sandbox.file("page.json", &page);
        sandbox
            .cmd()
            .args(["import"])
            .arg(&file)
            .assert()
            .code(0)
            .stdout(contains(
                "added 5, already known 0; read as JSON: 1 page(s) of the API's listing, one \
                 video per entry of videos with its generation (what the known list lacked \
                 filled in), 5 with a title or creation time",
            ));
        let body: Value = serde_json::from_str(&page).unwrap();
        let videos = body.get("data").unwrap_or(&body)["videos"]
            .as_array()
            .unwrap()
            .clone();
        let listed = list_json(&sandbox);
        assert_eq!(listed.len(), 5, "{shape:?}");
        for (row, video) in listed.iter().zip(&videos) {
            assert_eq!(row["id"], video["video_id"], "{shape:?}");
            assert_eq!(row["title"], video["prompt"], "{shape:?}");
            assert_eq!(row["created_at"], video["created_at"], "{shape:?}");
        }
    }
}

/// Each generation field of `row` (a line of `list --json`) is what `video` (an entry of a
/// saved page) listed, field for field; `listed` is not said by a saved page.
fn assert_generation_kept(row: &Value, video: &Value) {
    let at = &video["video_id"];
    for (kept, given) in [
        ("state", "status"),
        ("file_size", "file_size"),
        ("duration_seconds", "duration"),
        ("completed_at", "completed_at"),
        ("download_url", "download_url"),
    ] {
        let given = video.get(given).cloned().unwrap_or(Value::Null);
        let kept = row.get(kept).cloned().unwrap_or(Value::Null);
        match (&given, &kept) {
            (Value::Number(a), Value::Number(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{at}"),
            _ => assert_eq!(kept, given, "{at}"),
        }
    }
    let error = &video["error"];
    if !error.is_null() {
        let message = error.get("message").unwrap_or(error).as_str().unwrap();
        let kept = row["generation_error"].as_str().unwrap();
        assert!(kept.contains(message), "{at}: {kept}");
    }
    assert_eq!(
        row.get("listed"),
        None,
        "{at}: a saved page says nothing of now"
    );
}

#[tokio::test]
async fn every_field_a_sync_keeps_is_kept_in_either_shape() {
    for shape in [SuccessShape::Wrapped, SuccessShape::Bare] {
        let server = serve(SimConfig {
            success_shape: shape,
            processing: 2,
            failed: 2,
            ..plain(8)
        })
        .await;
        let page = saved_page(&server, "limit=20").await;
        let sandbox = Sandbox::new();
        let file = sandbox.file("page.json", &page);
        sandbox.cmd().arg("import").arg(&file).assert().code(0);
        let body: Value = serde_json::from_str(&page).unwrap();
        let videos = body.get("data").unwrap_or(&body)["videos"]
            .as_array()
            .unwrap()
            .clone();
        let states: Vec<&str> = videos.iter().filter_map(|v| v["status"].as_str()).collect();
        for state in ["completed", "failed"] {
            assert!(
                states.contains(&state),
                "the sim lists a {state} video: {states:?}"
            );
        }
        let listed = list_json(&sandbox);
        assert_eq!(listed.len(), videos.len(), "{shape:?}");
        for (row, video) in listed.iter().zip(&videos) {
            assert_generation_kept(row, video);
        }
    }
}

#[tokio::test]
async fn a_known_video_keeps_its_label_protection_and_what_a_sync_said() {
    let server = serve(plain(3)).await;
    let page = saved_page(&server, "limit=20").await;
    let body: Value = serde_json::from_str(&page).unwrap();
    let videos = body["data"]["videos"].as_array().unwrap().clone();
    let first = videos[0]["video_id"].as_str().unwrap().to_owned();
    let sandbox = Sandbox::new();
    let ids = sandbox.file("ids.txt", &format!("{first}\n"));
    sandbox
        .cmd()
        .args(["import", "--label", "keepers"])
        .arg(&ids)
        .assert()
        .code(0);
    sandbox.cmd().args(["protect", &first]).assert().code(0);
    let file = sandbox.file("page.json", &page);
    sandbox
        .cmd()
        .args(["import", "--label", "from the page"])
        .arg(&file)
        .assert()
        .code(0)
        .stdout(contains("added 2, already known 1"));
    let listed = list_json(&sandbox);
    assert_eq!(listed[0]["id"], first);
    assert_eq!(listed[0]["label"], "keepers", "the known label is kept");
    assert_eq!(listed[0]["protected"], true);
    assert_eq!(listed[1]["label"], "from the page");
    for (row, video) in listed.iter().zip(&videos) {
        assert_generation_kept(row, video);
    }
}

#[tokio::test]
async fn a_saved_page_with_a_video_the_api_could_not_list_is_refused_with_where() {
    let server = serve(plain(2)).await;
    let good = saved_page(&server, "limit=20").await;
    let sandbox = Sandbox::new();
    let before = sandbox.file("before.txt", "00000000-0000-4000-8000-000000000001\n");
    sandbox.cmd().arg("import").arg(&before).assert().code(0);
    for (video, why) in [
        (
            r#"{"video_id": "00000000-0000-4000-8000-00000000000b", "file_size": -3}"#,
            "dump.json:3: page 2, videos[1].file_size is the number -3, not a whole number \
             from 0",
        ),
        (
            r#"{"video_id": "video-1", "status": "completed"}"#,
            "dump.json:3: page 2, videos[1].video_id is the text \"video-1\", not a video ID",
        ),
        (
            r#"{"video_id": "00000000-0000-4000-8000-00000000000b", "status": "rendering"}"#,
            "page 2, videos[1].status is the text \"rendering\", not pending, processing, \
             completed or failed",
        ),
    ] {
        let bad = format!(
            "{{\"videos\": [{{\"video_id\": \"00000000-0000-4000-8000-00000000000a\"}},\n{video}]}}"
        );
        let dump = sandbox.file("dump.json", &format!("{}\n{bad}\n", good.trim()));
        sandbox
            .cmd()
            .arg("import")
            .arg(&dump)
            .assert()
            .code(2)
            .stderr(contains(why))
            .stderr(contains("nothing was taken from it"));
        let listed = list_json(&sandbox);
        assert_eq!(listed.len(), 1, "nothing changed: {listed:?}");
    }
}

#[tokio::test]
async fn a_dump_of_pages_adds_the_videos_of_every_page() {
    let wrapped = serve(plain(7)).await;
    let bare = serve(SimConfig {
        success_shape: SuccessShape::Bare,
        seed: 4,
        ..plain(3)
    })
    .await;
    let pages = [
        saved_page(&wrapped, "limit=4&offset=0").await,
        saved_page(&wrapped, "limit=4&offset=4").await,
        saved_page(&bare, "limit=10").await,
    ];
    let videos: Vec<Value> = pages
        .iter()
        .flat_map(|page| {
            let body: Value = serde_json::from_str(page).unwrap();
            body.get("data").unwrap_or(&body)["videos"]
                .as_array()
                .unwrap()
                .clone()
        })
        .collect();
    // As saved by hand (one array) and by a shell loop of curl (one page after another).
    for dump in [format!("[{}]", pages.join(",\n")), pages.concat()] {
        let sandbox = Sandbox::new();
        let dump = sandbox.file("dump.json", &dump);
        sandbox
            .cmd()
            .args(["import", "--strict"])
            .arg(&dump)
            .assert()
            .code(0)
            .stdout(contains(
                "added 10, already known 0; read as JSON: 3 page(s)",
            ));
        let listed = list_json(&sandbox);
        assert_eq!(listed.len(), 10);
        for (row, video) in listed.iter().zip(&videos) {
            assert_generation_kept(row, video);
        }
    }
}

/// A saved listing's IDs and their fields are one transaction: when merging the fields fails
/// (here a trigger refuses one download URL), no video of it stays. (They were two: the IDs
/// stayed without their fields.)
#[test]
fn a_listing_whose_fields_cannot_be_merged_adds_none_of_its_videos() {
    let sandbox = Sandbox::new();
    drop(sandbox.store());
    let database = sandbox.paths().database();
    rusqlite::Connection::open(&database)
        .expect("the database opens")
        .execute_batch(
            "CREATE TRIGGER refuse_url BEFORE UPDATE ON videos
               WHEN NEW.download_url = 'https://refused.example/a.mp4'
               BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .expect("the trigger is made");
    let page = r#"{"videos": [
        {"video_id": "00000000-0000-4000-8000-000000000001", "status": "completed"},
        {"video_id": "00000000-0000-4000-8000-000000000002", "status": "completed",
         "download_url": "https://refused.example/a.mp4"}
    ], "total": 2, "limit": 100, "offset": 0}"#;
    for input in ["page.json", "-"] {
        let mut cmd = sandbox.cmd();
        cmd.arg("import");
        if input == "-" {
            cmd.arg("-").write_stdin(page);
        } else {
            cmd.arg(sandbox.file(input, page));
        }
        cmd.assert()
            .failure()
            .stderr(contains("refused by the test"));
        assert!(sandbox.known().is_empty(), "{input}: nothing added");
    }
}
