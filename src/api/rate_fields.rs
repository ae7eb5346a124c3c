//! The rate-limit header families servers and proxies send, read into plain numbers:
//! `X-RateLimit-Limit/-Remaining/-Reset` (a count, or the count followed by its policies as
//! Envoy lists them, `100, 100;w=60`), the IETF draft's `RateLimit-Limit/-Remaining/-Reset`,
//! and its structured fields: `RateLimit: limit=100, remaining=5, reset=30` with
//! `RateLimit-Policy: 100;w=60`, or the named form `RateLimit: "day";r=5;t=30` with
//! `RateLimit-Policy: "day";q=100;w=86400`. Owns the reading only; what the numbers mean for
//! pacing is `RateLimitHint`'s. A field that does not parse is left out, never an error.

use reqwest::header::HeaderMap;

/// What one family of headers said, raw.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RateFields {
    /// Requests the window (or bucket) allows.
    pub limit: Option<u64>,
    /// Requests left in it.
    pub remaining: Option<u64>,
    /// When it is whole again, as written: seconds from now, or (large) a Unix time.
    pub reset: Option<f64>,
    /// The policy's window in seconds (`;w=`), when a policy is given.
    pub window: Option<f64>,
}

impl RateFields {
    /// The first family that says anything: `X-RateLimit-*` (what the API is reported to
    /// send), then the draft's `RateLimit-*`, then its structured fields. Families are not
    /// mixed: their numbers may count different things.
    pub fn read(headers: &HeaderMap) -> Self {
        let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
        let listed = |prefix: &str| {
            Self::listed(
                text(&format!("{prefix}-limit")),
                text(&format!("{prefix}-remaining")),
                text(&format!("{prefix}-reset")),
            )
        };
        [
            listed("x-ratelimit"),
            listed("ratelimit"),
            Self::structured(text("ratelimit"), text("ratelimit-policy")),
        ]
        .into_iter()
        .find(Self::says_anything)
        .unwrap_or_default()
    }

    fn says_anything(&self) -> bool {
        self.limit.is_some() || self.remaining.is_some() || self.reset.is_some()
    }

    /// One header per number; the limit may list its policies after it (`10, 10;w=1,
    /// 1000;w=3600`): the first member is the limit in force, and the first `w` its window.
    fn listed(limit: Option<&str>, remaining: Option<&str>, reset: Option<&str>) -> Self {
        let first = |value: Option<&str>| {
            let members = value.map(members).unwrap_or_default();
            members.into_iter().next()
        };
        let limit_members = limit.map(members).unwrap_or_default();
        Self {
            limit: limit_members
                .first()
                .and_then(|member| member.item.as_deref())
                .and_then(count),
            remaining: first(remaining)
                .and_then(|member| member.item)
                .as_deref()
                .and_then(count),
            reset: first(reset)
                .and_then(|member| member.item)
                .as_deref()
                .and_then(seconds),
            window: limit_members
                .iter()
                .find_map(|member| member.param("w"))
                .and_then(seconds),
        }
    }

    /// `RateLimit` with `RateLimit-Policy`, in either of the draft's structured forms.
    fn structured(state: Option<&str>, policy: Option<&str>) -> Self {
        let state = state.map(members).unwrap_or_default();
        let policies = policy.map(members).unwrap_or_default();
        let dictionary = |key: &str| {
            state
                .iter()
                .find(|member| member.key.as_deref() == Some(key))
                .and_then(|member| member.item.as_deref())
        };
        if dictionary("remaining").is_some() || dictionary("limit").is_some() {
            return Self {
                limit: dictionary("limit").and_then(count),
                remaining: dictionary("remaining").and_then(count),
                reset: dictionary("reset").and_then(seconds),
                window: policies
                    .iter()
                    .find_map(|member| member.param("w"))
                    .and_then(seconds),
            };
        }
        // The named form: the binding policy is the one with the fewest requests left.
        let binding = state
            .iter()
            .filter_map(|member| Some((member, member.param("r").and_then(count)?)))
            .min_by_key(|(_, remaining)| *remaining);
        let Some((member, remaining)) = binding else {
            return Self::default();
        };
        let own_policy = policies.iter().find(|policy| policy.item == member.item);
        let policy = own_policy.or(policies.first().filter(|_| policies.len() == 1));
        Self {
            limit: policy.and_then(|policy| policy.param("q")).and_then(count),
            remaining: Some(remaining),
            reset: member.param("t").and_then(seconds),
            window: policy
                .and_then(|policy| policy.param("w"))
                .and_then(seconds),
        }
    }
}

/// One member of a comma-separated field: `key=item;param=value;...` (a dictionary member)
/// or `item;param=value;...` (a list member). Quotes are taken off strings.
#[derive(Debug, Default)]
struct Member {
    key: Option<String>,
    item: Option<String>,
    params: Vec<(String, String)>,
}

