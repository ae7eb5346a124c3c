//! `delete` on a real terminal (a pseudo-terminal): it asks "Delete N videos? This cannot be
//! undone. [y/N]", sends nothing on anything but yes, and deletes on yes.

use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{PtySize, native_pty_system};
use wiremock::{MockServer, ResponseTemplate};

use crate::support::mock::answer_every_delete;
use crate::support::sandbox::Sandbox;

const PROMPT: &str = "Delete 2 video(s)";

/// Runs `delete --all` on a terminal, answers the prompt with `answer`, returns the exit code
/// and everything the terminal showed.
fn delete_answering(sandbox: &Sandbox, answer: &str) -> (u32, String) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = sandbox.pty_command();
    cmd.args(["delete", "--all"]);
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

/// A server that deletes whatever it is asked, and a sandbox on it (its config.toml holding
/// `config`) that knows two new IDs.
async fn two_known_ids(config: &str) -> (MockServer, Sandbox) {
    let server = MockServer::start().await;
    answer_every_delete(&server, ResponseTemplate::new(204)).await;
    let sandbox = Sandbox::new().at(server.uri()).with_key("sk-test-PROMPT");
    sandbox.file("config.toml", config);
    sandbox.import(&[uuid::Uuid::new_v4(), uuid::Uuid::new_v4()]);
    (server, sandbox)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_prompt_sends_nothing_unless_answered_yes() {
    let (server, sandbox) = two_known_ids("").await;

    let (code, screen) = delete_answering(&sandbox, "\r");
    assert!(screen.contains("This cannot be undone. [y/N]"), "{screen}");
    assert_eq!(code, 1, "{screen}");
    assert!(server.received_requests().await.unwrap().is_empty());

    let (code, screen) = delete_answering(&sandbox, "y\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_confirmed_by_name_sends_nothing_on_a_wrong_name() {
    let (server, sandbox) = two_known_ids("confirm = \"name\"\n").await;

    for wrong in ["y\r", "Default\r", "\r"] {
        let (code, screen) = delete_answering(&sandbox, wrong);
        assert!(
            screen.contains("Type the profile's name (default) to confirm"),
            "{screen}"
        );
        assert_eq!(code, 1, "{wrong:?}: {screen}");
        assert!(screen.contains("nothing was sent"), "{screen}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    let (code, screen) = delete_answering(&sandbox, "default\r");
    assert_eq!(code, 0, "{screen}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
