//! The query terms for what a sync listed of a video: `state:failed` (its generation state;
//! `unknown` before a sync listed it), `listed:no` (the last complete sync did not list it),
//! `size>100MB` and `duration<5s`. Parsed from the text after the field's name, tested on
//! `GenerationFacts`. A size or a duration that is not known matches no comparison.

use std::time::Duration;

use super::GenerationFacts;
use super::compare::Compare;
use crate::api::GenerationState;
use crate::store::LastSync;

/// A test of the generation facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum GenerationTest {
    /// One bit per word of `STATE_WORDS`.
    States(u8),
    Listed(LastSync),
    Size(Compare, u64),
    Duration(Compare, Duration),
}

/// The words `state:` takes: the API's four, and `unknown` (no sync listed it yet).
pub const STATE_WORDS: [&str; 5] = ["pending", "processing", "completed", "failed", "unknown"];

impl GenerationTest {
    pub fn matches(&self, facts: &GenerationFacts) -> bool {
        match self {
            Self::States(bits) => bits & (1 << state_bit(facts.state)) != 0,
            Self::Listed(listed) => facts.listed == *listed,
            Self::Size(compare, limit) => facts
                .file_size
                .is_some_and(|size| compare.holds(size, *limit)),
            Self::Duration(compare, limit) => facts
                .duration
                .is_some_and(|duration| compare.holds(duration, *limit)),
        }
    }
}

/// The bit of `state` in `STATE_WORDS` (unknown last).
fn state_bit(state: Option<GenerationState>) -> usize {
    state.map_or(4, |state| {
        GenerationState::ALL
            .iter()
            .position(|&one| one == state)
            .unwrap_or(4)
    })
}

/// The test `name` (`state`, `listed`, `size` or `duration`) makes of `rest` (its operator and
/// value); `None` when `name` is not one of them.
pub(super) fn parse(name: &str, rest: &str) -> Option<Result<GenerationTest, String>> {
    Some(match name {
        "state" => colon(name, rest).and_then(|value| {
            let prefix = value.to_ascii_lowercase();
            let bits = STATE_WORDS
                .iter()
                .enumerate()
                .filter(|(_, word)| word.starts_with(&prefix))
                .fold(0u8, |bits, (bit, _)| bits | (1 << bit));
            if bits == 0 {
                Err(format!(
                    "no state starts with {value:?} ({})",
                    STATE_WORDS.join(", ")
                ))
            } else {
                Ok(GenerationTest::States(bits))
            }
        }),
        "listed" => colon(name, rest).and_then(|value| match value.to_ascii_lowercase().as_str() {
            "yes" => Ok(GenerationTest::Listed(LastSync::Listed)),
            "no" => Ok(GenerationTest::Listed(LastSync::NotListed)),
            "unknown" => Ok(GenerationTest::Listed(LastSync::Unknown)),
            _ => Err(format!(
                "listed:{value}: listed takes yes, no or unknown (no complete sync yet)"
            )),
        }),
        "size" => compare(name, rest, "size>100MB").and_then(|(compare, value)| {
            parse_size(value).map(|bytes| GenerationTest::Size(compare, bytes))
        }),
        "duration" => compare(name, rest, "duration<5s").and_then(|(compare, value)| {
            parse_duration(value).map(|duration| GenerationTest::Duration(compare, duration))
        }),
        _ => return None,
    })
}

fn colon<'a>(name: &str, rest: &'a str) -> Result<&'a str, String> {
    match rest.strip_prefix(':') {
        Some("") => Err(format!("{name}: needs something after the colon")),
        Some(value) => Ok(value),
        None => Err(format!("{name} takes \":\" ({name}:...)")),
    }
}

fn compare<'a>(name: &str, rest: &'a str, example: &str) -> Result<(Compare, &'a str), String> {
    Compare::read(rest).ok_or_else(|| format!("{name} compares with > or <: {example}"))
}

/// A number (a fraction allowed) and what follows it, lower-cased.
fn number_and_unit(text: &str) -> Option<(f64, String)> {
    let digits = text
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b'.')
        .count();
    let (number, unit) = text.split_at(digits);
    let number: f64 = number.parse().ok()?;
    (number.is_finite() && number >= 0.0).then(|| (number, unit.to_ascii_lowercase()))
}

