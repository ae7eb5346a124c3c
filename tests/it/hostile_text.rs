//! Text from outside through the real binary: a server whose 404 bodies carry terminal
//! controls and a bidi override in their code, message and request id; labels, titles, a
//! protect rule, a key command, a file name, a query and a config value carrying them. The
//! raw bytes never reach stdout or stderr; the printable escape does, columns stay aligned,
//! and `--json` stays exact JSON that reads back to the very same text.

use std::path::Path;

use elytron_tui::api::VideoId;
use serde_json::json;

use crate::support::canned::Canned;
use crate::support::runs::{json_lines, stderr};
use crate::support::sandbox::Sandbox;

/// Any key: the servers here take every one.
const KEY: &str = "sk-hostile-test-0000";

const OSC: &str = "\u{1b}]0;pwned\u{7}";
const OSC_SHOWN: &str = "\\x1b]0;pwned\\x07";
const CLEAR: &str = "\u{1b}[2J";
const CLEAR_SHOWN: &str = "\\x1b[2J";
const RLO: &str = "\u{202e}";
const RLO_SHOWN: &str = "\\u{202e}";

/// An HTTP answer with a JSON body that closes its connection.
fn answer(status_line: &str, body: &serde_json::Value) -> String {
    let body = body.to_string();
    format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    )
}

/// No raw control, DEL or bidi override in `bytes` (a run without a terminal draws no bar,
/// so not even an escape sequence of our own belongs there).
fn assert_raw_free(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let raw = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}'));
    assert_eq!(raw, None, "a raw character in {what}: {text:?}");
}

/// A sandbox on `server`, with a key.
fn on(server: &Canned) -> Sandbox {
    Sandbox::new()
        .at(format!("http://{}/v1", server.addr))
        .with_key(KEY)
}

fn ids(n: usize) -> Vec<VideoId> {
    (0..n)
        .map(|_| VideoId::from_uuid(uuid::Uuid::new_v4()))
        .collect()
}

