//! `ErrorBody`: what a response body says about one answer (code, message, `meta.request_id`).
//! Owns the tolerant reading of every body shape seen in the wild; it must never fail and never
//! decide what an answer means (that is `retry_policy`'s job).

use serde_json::Value;

/// The parts of a body a person needs to understand an answer. Every field is optional: an
/// empty, HTML or truncated body yields `None`s plus a readable `message` describing it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// Whether the body was empty, whole JSON, or anything else: a 2xx is the API's only with
    /// one of the first two.
    pub form: BodyForm,
    /// `VIDEO_NOT_FOUND`, `VIDEO_IN_PROCESSING`, ... from either documented shape.
    pub code: Option<String>,
    /// The server's message, or a description of a body that had none.
    pub message: Option<String>,
    /// `meta.request_id` (or a top-level `request_id`), for support requests.
    pub request_id: Option<String>,
}

/// What kind of body an answer had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BodyForm {
    /// Nothing, or only whitespace.
    #[default]
    Empty,
    /// A whole JSON document.
    Json,
    /// HTML, plain text, bytes, or JSON cut off before its end.
    Other,
}

/// Longest message kept from a body: enough for any real message, short enough for one row.
const MAX_MESSAGE_CHARS: usize = 300;

impl ErrorBody {
    /// Reads whatever the server sent. `truncated` says the body stopped early (the connection
    /// broke mid-body, or it exceeded our read limit).
    pub fn parse(bytes: &[u8], content_type: Option<&str>, truncated: bool) -> Self {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            let message = if truncated {
                "the answer's body was cut off before any of it arrived"
            } else {
                "the answer had an empty body"
            };
            return Self {
                // Whitespace that was cut off may have been the start of anything.
                form: if truncated {
                    BodyForm::Other
                } else {
                    BodyForm::Empty
                },
                ..Self::described(message)
            };
        }
        let other = |message: &str| Self {
            form: BodyForm::Other,
            ..Self::described(message)
        };
        match serde_json::from_slice::<Value>(bytes) {
            Ok(value) if !truncated => Self::from_json(&value),
            Ok(_) => other("the answer's body was cut off (incomplete JSON)"),
            Err(_) if looks_like_html(bytes, content_type) => {
                other(&format!("the answer was an HTML page{}", html_title(bytes)))
            }
            Err(error) if error.is_eof() || truncated => {
                other("the answer's body was cut off (incomplete JSON)")
            }
            Err(_) => other(&format!(
                "the answer was not JSON: {}",
                excerpt(&String::from_utf8_lossy(bytes))
            )),
        }
    }

    /// Replaces every occurrence of `secret` (the API key) in the text fields, in case a server
    /// or proxy echoes the Authorization header back in its error page.
    pub fn redact(mut self, secret: &str) -> Self {
        for field in [&mut self.code, &mut self.message, &mut self.request_id] {
            if let Some(text) = field.as_mut().filter(|text| text.contains(secret)) {
                *text = text.replace(secret, "***");
            }
        }
        self
    }

    fn described(message: &str) -> Self {
        Self {
            message: Some(message.to_owned()),
            ..Self::default()
        }
    }

    /// Both documented shapes: `{"error": {"code", "message"}}` and
    /// `{"error": "CODE", "message": "..."}`; anything else still yields a message.
    fn from_json(value: &Value) -> Self {
        let request_id = text_at(value, &["meta", "request_id"])
            .or_else(|| text_at(value, &["error", "request_id"]))
            .or_else(|| text_at(value, &["request_id"]));
        let (code, message) = match value.get("error") {
            Some(Value::Object(_)) => (
                text_at(value, &["error", "code"]),
                text_at(value, &["error", "message"]),
            ),
            Some(Value::String(code)) => (Some(code.clone()), text_at(value, &["message"])),
            _ => (text_at(value, &["code"]), text_at(value, &["message"])),
        };
        let message = message.map(|text| excerpt(&text)).or_else(|| {
            code.is_none()
                .then(|| format!("unrecognised JSON body: {}", excerpt(&value.to_string())))
        });
        Self {
            form: BodyForm::Json,
            code: code.map(|text| excerpt(&text)),
            message,
            request_id: request_id.map(|text| excerpt(&text)),
        }
    }
}

