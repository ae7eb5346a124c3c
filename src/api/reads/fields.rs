//! Reading one field of a JSON object as the type the API documents, tolerantly: absent or
//! `null` is "not given", any other type (or a value out of range) is left out and recorded
//! as a `Dropped`, so one odd field never costs the rest of its video or page.

use std::fmt;
use std::time::Duration;

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::api::GenerationState;

/// A field left out because its value could not be read as what the API documents, or an
/// entry skipped for want of a `video_id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    /// Where: `videos[3].file_size`, `progress`.
    pub at: String,
    /// What it held, as shown (`a string "12 MB"`, `true`, `an object`): control
    /// characters escaped.
    pub found: String,
    /// What the API documents there.
    pub wanted: &'static str,
    /// The whole entry was skipped (it had no `video_id` to be known by), not only the field.
    pub entry_skipped: bool,
}

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.entry_skipped {
            "the entry is skipped"
        } else {
            "left out"
        };
        write!(
            f,
            "{} is {}, not {}: {what}",
            self.at, self.found, self.wanted
        )
    }
}

/// The fields of one JSON object, read one at a time.
pub(super) struct Fields<'a> {
    object: &'a Map<String, Value>,
    /// Prefix of every `Dropped::at`: `videos[3].`, or empty.
    at: String,
    dropped: &'a mut Vec<Dropped>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(
        object: &'a Map<String, Value>,
        at: &str,
        dropped: &'a mut Vec<Dropped>,
    ) -> Self {
        let at = if at.is_empty() {
            String::new()
        } else {
            format!("{at}.")
        };
        Self {
            object,
            at,
            dropped,
        }
    }

    /// A field's value; `None` when absent or `null`.
    pub(super) fn value(&self, name: &str) -> Option<&'a Value> {
        self.object.get(name).filter(|value| !value.is_null())
    }

    /// Records `name` as left out: it held `value` where `wanted` was documented.
    pub(super) fn drop_field(&mut self, name: &str, value: &Value, wanted: &'static str) {
        self.dropped.push(Dropped {
            at: format!("{}{name}", self.at),
            found: shown(value),
            wanted,
            entry_skipped: false,
        });
    }

    /// `read` of the field, or `None` (recorded as dropped) when `read` cannot make it out.
    fn read<T>(
        &mut self,
        name: &str,
        wanted: &'static str,
        read: impl FnOnce(&Value) -> Option<T>,
    ) -> Option<T> {
        let value = self.value(name)?;
        let read = read(value);
        if read.is_none() {
            self.drop_field(name, value, wanted);
        }
        read
    }

    /// Text; a blank string is "not given".
    pub(super) fn text(&mut self, name: &str) -> Option<String> {
        self.read(name, "text", |value| {
            value.as_str().map(str::trim).map(str::to_owned)
        })
        .filter(|text| !text.is_empty())
    }

    /// A count (a size in bytes, a total, an offset): a whole number from 0.
    pub(super) fn count(&mut self, name: &str) -> Option<u64> {
        self.read(name, "a whole number from 0", |value| {
            value.as_u64().or_else(|| {
                let number = value.as_f64()?;
                let whole = number >= 0.0 && number.fract() == 0.0 && number < 2f64.powi(63);
                whole.then_some(number as u64)
            })
        })
    }

    /// A length in seconds: a number from 0.
    pub(super) fn seconds(&mut self, name: &str) -> Option<Duration> {
        self.read(name, "a number of seconds from 0", |value| {
            Duration::try_from_secs_f64(value.as_f64()?).ok()
        })
    }

    /// A moment: RFC 3339 text (`2024-05-01T10:00:00Z`), or a number of Unix seconds.
    pub(super) fn time(&mut self, name: &str) -> Option<Timestamp> {
        self.read(
            name,
            "a time (RFC 3339 or Unix seconds)",
            |value| match value {
                Value::String(text) => text.trim().parse().ok(),
                Value::Number(number) => unix_seconds(number.as_f64()?),
                _ => None,
            },
        )
    }

    /// A percentage from 0 to 100 (a fraction is cut to the whole percent below).
    pub(super) fn percent(&mut self, name: &str) -> Option<u8> {
        self.read(name, "a number from 0 to 100", |value| {
            let number = value.as_f64()?;
            (0.0..=100.0)
                .contains(&number)
                .then(|| number.floor() as u8)
        })
    }

    /// One of the four generation states.
    pub(super) fn state(&mut self, name: &str) -> Option<GenerationState> {
        self.read(name, "pending, processing, completed or failed", |value| {
            value.as_str()?.parse().ok()
        })
    }

    /// An error: text, or an object with `code` and `message` (as error bodies have them).
    pub(super) fn error(&mut self, name: &str) -> Option<String> {
        self.read(
            name,
            "text or an object with a code and a message",
            |value| match value {
                Value::String(text) => Some(text.trim().to_owned()),
                Value::Object(error) => {
                    let part = |key: &str| error.get(key).and_then(Value::as_str).map(str::trim);
                    match (part("code"), part("message")) {
                        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
                        (Some(text), None) | (None, Some(text)) => Some(text.to_owned()),
                        (None, None) => None,
                    }
                }
                _ => None,
            },
        )
        .filter(|text| !text.is_empty())
    }
}