#[test]
fn a_404_bodys_message_and_request_id_show_escaped_in_delete_history_and_json() {
    let title = format!("Spoof{RLO}txt.exe");
    let message = format!("gone{OSC}{RLO}");
    let request_id = format!("req{CLEAR}");
    let body = json!({
        "error": { "code": "VIDEO_NOT_FOUND", "message": message },
        "meta": { "request_id": request_id },
    });
    let server = Canned::start(vec![answer("404 Not Found", &body)]);
    let sandbox = on(&server);
    let asked = ids(2);
    let csv = sandbox.file(
        "titles.csv",
        &format!(
            "video_id,title\n{},\"{title}\"\n{},\"{title}\"\n",
            asked[0], asked[1]
        ),
    );
    let out = sandbox.run(&["import", path(&csv)]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = sandbox.run(&["delete", &asked[0].to_string(), "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_raw_free("delete's table", &out.stdout);
    assert_raw_free("delete's stderr", &out.stderr);
    let table = String::from_utf8_lossy(&out.stdout);
    let shown = format!("gone{OSC_SHOWN}{RLO_SHOWN}");
    assert!(table.contains(&shown), "{table}");

    let out = sandbox.run(&["delete", &asked[1].to_string(), "--yes", "--json"]);
    assert_raw_free("delete --json", &out.stdout);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["message"], message.as_str(), "exact JSON");

    let out = sandbox.run(&["history"]);
    assert_raw_free("history", &out.stdout);
    let history = String::from_utf8_lossy(&out.stdout);
    assert_eq!(history.matches(&shown).count(), 2, "{history}");
    let title_shown = format!("Spoof{RLO_SHOWN}txt.exe");
    assert_eq!(history.matches(&title_shown).count(), 2, "{history}");

    let out = sandbox.run(&["history", "--json"]);
    assert_raw_free("history --json", &out.stdout);
    for line in json_lines(&out.stdout) {
        assert_eq!(line["message"], message.as_str());
        assert_eq!(line["request_id"], request_id.as_str());
        assert_eq!(line["title"], title.as_str(), "the title, exact");
    }
}

#[test]
fn a_404_code_that_halts_the_batch_shows_escaped_on_the_stop_line() {
    let body = json!({ "error": { "code": format!("NOPE{CLEAR}"), "message": format!("x{RLO}") } });
    let server = Canned::start(vec![answer("404 Not Found", &body)]);
    let sandbox = on(&server);
    let asked = ids(5);
    sandbox.import(&asked);
    let out = sandbox.run(&["delete", "--all", "--yes", "--concurrency", "1"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_raw_free("the table", &out.stdout);
    assert_raw_free("the stop line", &out.stderr);
    let err = stderr(&out);
    let stop = err
        .lines()
        .find(|line| line.starts_with("stopped:"))
        .unwrap_or_else(|| panic!("no stop line: {err}"));
    assert!(
        stop.contains(&format!("NOPE{CLEAR_SHOWN}: x{RLO_SHOWN}")),
        "{stop}"
    );
}

#[test]
fn labels_and_titles_show_escaped_in_list_and_the_titles_stay_in_one_column() {
    let sandbox = Sandbox::new();
    let asked = ids(2);
    let label = format!("lab{OSC}el");
    let out = sandbox.cmd_run(&["import", "--label", &label], &asked[..1]);
    assert!(out.status.success(), "{}", stderr(&out));
    let title = format!("Spoof{RLO}txt.exe");
    let csv = sandbox.file(
        "titles.csv",
        &format!(
            "video_id,title\n{},\"{title}\"\n{},Plain\n",
            asked[0], asked[1]
        ),
    );
    let out = sandbox.run(&["import", "--label", "june", path(&csv)]);
    assert!(out.status.success(), "{}", stderr(&out));

    let out = sandbox.run(&["list"]);
    assert_raw_free("list", &out.stdout);
    let table = String::from_utf8_lossy(&out.stdout);
    let row = |id: &VideoId| {
        let id = id.to_string();
        table
            .lines()
            .find(|line| line.starts_with(&id))
            .unwrap_or_else(|| panic!("{id} not listed: {table}"))
            .to_owned()
    };
    let (hostile, plain) = (row(&asked[0]), row(&asked[1]));
    assert!(hostile.contains(&format!("lab{OSC_SHOWN}el")), "{hostile}");
    let spoof = format!("Spoof{RLO_SHOWN}txt.exe");
    assert_eq!(
        hostile.find(&spoof),
        plain.find("Plain"),
        "the titles start in different columns:\n{hostile}\n{plain}"
    );

    let out = sandbox.run(&["list", "--json"]);
    assert_raw_free("list --json", &out.stdout);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["label"], label.as_str());
    assert_eq!(lines[0]["title"], title.as_str());
}

#[test]
fn a_protect_rule_and_a_key_command_show_escaped_in_profiles_and_doctor() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.config_file(),
        "[profiles.prod]\n\
         api_key_command = \"echo sk-hostile-0123456789 # \\u001b]0;pwned\\u0007\"\n\
         protect = [\"label:keep\\u202e\"]\n",
    )
    .unwrap();
    let out = sandbox.run(&["--profile", "prod", "profiles"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_raw_free("profiles", &out.stdout);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains(&format!("# {OSC_SHOWN}`")), "{table}");
    assert!(table.contains(&format!("label:keep{RLO_SHOWN}")), "{table}");
    let header = table.lines().next().unwrap_or_default();
    let rule_at = table
        .lines()
        .find_map(|line| line.find("label:keep"))
        .unwrap_or_default();
    assert_eq!(header.find("PROTECT"), Some(rule_at), "{table}");

    let out = sandbox.run(&["--profile", "prod", "doctor"]);
    assert_raw_free("doctor", &out.stdout);
    assert_raw_free("doctor's stderr", &out.stderr);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains(&format!("# {OSC_SHOWN}`")), "{report}");
}

#[test]
fn a_file_name_and_a_fields_text_show_escaped_in_import_warnings() {
    let sandbox = Sandbox::new();
    let id = ids(1)[0];
    let file = sandbox.file(
        &format!("ids{CLEAR}.csv"),
        &format!("video_id,title,created_at\n{id},t,\"soon{OSC}\"\nno id on this line\n"),
    );
    let out = sandbox.run(&["import", path(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_raw_free("import's warnings", &out.stderr);
    let err = stderr(&out);
    assert!(
        err.contains(&format!("ids{CLEAR_SHOWN}.csv:3: no video ID")),
        "{err}"
    );
    assert!(err.contains("soon"), "{err}");
}

#[test]
fn a_query_error_shows_the_query_escaped_with_the_caret_under_its_part() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["list", "--query", &format!("lab{RLO}{CLEAR} age>30x")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_raw_free("the query error", &out.stderr);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    let at = lines
        .iter()
        .position(|line| line.contains("age>30x"))
        .unwrap_or_else(|| panic!("{err}"));
    assert_eq!(lines[at], format!("  lab{RLO_SHOWN}{CLEAR_SHOWN} age>30x"));
    assert_eq!(
        lines[at + 1].find('^'),
        lines[at].find("age"),
        "the caret is not under the part:\n{err}"
    );
}

#[test]
fn a_config_error_that_echoes_the_file_shows_it_escaped() {
    let sandbox = Sandbox::new();
    std::fs::write(
        sandbox.config_file(),
        "default_profile = \"x\\u001b]0;pwned\\u0007\"\n",
    )
    .unwrap();
    let out = sandbox.run(&["list"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_raw_free("the config error", &out.stderr);
    let err = stderr(&out);
    assert!(err.contains(&format!("[profiles.x{OSC_SHOWN}]")), "{err}");
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

/// Issue 19: what a listing says of a video (its prompt, error, download URL) reaches the
/// terminal escaped from `sync`, `list` and a 2xx that is not a listing; `--json` keeps it
/// exact.
#[test]
fn a_listings_prompt_error_and_url_show_escaped_in_sync_and_list() {
    let id = ids(1)[0];
    let prompt = format!("a fox{OSC}{RLO}");
    let page = json!({
        "videos": [{
            "video_id": id.to_string(), "prompt": prompt, "status": "failed",
            "error": format!("refused{CLEAR}"), "download_url": format!("https://x/{RLO}"),
        }],
        "total": 1, "limit": 100, "offset": 0,
    });
    let server = Canned::start(vec![answer("200 OK", &page)]);
    let sandbox = on(&server);
    let out = sandbox.run(&["sync", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_raw_free("sync --json", &out.stdout);
    assert_raw_free("sync's stderr", &out.stderr);
    let lines = json_lines(&out.stdout);
    assert_eq!(lines[0]["prompt"], prompt.as_str(), "exact JSON");
    assert_eq!(lines[0]["error"], format!("refused{CLEAR}").as_str());

    let out = sandbox.run(&["list"]);
    assert_raw_free("list", &out.stdout);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(&format!("a fox{OSC_SHOWN}{RLO_SHOWN}")),
        "{table}"
    );
    let out = sandbox.run(&["list", "--json"]);
    assert_raw_free("list --json", &out.stdout);
    assert_eq!(
        json_lines(&out.stdout)[0]["generation_error"],
        format!("refused{CLEAR}").as_str()
    );

    let not_a_listing = json!({ "items": [], "note": format!("x{CLEAR}") });
    let server = Canned::start(vec![answer("200 OK", &not_a_listing)]);
    let out = on(&server).run(&["sync"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_raw_free("sync's refusal", &out.stderr);
    assert!(
        stderr(&out).contains("this server does not list videos"),
        "{}",
        stderr(&out)
    );
}
