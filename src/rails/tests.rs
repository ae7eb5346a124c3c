//! The gate's promises, without the app or a server: protected IDs and matching rules are
//! left out and said where, read-only refuses even an empty batch, the limit counts what
//! would be sent after protection, a name-confirmed batch takes only that name, and bad rules
//! are refused in words.

use std::sync::Arc;

use super::*;
use crate::api::{Outcome, OutcomeKind};
use crate::store::{LastOutcome, VideoDetails};

const DAY: i64 = 24 * 60 * 60;

fn now() -> Timestamp {
    Timestamp::from_second(1_000 * DAY).unwrap()
}

fn id(n: u128) -> VideoId {
    VideoId::from_uuid(uuid::Uuid::from_u128(n))
}

fn video(n: u128, label: &str) -> KnownVideo {
    KnownVideo::new(
        id(n),
        Timestamp::from_second(990 * DAY).unwrap(),
        Some(Arc::from(label)),
    )
}

fn rails(rules: &[&str], listed: &[u128]) -> Rails {
    Rails::new(
        Settings {
            profile: Some("production".into()),
            rules: rules
                .iter()
                .map(|rule| ProtectRule::parse(rule).unwrap())
                .collect(),
            ..Settings::default()
        },
        listed.iter().map(|&n| id(n)).collect(),
    )
}

#[test]
fn listed_ids_and_matching_rules_are_left_out_and_said_where() {
    let videos = [video(1, "keep me"), video(2, "drafts"), video(3, "final")];
    let rails = rails(&["label:keep", "label:final"], &[2, 9]);
    let asked = [id(1), id(2), id(3), id(4), id(9)];
    let checked = rails
        .check(
            asked.to_vec(),
            |id| videos.iter().find(|v| v.id == id).map(Subject::of),
            now(),
        )
        .unwrap();
    assert_eq!(checked.ids(), [id(4)]);
    assert_eq!(checked.protected(), [0, 1, 2, 4]);
    assert_eq!(
        checked.reasons(),
        [
            Protection::Rule(0),
            Protection::Listed,
            Protection::Rule(1),
            Protection::Listed
        ]
    );
    let mut pass = rails.pass(now());
    assert_eq!(
        pass.protects(&Subject::of(&videos[0])),
        Some(Protection::Rule(0))
    );
    assert_eq!(
        pass.protects(&Subject::of(&videos[1])),
        Some(Protection::Listed)
    );
    assert_eq!(rails.reason(Protection::Rule(1)), "protected: label:final");
}

#[test]
fn a_rule_reading_the_status_sees_the_last_outcome_and_an_unknown_id_has_none() {
    let mut refused = video(1, "x");
    refused.last = Some(Box::new(LastOutcome {
        outcome: Outcome::unsent(OutcomeKind::Forbidden),
        at: now(),
    }));
    let rails = rails(&["status:forbidden", "-label:x"], &[]);
    let mut pass = rails.pass(now());
    assert_eq!(
        pass.protects(&Subject::of(&refused)),
        Some(Protection::Rule(0))
    );
    // Known only by its ID: no label, so `-label:x` protects it (a rule errs on the safe side).
    assert_eq!(
        pass.protects(&bare_subject(id(2), now())),
        Some(Protection::Rule(1))
    );
}

#[test]
fn read_only_refuses_every_batch_even_an_empty_one() {
    let rails = Rails::new(
        Settings {
            read_only: true,
            ..Settings::default()
        },
        IdSet::default(),
    );
    for asked in [vec![], vec![id(1)]] {
        assert_eq!(
            rails.check(asked.clone(), |_| None, now()),
            Err(Refusal::ReadOnly { profile: None })
        );
    }
}

#[test]
fn the_limit_counts_what_would_be_sent_after_protection() {
    let mut rails = rails(&[], &[1]);
    rails.settings.max_delete = Some(2);
    assert!(
        rails
            .check(vec![id(1), id(2), id(3)], |_| None, now())
            .is_ok()
    );
    let refused = rails.check(vec![id(2), id(3), id(4)], |_| None, now());
    assert_eq!(
        refused,
        Err(Refusal::OverLimit {
            profile: Some("production".into()),
            count: 3,
            max: 2
        })
    );
    let words = refused.unwrap_err().to_string();
    assert!(
        words.contains("limit of 2") && words.contains("production"),
        "{words}"
    );
}

