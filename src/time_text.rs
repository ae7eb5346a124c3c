//! How times read to the user, in one place: how long ago (`5m ago`), a moment to the second
//! (`2026-12-07 09:30:12 UTC`), a time of day on the local clock (`14:03:12`), a wait in
//! words (`25 min`) and a countdown (`4:05`). Ages in a query's own units (`3d`) are
//! `query::age`'s, since they must read back as typed.

use std::time::Duration;

use jiff::Timestamp;

/// "just now", "5m ago", "3h ago", "12d ago", or the date for anything older.
pub fn relative(now: Timestamp, then: Timestamp) -> String {
    let secs = Duration::try_from(now.duration_since(then))
        .unwrap_or(Duration::ZERO)
        .as_secs();
    match secs {
        0..60 => "just now".to_owned(),
        60..3_600 => format!("{}m ago", secs / 60),
        3_600..86_400 => format!("{}h ago", secs / 3_600),
        86_400..2_592_000 => format!("{}d ago", secs / 86_400),
        _ => then.strftime("%Y-%m-%d").to_string(),
    }
}

/// A moment to the second, in UTC, saying so.
pub fn absolute(at: Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// The local time of day `wait` from now (`14:03:12`), as a user reads it off a clock.
pub fn clock_time_in(wait: Duration) -> String {
    let now = jiff::ZonedDateTime::now();
    let then = jiff::SignedDuration::try_from(wait)
        .ok()
        .and_then(|wait| now.checked_add(wait).ok())
        .unwrap_or(now);
    then.strftime("%H:%M:%S").to_string()
}

/// A wait in words: `11 s`, `25 min`, `5 h`, or `a day or more` (headers are read up to a
/// day).
pub fn spoken_wait(wait: Duration) -> String {
    let secs = wait.as_secs_f64().ceil() as u64;
    match secs {
        0..120 => format!("{secs} s"),
        120..7_200 => format!("{} min", secs / 60),
        7_200..86_400 => format!("{} h", secs / 3_600),
        _ => "a day or more".to_owned(),
    }
}

/// A countdown or an ETA: `m:ss`, or `h:mm:ss` past an hour.
pub fn countdown(left: Duration) -> String {
    let secs = left.as_secs();
    let (h, m, s) = (secs / 3_600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reads_in_its_largest_plain_unit() {
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("a timestamp");
        let ago = |secs: i64| now - jiff::SignedDuration::from_secs(secs);
        assert_eq!(relative(now, ago(59)), "just now");
        assert_eq!(
            relative(now, ago(-30)),
            "just now",
            "a future time is no age"
        );
        assert_eq!(relative(now, ago(3_599)), "59m ago");
        assert_eq!(relative(now, ago(7_200)), "2h ago");
        assert_eq!(relative(now, ago(86_400 * 29)), "29d ago");
        assert_eq!(relative(now, ago(86_400 * 31)), "2026-11-06");
        assert_eq!(absolute(now), "2026-12-07 12:00:00 UTC");
        assert_eq!(spoken_wait(Duration::from_millis(10_100)), "11 s");
        assert_eq!(spoken_wait(Duration::from_secs(1_500)), "25 min");
        assert_eq!(spoken_wait(Duration::from_secs(18_000)), "5 h");
        assert_eq!(spoken_wait(Duration::from_secs(90_000)), "a day or more");
        assert_eq!(countdown(Duration::from_secs(245)), "4:05");
        assert_eq!(countdown(Duration::from_secs(3_725)), "1:02:05");
    }
}
