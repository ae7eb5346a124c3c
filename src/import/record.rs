//! One record of a structured import (a table row, a JSON object) and what it comes to: a
//! video with its title and creation time, or a line with no ID. Which field is which is
//! decided by its name here; the readers only split text into named fields. Every field is
//! handed over already cut to `FIELD_CAP` bytes, so a record holds a few kilobytes at most.

use jiff::Timestamp;
use uuid::Uuid;

use super::Found;
use super::scanner::for_each_uuid;
use crate::store::VideoDetails;

/// The most of one field a reader keeps: an ID is looked for in this much of it, and a title
/// is cut from it.
pub const FIELD_CAP: usize = 4096;
/// The most of a title kept, in bytes (cut at a character, with `…`).
pub const MAX_TITLE: usize = 256;
/// The most of a field name read: longer names are nobody's column.
pub const NAME_CAP: usize = 64;

/// What a field holds, from its name. The listing's other fields (`status`, `duration`,
/// `file_size`, `completed_at`, `error`, `download_url`, `quality`, ...) are `Other` until
/// the known list has somewhere to keep them (they come with the store's columns): each then
/// becomes a role here, read in `Record::field` and carried on in `VideoDetails`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    VideoId,
    Id,
    Title,
    Name,
    Prompt,
    CreatedAt,
    Other,
}

impl Role {
    /// The role of a column or key, its name compared ignoring case, spaces, `_` and `-`
    /// (`video_id`, `Video ID` and `videoId` are one name).
    pub fn of(name: &[u8]) -> Self {
        let mut folded = [0u8; NAME_CAP];
        let mut len = 0;
        for &b in name.iter().filter(|b| b.is_ascii_alphanumeric()) {
            if len == NAME_CAP {
                return Self::Other;
            }
            folded[len] = b.to_ascii_lowercase();
            len += 1;
        }
        match &folded[..len] {
            b"videoid" => Self::VideoId,
            b"id" => Self::Id,
            b"title" => Self::Title,
            b"name" => Self::Name,
            b"prompt" => Self::Prompt,
            b"createdat" => Self::CreatedAt,
            _ => Self::Other,
        }
    }
}

/// The fields of one record that matter, as they are read.
#[derive(Debug, Default)]
pub struct Record {
    /// Where the record starts (from 1), for reports.
    line: usize,
    /// The first UUID in the `video_id` field, then in the `id` field.
    named_ids: [Option<Uuid>; 2],
    /// The first UUID in any other field, in the order read.
    other_id: Option<Uuid>,
    /// `title`, `name`, `prompt`: the first of them that is not blank is the title.
    titles: [Option<Box<str>>; 3],
    /// The first `created_at` read, or why it could not be.
    created_at: Option<Result<Timestamp, String>>,
    /// Fields this import reads whose value it cannot use (`true`, an object), for warnings.
    unusable: Vec<(Role, &'static str)>,
    has_text: bool,
}

impl Record {
    pub fn starting_at(line: usize) -> Self {
        Self {
            line,
            ..Self::default()
        }
    }

    /// One field's value (its text, or a JSON number's), at most `FIELD_CAP` bytes.
    pub fn field(&mut self, role: Role, value: &[u8]) {
        if value.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        self.has_text = true;
        match role {
            Role::VideoId | Role::Id => {
                let slot = &mut self.named_ids[usize::from(role == Role::Id)];
                if slot.is_none() {
                    *slot = first_uuid(value);
                }
            }
            Role::Title | Role::Name | Role::Prompt => {
                let at = match role {
                    Role::Title => 0,
                    Role::Name => 1,
                    _ => 2,
                };
                if self.titles[at].is_none() {
                    self.titles[at] = clean_title(value);
                }
            }
            Role::CreatedAt => {
                if self.created_at.is_none() {
                    let text = String::from_utf8_lossy(value);
                    self.created_at = Some(parse_created_at(text.trim()));
                }
            }
            Role::Other => {
                if self.other_id.is_none() {
                    self.other_id = first_uuid(value);
                }
            }
        }
    }

    /// A field this import reads holds a value of a kind it cannot use (`what`: `true`,
    /// `false`, `an object`, `a list`): the video is taken without it, with a warning.
    /// (`null` is no value at all, as a field left out is.)
    pub fn unusable(&mut self, role: Role, what: &'static str) {
        if role != Role::Other {
            self.has_text = true;
            self.unusable.push((role, what));
        }
    }

