//! The keymap's promises: every action is described once, reachable, and alone on its key in
//! each context; `[keys]` rebinds as written and is refused, naming the line, when it cannot
//! be used.

use crossterm::event::KeyCode;

use super::*;
use crate::tui::update::TableKey;

/// The context the help and errors call `name`.
fn context(name: &str) -> AnyContext {
    contexts()
        .find(|context| context.name == name)
        .unwrap_or_else(|| panic!("no context is called {name}"))
}

fn binding(action: &str, line: usize, keys: &[&str]) -> KeyBinding {
    KeyBinding {
        action: action.to_owned(),
        line,
        keys: keys.iter().map(|key| ((*key).to_owned(), line)).collect(),
    }
}

fn refused(bindings: &[KeyBinding]) -> Refused {
    Keymap::with_bindings(bindings).expect_err("refused")
}

#[test]
fn every_action_is_found_by_its_name() {
    for &action in Action::ALL {
        let name = action.spec().name;
        assert_eq!(Action::by_name(name), Some(action), "{name}");
    }
}

#[test]
fn every_action_has_a_key_a_help_line_and_a_context() {
    let keymap = Keymap::default();
    for action in Action::ALL {
        let spec = action.spec();
        assert!(!spec.keys.is_empty(), "{} has no key", spec.name);
        assert!(
            contexts().any(|context| context.takes(*action)),
            "{} works nowhere",
            spec.name
        );
        let line = keymap.describe(spec);
        assert!(!line.is_empty(), "{} has no help line", spec.name);
        assert!(
            line.chars().count() <= 60,
            "{}: the help is 60 cells wide: {line}",
            spec.name
        );
        assert!(
            !line.contains('{') && !line.contains('}'),
            "{}: a placeholder names no action: {line}",
            spec.name
        );
        assert!(
            spec.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not a config key",
            spec.name
        );
    }
}

#[test]
fn no_key_means_two_actions_in_one_context() {
    let keymap = Keymap::default();
    assert!(
        keymap.first_conflict().is_none(),
        "{}",
        keymap
            .first_conflict()
            .map(|c| c.to_string())
            .unwrap_or_default()
    );
    // And each key of each action reaches that action in each of its contexts.
    for context in contexts() {
        for &action in Action::ALL.iter().filter(|&&a| context.takes(a)) {
            for &key in action.spec().keys {
                assert_eq!(
                    keymap.action(&context, key),
                    Some(action),
                    "{key} in {}",
                    context.name
                );
            }
        }
    }
}

#[test]
fn the_help_and_the_footer_show_the_keys_bound_now() {
    let keymap = Keymap::default();
    assert_eq!(
        keymap.hints(),
        "Space mark  v range  / filter  d delete  a add  Enter detail  ? help  q quit"
    );
    assert_eq!(keymap.names(Action::Delete), "d Delete");
    assert_eq!(
        keymap.describe(Action::Range.spec()),
        "start a range; v or Space marks it"
    );
    let rebound = Keymap::with_bindings(&[
        binding("delete", 1, &["D"]),
        binding("mark", 2, &["Space", "m"]),
    ])
    .unwrap();
    assert_eq!(
        rebound.hints(),
        "Space mark  v range  / filter  D delete  a add  Enter detail  ? help  q quit"
    );
    assert_eq!(rebound.names(Action::Mark), "Space m");
}

#[test]
fn a_binding_replaces_the_defaults_of_its_action_only() {
    let keymap = Keymap::with_bindings(&[binding("delete", 3, &["D"])]).unwrap();
    let table = |key| keymap.action(&context("the table"), key);
    assert_eq!(table(Key::char('D')), Some(Action::Delete));
    assert_eq!(table(Key::char('d')), None);
    assert_eq!(table(Key::plain(KeyCode::Delete)), None);
    assert_eq!(
        keymap.action(&context("the filter line"), Key::plain(KeyCode::Delete)),
        Some(Action::DeleteForward),
        "the text fields' Delete is another action"
    );
    // Keys may move between actions in one go.
    let swapped = Keymap::with_bindings(&[
        binding("down", 1, &["n", "↓"]),
        binding("delete", 2, &["j"]),
    ])
    .unwrap();
    assert_eq!(
        swapped.action(&context("the table"), Key::char('j')),
        Some(Action::Delete)
    );
    assert_eq!(
        swapped.action(&context("the history"), Key::char('n')),
        Some(Action::Down)
    );
}

