//! `ElytronClient`'s reads (the listing, a video's details, its generation status) against
//! the simulated server and `wiremock`, in both shapes, judged by `RetryPolicy::judge_read`:
//! what is read, what is left out and said, what is not the API's listing, and that the key
//! goes out as a bearer and never comes back in what was read.

use std::time::Duration;

use elytron_tui::api::{
    ApiKey, Attempt, ClientConfig, ElytronClient, GenerationState, Page, PageQuery, Read,
    ReadFailureKind, ReadVerdict, RetryPolicy, RetryState, Shape, VideoId,
};
use elytron_tui::sim::{RouteOff, SimConfig, SuccessShape};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::sim::{api_key, plain, serve};

const SECRET: &str = "sk-live-TOPSECRET-4242";
const A: &str = "550e8400-e29b-41d4-a716-446655440000";
const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

fn client(base_url: &str) -> ElytronClient {
    ElytronClient::new(&ClientConfig {
        base_url: base_url.to_owned(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(2),
    })
    .expect("loopback base URL is accepted")
}

/// One judgement of `read` with the default policy.
fn judged<T: std::fmt::Debug>(read: Read<T>) -> ReadVerdict<T> {
    RetryPolicy::default().judge_read(&mut RetryState::default(), read)
}

fn content<T: std::fmt::Debug>(read: Read<T>) -> T {
    match judged(read) {
        ReadVerdict::Read(content) => content,
        other => panic!("not read: {other:?}"),
    }
}

#[tokio::test]
async fn reads_the_sims_listing_details_and_status_in_both_shapes() {
    for (shape, want) in [
        (SuccessShape::Wrapped, Shape::Wrapped),
        (SuccessShape::Bare, Shape::Bare),
    ] {
        let server = serve(SimConfig {
            videos: 12,
            processing: 2,
            failed: 3,
            success_shape: shape,
            ..SimConfig::default()
        })
        .await;
        let client = client(&server.base_url());
        let first = content(
            client
                .list_videos(&api_key(), &PageQuery::new(0, 5, None))
                .await,
        );
        assert_eq!(
            (first.shape, first.total, first.limit, first.offset),
            (want, Some(12), Some(5), Some(0))
        );
        assert_eq!(first.videos.len(), 5);
        assert!(first.dropped.is_empty(), "{:?}", first.dropped);
        let rest = content(
            client
                .list_videos(&api_key(), &PageQuery::new(5, 100, None))
                .await,
        );
        let listed: Vec<VideoId> = first
            .videos
            .iter()
            .chain(&rest.videos)
            .map(|v| v.id)
            .collect();
        assert_eq!(listed.len(), 12);
        let fixtures = server.fixtures();
        assert!(
            fixtures
                .deletable
                .iter()
                .chain(&fixtures.processing)
                .all(|id| listed.contains(id))
        );
        let newest = &first.videos[0];
        assert_eq!(
            newest.state,
            Some(GenerationState::Pending),
            "the processing ones are newest"
        );
        assert!(
            newest.prompt.is_some() && newest.duration.is_some() && newest.completed_at.is_none()
        );
        let done = rest
            .videos
            .iter()
            .find(|v| v.state == Some(GenerationState::Completed))
            .unwrap();
        assert!(
            done.file_size.is_some() && done.download_url.is_some() && done.completed_at.is_some()
        );
        let failed = content(
            client
                .list_videos(
                    &api_key(),
                    &PageQuery::new(0, 100, Some(GenerationState::Failed)),
                )
                .await,
        );
        assert!(!failed.videos.is_empty() && failed.videos.iter().all(|v| v.error.is_some()));

        let details = content(client.video_details(&api_key(), done.id).await);
        assert_eq!((&details.video, details.shape), (done, want));
        let busy = fixtures.processing[0];
        let status = content(client.video_status(&api_key(), busy).await);
        assert_eq!(
            (status.id, status.state, status.progress),
            (busy, GenerationState::Pending, Some(0))
        );
        assert!(status.estimated_completion.is_some());
    }
}

#[tokio::test]
async fn the_sims_refusals_are_judged_as_the_api_means_them() {
    let server = serve(SimConfig {
        other_account: 1,
        unknown: 1,
        ..plain(3)
    })
    .await;
    let client = client(&server.base_url());
    let fixtures = server.fixtures().clone();
    assert_eq!(
        judged(client.video_status(&api_key(), fixtures.unknown[0]).await),
        ReadVerdict::Gone
    );
    assert_eq!(
        judged(client.video_details(&api_key(), fixtures.unknown[0]).await),
        ReadVerdict::Gone
    );
    let ReadVerdict::Failed(foreign) = judged(
        client
            .video_status(&api_key(), fixtures.other_account[0])
            .await,
    ) else {
        panic!("another account's video is refused");
    };
    assert_eq!(foreign.kind, ReadFailureKind::Forbidden);
    assert!(foreign.request_id.is_some());
    let wrong_key = ApiKey::new("sk-wrong").unwrap();
    let ReadVerdict::Failed(refused) = judged(
        client
            .list_videos(&wrong_key, &PageQuery::new(0, 10, None))
            .await,
    ) else {
        panic!("a wrong key is refused");
    };
    assert_eq!(refused.kind, ReadFailureKind::KeyRefused);
}

#[tokio::test]
async fn a_sim_without_the_listing_is_not_listed_whichever_way_it_says_so() {
    for off in [
        RouteOff::NotFound,
        RouteOff::MethodNotAllowed,
        RouteOff::HtmlPage,
    ] {
        let server = serve(SimConfig {
            list_off: Some(off),
            ..plain(3)
        })
        .await;
        let client = client(&server.base_url());
        let policy = RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        };
        let mut state = RetryState::default();
        let failure = loop {
            let read = client
                .list_videos(&api_key(), &PageQuery::new(0, 100, None))
                .await;
            match policy.judge_read(&mut state, read) {
                ReadVerdict::Retry { .. } => continue,
                ReadVerdict::Failed(failure) => break failure,
                other => panic!("{off:?}: {other:?}"),
            }
        };
        assert_eq!(failure.kind, ReadFailureKind::NotServed, "{off:?}");
        let message = failure.to_string();
        assert!(
            message.contains("this server does not list videos"),
            "{off:?}: {message}"
        );
        assert!(message.contains("import IDs instead"), "{off:?}: {message}");
        // An HTML page may be a proxy's passing trouble: it is asked again, once here.
        let tries = if off == RouteOff::HtmlPage { 2 } else { 1 };
        assert_eq!(failure.attempts, tries, "{off:?}");
    }
}

