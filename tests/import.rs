//! The import scanner: which text yields which IDs, which lines count as bad, and (by
//! property) that any UUID written in any accepted form, amid any noise, is found.

use elytron_tui::api::VideoId;
use elytron_tui::import::{LISTED_BAD_LINES, scan};
use proptest::prelude::*;

const A: &str = "550e8400-e29b-41d4-a716-446655440000";
const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

fn ids(found: &[VideoId]) -> Vec<String> {
    found.iter().map(ToString::to_string).collect()
}

#[test]
fn finds_ids_in_every_shape_of_text() {
    let upper_a = A.to_uppercase();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("bare", A.to_owned(), vec![A]),
        ("upper case", upper_a.clone(), vec![A]),
        ("braces", format!("{{{A}}}"), vec![A]),
        ("urn", format!("urn:uuid:{A}"), vec![A]),
        ("two on a line", format!("{A} then {B}"), vec![A, B]),
        ("adjacent with comma", format!("{A},{B}"), vec![A, B]),
        ("csv column", format!("3,\"clip\",{B},2024-01-01"), vec![B]),
        ("json array", format!("[\"{A}\", \"{B}\"]"), vec![A, B]),
        ("json object", format!("{{\"id\":\"{A}\"}}"), vec![A]),
        (
            "log line",
            format!("2024-05-01T10:00:00Z INFO deleted video={B} in 12ms"),
            vec![B],
        ),
        ("url path", format!("https://x/videos/{A}?a=1"), vec![A]),
        ("crlf", format!("{A}\r"), vec![A]),
        ("duplicate in line", format!("{A} {upper_a}"), vec![A]),
        ("inside longer hex run", format!("0{A}"), vec![]),
        ("trailing hex", format!("{A}0"), vec![]),
        ("file name", format!("video-{A}-final.mp4"), vec![A]),
        ("32 hex without hyphens", A.replace('-', ""), vec![]),
        ("one digit short", A[1..].to_owned(), vec![]),
        ("non-hex digit", A.replace('a', "g"), vec![]),
        (
            "misplaced hyphen",
            "550e8400e-29b-41d4-a716-446655440000".to_owned(),
            vec![],
        ),
    ];
    for (name, text, want) in cases {
        assert_eq!(ids(&scan(text.as_bytes()).ids), want, "{name}: {text}");
    }
}

#[test]
fn reports_lines_with_text_but_no_id_by_number() {
    let text = format!("id,title\n{A},x\n\n   \n[\n  \"{B}\",\n]\nnothing here\r\n{A}");
    let found = scan(text.as_bytes());
    assert_eq!(ids(&found.ids), [A, B]);
    assert_eq!(found.repeated, 1);
    assert_eq!(found.bad_lines, [1, 8]);
    assert_eq!(found.bad_line_count, 2);
}

#[test]
fn lists_the_first_ten_bad_lines_and_counts_the_rest() {
    let text = "junk\n".repeat(25);
    let found = scan(text.as_bytes());
    assert_eq!(found.bad_lines, (1..=LISTED_BAD_LINES).collect::<Vec<_>>());
    assert_eq!(found.bad_line_count, 25);
    assert!(found.ids.is_empty());
}

#[test]
fn non_utf8_bytes_around_an_id_do_not_hide_it() {
    let mut text = vec![0xff, 0xfe, b' '];
    text.extend_from_slice(A.as_bytes());
    text.extend_from_slice(&[b' ', 0xc3]);
    assert_eq!(ids(&scan(&text).ids), [A]);
}

/// An accepted rendering of `uuid`.
fn render(uuid: uuid::Uuid, form: u8, upper: bool) -> String {
    let text = match form {
        0 => uuid.hyphenated().to_string(),
        1 => uuid.braced().to_string(),
        _ => uuid.urn().to_string(),
    };
    if upper { text.to_uppercase() } else { text }
}

proptest! {
    #[test]
    fn every_embedded_id_is_found_in_order_and_deduped(
        values in proptest::collection::vec(any::<u128>(), 0..20),
        forms in proptest::collection::vec((0u8..3, any::<bool>(), "[ ,;:=\"'(\\[{<>}\\])g-z]{1,8}"), 20),
        newline_every in 1usize..5,
    ) {
        let mut text = String::new();
        let mut want = Vec::new();
        for (n, value) in values.iter().enumerate() {
            let uuid = uuid::Uuid::from_u128(*value);
            let (form, upper, noise) = &forms[n];
            text.push_str(noise);
            text.push_str(&render(uuid, *form, *upper));
            text.push_str(noise);
            if n % newline_every == 0 {
                text.push('\n');
            }
            if !want.contains(&uuid) {
                want.push(uuid);
            }
        }
        let found = scan(text.as_bytes());
        let got: Vec<_> = found.ids.iter().map(|id| *id.as_uuid()).collect();
        prop_assert_eq!(got, want.clone());
        prop_assert_eq!(found.repeated, values.len() - want.len());
    }

    #[test]
    fn never_panics_and_every_id_found_is_really_in_the_text(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let found = scan(&bytes);
        let lower = String::from_utf8_lossy(&bytes).to_lowercase();
        for id in &found.ids {
            prop_assert!(lower.contains(&id.to_string()));
        }
    }
}
