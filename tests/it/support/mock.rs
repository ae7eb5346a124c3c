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