    /// The record has ended: its video goes to `found`, or its line is reported as having
    /// none (a record with no text at all is only a blank line).
    pub fn finish(self, found: &mut Found) {
        for (role, what) in self.unusable {
            let (field, wanted) = match role {
                Role::VideoId => ("video_id", "text holding the video's ID"),
                Role::Id => ("id", "text holding an ID"),
                Role::Title => ("title", "text"),
                Role::Name => ("name", "text"),
                Role::Prompt => ("prompt", "text"),
                Role::CreatedAt => ("created_at", "a time (RFC 3339 or Unix seconds)"),
                Role::Other => continue,
            };
            found.bad_field(self.line, format!("{field} is {what}, not {wanted}"));
        }
        let [video_id, id] = self.named_ids;
        let Some(uuid) = video_id.or(id).or(self.other_id) else {
            if self.has_text {
                found.bad_line(self.line);
            }
            return;
        };
        let created_at = match self.created_at {
            Some(Ok(at)) => Some(at),
            Some(Err(why)) => {
                found.bad_field(self.line, why);
                None
            }
            None => None,
        };
        let [title, name, prompt] = self.titles;
        let details = VideoDetails::titled(title.or(name).or(prompt), created_at);
        found.take(uuid, details);
    }
}

/// The first UUID in `text`, as the plain scan finds them.
pub fn first_uuid(text: &[u8]) -> Option<Uuid> {
    let mut first = None;
    for_each_uuid(text, |_, uuid| {
        first.get_or_insert(uuid);
    });
    first
}

/// A title on one line (line breaks and tabs become spaces, runs of them one), trimmed and
/// cut to `MAX_TITLE` bytes; `None` when nothing is left.
pub(super) fn clean_title(value: &[u8]) -> Option<Box<str>> {
    if is_clean(value) {
        // Printable ASCII already trimmed, single-spaced and short: kept as it is, with no
        // pass character by character (most titles of an export).
        return std::str::from_utf8(value).ok().map(Box::from);
    }
    clean_words(value)
}

/// `clean_title`'s pass word by word, for any bytes.
fn clean_words(value: &[u8]) -> Option<Box<str>> {
    let text = String::from_utf8_lossy(value);
    let mut title = String::with_capacity(text.len().min(MAX_TITLE + 3));
    for word in text.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        let space = if title.is_empty() { "" } else { " " };
        let room = MAX_TITLE.saturating_sub(title.len() + space.len());
        if word.len() > room {
            // What fits of the word (nothing, and no space, when the title is full), then `…`.
            let cut = (0..=room)
                .rev()
                .find(|&at| word.is_char_boundary(at))
                .unwrap_or(0);
            if cut > 0 {
                title.push_str(space);
                title.push_str(&word[..cut]);
            }
            title.push('…');
            break;
        }
        title.push_str(space);
        title.push_str(word);
    }
    (!title.is_empty()).then(|| title.into_boxed_str())
}

/// Whether `value` is a title `clean_title` would leave as it is, known from its bytes: not
/// empty, at most `MAX_TITLE` of them, printable ASCII, no space at either end or next to
/// another.
fn is_clean(value: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (value.first(), value.last()) else {
        return false;
    };
    value.len() <= MAX_TITLE
        && first != b' '
        && last != b' '
        && value.iter().all(|&byte| (b' '..=b'~').contains(&byte))
        && !value.windows(2).any(|pair| pair == b"  ")
}

/// A creation time as exports write it: RFC 3339 (`2024-05-01T10:00:00Z`, any offset) or Unix
/// seconds (`1714557600`, a fraction allowed). Why not, for the warning.
pub fn parse_created_at(text: &str) -> Result<Timestamp, String> {
    let numeric = !text.is_empty()
        && text
            .trim_start_matches('-')
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.');
    if numeric {
        return unix_seconds(text).ok_or_else(|| {
            format!(
                "created_at {text:?} is not a time in Unix seconds (milliseconds are not \
                 read; RFC 3339 is)"
            )
        });
    }
    text.parse().map_err(|_| {
        format!(
            "created_at {text:?} is neither an RFC 3339 time (2024-05-01T10:00:00Z) nor Unix \
             seconds"
        )
    })
}

