//! `import` of what the API's listing answered, saved to a file: one page in either shape,
//! or a dump of pages, gives every video of every page, titled by its prompt, with its
//! creation time (the simulated server's own answers, as a user would save them).

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
                 video per entry of videos, 5 with a title or creation time",
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
    let sandbox = Sandbox::new();
    let dump = sandbox.file("dump.json", &format!("[{}]", pages.join(",\n")));
    sandbox
        .cmd()
        .args(["import", "--strict"])
        .arg(&dump)
        .assert()
        .code(0)
        .stdout(contains(
            "added 10, already known 0; read as JSON: 3 page(s)",
        ));
    assert_eq!(list_json(&sandbox).len(), 10);
}
