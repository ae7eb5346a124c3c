//! Import speed: scanning a 1,000,000-line input (a mix of bare IDs, CSV rows, JSON and log
//! lines, some with no ID) and adding the IDs to an empty store; the same lines as UTF-16 (a
//! spreadsheet's "Unicode text"); then a million videos with titles and creation times, as a
//! CSV table and as JSON Lines, scanned and added.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use elytron_tui::import::{ImportScan, scan as scan_paste};

/// A paste's scan: the bench's inputs are no saved listings to refuse.
fn scan(input: &[u8]) -> ImportScan {
    scan_paste(input).expect("no saved listing to refuse")
}
use elytron_tui::store::{Paths, Store};
use jiff::Timestamp;

const LINES: usize = 1_000_000;

fn million_lines() -> Vec<u8> {
    let mut text = String::with_capacity(LINES * 70);
    for n in 0..LINES as u128 {
        let id = uuid::Uuid::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
        let line = match n % 5 {
            0 => id.hyphenated().to_string(),
            1 => format!("{n},\"clip {n}\",{},2024-05-01", id.hyphenated()),
            2 => format!("  \"{}\",", id.hyphenated().to_string().to_uppercase()),
            3 => format!(
                "2024-05-01T10:00:00Z INFO video={} status=ready",
                id.braced()
            ),
            _ => format!("2024-05-01T10:00:01Z DEBUG heartbeat seq={n} no id here"),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text.into_bytes()
}

/// `text` as UTF-16, little-endian with a byte-order mark.
fn utf16(text: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(text);
    std::iter::once(0xfeff)
        .chain(text.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect()
}

/// A CSV export of a million videos (ID, title, creation time, a URL), or the same as JSON
/// Lines.
fn million_records(json: bool) -> Vec<u8> {
    let mut text = String::with_capacity(LINES * 130);
    if !json {
        text.push_str("video_id,title,created_at,url\n");
    }
    for n in 0..LINES as u128 {
        let id = uuid::Uuid::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
        let created = 1_700_000_000 + n as u64 * 7;
        if json {
            text.push_str(&format!(
                "{{\"id\":\"{id}\",\"title\":\"Clip {n}, take 2\",\"created_at\":{created},\
                 \"url\":\"https://cdn.example/{id}.mp4\"}}\n"
            ));
        } else {
            text.push_str(&format!(
                "{id},\"Clip {n}, take 2\",{created},https://cdn.example/{id}.mp4\n"
            ));
        }
    }
    text.into_bytes()
}

fn import(c: &mut Criterion) {
    let input = million_lines();
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("scan 1M lines", |b| b.iter(|| scan(black_box(&input))));
    group.bench_function("scan and add 1M lines to an empty store", |b| {
        b.iter(|| add_to_a_new_store(&input))
    });
    let wide = utf16(&input);
    group.bench_function("scan 1M lines as UTF-16", |b| {
        b.iter(|| scan(black_box(&wide)))
    });
    for (name, json) in [("CSV", false), ("JSON Lines", true)] {
        let input = million_records(json);
        group.bench_function(format!("scan 1M {name} records with titles"), |b| {
            b.iter(|| scan(black_box(&input)))
        });
        group.bench_function(
            format!("scan and add 1M {name} records with titles to an empty store"),
            |b| b.iter(|| add_to_a_new_store(&input)),
        );
    }
    group.finish();
}

/// What `import` does with `input` on a profile with no data yet.
fn add_to_a_new_store(input: &[u8]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let found = scan(black_box(input));
    let mut store = Store::open(&Paths::in_dir(dir.path())).expect("store");
    let added = store
        .add(
            &found.ids,
            &found.details,
            Some("bench"),
            Timestamp::UNIX_EPOCH,
        )
        .expect("added");
    assert_eq!(added.added, found.ids.len());
}

criterion_group!(benches, import);
criterion_main!(benches);
