//! wiremock as these tests mount it: one answer for every DELETE, and the API's error body
//! (`{"error":{"code","message"}}`). Mounts that match more than the method stay with the
//! test that needs them.

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every DELETE, whatever the ID, gets `response`.
pub async fn answer_every_delete(server: &MockServer, response: ResponseTemplate) {
    Mock::given(method("DELETE"))
        .respond_with(response)
        .mount(server)
        .await;
}

/// The API's error body.
pub fn error_body(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

/// A `status` answer with the API's error body.
pub fn api_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(error_body(code, message))
}

/// A page of the listing (bare) of the videos numbered 1 to `videos`, each completed, out of
/// `total`.
pub fn completed_page(videos: u128, total: u64) -> Value {
    let videos: Vec<Value> = (1..=videos)
        .map(|n| json!({"video_id": uuid::Uuid::from_u128(n).to_string(), "status": "completed"}))
        .collect();
    json!({"videos": videos, "total": total, "limit": 100, "offset": 0})
}

/// `sync` against `server` with the test key, run off the async runtime (wiremock answers
/// on it): what it came to, and the sandbox to look into after.
pub async fn sync_against(server: &MockServer) -> (std::process::Output, super::sandbox::Sandbox) {
    let sandbox = super::sandbox::Sandbox::new()
        .at(server.uri())
        .with_key(super::sim::KEY);
    tokio::task::spawn_blocking(move || (sandbox.run(&["sync"]), sandbox))
        .await
        .expect("the sync ran")
}
