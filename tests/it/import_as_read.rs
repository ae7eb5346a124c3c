//! An import from a file is written while the file is read (a batch of 8,192 IDs at a time,
//! the reading and the writing on two threads), in one transaction. Whatever stops it past
//! its first batches (a table that breaks, `--strict` and a line with no ID) still adds
//! nothing, to an empty list or to one that has videos; and an ID given again batches later
//! fills what its first mention lacked, exactly as reading standard input whole first does.

use std::collections::HashSet;
use std::path::Path;

use elytron_tui::api::VideoId;
use predicates::str::contains;

use crate::import_records::list_json;
use crate::support::sandbox::Sandbox;

/// Rows enough for several batches.
const ROWS: u128 = 30_000;

fn id(n: u128) -> String {
    uuid::Uuid::from_u128(n).hyphenated().to_string()
}

/// A CSV table of `ROWS` titled videos.
fn table() -> String {
    let mut text = String::from("id,title,created_at\n");
    for n in 1..=ROWS {
        text.push_str(&format!("{},title {n},\n", id(n)));
    }
    text
}

/// `import [ARGS] FILE` on the sandbox's list.
fn import(sandbox: &Sandbox, args: &[&str], file: &Path) -> assert_cmd::assert::Assert {
    sandbox.cmd().arg("import").args(args).arg(file).assert()
}

/// A sandbox whose list is empty, or holds one video.
fn sandboxes() -> [(Sandbox, HashSet<VideoId>); 2] {
    let known = Sandbox::new();
    known.import(&[id(1 << 100)]);
    let held = known.known();
    [(Sandbox::new(), HashSet::new()), (known, held)]
}

#[test]
fn a_file_that_breaks_past_its_first_batches_adds_nothing() {
    for (sandbox, before) in sandboxes() {
        let broken = sandbox.file(
            "broken.csv",
            &format!("{}{},\"never closed\n", table(), id(ROWS + 1)),
        );
        import(&sandbox, &[], &broken)
            .code(2)
            .stderr(contains(format!(
                "broken.csv:{}: a quoted cell begins here and is never closed",
                ROWS + 2
            )));
        assert_eq!(sandbox.known(), before);

        let no_id = sandbox.file("no_id.csv", &format!("{}no ID here,,\n", table()));
        import(&sandbox, &["--strict"], &no_id)
            .code(2)
            .stderr(contains(format!(
                "no_id.csv:{}: no video ID on this line (1 such line(s) in all); --strict added nothing",
                ROWS + 2
            )));
        assert_eq!(sandbox.known(), before);

        import(&sandbox, &[], &no_id)
            .code(1)
            .stdout(contains(format!("added {ROWS}, already known 0")));
        assert_eq!(sandbox.known().len(), before.len() + ROWS as usize);
        import(&sandbox, &[], &no_id)
            .code(1)
            .stdout(contains(format!("added 0, already known {ROWS}")));
    }
}

#[test]
fn an_id_given_again_batches_later_fills_what_it_lacked_as_a_whole_read_does() {
    let text = format!(
        "id,title,created_at\n{first},,\n{}{first},given late,1714557600\n{one},not this one,\n",
        table().split_once('\n').unwrap().1,
        first = id(0),
        one = id(1),
    );
    let fields = |sandbox: &Sandbox| -> Vec<(String, String, String)> {
        list_json(sandbox)
            .iter()
            .map(|video| {
                let field = |name: &str| video[name].to_string();
                (field("id"), field("title"), field("created_at"))
            })
            .collect()
    };
    for (sandbox, before) in sandboxes() {
        let (whole, _) = sandboxes().into_iter().nth(before.len()).unwrap();
        let file = sandbox.file("again.csv", &text);
        let said = format!(
            "added {}, already known 0, repeated in the input 2; read as a CSV table: one \
             video per row, {} with a title or creation time",
            ROWS + 1,
            ROWS + 1
        );
        import(&sandbox, &[], &file).code(0).stdout(contains(&said));
        whole
            .cmd()
            .args(["import", "-"])
            .write_stdin(text.clone())
            .assert()
            .code(0)
            .stdout(contains(&said));
        let listed = fields(&sandbox);
        assert_eq!(listed, fields(&whole));
        let first = &listed[before.len()];
        assert_eq!(first.0, format!("\"{}\"", id(0)));
        assert_eq!(
            (first.1.as_str(), first.2.as_str()),
            ("\"given late\"", "\"2024-05-01T10:00:00Z\"")
        );
        assert_eq!(listed[before.len() + 1].1, "\"title 1\"");
    }
}

#[test]
fn a_known_video_filled_by_an_id_given_again_batches_later_counts_once() {
    let sandbox = Sandbox::new();
    sandbox.import(&[id(0)]);
    let text = format!(
        "id,title,created_at\n{first},first title,\n{}{first},not this one,1714557600\n",
        table().split_once('\n').unwrap().1,
        first = id(0),
    );
    let file = sandbox.file("again.csv", &text);
    import(&sandbox, &[], &file)
        .code(0)
        .stdout(contains(format!(
            "added {ROWS}, already known 1 (1 of them given a title or creation time they \
             lacked), repeated in the input 1"
        )));
    let first = &list_json(&sandbox)[0];
    assert_eq!(first["title"], "first title");
    assert_eq!(first["created_at"], "2024-05-01T10:00:00Z");
}