/// A mock answering every GET of `/v1/videos` with `body`.
async fn listing_server(body: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/videos"))
        .respond_with(body)
        .mount(&server)
        .await;
    server
}

async fn list_from(server: &MockServer) -> Read<Page> {
    client(&format!("{}/v1", server.uri()))
        .list_videos(&ApiKey::new(SECRET).unwrap(), &PageQuery::new(0, 100, None))
        .await
}

#[tokio::test]
async fn sends_the_page_query_with_the_bearer_and_reads_both_shapes_from_wiremock() {
    let listing = json!({
        "videos": [
            {"video_id": A, "prompt": "a fox", "status": "completed", "file_size": 1000},
            {"video_id": B, "prompt": null, "status": "processing"},
        ],
        "total": 2, "limit": 100, "offset": 40,
    });
    for (body, want) in [
        (listing.clone(), Shape::Bare),
        (
            json!({"data": listing, "meta": {"timestamp": "t", "request_id": "req_list"}}),
            Shape::Wrapped,
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v1/videos"))
            .and(query_param("limit", "50"))
            .and(query_param("offset", "40"))
            .and(query_param("status", "processing"))
            .and(header("authorization", format!("Bearer {SECRET}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(&body))
            .expect(1)
            .mount(&server)
            .await;
        let read = client(&format!("{}/v1", server.uri()))
            .list_videos(
                &ApiKey::new(SECRET).unwrap(),
                &PageQuery::new(40, 50, Some(GenerationState::Processing)),
            )
            .await;
        if want == Shape::Wrapped {
            let Attempt::Answered(answer) = &read.attempt else {
                panic!("answered")
            };
            assert_eq!(answer.body.request_id.as_deref(), Some("req_list"));
        }
        let page = content(read);
        assert_eq!(
            (page.shape, page.offset, page.videos.len()),
            (want, Some(40), 2)
        );
        assert_eq!(page.videos[0].file_size, Some(1000));
        assert_eq!(page.videos[1].prompt, None);
    }
}

#[tokio::test]
async fn odd_fields_and_entries_are_left_out_and_said_never_the_page() {
    let server = listing_server(ResponseTemplate::new(200).set_body_json(json!({
        "data": {
            "videos": [
                {"video_id": A, "duration": "ten", "created_at": "yesterday", "prompt": "kept"},
                {"id": B, "prompt": "no video_id"},
                "not a video",
                {"video_id": B, "status": 3},
            ],
            "total": -1,
        },
    })))
    .await;
    let page = content(list_from(&server).await);
    let ids: Vec<String> = page.videos.iter().map(|v| v.id.to_string()).collect();
    assert_eq!(ids, [A, B]);
    assert_eq!(page.videos[0].prompt.as_deref(), Some("kept"));
    let notes: Vec<String> = page.dropped.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 6, "{notes:#?}");
    for said in [
        "videos[0].duration",
        "videos[0].created_at",
        "videos[1].video_id is missing",
        "videos[2] is the text",
        "videos[3].status is the number 3",
        "total is the number -1",
    ] {
        assert!(
            notes.iter().any(|note| note.starts_with(said)),
            "{said} in {notes:#?}"
        );
    }
}

#[tokio::test]
async fn what_is_not_a_listing_is_refused_with_the_reason() {
    for (response, why) in [
        (
            ResponseTemplate::new(200)
                .set_body_raw("<!doctype html><title>App</title>", "text/html"),
            "HTML page",
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"items": []})),
            "no videos",
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"data": {"videos": "none"}})),
            "not a list",
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!([{"video_id": A}])),
            "not an object",
        ),
        (ResponseTemplate::new(204), "empty body"),
    ] {
        let server = listing_server(response).await;
        let read = list_from(&server).await;
        let Some(Err(not)) = &read.content else {
            panic!("{why}: {:?}", read.content)
        };
        let message = not.to_string();
        assert!(
            message.starts_with("this server does not list videos ("),
            "{message}"
        );
        assert!(message.contains(why), "{why}: {message}");
    }
}

