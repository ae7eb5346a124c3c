//! Structured import: tables with a header row and JSON give one video per row or object,
//! with its title and creation time. By property, the same records written as CSV, TSV, JSON
//! Lines or a JSON array read the same, however the input is cut. Then the real binary: what
//! `list --json` shows afterwards, damaged input refused with its place and nothing added,
//! fields that cannot be read warned about, and a cell or string far longer than the memory
//! the process is allowed.

use elytron_tui::import::{Form, ImportScan, MAX_TITLE, scan_reader};
use jiff::Timestamp;
use predicates::prelude::*;
use predicates::str::contains;
use proptest::prelude::*;

use crate::support::feeding::{self, Pieces};
use crate::support::sandbox::Sandbox;

const A: &str = "550e8400-e29b-41d4-a716-446655440000";
const B: &str = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

/// One video as the property writes it.
#[derive(Clone, Debug)]
struct Video {
    id: uuid::Uuid,
    title: String,
    created: Option<i64>,
}

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn as_table(videos: &[Video], delimiter: char, unix: bool) -> String {
    let mut out = ["video_id", "title", "parent", "created_at"].join(&delimiter.to_string());
    out.push_str("\r\n");
    for video in videos {
        let created = video.created.map_or(String::new(), |s| created(s, unix));
        let cells = [
            video.id.to_string(),
            csv_cell(&video.title),
            A.to_owned(),
            created,
        ];
        out.push_str(&cells.join(&delimiter.to_string()));
        out.push_str("\r\n");
    }
    out
}

fn created(seconds: i64, unix: bool) -> String {
    if unix {
        seconds.to_string()
    } else {
        Timestamp::from_second(seconds).unwrap().to_string()
    }
}

fn as_json_objects(videos: &[Video]) -> Vec<String> {
    videos
        .iter()
        .map(|video| {
            let mut object = serde_json::json!({
                "id": video.id.to_string(),
                "name": video.title,
                "meta": {"parent": A, "n": [1, 2.5e3, null, true]},
            });
            if let Some(seconds) = video.created {
                object["created_at"] = serde_json::json!(seconds);
            }
            object.to_string()
        })
        .collect()
}

fn read(text: &str, piece: usize) -> ImportScan {
    scan_reader(
        Pieces {
            text: text.as_bytes(),
            piece,
        },
        None,
    )
    .unwrap_or_else(|err| panic!("{err}: {text}"))
}

/// What a scan kept, comparable across forms.
fn kept(scan: &ImportScan) -> Vec<(String, Option<String>, Option<i64>)> {
    scan.ids
        .iter()
        .enumerate()
        .map(|(at, id)| {
            (
                id.to_string(),
                scan.details.title(at).map(str::to_owned),
                scan.details.created_at(at).map(|t| t.as_second()),
            )
        })
        .collect()
}

proptest! {
    #[test]
    fn the_same_records_read_the_same_as_csv_tsv_json_lines_or_a_json_array(
        videos in proptest::collection::vec(
            (any::<u128>(), "[a-zA-Z0-9 ,;\"\t\n'é🎬{}\\[\\]:-]{0,40}", proptest::option::of(0i64..4_000_000_000)),
            1..12,
        ),
        piece in 1usize..200,
        unix in any::<bool>(),
    ) {
        let videos: Vec<Video> = videos
            .into_iter()
            .map(|(id, title, created)| Video { id: uuid::Uuid::from_u128(id), title, created })
            .collect();
        let mut want = Vec::new();
        for video in &videos {
            let title = video.title.split_whitespace().collect::<Vec<_>>().join(" ");
            let id = video.id.to_string();
            if !want.iter().any(|(known, _, _): &(String, _, _)| *known == id) {
                want.push((id, (!title.is_empty()).then_some(title), video.created));
            } else if let Some(entry) = want.iter_mut().find(|(known, _, _)| *known == id) {
                if entry.1.is_none() && !title.is_empty() {
                    entry.1 = Some(title);
                }
                entry.2 = entry.2.or(video.created);
            }
        }
        let objects = as_json_objects(&videos);
        let forms = [
            (as_table(&videos, ',', unix), Form::Table(b',')),
            (as_table(&videos, '\t', !unix), Form::Table(b'\t')),
            (objects.join("\n"), Form::Json),
            (format!("[\n{}\n]", objects.join(",\n")), Form::Json),
        ];
        for (text, form) in forms {
            let scan = read(&text, piece);
            prop_assert_eq!(scan.form, form);
            prop_assert_eq!(kept(&scan), want.clone(), "{}", text);
            prop_assert!(scan.bad_lines.is_empty() && scan.bad_fields.is_empty());
        }
    }
}

