//! Ages as people write them (`90s`, `15m`, `2h`, `30d`, `2w`, `5mo`, `1y`): parsed for the
//! query's `age>30d` terms and written back the same way for the table's age column, so the
//! two always use the same units. A month is 30 days and a year 365: an age filter needs a
//! length, not a calendar.

use std::time::Duration;

use jiff::Timestamp;

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;
const MONTH: u64 = 30 * DAY;
const YEAR: u64 = 365 * DAY;

/// Every unit a query accepts, longest name first so `mo` is not read as `m`.
const UNITS: [(&str, u64); 8] = [
    ("min", MINUTE),
    ("mo", MONTH),
    ("s", 1),
    ("m", MINUTE),
    ("h", HOUR),
    ("d", DAY),
    ("w", WEEK),
    ("y", YEAR),
];

/// `30d` as a duration, or why not (a message for the query line).
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (number, unit) = text.split_at(digits);
    if number.is_empty() {
        return Err(format!(
            "{text:?} is not an age: write a number and a unit, like 30d or 2h"
        ));
    }
    let unit = unit.to_ascii_lowercase();
    let Some(&(_, seconds)) = UNITS.iter().find(|(name, _)| *name == unit) else {
        return Err(format!(
            "{text:?}: unknown unit {unit:?}; use s, m (minutes), h, d, w, mo (30 days) or y"
        ));
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(seconds))
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?} is too long an age"))
}

/// The age in its largest whole unit: `45s`, `12m`, `5h`, `3d`, `5mo`, `2y` (weeks are left
/// out: `3w` reads less plainly than `21d`).
pub fn compact_age(age: Duration) -> String {
    let seconds = age.as_secs();
    let (count, unit) = match seconds {
        s if s < MINUTE => (s, "s"),
        s if s < HOUR => (s / MINUTE, "m"),
        s if s < DAY => (s / HOUR, "h"),
        s if s < MONTH => (s / DAY, "d"),
        s if s < YEAR => (s / MONTH, "mo"),
        s => (s / YEAR, "y"),
    };
    format!("{count}{unit}")
}

/// A video's age at `now` (`3d`), or how far ahead of now its creation time is (`in 2d`): a
/// clock or an export that is wrong must not pass for a video made this instant.
pub fn age_at(now: Timestamp, created: Timestamp) -> String {
    let between = |from: Timestamp, to: Timestamp| {
        Duration::try_from(to.duration_since(from)).unwrap_or(Duration::ZERO)
    };
    if created > now {
        format!("in {}", compact_age(between(now, created)))
    } else {
        compact_age(between(created, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        let cases = [
            ("90s", 90),
            ("15m", 15 * MINUTE),
            ("15min", 15 * MINUTE),
            ("2h", 2 * HOUR),
            ("30d", 30 * DAY),
            ("2w", 2 * WEEK),
            ("5mo", 5 * MONTH),
            ("5MO", 5 * MONTH),
            ("1y", YEAR),
            ("0d", 0),
        ];
        for (text, seconds) in cases {
            assert_eq!(parse_age(text), Ok(Duration::from_secs(seconds)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_age() {
        for (text, why) in [
            ("d", "not an age"),
            ("", "not an age"),
            ("30", "unknown unit"),
            ("30x", "unknown unit"),
            ("3.5d", "unknown unit"),
            ("99999999999999999999d", "too long"),
            ("999999999999999999y", "too long"),
        ] {
            let err = parse_age(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn writes_ages_in_their_largest_whole_unit() {
        let cases = [
            (0, "0s"),
            (59, "59s"),
            (MINUTE, "1m"),
            (HOUR - 1, "59m"),
            (5 * HOUR, "5h"),
            (3 * DAY + HOUR, "3d"),
            (29 * DAY, "29d"),
            (5 * MONTH + DAY, "5mo"),
            (2 * YEAR, "2y"),
        ];
        for (seconds, want) in cases {
            assert_eq!(compact_age(Duration::from_secs(seconds)), want);
        }
    }

    #[test]
    fn a_written_age_parses_back_to_itself() {
        for seconds in [5, 7 * MINUTE, 3 * HOUR, 4 * DAY, 2 * MONTH, 3 * YEAR] {
            let age = Duration::from_secs(seconds);
            assert_eq!(parse_age(&compact_age(age)), Ok(age));
        }
    }
}