/// `100MB`, `1.5GB`, `700KiB`, `12345` (bytes): units of 1000 (`KB`, `MB`, `GB`, `TB`) and of
/// 1024 (`KiB`, `MiB`, `GiB`, `TiB`).
fn parse_size(text: &str) -> Result<u64, String> {
    let unknown = || {
        format!(
            "size {text:?}: write a number and a unit, like 100MB or 1.5GB (B, KB, MB, GB, TB; \
             KiB, MiB, GiB, TiB)"
        )
    };
    let (number, unit) = number_and_unit(text).ok_or_else(unknown)?;
    let scale: f64 = match unit.as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(unknown()),
    };
    let bytes = number * scale;
    if bytes >= u64::MAX as f64 {
        return Err(format!("size {text:?} is too large"));
    }
    Ok(bytes.round() as u64)
}

/// `5s`, `4.5s`, `500ms`, `2m` (`min` too), `1h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let unknown =
        || format!("duration {text:?}: write a number and a unit, like 5s, 500ms, 2m or 1h");
    let (number, unit) = number_and_unit(text).ok_or_else(unknown)?;
    let seconds = match unit.as_str() {
        "ms" => number / 1000.0,
        "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        _ => return Err(unknown()),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| format!("duration {text:?} is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        state: Option<GenerationState>,
        size: Option<u64>,
        secs: Option<f64>,
    ) -> GenerationFacts {
        GenerationFacts {
            state,
            file_size: size,
            duration: secs.map(Duration::from_secs_f64),
            listed: LastSync::Listed,
        }
    }

    fn test(name: &str, rest: &str) -> GenerationTest {
        parse(name, rest).unwrap().unwrap()
    }

    #[test]
    fn states_match_by_prefix_and_unknown_is_never_listed() {
        let failed = facts(Some(GenerationState::Failed), None, None);
        let unknown = facts(None, None, None);
        assert!(test("state", ":failed").matches(&failed));
        assert!(!test("state", ":failed").matches(&unknown));
        assert!(test("state", ":unknown").matches(&unknown));
        let p = test("state", ":p");
        assert!(p.matches(&facts(Some(GenerationState::Pending), None, None)));
        assert!(p.matches(&facts(Some(GenerationState::Processing), None, None)));
        assert!(!p.matches(&failed));
        let error = parse("state", ":done").unwrap().unwrap_err();
        assert!(error.contains("no state starts with \"done\""), "{error}");
    }

    #[test]
    fn sizes_and_durations_compare_in_their_units_and_unknown_matches_no_comparison() {
        let big = facts(None, Some(150_000_000), Some(4.5));
        let unknown = facts(None, None, None);
        assert!(test("size", ">100MB").matches(&big));
        assert!(!test("size", "<100MB").matches(&big));
        assert!(!test("size", ">100MB").matches(&unknown));
        assert!(!test("size", "<100MB").matches(&unknown));
        assert!(test("size", "<=150000000").matches(&big));
        assert!(test("size", ">143MiB").matches(&big));
        assert!(!test("size", ">1.5GB").matches(&big));
        assert!(test("duration", "<5s").matches(&big));
        assert!(!test("duration", "<4500ms").matches(&big));
        assert!(test("duration", "<=4500ms").matches(&big));
        assert!(!test("duration", "<5s").matches(&unknown));
        for (name, rest, said) in [
            ("size", ">100XB", "unknown"),
            ("size", ":100MB", "compares with > or <"),
            ("duration", ">5 days", "write a number and a unit"),
            ("listed", ":maybe", "yes, no or unknown"),
        ] {
            let error = parse(name, rest).unwrap().unwrap_err();
            assert!(
                error.contains(said) || said == "unknown" && error.contains("write a number"),
                "{name}{rest}: {error}"
            );
        }
    }

    #[test]
    fn listed_tells_the_three_cases_apart() {
        let mut video = facts(None, None, None);
        for (word, listed) in [
            ("yes", LastSync::Listed),
            ("no", LastSync::NotListed),
            ("unknown", LastSync::Unknown),
        ] {
            video.listed = listed;
            assert!(
                test("listed", &format!(":{word}")).matches(&video),
                "{word}"
            );
            assert_eq!(
                ["yes", "no", "unknown"]
                    .iter()
                    .filter(|other| test("listed", &format!(":{other}")).matches(&video))
                    .count(),
                1
            );
        }
    }
}