#[tokio::test]
async fn the_key_echoed_in_a_listing_never_comes_back_in_what_was_read() {
    let echo = json!({
        "videos": [{"video_id": A, "prompt": format!("made with {SECRET}"), "error": {"message": SECRET}}],
        "meta": {"request_id": SECRET},
    });
    let server = listing_server(ResponseTemplate::new(200).set_body_json(echo)).await;
    let read = list_from(&server).await;
    let shown = format!("{read:?}");
    assert!(!shown.contains("TOPSECRET"), "{shown}");
    let page = content(read);
    assert_eq!(page.videos[0].prompt.as_deref(), Some("made with ***"));
    let html = listing_server(
        ResponseTemplate::new(200)
            .set_body_raw(format!("<html><title>{SECRET}</title></html>"), "text/html"),
    )
    .await;
    let shown = format!("{:?}", list_from(&html).await);
    assert!(
        !shown.contains("TOPSECRET") && shown.contains("***"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_status_for_another_video_is_not_an_answer() {
    let server = MockServer::start().await;
    let status: Value = json!({"data": {"video_id": B, "status": "completed", "progress": 100}});
    Mock::given(method("GET"))
        .and(path(format!("/v1/videos/{A}/status")))
        .respond_with(ResponseTemplate::new(200).set_body_json(status))
        .mount(&server)
        .await;
    let read = client(&format!("{}/v1", server.uri()))
        .video_status(&ApiKey::new(SECRET).unwrap(), A.parse().unwrap())
        .await;
    let ReadVerdict::Failed(failure) = judged(read) else {
        panic!("refused")
    };
    assert_eq!(failure.kind, ReadFailureKind::NotServed);
    assert!(
        failure.message.contains("not the video asked about"),
        "{failure}"
    );
}
