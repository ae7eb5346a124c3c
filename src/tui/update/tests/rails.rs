//! The profile's rails in the app: marking skips protected rows and says how many, the
//! protect key, the confirmation leaving protected rows out, read-only, the delete limit,
//! confirming by name; and the property that no `Enqueue` ever holds a protected ID.

use proptest::prelude::*;

use super::*;
use crate::rails::{ProtectRule, Rails, Settings as RailSettings};

/// `n` videos ("clip 0".."clip n-1", added an hour before `at(0)`), no grace, with these
/// rails and these IDs protected.
fn railed(n: u128, rails: RailSettings, listed: &[u128]) -> App {
    app_with(
        n,
        Settings {
            rails: Rails::new(rails, listed.iter().map(|&i| id(i)).collect()),
            ..no_grace()
        },
    )
}

/// The rails of the profile `name`, nothing else set.
fn profile(name: &str) -> RailSettings {
    RailSettings {
        profile: Some(name.into()),
        ..RailSettings::default()
    }
}

fn rules(rules: &[&str]) -> RailSettings {
    RailSettings {
        rules: rules
            .iter()
            .map(|r| ProtectRule::parse(r).unwrap())
            .collect(),
        ..RailSettings::default()
    }
}

#[test]
fn marking_skips_protected_rows_and_says_how_many() {
    let mut a = railed(5, rules(&["label:\"clip 3\""]), &[1]);
    send(&mut a, [ctrl('a')]);
    assert_eq!(marked(&a), [id(0), id(2), id(4)]);
    assert!(
        a.notice().unwrap().contains("Skipped 2 protected"),
        "{:?}",
        a.notice()
    );
    send(&mut a, [press(KeyCode::Esc), ch('j'), ch(' ')]);
    assert!(marked(&a).is_empty(), "the protected row under the cursor");
    assert!(a.notice().unwrap().contains("protected by ID"));
    send(&mut a, [ch('i')]);
    assert_eq!(marked(&a), [id(0), id(2), id(4)]);
}

#[test]
fn the_protect_key_protects_marked_rows_then_unprotects_the_current_one() {
    let mut a = railed(4, RailSettings::default(), &[]);
    let effects = send(&mut a, [ch(' '), ch(' '), ch('p')]);
    assert_eq!(
        effects,
        vec![Effect::Edit(Edit::Protect(vec![id(0), id(1)]))]
    );
    assert!(marked(&a).is_empty(), "protected rows leave the marks");
    assert!(a.notice().unwrap().starts_with("Protected 2"));
    send(&mut a, [press(KeyCode::Home)]);
    assert_eq!(
        send(&mut a, [ch('p')]),
        vec![Effect::Edit(Edit::Unprotect(vec![id(0)]))]
    );
    assert_eq!(a.notice(), Some("Unprotected 1 video(s)."));
}

#[test]
fn a_rule_still_protects_what_the_key_unprotects() {
    let mut a = railed(2, rules(&["label:clip"]), &[0]);
    send(&mut a, [ch('p')]);
    assert!(
        a.notice()
            .unwrap()
            .contains("1 stay protected by a protect rule"),
        "{:?}",
        a.notice()
    );
    assert_eq!(send(&mut a, [ch('d')]), vec![]);
    assert!(a.notice().unwrap().contains("are protected"));
}

#[test]
fn the_confirmation_leaves_out_marked_rows_protected_since_and_says_how_many() {
    // Added an hour before `at(0)`: the rule protects them once two hours have passed.
    let mut a = railed(2, rules(&["added>2h"]), &[]);
    send(&mut a, [ch(' '), ch(' '), Msg::Tick(at(7_200.0))]);
    a.add(vec![id(2), id(3)], None);
    send(&mut a, [ch('j'), ch(' '), ch(' '), ch('d')]);
    let Modal::Confirm(confirm) = a.modal() else {
        panic!("{:?}", a.modal())
    };
    assert_eq!(confirm.protected(), 2);
    assert_eq!(confirm.ids(), [id(2), id(3)]);
    let effects = send(&mut a, [ch('y')]);
    assert_eq!(enqueued(&effects), vec![vec![id(2), id(3)]]);
}