#[test]
fn text_that_only_looks_structured_keeps_the_every_uuid_rule() {
    let cases = [
        format!("[2024-05-01 10:00] deleted {A}\n[{{]}} {B}\n"),
        format!("title of the list\n{A}, {B}\n"),
        format!("[\"{A}\",\n \"{B}\"]\n"),
    ];
    for text in cases {
        let scan = read(&text, 7);
        assert_eq!(scan.form, Form::Text, "{text}");
        let ids: Vec<String> = scan.ids.iter().map(ToString::to_string).collect();
        assert_eq!(ids, [A, B], "{text}");
    }
}

/// `import -` of `input` on a fresh sandbox's list.
fn import_input(sandbox: &Sandbox, input: impl Into<Vec<u8>>) -> assert_cmd::assert::Assert {
    sandbox
        .cmd()
        .args(["import", "-"])
        .write_stdin(input)
        .assert()
}

/// `import --strict -` of `input`, which must add nothing (exit 2) and say `why`.
fn strict_import_refuses(sandbox: &Sandbox, input: &str, why: &str) {
    sandbox
        .cmd()
        .args(["import", "--strict", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(contains(why));
    assert!(list_json(sandbox).is_empty());
}

pub(crate) fn list_json(sandbox: &Sandbox) -> Vec<serde_json::Value> {
    let out = sandbox.cmd().args(["list", "--json"]).output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn a_csv_export_gives_titles_and_creation_times_and_a_second_import_fills_gaps() {
    let sandbox = Sandbox::new();
    import_input(
        &sandbox,
        format!(
            "Video ID,Name,Created At\n{A},\"Intro, take 2\",2024-05-01T12:00:00+02:00\n{B},,\n"
        ),
    )
    .code(0)
    .stdout(contains(
        "added 2, already known 0; read as a CSV table: one video per row, 1 with a title",
    ));
    let listed = list_json(&sandbox);
    assert_eq!(listed[0]["title"], "Intro, take 2");
    assert_eq!(listed[0]["created_at"], "2024-05-01T10:00:00Z");
    assert!(listed[1]["title"].is_null() && listed[1]["created_at"].is_null());

    import_input(
        &sandbox,
        format!(
            "{{\"id\":\"{B}\",\"title\":\"Outro\",\"created_at\":1714557600}}\n\
             {{\"id\":\"{A}\",\"title\":\"not this one\"}}\n"
        ),
    )
    .code(0)
    .stdout(contains(
        "added 0, already known 2 (1 of them given a title or creation time they lacked)",
    ));
    let listed = list_json(&sandbox);
    assert_eq!(
        listed[0]["title"], "Intro, take 2",
        "a title it had is kept"
    );
    assert_eq!(listed[1]["title"], "Outro");
    assert_eq!(listed[1]["created_at"], "2024-05-01T10:00:00Z");
}

#[test]
fn a_utf16_spreadsheet_export_keeps_its_accents() {
    let export = format!("id\ttitle\r\n{A}\tpremière prise 🎬\r\n");
    let bytes: Vec<u8> = std::iter::once(0xfeff)
        .chain(export.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let sandbox = Sandbox::new();
    import_input(&sandbox, bytes)
        .code(0)
        .stdout(contains("added 1"));
    assert_eq!(list_json(&sandbox)[0]["title"], "première prise 🎬");
}

#[test]
fn input_that_stops_being_json_or_a_table_adds_nothing_and_says_where() {
    let sandbox = Sandbox::new();
    import_input(
        &sandbox,
        format!("{{\"id\":\"{A}\"}}\n{{\"id\" \"{B}\"}}\n"),
    )
    .code(2)
    .stderr(contains(
        "error: <stdin>:2:7: not JSON: '\"' where a colon should be; nothing was taken from it",
    ));
    import_input(&sandbox, format!("id,title\n{A},\"never closed\n{B},x\n"))
        .code(2)
        .stderr(contains(
            "<stdin>:2: a quoted cell begins here and is never closed",
        ));
    assert!(list_json(&sandbox).is_empty());
    sandbox
        .cmd()
        .args(["delete", "--from", "-", "--dry-run"])
        .write_stdin(format!("[{{\"id\":\"{A}\"}},\n oops]"))
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

#[test]
fn a_creation_time_that_is_not_one_is_warned_about_and_strict_adds_nothing() {
    let sandbox = Sandbox::new();
    let input = format!("id,created_at\n{A},1714557600000\n{B},2024-05-01T10:00:00Z\n");
    strict_import_refuses(
        &sandbox,
        &input,
        "<stdin>:2: created_at \"1714557600000\" is not a time in Unix seconds",
    );
    import_input(&sandbox, input)
        .code(1)
        .stdout(contains("added 2"))
        .stderr(contains("warning: <stdin>:2: created_at").and(contains("added without it")));
    let listed = list_json(&sandbox);
    assert!(listed[0]["created_at"].is_null());
    assert_eq!(listed[1]["created_at"], "2024-05-01T10:00:00Z");
}

/// Issue 17 §5: `created_at: true` (or an object) was dropped silently with exit 0, while
/// `"soon"` warned with exit 1. Every value a read field cannot use now warns the same way;
/// `null` is no value, as a field left out is.
#[test]
fn a_field_holding_a_value_it_cannot_use_is_warned_about_like_a_bad_time() {
    let sandbox = Sandbox::new();
    let input = format!(
        "{{\"id\":\"{A}\",\"created_at\":true,\"title\":{{\"en\":\"x\"}}}}\n\
         {{\"id\":\"{B}\",\"created_at\":null,\"title\":\"Fine\",\"name\":[\"a\"]}}\n"
    );
    strict_import_refuses(
        &sandbox,
        &input,
        "<stdin>:1: created_at is true, not a time (RFC 3339 or Unix seconds) (3 such \
         field(s) in all); --strict added nothing",
    );
    import_input(&sandbox, input)
        .code(1)
        .stdout(contains("added 2"))
        .stderr(
            contains("warning: <stdin>:1: created_at is true, not a time")
                .and(contains("warning: <stdin>:1: title is an object, not text"))
                .and(contains("warning: <stdin>:2: name is a list, not text"))
                .and(contains("null").not()),
        );
    let listed = list_json(&sandbox);
    assert!(listed[0]["created_at"].is_null() && listed[0]["title"].is_null());
    assert_eq!(listed[1]["title"], "Fine");
}

#[cfg(target_os = "linux")]
#[test]
fn a_cell_or_a_string_longer_than_the_memory_allowed_is_read_past() {
    for (before, after) in [
        (format!("id,title\n{A},\""), format!("\"\n{B},short\n")),
        (
            format!("[{{\"id\":\"{A}\",\"title\":\""),
            format!("\"}},{{\"id\":\"{B}\",\"title\":\"short\"}}]"),
        ),
    ] {
        let output = feeding::fed_a_long_run(&["import", "-"], before.clone(), after);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{before}: {stderr}");
        assert!(stdout.contains("added 2"), "{before}: {stdout}");
    }
}

#[test]
fn the_sample_export_reads_as_the_readme_says() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sample-export.csv"
    ))
    .unwrap();
    let scan = read(&text, 64);
    assert_eq!(scan.form, Form::Table(b','));
    let kept = kept(&scan);
    assert_eq!(kept.len(), 3, "the project_id is no video");
    assert_eq!(kept[0].1.as_deref(), Some("Intro, take 2"));
    assert_eq!(kept[1].2, Some(1_790_000_000));
    assert_eq!(
        kept[2].1.as_deref(),
        Some("Product shot (two lines in the export)")
    );
    assert!(scan.bad_lines.is_empty() && scan.bad_fields.is_empty());
    let plain = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/sample-import.txt"
    ))
    .unwrap();
    let scan = read(&plain, 64);
    assert_eq!(
        (scan.form, scan.ids.len(), scan.bad_lines.len()),
        (Form::Text, 7, 3)
    );
}

#[test]
fn a_long_title_is_cut() {
    let long = "word ".repeat(200);
    let scan = read(&format!("id,title\n{A},{long}\n"), 1000);
    let title = scan.details.title(0).unwrap();
    assert!(title.len() <= MAX_TITLE + '…'.len_utf8(), "{}", title.len());
    assert!(title.ends_with('…') && title.starts_with("word word"));
}
