//! `ElytronClient` against real servers on loopback: wiremock for well-formed HTTP, and raw
//! TCP listeners for what wiremock cannot do (drop the connection, cut a body short).

use std::time::Duration;

use elytron_tui::api::{
    ApiKey, Attempt, ClientConfig, ClientError, ElytronClient, TransportFailure, VideoId,
};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::canned::{Canned, closed_port};
use crate::support::mock::answer_every_delete;

const SECRET: &str = "sk-live-TOPSECRET-4242";
const ID: &str = "550E8400-E29B-41D4-A716-446655440000";

fn key() -> ApiKey {
    ApiKey::new(SECRET).expect("valid key")
}

fn id() -> VideoId {
    ID.parse().expect("valid id")
}

fn client(base_url: &str) -> ElytronClient {
    ElytronClient::new(&ClientConfig {
        base_url: base_url.to_owned(),
        timeout: Duration::from_millis(500),
        connect_timeout: Duration::from_millis(500),
    })
    .expect("loopback base URL is accepted")
}

async fn answer_to(response: ResponseTemplate) -> Attempt {
    let server = MockServer::start().await;
    answer_every_delete(&server, response).await;
    client(&format!("{}/v1", server.uri()))
        .delete_video(&key(), id())
        .await
}

fn answered(attempt: Attempt) -> elytron_tui::api::Answer {
    match attempt {
        Attempt::Answered(answer) => answer,
        other => panic!("expected an answer, got {other:?}"),
    }
}