/// Issue 21 B3: a dry run shows what a refused batch holds (protected left out as the gate
/// would) and why the real run would be refused; `check` refuses the same batch.
#[test]
fn a_preview_shows_the_batch_the_gate_refuses_and_why() {
    let mut rails = rails(&[], &[1]);
    rails.settings.max_delete = Some(1);
    let asked = vec![id(1), id(2), id(3)];
    let preview = rails.preview(asked.clone(), |_| None, now());
    assert_eq!(preview.ids(), [id(2), id(3)]);
    assert_eq!(preview.protected(), [0]);
    assert_eq!(preview.reasons(), [Protection::Listed]);
    let over = Refusal::OverLimit {
        profile: Some("production".into()),
        count: 2,
        max: 1,
    };
    assert_eq!(preview.refusal(), Some(&over));
    assert_eq!(rails.check(asked.clone(), |_| None, now()), Err(over));
    rails.settings.read_only = true;
    let preview = rails.preview(asked.clone(), |_| None, now());
    assert_eq!(preview.ids(), [id(2), id(3)], "the same batch");
    assert_eq!(
        preview.refusal(),
        Some(&Refusal::ReadOnly {
            profile: Some("production".into())
        }),
        "read-only first"
    );
    rails.settings = Settings::default();
    assert_eq!(rails.preview(asked, |_| None, now()).refusal(), None);
}

#[test]
fn a_profile_that_asks_for_its_name_takes_only_that_name() {
    let mut rails = rails(&[], &[]);
    rails.settings.confirm_by_name = true;
    let checked = rails.check(vec![id(1)], |_| None, now()).unwrap();
    assert_eq!(checked.name_to_type(), Some("production"));
    let checked = checked.confirm(None).unwrap_err();
    let checked = checked.confirm(Some("Production")).unwrap_err();
    let checked = checked.confirm(Some("staging")).unwrap_err();
    assert_eq!(checked.confirm(Some("production")).unwrap().ids(), [id(1)]);
    rails.settings.profile = None;
    assert_eq!(rails.name_to_type(), Some(DEFAULT_PROFILE));
    rails.settings.confirm_by_name = false;
    let checked = rails.check(vec![id(1)], |_| None, now()).unwrap();
    assert!(checked.confirm(None).is_ok());
}

#[test]
fn protecting_and_unprotecting_count_what_changed_and_rules_stay() {
    let mut rails = rails(&["label:keep"], &[]);
    assert_eq!(rails.protect([id(1), id(2), id(1)]), 2);
    assert_eq!(rails.unprotect([id(2), id(3)]), 1);
    assert!(rails.listed().contains(&id(1)) && !rails.listed().contains(&id(2)));
    let keep = video(3, "keep");
    assert_eq!(
        rails.pass(now()).protects(&Subject::of(&keep)),
        Some(Protection::Rule(0))
    );
}

#[test]
fn empty_or_bad_rules_are_refused_in_words() {
    assert!(ProtectRule::parse("").unwrap_err().contains("every video"));
    assert!(ProtectRule::parse("label:").unwrap_err().contains("label"));
    assert_eq!(
        ProtectRule::parse("title:final").unwrap().text(),
        "title:final"
    );
}

#[test]
fn rules_read_a_title_and_a_creation_time() {
    let rails = rails(&["title:final", "age<30d"], &[]);
    let made = |n: u128, title: &str, days_old: i64| {
        let mut video = video(n, "x");
        video.fill_details(&VideoDetails {
            title: Some(title.into()),
            created_at: Some(Timestamp::from_second((1_000 - days_old) * DAY).unwrap()),
            ..Default::default()
        });
        video
    };
    let videos = [
        made(1, "The Final Cut", 400),
        made(2, "draft", 400),
        made(3, "draft", 2),
    ];
    let checked = rails
        .check(
            videos.iter().map(|video| video.id).collect(),
            |id| videos.iter().find(|v| v.id == id).map(Subject::of),
            now(),
        )
        .unwrap();
    assert_eq!(checked.ids(), [id(2)]);
    assert_eq!(checked.protected(), [0, 2]);
}