/// Unix seconds, within what a video's times can be (years 1970 to about 5000): a larger
/// number is most likely milliseconds, which are not guessed at.
fn unix_seconds(seconds: f64) -> Option<Timestamp> {
    if !(0.0..1e11).contains(&seconds) {
        return None;
    }
    let whole = seconds.floor();
    Timestamp::new(whole as i64, ((seconds - whole) * 1e9) as i32).ok()
}

/// A value as a message shows it: its kind, and a short excerpt of a string or number with
/// control characters escaped (it came from a server: it must not reach a terminal raw).
pub(super) fn shown(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => {
            let excerpt: String = text.chars().take(40).collect();
            let more = if excerpt.len() < text.len() {
                "…"
            } else {
                ""
            };
            format!("the text {excerpt:?}{more}")
        }
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(value: &Value) -> (Vec<Option<String>>, Vec<String>) {
        let Value::Object(object) = value else {
            unreachable!()
        };
        let mut dropped = Vec::new();
        let mut fields = Fields::new(object, "videos[2]", &mut dropped);
        let read = vec![
            fields.text("prompt"),
            fields.count("file_size").map(|n| n.to_string()),
            fields.seconds("duration").map(|d| format!("{d:?}")),
            fields.time("created_at").map(|t| t.to_string()),
            fields.percent("progress").map(|p| p.to_string()),
            fields.state("status").map(|s| s.to_string()),
            fields.error("error"),
        ];
        (read, dropped.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn every_field_is_read_as_documented() {
        let (read, dropped) = fields(&json!({
            "prompt": " a fox ",
            "file_size": 12e6,
            "duration": 7.5,
            "created_at": "2024-05-01T12:00:00+02:00",
            "progress": 65.9,
            "status": "processing",
            "error": {"code": "CONTENT_POLICY", "message": "refused"},
        }));
        let want = [
            "a fox",
            "12000000",
            "7.5s",
            "2024-05-01T10:00:00Z",
            "65",
            "processing",
            "CONTENT_POLICY: refused",
        ];
        assert_eq!(read, want.map(|s| Some(s.to_owned())));
        assert!(dropped.is_empty(), "{dropped:?}");
        let (read, _) = fields(&json!({"created_at": 1714557600, "prompt": "", "error": "x"}));
        assert_eq!(read[3].as_deref(), Some("2024-05-01T10:00:00Z"));
        assert_eq!((read[0].as_deref(), read[6].as_deref()), (None, Some("x")));
    }

    #[test]
    fn absent_and_null_are_not_given_and_wrong_types_are_left_out_and_said() {
        let (read, dropped) = fields(&json!({"prompt": null, "progress": null}));
        assert!(read.iter().all(Option::is_none) && dropped.is_empty());
        let (read, dropped) = fields(&json!({
            "prompt": 42,
            "file_size": "12 MB",
            "duration": -1,
            "created_at": 1714557600000u64,
            "progress": 140,
            "status": "Done\u{1b}[31m",
            "error": true,
        }));
        assert!(read.iter().all(Option::is_none), "{read:?}");
        assert_eq!(dropped.len(), 7, "{dropped:#?}");
        assert_eq!(
            dropped[0],
            "videos[2].prompt is the number 42, not text: left out"
        );
        assert_eq!(
            dropped[1],
            "videos[2].file_size is the text \"12 MB\", not a whole number from 0: left out"
        );
        assert!(dropped[5].contains(r#""Done\u{1b}[31m""#), "{}", dropped[5]);
        assert!(!dropped.iter().any(|line| line.contains('\u{1b}')));
    }
}
