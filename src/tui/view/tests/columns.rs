//! Columns that earn their width (issue 21 B5): a column no row fills takes no space and its
//! width goes to the title and the label; the `columns` setting chooses and orders them; the
//! `columns` key hides the optional ones. At 80 and 120 columns.

use super::*;
use crate::store::VideoDetails;
use crate::tui::view::ColumnOrder;

/// Titled videos never sent, labelled, with these settings.
fn never_tried(settings: Settings, width: u16) -> App {
    const DAY: f64 = 86_400.0;
    let titles = [
        "B-roll of the harbour at dawn, long version",
        "Final cut, take 3",
        "Intro — première prise",
    ];
    let videos = titles.iter().enumerate().map(|(n, title)| {
        let label = Some("june shoot".into());
        let mut video = KnownVideo::new(id(n as u128), at(-2.0 * DAY), label);
        video.fill_details(&VideoDetails {
            title: Some((*title).into()),
            created_at: Some(at(-DAY * (40.0 + n as f64))),
            ..Default::default()
        });
        video
    });
    sized(App::new(videos, settings, at(0.0)), width, 24)
}

fn header(screen: &Terminal<TestBackend>) -> String {
    let shown = format!("{}", screen.backend());
    shown.lines().nth(1).unwrap_or_default().to_owned()
}

/// Issue 21 B5: at 120 columns the title was cut to 18 characters while an empty STATUS
/// and DETAIL took about 30. Before any delete they take nothing, and the titles show whole.
#[test]
fn before_any_delete_status_and_detail_take_no_space_120x24() {
    let screen = draw(&never_tried(Settings::default(), 120), 120, 24);
    let head = header(&screen);
    assert!(
        !head.contains("STATUS") && !head.contains("DETAIL"),
        "{head}"
    );
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("B-roll of the harbour at dawn, long version")
            && shown.contains("june shoot"),
        "{shown}"
    );
    insta::assert_snapshot!(screen.backend());
}

#[test]
fn before_any_delete_status_and_detail_take_no_space_80x24() {
    let screen = draw(&never_tried(Settings::default(), 80), 80, 24);
    insta::assert_snapshot!(screen.backend());
}

/// Once a row has an outcome, STATUS and DETAIL come back.
#[test]
fn an_outcome_brings_status_and_detail_back() {
    let head = header(&draw(&with_details(120, 24), 120, 24));
    assert!(head.contains("STATUS") && head.contains("DETAIL"), "{head}");
}

/// `columns = ["title", "id", "created"]` shows those, in that order.
#[test]
fn the_setting_chooses_and_orders_the_columns_120x24() {
    let names = [("title", 2), ("id", 3), ("created", 4)];
    let chosen: Vec<(String, usize)> = (names.iter())
        .map(|(name, line)| (name.to_string(), *line))
        .collect();
    let settings = Settings {
        columns: ColumnOrder::read(&chosen, 1).unwrap(),
        ..Settings::default()
    };
    let screen = draw(&never_tried(settings, 120), 120, 24);
    let head = header(&screen);
    let at = |name: &str| head.find(name).unwrap_or(usize::MAX);
    assert!(at("TITLE") < at("ID") && at("ID") < at("CREATED"), "{head}");
    assert!(!head.contains("LABEL") && !head.contains("ADDED"), "{head}");
    insta::assert_snapshot!(screen.backend());
}

/// The `columns` key hides the optional columns and says which; again shows them.
#[test]
fn the_columns_key_hides_the_optional_columns_and_shows_them_again_80x24() {
    let mut a = with_details(80, 24);
    let head = header(&draw(&a, 80, 24));
    assert!(
        head.contains("CREATED") && head.contains("DETAIL"),
        "{head}"
    );
    send(&mut a, [ch('c')]);
    let screen = draw(&a, 80, 24);
    let head = header(&screen);
    assert!(
        !head.contains("CREATED") && !head.contains("DETAIL"),
        "{head}"
    );
    assert!(head.contains("LABEL") && head.contains("STATUS"), "{head}");
    let shown = format!("{}", screen.backend());
    assert!(
        shown.contains("Optional columns hidden (created, added, size, detail): c shows them."),
        "{shown}"
    );
    insta::assert_snapshot!(screen.backend());
    send(&mut a, [ch('c')]);
    let head = header(&draw(&a, 80, 24));
    assert!(
        head.contains("CREATED") && head.contains("DETAIL"),
        "{head}"
    );
}

/// A video queued this session brings STATUS and DETAIL, as an outcome does; a label added
/// this session brings LABEL.
#[test]
fn a_batch_brings_status_and_an_added_label_brings_label() {
    let videos = (0..2).map(|n| KnownVideo::new(id(n), at(-60.0), None));
    let mut a = sized(App::new(videos, Settings::default(), at(0.0)), 80, 24);
    let head = header(&draw(&a, 80, 24));
    assert!(
        !head.contains("LABEL") && !head.contains("STATUS"),
        "{head}"
    );
    a.add(vec![id(7)], Some("june".into()));
    let head = header(&draw(&a, 80, 24));
    assert!(head.contains("LABEL") && !head.contains("STATUS"), "{head}");
    send(&mut a, [Msg::Engine(Event::Queued { ids: vec![id(0)] })]);
    let head = header(&draw(&a, 80, 24));
    assert!(head.contains("STATUS") && head.contains("DETAIL"), "{head}");
}