impl Member {
    fn param(&self, name: &str) -> Option<&str> {
        (self.params.iter())
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The members of a structured (or merely comma-separated) field, read leniently: commas and
/// semicolons inside quoted strings do not split.
fn members(value: &str) -> Vec<Member> {
    split_outside_quotes(value, ',')
        .into_iter()
        .map(|member| {
            let mut parts = split_outside_quotes(member, ';').into_iter();
            let head = parts.next().unwrap_or_default().trim();
            let (key, item) = match head.split_once('=') {
                Some((key, item)) if !key.trim_start().starts_with('"') => {
                    (Some(key.trim().to_ascii_lowercase()), item)
                }
                _ => (None, head),
            };
            let params = parts
                .filter_map(|param| {
                    let (key, value) = param.split_once('=')?;
                    Some((key.trim().to_owned(), unquote(value)))
                })
                .collect();
            Member {
                key,
                item: Some(unquote(item)).filter(|item| !item.is_empty()),
                params,
            }
        })
        .collect()
}

fn split_outside_quotes(value: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (at, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&value[start..at]);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(value)
        .to_owned()
}

/// A count; some servers send `12.0`, which is a count after all (rounded down).
fn count(value: &str) -> Option<u64> {
    let value = value.trim();
    value.parse::<u64>().ok().or_else(|| {
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.floor() as u64)
    })
}

/// A non-negative number of seconds (or a Unix time).
fn seconds(value: &str) -> Option<f64> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn read(pairs: &[(&'static str, &str)]) -> RateFields {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        RateFields::read(&headers)
    }

    fn fields(limit: u64, remaining: u64, reset: f64, window: Option<f64>) -> RateFields {
        RateFields {
            limit: Some(limit),
            remaining: Some(remaining),
            reset: Some(reset),
            window,
        }
    }

    #[test]
    fn x_ratelimit_plain_and_with_its_policies_listed() {
        let plain = [
            ("x-ratelimit-limit", "100"),
            ("x-ratelimit-remaining", "7.0"),
            ("x-ratelimit-reset", "30"),
        ];
        assert_eq!(read(&plain), fields(100, 7, 30.0, None));
        let envoy = [
            ("x-ratelimit-limit", "100, 100;w=60"),
            ("x-ratelimit-remaining", "7"),
            ("x-ratelimit-reset", "30"),
        ];
        assert_eq!(read(&envoy), fields(100, 7, 30.0, Some(60.0)));
        let several = [("x-ratelimit-limit", "10, 10;w=1, 1000;w=3600")];
        let read = read(&several);
        assert_eq!((read.limit, read.window), (Some(10), Some(1.0)));
    }

    #[test]
    fn the_drafts_ratelimit_headers() {
        let draft = [
            ("ratelimit-limit", "10, 10;w=1"),
            ("ratelimit-remaining", "3"),
            ("ratelimit-reset", "1"),
        ];
        assert_eq!(read(&draft), fields(10, 3, 1.0, Some(1.0)));
    }

    #[test]
    fn the_drafts_structured_fields_in_both_forms() {
        let named = [
            (
                "ratelimit-policy",
                r#""burst";q=100;w=60, "day";q=1000;w=86400"#,
            ),
            ("ratelimit", r#""burst";r=40;t=12, "day";r=5;t=3000"#),
        ];
        assert_eq!(read(&named), fields(1000, 5, 3000.0, Some(86400.0)));
        let lone_policy = [
            ("ratelimit-policy", r#""default";q=10;w=1"#),
            ("ratelimit", r#""other";r=3;t=1"#),
        ];
        assert_eq!(read(&lone_policy), fields(10, 3, 1.0, Some(1.0)));
        let dictionary = [
            ("ratelimit", "limit=10, remaining=3, reset=1"),
            ("ratelimit-policy", "10;w=1"),
        ];
        assert_eq!(read(&dictionary), fields(10, 3, 1.0, Some(1.0)));
    }

    #[test]
    fn x_ratelimit_wins_and_families_are_not_mixed() {
        let both = [
            ("x-ratelimit-remaining", "4"),
            ("ratelimit-limit", "10"),
            ("ratelimit-remaining", "9"),
        ];
        let read = read(&both);
        assert_eq!((read.limit, read.remaining), (None, Some(4)));
    }

    #[test]
    fn what_does_not_parse_is_left_out() {
        let garbage = [
            ("x-ratelimit-limit", "lots"),
            ("x-ratelimit-remaining", "-3"),
            ("x-ratelimit-reset", "soon"),
            ("ratelimit", r#""x";r=;t=NaN, ;;,"#),
            ("ratelimit-policy", r#""unterminated;q=5"#),
        ];
        assert_eq!(read(&garbage), RateFields::default());
        let half = [("ratelimit", r#""x";r=2;t=later"#)];
        assert_eq!(
            read(&half),
            RateFields {
                remaining: Some(2),
                ..RateFields::default()
            }
        );
    }
}
