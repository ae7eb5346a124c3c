//! `history --since`: when the entries shown start, from an age in the query language's
//! units (`7d`: the last 7 days) or a date or time in UTC, as `history` prints its times
//! (`2026-12-01`: from the start of that day; `2026-12-01T09:30:00Z`). Anything else, a time
//! without its offset among them, is refused saying what it takes.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::CliError;
use crate::printable::printable;
use crate::query::parse_age;

/// The earliest time an entry of `--since TEXT` may have been recorded at, ages measured
/// back from `now`.
pub fn parse(text: &str, now: Timestamp) -> Result<Timestamp, CliError> {
    let refused = |why: String| {
        CliError::Usage(format!(
            "--since {:?}: {why}; write an age (7d, 12h: the entries of the last 7 days, \
             12 hours) or a date or time in UTC (2026-12-01, 2026-12-01T09:30:00Z)",
            printable(text)
        ))
    };
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let unit = &text[digits..];
    if digits > 0 && !unit.is_empty() && unit.bytes().all(|b| b.is_ascii_alphabetic()) {
        let age = parse_age(text).map_err(refused)?;
        return now
            .checked_sub(age)
            .map_err(|_| refused("that is further back than a time can be".to_owned()));
    }
    if let Ok(at) = text.parse::<Timestamp>() {
        return Ok(at);
    }
    if !text.contains(['T', 't', ' ', ':'])
        && let Ok(date) = text.parse::<Date>()
    {
        return date
            .to_zoned_datetime(TimeZone::UTC)
            .map(|start| start.timestamp())
            .map_err(|err| refused(err.to_string()));
    }
    let why = if text.contains(':') {
        "a time needs its offset (Z for UTC, or +01:00)"
    } else {
        "it is neither an age nor a date"
    };
    Err(refused(why.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-12-07T10:00:00Z".parse().unwrap()
    }

    fn since(text: &str) -> Result<String, String> {
        parse(text, now())
            .map(|at| at.to_string())
            .map_err(|err| err.to_string())
    }

    #[test]
    fn an_age_counts_back_from_now_and_a_date_starts_at_its_utc_midnight() {
        assert_eq!(since("7d").unwrap(), "2026-11-30T10:00:00Z");
        assert_eq!(since("90m").unwrap(), "2026-12-07T08:30:00Z");
        assert_eq!(since("2026-12-01").unwrap(), "2026-12-01T00:00:00Z");
        assert_eq!(
            since("2026-12-01T09:30:00+01:00").unwrap(),
            "2026-12-01T08:30:00Z"
        );
        assert_eq!(
            since("2026-12-01T09:30:00Z").unwrap(),
            "2026-12-01T09:30:00Z"
        );
    }

    #[test]
    fn anything_else_is_refused_saying_what_was_wrong_and_what_it_takes() {
        for (text, why) in [
            ("7x", "unknown unit \"x\""),
            ("d7", "neither an age nor a date"),
            ("", "neither an age nor a date"),
            ("2026-13-01", "neither an age nor a date"),
            ("2026-12-01T09:30", "needs its offset"),
            ("yesterday", "neither an age nor a date"),
            ("99999999999y", "further back than a time can be"),
            ("99999999999999999999y", "too long an age"),
            ("\u{1b}[2J", "neither an age nor a date"),
        ] {
            let err = since(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
            assert!(err.contains("write an age (7d"), "{text:?}: {err}");
            assert!(!err.contains('\u{1b}'), "printable: {err}");
        }
    }
}