fn unix_seconds(text: &str) -> Option<Timestamp> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let seconds: i64 = whole.parse().ok()?;
    if fraction.len() > 9 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // The fraction's digits, as nanoseconds (`5` is 500,000,000).
    let nanos = fraction
        .bytes()
        .chain(std::iter::repeat(b'0'))
        .take(9)
        .fold(0i32, |n, digit| n * 10 + i32::from(digit - b'0'));
    let nanos = if seconds < 0 || whole.starts_with('-') {
        -nanos
    } else {
        nanos
    };
    Timestamp::new(seconds, nanos).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_ignoring_case_and_separators() {
        for (name, role) in [
            ("id", Role::Id),
            ("ID", Role::Id),
            ("video_id", Role::VideoId),
            ("Video ID", Role::VideoId),
            ("videoId", Role::VideoId),
            ("Title", Role::Title),
            ("name", Role::Name),
            ("prompt", Role::Prompt),
            ("created_at", Role::CreatedAt),
            ("createdAt", Role::CreatedAt),
            ("Created-At", Role::CreatedAt),
            ("created", Role::Other),
            ("parent_id", Role::Other),
            ("", Role::Other),
        ] {
            assert_eq!(Role::of(name.as_bytes()), role, "{name}");
        }
        assert_eq!(Role::of(&[b'i'; 100]), Role::Other);
    }

    #[test]
    fn creation_times_are_rfc3339_or_unix_seconds() {
        let at = |text: &str| parse_created_at(text).map(|t| t.to_string());
        assert_eq!(at("2024-05-01T10:00:00Z").unwrap(), "2024-05-01T10:00:00Z");
        assert_eq!(
            at("2024-05-01T12:00:00+02:00").unwrap(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(at("1714557600").unwrap(), "2024-05-01T10:00:00Z");
        assert_eq!(at("1714557600.25").unwrap(), "2024-05-01T10:00:00.25Z");
        assert_eq!(at("-1.5").unwrap(), "1969-12-31T23:59:58.5Z");
        for bad in [
            "yesterday",
            "2024-05-01",
            "1714557600000",
            "1.2.3",
            "12ab",
            "-",
        ] {
            assert!(at(bad).unwrap_err().contains("created_at"), "{bad}");
        }
    }

    #[test]
    fn titles_are_one_trimmed_line_cut_at_a_character() {
        assert_eq!(
            clean_title(b"  Final\r\n\tcut  v2 ").as_deref(),
            Some("Final cut v2")
        );
        assert_eq!(clean_title(b" \n "), None);
        let long = "é".repeat(MAX_TITLE);
        let cut = clean_title(long.as_bytes()).unwrap();
        assert!(cut.len() <= MAX_TITLE + '…'.len_utf8() && cut.ends_with('…'));
        assert!(cut.trim_end_matches('…').chars().all(|c| c == 'é'));
        // Words that fill the title exactly, then one more: cut with no space before `…`.
        let full = format!("{} b", "a".repeat(MAX_TITLE));
        let cut = clean_title(full.as_bytes()).unwrap();
        assert_eq!(*cut, format!("{}…", "a".repeat(MAX_TITLE)));
    }

    /// Titles already clean skip the pass word by word: it must give what the pass gives,
    /// whatever the bytes (spaces, tabs, controls, DEL, non-ASCII, lengths about the limit).
    #[test]
    fn a_title_taken_as_it_is_is_what_cleaning_it_gives() {
        let mut rng = fastrand::Rng::with_seed(7);
        let any = b"ab ~\t\x7f\x1f!\xc3\xa9";
        let mut taken_as_is = 0;
        for _ in 0..20_000 {
            let len = [rng.usize(0..8), rng.usize(MAX_TITLE - 2..MAX_TITLE + 3)][rng.usize(0..2)];
            let mostly_clean = rng.bool();
            let value: Vec<u8> = (0..len)
                .map(|_| match (mostly_clean, rng.usize(0..12)) {
                    (true, 0) => b' ',
                    (true, _) => b"ab~!"[rng.usize(0..4)],
                    (false, _) => any[rng.usize(0..any.len())],
                })
                .collect();
            if is_clean(&value) {
                taken_as_is += 1;
                assert_eq!(clean_title(&value), clean_words(&value), "{value:?}");
            }
        }
        assert!(taken_as_is > 1_000, "{taken_as_is}");
    }

    #[test]
    fn the_id_is_video_id_then_id_then_the_first_field_holding_one() {
        let a = "550e8400-e29b-41d4-a716-446655440000";
        let b = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
        let found_id = |fields: &[(Role, &str)]| {
            let mut found = Found::default();
            let mut record = Record::starting_at(1);
            for (role, value) in fields {
                record.field(*role, value.as_bytes());
            }
            record.finish(&mut found);
            let scan = found.finish();
            (scan.ids.first().map(ToString::to_string), scan.bad_lines)
        };
        let one = |id: &str| (Some(id.to_owned()), vec![]);
        assert_eq!(found_id(&[(Role::Id, a), (Role::VideoId, b)]), one(b));
        assert_eq!(found_id(&[(Role::Other, b), (Role::Id, a)]), one(a));
        assert_eq!(found_id(&[(Role::Id, "42"), (Role::Other, b)]), one(b));
        assert_eq!(found_id(&[(Role::Title, "no id")]), (None, vec![1]));
        assert_eq!(found_id(&[(Role::Title, "  ")]), (None, vec![]));
    }
}
