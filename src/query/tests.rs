use std::sync::Arc;

use super::*;

const ID: &str = "550e8400-e29b-41d4-a716-446655440000";
const DAY: i64 = 24 * 60 * 60;

fn now() -> Timestamp {
    Timestamp::from_second(1_000 * DAY).unwrap()
}

fn days_ago(days: i64) -> Timestamp {
    Timestamp::from_second(1_000 * DAY - days * DAY).unwrap()
}

/// A video made 40 days ago, added 10 days ago, labelled "June import", titled "Final Cut v2",
/// whose last delete was refused (forbidden).
fn video() -> Subject<'static> {
    Subject {
        id: ID.parse().unwrap(),
        label: Some("June import"),
        title: Some("Final Cut v2"),
        status: Some(OutcomeKind::Forbidden),
        created_at: Some(days_ago(40)),
        added_at: days_ago(10),
        generation: GenerationFacts::default(),
    }
}

fn matches(query: &str, subject: &Subject<'_>) -> bool {
    Query::parse(query)
        .unwrap_or_else(|err| panic!("{query:?}: {err}"))
        .matches(subject, now())
}

#[test]
fn plain_words_match_id_label_or_title_ignoring_case() {
    for query in [
        "",
        "june",
        "IMPORT",
        "final",
        "cut v",
        "550e84",
        "a716-4466",
        "june final",
    ] {
        assert!(matches(query, &video()), "{query}");
    }
    for query in ["july", "june july", "forbidden", "zz", "84-"] {
        assert!(!matches(query, &video()), "{query}");
    }
    assert!(matches(r#""final cut""#, &video()));
    assert!(!matches(r#""cut final""#, &video()));
}

#[test]
fn fields_test_one_thing_each() {
    let yes = [
        "label:june",
        "title:final",
        r#"title:"final cut""#,
        "id:550e8400",
        "id:550e8400e29b",
        "ID:550E",
        "status:forbidden",
        "status:forb",
        "Status:f",
        "age>30d",
        "age>=40d",
        "age<41d",
        "age<=40d",
        "added<11d",
        "added>1w",
        "age>1mo",
    ];
    for query in yes {
        assert!(matches(query, &video()), "{query}");
    }
    let no = [
        "label:final",
        "title:june",
        "id:e29b",
        "status:failed",
        "status:none",
        "age>40d",
        "age<30d",
        "added>11d",
        "age>1y",
    ];
    for query in no {
        assert!(!matches(query, &video()), "{query}");
    }
}

#[test]
fn a_leading_dash_negates_and_terms_are_anded() {
    assert!(matches("-status:failed", &video()));
    assert!(!matches("-status:forbidden", &video()));
    assert!(matches("age>30d -status:failed june", &video()));
    assert!(!matches("age>30d -status:forbidden", &video()));
    assert!(!matches("-june", &video()));
    assert!(matches(r#"-"june final""#, &video()));
    // Syntax inside quotes is text.
    assert!(!matches(r#""status:forbidden""#, &video()));
}

#[test]
fn status_none_is_never_sent_and_dashes_stand_for_underscores() {
    let never_sent = Subject {
        status: None,
        ..video()
    };
    assert!(matches("status:none", &never_sent));
    assert!(!matches("status:none", &video()));
    let gone = Subject {
        status: Some(OutcomeKind::NotFound),
        ..video()
    };
    assert!(matches("status:not-found", &gone));
    assert!(matches("status:not_found", &gone));
    assert!(matches("status:n", &gone), "n: not_found or none");
    assert!(matches("status:n", &never_sent));
}

#[test]
fn age_falls_back_to_when_it_was_added() {
    let no_creation_time = Subject {
        created_at: None,
        ..video()
    };
    assert!(matches("age<11d", &no_creation_time));
    assert!(!matches("age>30d", &no_creation_time));
}

#[test]
fn missing_label_or_title_matches_no_text_about_them() {
    let bare = Subject {
        label: None,
        title: None,
        ..video()
    };
    assert!(!matches("june", &bare));
    assert!(!matches("label:june", &bare));
    assert!(matches("-title:final", &bare));
    assert!(matches("550e", &bare));
}

#[test]
fn bad_queries_say_what_and_where() {
    let cases = [
        ("status:xyz", "no status starts with", 0..10),
        ("ok stauts:failed", "unknown field \"stauts\"", 3..16),
        ("label:", "needs something after the colon", 0..6),
        ("age:30d", "compares with > or <", 0..7),
        ("age>30x", "unknown unit", 0..7),
        ("age>d", "not an age", 0..5),
        ("status>2", "takes \":\"", 0..8),
        ("id:xyz", "only hex digits", 0..6),
        ("a -", "nothing follows", 2..3),
        ("--june", "more than one \"-\"", 0..2),
        ("x -----x", "more than one \"-\"", 2..7),
        ("---status:failed", "more than one \"-\"", 0..3),
        (r#"title:"final"#, "never closed", 6..12),
    ];
    for (query, want, span) in cases {
        let err = Query::parse(query).unwrap_err();
        assert!(err.to_string().contains(want), "{query}: {err}");
        assert_eq!(err.span(), span, "{query}");
    }
    let long = "a ".repeat(MAX_TERMS + 1);
    assert!(Query::parse(&long).is_err());
    assert!(Query::parse(&"a ".repeat(MAX_TERMS)).is_ok());
}

#[test]
fn text_with_a_colon_or_a_dash_is_found_when_quoted() {
    let subject = Subject {
        label: Some("v2:final -draft"),
        ..video()
    };
    assert!(matches(r#""v2:final""#, &subject));
    assert!(matches(r#""-draft""#, &subject));
    assert!(
        !matches(r#"-"-draft""#, &subject),
        "one dash negates quoted text"
    );
    assert!(matches(r#"label:"v2:final""#, &subject));
}

#[test]
fn a_shared_label_is_tested_once_per_run_and_never_reused_for_other_text() {
    let query = Query::parse("june -label:july").unwrap();
    let june: Arc<str> = "june import".into();
    let july: Arc<str> = "july".into();
    let labels = [&june, &june, &july, &june];
    let mut matcher = query.matcher(now());
    let got: Vec<bool> = labels
        .iter()
        .map(|label| {
            matcher.matches(&Subject {
                label: Some(label),
                title: None,
                ..video()
            })
        })
        .collect();
    assert_eq!(got, [true, true, false, true]);
}

#[test]
fn a_query_narrows_another_only_when_typing_on_cannot_pick_more() {
    let narrows = |narrow: &str, wide: &str| {
        Query::parse(narrow)
            .unwrap()
            .narrows(&Query::parse(wide).unwrap())
    };
    for (narrow, wide) in [
        ("ju", ""),
        ("jun", "ju"),
        ("june x", "june"),
        ("june x", "june "),
        ("label:june", "label:jun"),
        ("title:\"final c\"", "title:final"),
        ("id:550e-84", "id:550e8"),
        ("status:fa", "status:f"),
        ("-status:forbidden a", "-status:forbidden"),
        ("age>30d june", "age>30d"),
    ] {
        assert!(narrows(narrow, wide), "{narrow:?} narrows {wide:?}");
    }
    for (narrow, wide) in [
        ("-jun", "-ju"),
        ("-status:fa", "-status:f"),
        ("age>30d", "age>3d"),
        ("title:x", "label:x"),
        ("june", "june x"),
        ("status:f", "status:fa"),
        ("x june", "june"),
    ] {
        assert!(
            !narrows(narrow, wide),
            "{narrow:?} does not narrow {wide:?}"
        );
    }
}

#[test]
fn a_subject_with_only_the_fields_a_query_reads_matches_as_the_whole_one() {
    use crate::store::{KnownVideo, LastOutcome, VideoDetails};
    let mut video = KnownVideo::new(
        ID.parse().unwrap(),
        days_ago(10),
        Some("June import".into()),
    );
    video.fill_details(&VideoDetails {
        title: Some("Final Cut v2".into()),
        created_at: Some(days_ago(40)),
        ..Default::default()
    });
    video.last = Some(Box::new(LastOutcome {
        outcome: crate::api::Outcome::unsent(OutcomeKind::Forbidden),
        at: days_ago(1),
    }));
    for text in [
        "june",
        "final",
        "label:june",
        "title:cut",
        "status:forbidden",
        "-status:failed",
        "age>30d",
        "added<11d",
        "id:550e",
        "550e",
        "age>30d -status:forbidden june",
    ] {
        let query = Query::parse(text).unwrap();
        let whole = query.matches(&Subject::of(&video), now());
        let read = query.matches(&Subject::reading(&video, query.reads()), now());
        assert_eq!(read, whole, "{text}");
    }
    assert_eq!(
        Query::parse("id:5 added>1d").unwrap().reads(),
        Reads {
            label: false,
            title: false,
            status: false,
            created_at: false,
        }
    );
}

#[test]
fn generation_terms_and_prompt_go_through_the_query_language() {
    let synced = Subject {
        generation: GenerationFacts {
            state: Some(crate::api::GenerationState::Failed),
            file_size: Some(150_000_000),
            duration: Some(std::time::Duration::from_millis(4_500)),
            listed: crate::store::LastSync::NotListed,
        },
        ..video()
    };
    for (query, picked, unsynced_picked) in [
        ("state:failed size>100MB duration<5s", true, false),
        ("listed:no prompt:\"final cut\"", true, false),
        ("-state:failed", false, true),
        ("state:completed", false, false),
        ("size<100MB", false, false),
        ("state:unknown -listed:no", false, true),
    ] {
        assert_eq!(matches(query, &synced), picked, "{query}");
        assert_eq!(
            matches(query, &video()),
            unsynced_picked,
            "{query}: nothing synced"
        );
    }
    let error = Query::parse("stae:failed").unwrap_err();
    assert!(error.to_string().contains("state, listed"), "{error}");
}

/// Issue 21 B6: `history 'title:fox outcome:deleted'`.
#[test]
fn a_history_query_tests_the_entrys_id_title_and_outcome() {
    let outcome = crate::api::Outcome::unsent(OutcomeKind::Deleted);
    let mut entry = HistoryEntry::new(days_ago(1), ID.parse().unwrap(), &outcome, None);
    entry.title = Some("A fox in the snow".into());
    let untitled = HistoryEntry {
        title: None,
        ..entry.clone()
    };
    let picks = |query: &str, entry: &HistoryEntry| {
        Query::parse_in(query, Scope::History)
            .unwrap_or_else(|err| panic!("{query:?}: {err}"))
            .matches(&Subject::of_entry(entry), now())
    };
    for query in [
        "",
        "title:fox outcome:deleted",
        "FOX",
        "550e84",
        "id:550e",
        "status:del",
        "-outcome:forbidden",
        "prompt:snow",
    ] {
        assert!(picks(query, &entry), "{query}");
    }
    for query in ["title:hen", "outcome:forbidden", "-fox", "status:none"] {
        assert!(!picks(query, &entry), "{query}");
    }
    assert!(
        !picks("title:fox", &untitled),
        "no title recorded: no match"
    );
    assert!(picks("-title:fox", &untitled));
}

#[test]
fn a_history_query_refuses_fields_the_history_does_not_keep() {
    let cases = [
        ("fox label:june", "keeps no labels", 4..14),
        ("age>30d", "--since", 0..7),
        ("-added<2h", "--since", 0..9),
        ("x state:failed", "no generation state", 2..14),
        ("listed:no", "no generation state", 0..9),
        ("size>1GB", "no generation state", 0..8),
        ("outcome:xyz", "no status starts with", 0..11),
    ];
    for (query, want, span) in cases {
        let err = Query::parse_in(query, Scope::History).unwrap_err();
        assert!(err.to_string().contains(want), "{query}: {err}");
        assert_eq!(err.span(), span, "{query}");
        if !query.starts_with("outcome") {
            assert!(Query::parse(query).is_ok(), "the list has it: {query}");
        }
    }
}

#[test]
fn outcome_is_another_name_for_status() {
    assert!(matches("outcome:forb", &video()));
    assert!(!matches("-outcome:forbidden", &video()));
    assert_eq!(
        Query::parse("outcome:failed").unwrap(),
        Query::parse("status:failed").unwrap()
    );
}