/// A string (or number) at `path`, ignoring any other type.
fn text_at(value: &Value, path: &[&str]) -> Option<String> {
    let found = path.iter().try_fold(value, |node, key| node.get(key))?;
    match found {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn looks_like_html(bytes: &[u8], content_type: Option<&str>) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
    content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
        || head.trim_start().starts_with("<!doctype html")
        || head.contains("<html")
}

/// ` ("502 Bad Gateway")` from an HTML page's `<title>`, or nothing.
fn html_title(bytes: &[u8]) -> String {
    let page = String::from_utf8_lossy(bytes);
    let lower = page.to_ascii_lowercase();
    let title = lower.find("<title>").and_then(|start| {
        let from = start + "<title>".len();
        lower[from..]
            .find("</title>")
            .map(|len| page[from..from + len].trim().to_owned())
    });
    match title {
        Some(title) if !title.is_empty() => format!(" ({:?})", excerpt(&title)),
        _ => String::new(),
    }
}

/// One line, at most `MAX_MESSAGE_CHARS` characters.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= MAX_MESSAGE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(MAX_MESSAGE_CHARS).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ErrorBody {
        ErrorBody::parse(body.as_bytes(), Some("application/json"), false)
    }

    #[test]
    fn reads_the_nested_shape_with_request_id() {
        let body = parse(
            r#"{"error":{"code":"VIDEO_NOT_FOUND","message":"Video not found"},
                "meta":{"request_id":"req_123","timestamp":"2026-01-01T00:00:00Z"}}"#,
        );
        assert_eq!(body.code.as_deref(), Some("VIDEO_NOT_FOUND"));
        assert_eq!(body.message.as_deref(), Some("Video not found"));
        assert_eq!(body.request_id.as_deref(), Some("req_123"));
    }

    #[test]
    fn reads_the_flat_shape() {
        let body = parse(r#"{"error":"VIDEO_IN_PROCESSING","message":"Busy","details":{}}"#);
        assert_eq!(body.code.as_deref(), Some("VIDEO_IN_PROCESSING"));
        assert_eq!(body.message.as_deref(), Some("Busy"));
        assert_eq!(body.request_id, None);
    }

    #[test]
    fn describes_empty_html_truncated_and_foreign_bodies() {
        let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
        let cases = [
            (ErrorBody::parse(b"", None, false), "empty body"),
            (ErrorBody::parse(b"  \n", None, true), "cut off"),
            (
                ErrorBody::parse(html.as_bytes(), Some("text/html"), false),
                "502 Bad Gateway",
            ),
            (parse(r#"{"error":{"code":"VIDEO_NOT"#), "cut off"),
            (
                parse(r#"{"status":"bad","reason":42}"#),
                "unrecognised JSON body",
            ),
            (
                parse("Service Unavailable"),
                "not JSON: Service Unavailable",
            ),
        ];
        for (body, want) in cases {
            let message = body.message.clone().unwrap_or_default();
            assert!(
                message.contains(want),
                "{message:?} should contain {want:?}"
            );
        }
    }

    #[test]
    fn tells_empty_and_whole_json_bodies_from_everything_else() {
        let cases = [
            (ErrorBody::parse(b"", None, false), BodyForm::Empty),
            (ErrorBody::parse(b" \n", None, false), BodyForm::Empty),
            (ErrorBody::parse(b" ", None, true), BodyForm::Other),
            (parse(r#"{"data":{},"meta":{}}"#), BodyForm::Json),
            (parse(r#"{"data":"#), BodyForm::Other),
            (ErrorBody::parse(b"{}", None, true), BodyForm::Other),
            (
                ErrorBody::parse(b"<html>ok</html>", None, false),
                BodyForm::Other,
            ),
            (ErrorBody::parse(b"\x01ok??", None, false), BodyForm::Other),
        ];
        for (n, (body, want)) in cases.into_iter().enumerate() {
            assert_eq!(body.form, want, "case {n}: {body:?}");
        }
    }

    #[test]
    fn long_messages_are_cut_to_one_short_line() {
        let long = format!(
            r#"{{"error":"X","message":"{}\nsecond"}}"#,
            "a".repeat(1000)
        );
        let message = parse(&long).message.unwrap_or_default();
        assert!(message.chars().count() <= MAX_MESSAGE_CHARS + 1);
        assert!(!message.contains('\n'));
    }

    #[test]
    fn redacts_an_echoed_secret() {
        let body = parse(r#"{"error":"UNAUTHORIZED","message":"bad key sk-SECRET"}"#);
        let body = body.redact("sk-SECRET");
        assert_eq!(body.message.as_deref(), Some("bad key ***"));
    }
}
