//! The key prompt says what Enter and Esc really do: resume and stay paused only while a
//! batch waits for a key; otherwise the key is simply used, and Esc cancels.

use super::*;

fn screen(app: &App) -> String {
    format!("{}", draw(app, 80, 24).backend())
}

#[test]
fn k_with_no_batch_says_enter_uses_the_key_and_esc_cancels() {
    let mut a = sized(app(2), 80, 24);
    send(&mut a, [ch('K')]);
    let shown = screen(&a);
    assert!(shown.contains("Enter use this key · Esc cancel"), "{shown}");
    assert!(
        !shown.contains("resume") && !shown.contains("paused"),
        "{shown}"
    );
}

#[test]
fn while_a_batch_waits_for_the_key_enter_resumes_and_esc_stays_paused() {
    let mut a = sized(app(2), 80, 24);
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(0)] })]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    let shown = screen(&a);
    assert!(shown.contains("Enter resume · Esc stay paused"), "{shown}");
}

#[test]
fn after_the_batch_that_waited_is_over_the_prompt_no_longer_speaks_of_a_pause() {
    let mut a = sized(app(2), 80, 24);
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(0)] })]);
    send(&mut a, [Msg::Engine(Event::Paused(Pause::Unauthorized))]);
    send(&mut a, [press(KeyCode::Esc)]);
    let counts = BatchCounts::default();
    send(&mut a, [Msg::Engine(Event::Idle { counts })]);
    send(&mut a, [ch('K')]);
    let shown = screen(&a);
    assert!(shown.contains("The server refused the last key"), "{shown}");
    assert!(shown.contains("Enter use this key · Esc cancel"), "{shown}");
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(*a.modal(), Modal::None);
    assert!(
        !a.notice().is_some_and(|notice| notice.contains("Paused")),
        "{:?}",
        a.notice()
    );
}