#[test]
fn a_read_only_profile_sends_nothing_and_says_so() {
    let read_only = RailSettings {
        read_only: true,
        ..profile("production")
    };
    // Nothing to mark yet: `d` still says why nothing would be sent.
    let mut empty = railed(0, read_only.clone(), &[]);
    send(&mut empty, [ch('d')]);
    assert_eq!(
        empty.notice(),
        Some("profile production is read-only: nothing is deleted.")
    );
    let mut a = railed(3, read_only, &[]);
    let mut effects = send(&mut a, [ctrl('a'), ch('d')]);
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(
        a.notice(),
        Some("profile production is read-only: nothing is deleted.")
    );
    effects.extend(send(
        &mut a,
        [ch('y'), press(KeyCode::Enter), Msg::Tick(at(10.0))],
    ));
    assert!(enqueued(&effects).is_empty(), "{effects:?}");
    // Marking, copying and exporting are not deleting.
    send(&mut a, [press(KeyCode::Esc)]);
    assert_eq!(*a.modal(), Modal::None, "Enter showed the details");
    assert_eq!(marked(&a).len(), 3);
    send(&mut a, [ch('e')]);
    assert!(matches!(a.modal(), Modal::Export(_)), "{:?}", a.modal());
}

#[test]
fn a_batch_over_the_limit_is_refused_with_nothing_to_confirm() {
    let mut a = railed(
        5,
        RailSettings {
            max_delete: Some(2),
            ..RailSettings::default()
        },
        &[],
    );
    send(&mut a, [ctrl('a'), ch('d')]);
    assert!(matches!(a.modal(), Modal::Refused(_)), "{:?}", a.modal());
    let effects = send(&mut a, typed("5"));
    assert_eq!(effects, vec![]);
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(effects, vec![]);
    assert_eq!(*a.modal(), Modal::None);
    assert_eq!(a.notice(), Some("Nothing was sent."));
    // Two, within the limit, go through.
    send(&mut a, [press(KeyCode::Esc), ch(' '), ch(' '), ch('d')]);
    assert!(matches!(a.modal(), Modal::Confirm(_)));
}

#[test]
fn a_profile_confirmed_by_name_sends_only_on_its_exact_name() {
    let mut a = railed(
        2,
        RailSettings {
            confirm_by_name: true,
            ..profile("prod")
        },
        &[],
    );
    send(&mut a, [ch('d')]);
    // y and n are letters of a name here, not answers.
    let mut effects = send(&mut a, typed("yn"));
    effects.extend(send(&mut a, [press(KeyCode::Enter)]));
    assert_eq!(effects, vec![]);
    assert!(matches!(a.modal(), Modal::Confirm(_)));
    send(&mut a, [ctrl('u')]);
    send(&mut a, typed("Prod"));
    assert_eq!(send(&mut a, [press(KeyCode::Enter)]), vec![]);
    send(&mut a, [ctrl('u')]);
    send(&mut a, typed("prod"));
    let effects = send(&mut a, [press(KeyCode::Enter)]);
    assert_eq!(enqueued(&effects), vec![vec![id(0)]]);
}

#[test]
fn esc_on_a_name_confirmation_sends_nothing() {
    let mut a = railed(
        1,
        RailSettings {
            confirm_by_name: true,
            ..RailSettings::default()
        },
        &[],
    );
    send(&mut a, [ch('d')]);
    send(&mut a, typed("default"));
    assert_eq!(send(&mut a, [press(KeyCode::Esc)]), vec![]);
    assert_eq!(*a.modal(), Modal::None);
}

proptest! {
    #[test]
    fn no_enqueue_ever_holds_a_protected_id(
        msgs in prop::collection::vec(
            prop_oneof![8 => safety::any_msg(), 2 => Just(ch('p'))],
            1..120,
        ),
        listed in prop::collection::vec(0u128..12, 0..4),
    ) {
        // Rows 3 and 7 by a rule; `listed` by ID; the rest up to the keys.
        let mut a = railed(12, rules(&["label:\"clip 3\"", "label:\"clip 7\""]), &listed);
        for msg in msgs {
            let effects = update(&mut a, msg);
            for ids in enqueued(&effects) {
                for sent in ids {
                    let row = a.row_of(&sent).unwrap();
                    prop_assert!(
                        a.protection(row).is_none(),
                        "{} was protected and sent", sent
                    );
                    prop_assert!(sent != id(3) && sent != id(7));
                }
            }
        }
    }
}

#[test]
fn protecting_in_the_marked_only_view_takes_the_rows_out_of_it() {
    let mut a = railed(4, RailSettings::default(), &[]);
    send(&mut a, [ch(' '), ch(' '), ch(' '), ch('M')]);
    assert_eq!(a.visible().len(), 3, "the marked rows only");
    send(&mut a, [press(KeyCode::Home), ch('p')]);
    assert!(a.notice().unwrap().starts_with("Protected 3"));
    assert!(marked(&a).is_empty());
    assert!(a.visible().is_empty(), "nothing marked is left to show");
    assert_eq!(a.cursor(), None);
}