#[tokio::test]
async fn sends_one_delete_with_bearer_user_agent_and_lower_case_id() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v1/videos/550e8400-e29b-41d4-a716-446655440000"))
        .and(header("authorization", format!("Bearer {SECRET}").as_str()))
        .and(header(
            "user-agent",
            concat!("elytron-tui/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // The trailing slash is tolerated: no `//videos` in the path.
    let client = client(&format!("{}/v1/", server.uri()));
    assert_eq!(client.base_url(), format!("{}/v1", server.uri()));
    assert_eq!(client.host(), "127.0.0.1");
    let answer = answered(client.delete_video(&key(), id()).await);
    assert_eq!(answer.status, 204);
}

#[tokio::test]
async fn reads_both_error_shapes_and_the_request_id() {
    let nested = ResponseTemplate::new(404).set_body_raw(
        r#"{"error":{"code":"VIDEO_NOT_FOUND","message":"Video not found"},"meta":{"request_id":"req_9"}}"#,
        "application/json",
    );
    let answer = answered(answer_to(nested).await);
    assert_eq!(answer.status, 404);
    assert_eq!(answer.body.code.as_deref(), Some("VIDEO_NOT_FOUND"));
    assert_eq!(answer.body.message.as_deref(), Some("Video not found"));
    assert_eq!(answer.body.request_id.as_deref(), Some("req_9"));

    let flat = ResponseTemplate::new(400).set_body_raw(
        r#"{"error":"VIDEO_IN_PROCESSING","message":"Cannot delete video while it is being processed","details":{}}"#,
        "application/json",
    );
    let answer = answered(answer_to(flat).await);
    assert_eq!(answer.body.code.as_deref(), Some("VIDEO_IN_PROCESSING"));
    assert_eq!(
        answer.body.message.as_deref(),
        Some("Cannot delete video while it is being processed")
    );
}

#[tokio::test]
async fn odd_bodies_still_give_a_readable_message() {
    let cases = [
        (
            ResponseTemplate::new(502).set_body_raw(
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                "text/html",
            ),
            "502 Bad Gateway",
        ),
        (ResponseTemplate::new(500), "empty body"),
        (
            ResponseTemplate::new(500)
                .set_body_raw(r#"{"error":{"code":"INTER"#, "application/json"),
            "cut off",
        ),
        (
            ResponseTemplate::new(500).set_body_raw(r#"{"oops":[1,2]}"#, "application/json"),
            "unrecognised JSON body",
        ),
    ];
    for (response, want) in cases {
        let answer = answered(answer_to(response).await);
        let message = answer.body.message.unwrap_or_default();
        assert!(message.contains(want), "{message:?} should say {want:?}");
    }
}

#[tokio::test]
async fn reads_retry_after_in_both_forms_and_rate_limit_headers() {
    let seconds = ResponseTemplate::new(429)
        .insert_header("retry-after", "3")
        .insert_header("x-ratelimit-limit", "100")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", "2");
    let hint = answered(answer_to(seconds).await).rate_limit;
    assert_eq!(hint.retry_after, Some(Duration::from_secs(3)));
    assert_eq!(
        (hint.limit, hint.remaining, hint.reset_in),
        (Some(100), Some(0), Some(Duration::from_secs(2)))
    );

    let later = std::time::SystemTime::now() + Duration::from_secs(30);
    let date =
        ResponseTemplate::new(429).insert_header("retry-after", httpdate::fmt_http_date(later));
    let wait = answered(answer_to(date).await)
        .rate_limit
        .retry_after
        .unwrap_or_default();
    assert!(
        wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
}

/// Every family of rate headers real servers send reads as the same limit: 10 a second, 3
/// left, whole again in a second (the window, where a policy names it); an unparseable one
/// reads as nothing, and the answer still counts.
#[tokio::test]
async fn reads_every_form_of_rate_headers_and_ignores_what_does_not_parse() {
    let forms: [&[(&str, &str)]; 6] = [
        &[
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset", "1"),
        ],
        &[
            ("x-ratelimit-limit", "10, 10;w=1"),
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset", "1"),
        ],
        &[
            ("ratelimit-limit", "10"),
            ("ratelimit-remaining", "3"),
            ("ratelimit-reset", "1"),
        ],
        &[
            ("ratelimit-limit", "10, 10;w=1"),
            ("ratelimit-remaining", "3"),
            ("ratelimit-reset", "1"),
        ],
        &[
            ("ratelimit-policy", "\"default\";q=10;w=1"),
            ("ratelimit", "\"default\";r=3;t=1"),
        ],
        &[
            ("ratelimit-policy", "10;w=1"),
            ("ratelimit", "limit=10, remaining=3, reset=1"),
        ],
    ];
    for headers in forms {
        let response = headers
            .iter()
            .fold(ResponseTemplate::new(204), |response, (name, value)| {
                response.insert_header(*name, *value)
            });
        let hint = answered(answer_to(response).await).rate_limit;
        assert_eq!(
            (hint.limit, hint.remaining, hint.reset_in),
            (Some(10), Some(3), Some(Duration::from_secs(1))),
            "{headers:?}"
        );
        let policy_named = headers.iter().any(|(_, value)| value.contains("w=1"));
        let window = policy_named.then_some(Duration::from_secs(1));
        assert_eq!(hint.window, window, "{headers:?}");
    }
    let garbage = ResponseTemplate::new(204)
        .insert_header("x-ratelimit-limit", "ten")
        .insert_header("x-ratelimit-remaining", "-1")
        .insert_header("ratelimit", "\"p\";r=;t=soon, ;;")
        .insert_header("ratelimit-policy", "\"p;q=1");
    let answer = answered(answer_to(garbage).await);
    assert_eq!(answer.status, 204);
    assert!(!answer.rate_limit.has_rate_headers(), "{answer:?}");
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let slow = ResponseTemplate::new(204).set_delay(Duration::from_secs(3));
    assert_eq!(
        answer_to(slow).await,
        Attempt::NoAnswer(TransportFailure::Timeout)
    );
}

#[tokio::test]
async fn a_refused_connection_never_reached_the_server() {
    let addr = closed_port();
    let attempt = client(&format!("http://{addr}/v1"))
        .delete_video(&key(), id())
        .await;
    let Attempt::NoAnswer(failure) = attempt else {
        panic!("expected no answer, got {attempt:?}");
    };
    assert!(
        matches!(failure, TransportFailure::Connect { .. }),
        "{failure:?}"
    );
    assert!(!failure.may_have_reached_server());
}

/// A server that reads a request, writes `reply` (possibly nothing) and hangs up; its base URL.
fn canned_server(reply: &str) -> String {
    format!("http://{}/v1", Canned::start(vec![reply.to_owned()]).addr)
}

#[tokio::test]
async fn a_connection_dropped_before_the_answer_may_have_deleted() {
    let base = canned_server("");
    let attempt = client(&base).delete_video(&key(), id()).await;
    let Attempt::NoAnswer(failure) = attempt else {
        panic!("expected no answer, got {attempt:?}");
    };
    assert!(
        matches!(failure, TransportFailure::Interrupted { .. }),
        "{failure:?}"
    );
    assert!(failure.may_have_reached_server());
}

#[tokio::test]
async fn a_body_cut_short_keeps_the_status() {
    let reply = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
                 content-length: 200\r\n\r\n{\"error\":{\"code\":\"OVERLOADED\",";
    let base = canned_server(reply);
    let answer = answered(client(&base).delete_video(&key(), id()).await);
    assert_eq!(answer.status, 503);
    let message = answer.body.message.unwrap_or_default();
    assert!(message.contains("cut off"), "{message:?}");
}

#[test]
fn plain_http_to_a_remote_host_is_refused_before_any_connection() {
    // `new` does no I/O, so an error from it means nothing was sent anywhere.
    let refused = ElytronClient::new(&ClientConfig {
        base_url: "http://api.elytron.com/v1".to_owned(),
        ..ClientConfig::default()
    });
    let error = refused.expect_err("plain http to a remote host");
    assert!(
        matches!(error, ClientError::InsecureBaseUrl { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("https://"), "{error}");

    let unparseable = ElytronClient::new(&ClientConfig {
        base_url: "not a url".to_owned(),
        ..ClientConfig::default()
    });
    let error = unparseable.expect_err("unparseable");
    assert!(
        matches!(error, ClientError::InvalidBaseUrl { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("not a url"), "{error}");
}

#[test]
fn defaults_point_at_production_over_https() {
    let config = ClientConfig::default();
    assert_eq!(config.base_url, "https://api.elytron.com/v1");
    assert_eq!(config.timeout, Duration::from_secs(30));
    assert_eq!(config.connect_timeout, Duration::from_secs(10));
    let client = ElytronClient::new(&config).expect("default config builds");
    assert_eq!(client.host(), "api.elytron.com");
}

#[tokio::test]
async fn the_key_never_appears_in_any_output_even_when_echoed() {
    let echo = ResponseTemplate::new(401).set_body_raw(
        format!(r#"{{"error":{{"code":"UNAUTHORIZED","message":"Invalid API key {SECRET}"}},"meta":{{"request_id":"{SECRET}"}}}}"#),
        "application/json",
    );
    let html_echo = ResponseTemplate::new(502).set_body_raw(
        format!("<html><title>Bearer {SECRET}</title></html>"),
        "text/html",
    );
    let mut rendered = Vec::new();
    for response in [echo, html_echo] {
        let attempt = answer_to(response).await;
        rendered.push(format!("{attempt:?} {attempt:#?}"));
    }
    let dropped = canned_server("");
    let client = client(&dropped);
    let attempt = client.delete_video(&key(), id()).await;
    rendered.push(format!("{attempt:?} {client:?}"));
    if let Attempt::NoAnswer(failure) = &attempt {
        rendered.push(failure.describe());
    }
    let key = key();
    rendered.push(format!("{key:?} {key}"));
    for output in &rendered {
        assert!(!output.contains(SECRET), "key leaked in {output}");
        assert!(
            !output.contains("TOPSECRET"),
            "part of the key leaked in {output}"
        );
    }
    assert!(
        rendered[0].contains("Invalid API key ***"),
        "{}",
        rendered[0]
    );
}

#[tokio::test]
async fn a_redirect_is_reported_not_followed() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", "https://elsewhere.example/x"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let attempt = client(&format!("{}/v1", server.uri()))
        .delete_video(&key(), id())
        .await;
    assert_eq!(answered(attempt).status, 307);
}
