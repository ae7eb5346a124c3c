//! The three GETs, each sent once with the key, each coming back as a `Read` (never a panic
//! or an error of its own). A 2xx's body is read for the route's content; any other answer
//! as a DELETE's would be. The key is taken out of everything read. It must not retry, pace
//! or walk pages: the engine and the walk do.

use reqwest::header::AUTHORIZATION;
use serde_json::Value;

use super::page::{Page, PageQuery};
use super::status::{Details, GenerationStatus};
use super::{NotTheApis, Read, ReadRoute};
use crate::api::attempt::Attempt;
use crate::api::client::{Received, bearer, classify_failure, receive};
use crate::api::error_body::{BodyForm, ErrorBody};
use crate::api::{ApiKey, ElytronClient, VideoId};

/// Most of a GET's body read. A page of 100 videos with long prompts is far below it; a body
/// that goes on past it is not read as a page.
const MAX_READ_BYTES: usize = 4 * 1024 * 1024;

impl ElytronClient {
    /// `GET {base}/videos?limit=&offset=[&status=]`, once.
    pub async fn list_videos(&self, key: &ApiKey, query: &PageQuery) -> Read<Page> {
        self.read(key, &query.path(), ReadRoute::List, Page::from_json)
            .await
    }

    /// `GET {base}/videos/{id}`, once.
    pub async fn video_details(&self, key: &ApiKey, id: VideoId) -> Read<Details> {
        let parse = |body: &Value| Details::from_json(body, id);
        self.read(key, &format!("videos/{id}"), ReadRoute::Details, parse)
            .await
    }

    /// `GET {base}/videos/{id}/status`, once.
    pub async fn video_status(&self, key: &ApiKey, id: VideoId) -> Read<GenerationStatus> {
        let parse = |body: &Value| GenerationStatus::from_json(body, id);
        self.read(
            key,
            &format!("videos/{id}/status"),
            ReadRoute::Status,
            parse,
        )
        .await
    }

    async fn read<T>(
        &self,
        key: &ApiKey,
        path: &str,
        route: ReadRoute,
        parse: impl FnOnce(&Value) -> Result<T, String>,
    ) -> Read<T> {
        let unanswered = |attempt| Read {
            route,
            attempt,
            content: None,
        };
        let Some(bearer) = bearer(key) else {
            return unanswered(Attempt::KeyUnusable);
        };
        let sent = self
            .http
            .get(format!("{}/{path}", self.base_url))
            .header(AUTHORIZATION, bearer)
            .send()
            .await;
        let response = match sent {
            Ok(response) => response,
            Err(error) => {
                return unanswered(Attempt::NoAnswer(classify_failure(&error, &self.host)));
            }
        };
        let received = receive(response, key, MAX_READ_BYTES).await;
        if !(200..300).contains(&received.answer.status) {
            let body = ErrorBody::parse(
                &received.bytes,
                received.answer.content_type.as_deref(),
                received.truncated,
            );
            return unanswered(Attempt::Answered(received.with_body(body, key)));
        }
        let (body, content) = success(&received, key, route, parse);
        Read {
            route,
            attempt: Attempt::Answered(received.with_body(body, key)),
            content: Some(content),
        }
    }
}

/// A 2xx's body as the route's content, or why it is not; with the `ErrorBody` its attempt
/// carries (the body's form, and a `meta.request_id`).
fn success<T>(
    received: &Received,
    key: &ApiKey,
    route: ReadRoute,
    parse: impl FnOnce(&Value) -> Result<T, String>,
) -> (ErrorBody, Result<T, NotTheApis>) {
    let not = |why: String| NotTheApis { route, why };
    let content_type = received.answer.content_type.as_deref();
    let value = if received.truncated {
        None
    } else {
        serde_json::from_slice::<Value>(&received.bytes).ok()
    };
    let Some(mut value) = value else {
        let body = ErrorBody::parse(&received.bytes, content_type, received.truncated)
            .redact(key.expose());
        let why = if received.truncated {
            format!(
                "the answer was cut off: longer than {} MiB, or the connection broke",
                MAX_READ_BYTES >> 20
            )
        } else {
            body.message.clone().unwrap_or_default()
        };
        return (body, Err(not(why)));
    };
    redact_strings(&mut value, key.expose());
    let body = ErrorBody {
        form: BodyForm::Json,
        request_id: value
            .pointer("/meta/request_id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        ..ErrorBody::default()
    };
    (body, parse(&value).map_err(not))
}

/// Every string in `value` with `secret` (the key, echoed by a server or a proxy) replaced
/// by `***`.
fn redact_strings(value: &mut Value, secret: &str) {
    match value {
        Value::String(text) if text.contains(secret) => *text = text.replace(secret, "***"),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_strings(item, secret)),
        Value::Object(fields) => fields
            .values_mut()
            .for_each(|field| redact_strings(field, secret)),
        _ => {}
    }
}
