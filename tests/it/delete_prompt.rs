//! `delete` on a real terminal (a pseudo-terminal): it asks "Delete N videos? This cannot be
//! undone. [y/N]", sends nothing on anything but yes, and deletes on yes.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const PROMPT: &str = "Delete 2 video(s)";

/// Runs `delete --all` on a terminal, answers the prompt with `answer`, returns the exit code
/// and everything the terminal showed.
fn delete_answering(data_dir: &std::path::Path, base_url: &str, answer: &str) -> (u32, String) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(cargo_bin!("elytron-tui"));
    cmd.args(["--data-dir".as_ref(), data_dir.as_os_str()]);
    cmd.args(["--config", &format!("{}/config.toml", data_dir.display())]);
    cmd.args(["--base-url", base_url, "delete", "--all"]);
    cmd.env("ELYTRON_API_KEY", "sk-test-PROMPT");
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);

    let mut reader = pty.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut screen = String::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !screen.contains(PROMPT) {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no prompt; saw {screen:?}"));
        screen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let mut writer = pty.master.take_writer().unwrap();
    writer.write_all(answer.as_bytes()).unwrap();
    writer.flush().unwrap();
    let status = child.wait().unwrap();
    while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
        screen.push_str(&String::from_utf8_lossy(&chunk));
    }
    (status.exit_code(), screen)
}

/// A server that deletes whatever it is asked, and a data folder (its config.toml holding
/// `config`) that knows two new IDs.
async fn two_known_ids(config: &str) -> (MockServer, tempfile::TempDir, PathBuf) {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    std::fs::create_dir_all(&data_dir).unwrap();
    std::fs::write(data_dir.join("config.toml"), config).unwrap();
    let ids = format!("{}\n{}\n", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let mut child = std::process::Command::new(cargo_bin!("elytron-tui"))
        .arg("--data-dir")
        .arg(&data_dir)
        .arg("--config")
        .arg(data_dir.join("config.toml"))
        .arg("import")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ids.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    (server, dir, data_dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_sends_nothing_unless_answered_yes() {
    let (server, _dir, data_dir) = two_known_ids("").await;

    let (code, screen) = delete_answering(&data_dir, &server.uri(), "\r");
    assert!(screen.contains("This cannot be undone. [y/N]"), "{screen}");
    assert_eq!(code, 1, "{screen}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let (code, screen) = delete_answering(&data_dir, &server.uri(), "y\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_confirmed_by_name_sends_nothing_on_a_wrong_name() {
    let (server, _dir, data_dir) = two_known_ids("confirm = \"name\"\n").await;

    for wrong in ["y\r", "Default\r", "\r"] {
        let (code, screen) = delete_answering(&data_dir, &server.uri(), wrong);
        assert!(
            screen.contains("Type the profile's name (default) to confirm"),
            "{screen}"
        );
        assert_eq!(code, 1, "{wrong:?}: {screen}");
        assert!(screen.contains("nothing was sent"), "{screen}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    let (code, screen) = delete_answering(&data_dir, &server.uri(), "default\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