#[test]
fn bindings_that_cannot_work_are_refused_naming_their_line() {
    let err = refused(&[binding("mark", 2, &["m"]), binding("delet", 5, &["D"])]);
    assert_eq!(err.line, 5);
    assert!(
        err.reason.contains("`delet` is not an action"),
        "{}",
        err.reason
    );

    // An action's old name is refused with its new one.
    let err = refused(&[binding("key", 3, &["k"])]);
    assert_eq!(err.line, 3);
    assert_eq!(err.reason, "`key` is now called `api-key`");

    let err = refused(&[KeyBinding {
        action: "mark".into(),
        line: 2,
        keys: vec![("Space".into(), 2), ("Ctrl-Spcae".into(), 4)],
    }]);
    assert_eq!(err.line, 4, "the line of the key itself");
    assert!(
        err.reason.contains("`Ctrl-Spcae` is not a key name"),
        "{}",
        err.reason
    );

    let err = refused(&[binding("delete", 7, &["j"])]);
    assert_eq!(err.line, 7);
    assert_eq!(
        err.reason,
        "`j` would be both `down` and `delete` in the table; give one of them other keys"
    );

    let err = refused(&[binding("mark", 3, &["x"]), binding("forget", 9, &["x"])]);
    assert_eq!(err.line, 9, "the later of two clashing lines");

    let err = refused(&[binding("submit", 4, &["k"])]);
    assert!(
        err.reason.contains("types text in the filter line"),
        "{}",
        err.reason
    );
    let err = refused(&[binding("no", 4, &["5"])]);
    assert!(
        err.reason.contains("types text in the delete confirmation"),
        "a digit types the count: {}",
        err.reason
    );

    let err = refused(&[binding("yes", 6, &["Enter"])]);
    assert!(
        err.reason.contains("Enter alone never confirms"),
        "{}",
        err.reason
    );
    let err = refused(&[binding("quit", 8, &[])]);
    assert_eq!(err.line, 8);
    assert!(err.reason.contains("needs at least one key"));

    // Ctrl-z is the shell's: answered before any action, so no action can have it.
    let err = refused(&[binding("pause", 9, &["Ctrl-z"])]);
    assert_eq!(err.line, 9);
    assert!(
        err.reason.contains("goes back to the shell"),
        "{}",
        err.reason
    );
}

/// Issue 17: `quit = ["F24"]` with `cancel = ["F23"]` left q, Ctrl-c and Esc doing nothing.
#[test]
fn ctrl_c_always_cancels_quits_or_closes_whatever_the_keymap() {
    let keymap = Keymap::with_bindings(&[
        binding("quit", 1, &["F24"]),
        binding("cancel", 2, &["F23"]),
        binding("close", 3, &["F22"]),
        binding("clear", 4, &["F21"]),
        binding("submit", 5, &["F20"]),
    ])
    .unwrap();
    for context in contexts() {
        assert!(
            matches!(
                keymap.action(&context, ESCAPE_HATCH),
                None | Some(Action::CancelBatch | Action::Close)
            ),
            "Ctrl-c in {}",
            context.name
        );
    }
    // Whatever is bound, each context reads it as the way out.
    assert_eq!(keymap.read::<TableKey>(ESCAPE_HATCH), Press::Escape);
    assert_eq!(
        keymap.names(Action::CancelBatch),
        "F23 Ctrl-c",
        "the help says so"
    );
    assert_eq!(keymap.names(Action::Close), "F22 Ctrl-c");

    let err = refused(&[binding("mark", 6, &["Space", "Ctrl-c"])]);
    assert_eq!(err.line, 6);
    assert!(
        err.reason.contains("`Ctrl-c` always cancels or quits")
            && err.reason.contains("give `mark` another key"),
        "{}",
        err.reason
    );
}

/// Issue 17: `yes = ["d"]` with `grace_seconds = 0` made `d d` delete.
#[test]
fn a_key_that_asks_a_question_never_answers_yes_to_it() {
    for (action, key) in [("delete", "d"), ("forget", "x"), ("quit", "q")] {
        let err = refused(&[binding("yes", 4, &[key])]);
        assert_eq!(err.line, 4, "{action}");
        assert!(
            err.reason.contains(&format!(
                "`{key}` would be both `{action}` and `yes`: a key that asks a question"
            )),
            "{}",
            err.reason
        );
    }
    let err = refused(&[binding("yes", 2, &["Y"]), binding("delete", 9, &["Y"])]);
    assert_eq!(err.line, 9, "the later line");
    assert!(
        Keymap::with_bindings(&[binding("yes", 2, &["d"]), binding("delete", 3, &["D"])]).is_ok(),
        "moved apart, both work"
    );
}

#[test]
fn the_readme_lists_every_action_by_name() {
    let readme = include_str!("../../../README.md");
    let keys = readme
        .split("## Keys")
        .nth(1)
        .expect("a `## Keys` section in the README");
    for action in Action::ALL {
        let name = action.spec().name;
        assert!(
            keys.contains(&format!("`{name}`")),
            "the README's keys section does not list `{name}`"
        );
    }
}
