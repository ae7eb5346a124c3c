//! The import scanner: which text yields which IDs, which lines count as bad, and (by
//! property) that any UUID written in any accepted form, amid any noise, is found, however
//! the input is cut into pieces. Then the real binary: text in UTF-16 or with a BOM, bytes
//! that are not text, and a line far longer than the memory it is allowed.

use elytron_tui::api::VideoId;
use elytron_tui::import::{self, ImportScan, LISTED_BAD_LINES, scan_reader};
use predicates::prelude::*;
use predicates::str::contains;
use proptest::prelude::*;

use crate::support::feeding::{self, Pieces};
use crate::support::sandbox::Sandbox;

/// A paste's scan, which these inputs never make refuse.
fn scan(input: &[u8]) -> ImportScan {
    import::scan(input).expect("no saved listing to refuse")
}

/// A pasted listing with an entry the API could not have listed takes nothing: read as plain
/// text it would have taken every UUID in it, the request's ID included.
#[test]
fn a_pasted_listing_with_an_odd_entry_is_refused_whole() {
    let request = "0c1d2e3f-0000-4000-8000-000000000001";
    let text = format!(
        r#"{{"videos": [{{"video_id": "{A}", "status": "completed"}},
            {{"video_id": "{A}", "status": "melting"}}], "meta": {{"request_id": "{request}"}}}}"#
    );
    let refused = import::scan(text.as_bytes()).expect_err("refused");
    assert!(refused.in_listing, "{refused}");
    assert!(
        refused.to_string().contains("videos[1].status"),
        "{refused}"
    );
}

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
    let text = format!("ids, titles\n{A},x\n\n   \n[\n  \"{B}\",\n]\nnothing here\r\n{A}");
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
    // (Not first: at the very start, FF FE is UTF-16's byte-order mark.)
    let mut text = vec![b' ', 0xff, 0xfe, b' '];
    text.extend_from_slice(A.as_bytes());
    text.extend_from_slice(&[b' ', 0xc3]);
    assert_eq!(ids(&scan(&text).ids), [A]);
}

#[test]
fn utf16_that_is_not_valid_and_stray_byte_order_marks_are_noise_between_ids() {
    // UTF-16 without a byte-order mark (told by its two ASCII characters), a lone surrogate
    // either side of an ID, a mark mid-line, and an odd last byte (half a character) on a
    // line of its own.
    let mut units: Vec<u16> = "x ".encode_utf16().collect();
    units.push(0xd800);
    units.extend(A.encode_utf16());
    units.push(0xdc00);
    units.extend(format!("\u{feff}{B}\n").encode_utf16());
    for big_endian in [false, true] {
        let mut text = code_units(units.iter().copied(), big_endian);
        text.push(b'z');
        for piece in [1, 2, 3, 5, 64, text.len()] {
            let found = scan_reader(Pieces { text: &text, piece }, None).unwrap();
            assert_eq!(ids(&found.ids), [A, B], "big endian {big_endian}, {piece}");
            assert_eq!(found.bad_lines, [2], "big endian {big_endian}, {piece}");
        }
    }
    // In UTF-8, a mark past the start is noise too, touching an ID or not.
    let text = format!("{A}\u{feff}{B}\n\u{feff}{A}");
    let found = scan(text.as_bytes());
    assert_eq!(ids(&found.ids), [A, B]);
    assert_eq!(found.repeated, 1);
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
    fn reading_in_pieces_of_any_size_finds_what_one_pass_finds(
        values in proptest::collection::vec(any::<u128>(), 0..8),
        noise in proptest::collection::vec("[ -~\\n]{0,200}", 8),
        piece in 1usize..300,
    ) {
        let mut text = String::new();
        for (value, noise) in values.iter().zip(&noise) {
            text.push_str(noise);
            text.push_str(&uuid::Uuid::from_u128(*value).hyphenated().to_string());
        }
        text.push_str(&noise[7]);
        let read = |piece| {
            scan_reader(Pieces { text: text.as_bytes(), piece }, None).map_err(|err| err.to_string())
        };
        let whole = read(text.len().max(1));
        prop_assert_eq!(read(piece), whole.clone());
        if let Ok(whole) = whole {
            prop_assert_eq!(whole, scan(text.as_bytes()));
        }
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

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    code_units(
        std::iter::once(0xfeff).chain(text.encode_utf16()),
        big_endian,
    )
}

/// UTF-16 code units as bytes, valid or not.
fn code_units(units: impl IntoIterator<Item = u16>, big_endian: bool) -> Vec<u8> {
    units
        .into_iter()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

fn import(input: Vec<u8>) -> assert_cmd::assert::Assert {
    Sandbox::new()
        .cmd()
        .args(["import", "-"])
        .write_stdin(input)
        .assert()
}

#[test]
fn a_spreadsheet_unicode_text_export_is_read_as_utf16_either_byte_order() {
    let export = format!("notes\r\n{A}\tpremière prise\r\n{B}\tdeuxième\r\n");
    for big_endian in [false, true] {
        import(utf16(&export, big_endian))
            .code(1)
            .stdout(contains("added 2, already known 0"))
            .stderr(
                contains("<stdin>:1: no video ID")
                    .and(contains("<stdin>:2").not())
                    .and(contains("<stdin>:3").not()),
            );
    }
}

#[test]
fn a_utf8_bom_is_not_text_and_bytes_that_are_not_utf8_are_noise() {
    import(format!("\u{feff}\n{A}\n").into_bytes())
        .code(0)
        .stdout(contains("added 1"));
    let mut mangled = b"\xc3\x28 ".to_vec();
    mangled.extend_from_slice(A.as_bytes());
    mangled.extend_from_slice(b" \xa0\xa1\n\xf0\x28\x8c\x28\n");
    mangled.extend_from_slice(B.as_bytes());
    import(mangled)
        .code(1)
        .stdout(contains("added 2"))
        .stderr(contains("<stdin>:2: no video ID"));
}

#[test]
fn past_the_first_few_lines_and_fields_warned_about_the_rest_are_counted() {
    let extra = 3;
    let mut csv = String::from("id,created_at\n");
    for n in 0..LISTED_BAD_LINES + extra {
        csv.push_str(&format!(
            ",{n}\n00000000-0000-4000-8000-{:012x},yesterday\n",
            n + 1
        ));
    }
    import(csv.into_bytes())
        .code(1)
        .stdout(contains(format!("added {}", LISTED_BAD_LINES + extra)))
        .stderr(
            contains(format!(
                "warning: ... and {extra} more line(s) with no video ID"
            ))
            .and(contains(format!(
                "warning: ... and {extra} more field(s) that could not be read"
            ))),
        );
}

/// The binary under a data limit, fed one line far longer than it with no ID, then an ID.
#[cfg(target_os = "linux")]
fn fed_a_long_line(args: &[&str]) -> std::process::Output {
    let args = [&["--base-url", "http://127.0.0.1:9/v1"], args].concat();
    feeding::fed_a_long_run(&args, String::new(), format!("\n{A}\n"))
}

#[cfg(target_os = "linux")]
#[test]
fn a_line_longer_than_the_memory_allowed_is_scanned_and_named() {
    let output = fed_a_long_line(&["import", "-"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("added 1"),
        "{output:?}"
    );
    assert!(stderr.contains("<stdin>:1: no video ID"), "{stderr}");

    let output = fed_a_long_line(&["delete", "--from", "-", "--dry-run"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains(&format!("/videos/{A}")),
        "{output:?}"
    );
    assert!(stderr.contains("first: line 1"), "{stderr}");
}
