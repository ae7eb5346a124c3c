use super::*;

fn named(names: &[&str]) -> Vec<&'static Column> {
    names
        .iter()
        .map(|name| COLUMNS.iter().find(|column| column.name == *name).unwrap())
        .collect()
}

fn names(plan: &Plan) -> Vec<&'static str> {
    plan.columns.iter().map(|column| column.name).collect()
}

const EVERY: &[&str] = &[
    "id", "label", "title", "created", "added", "status", "detail",
];

#[test]
fn columns_give_way_as_the_terminal_narrows_and_never_overflow() {
    let every = named(EVERY);
    let wide = Plan::new(&every, 140);
    assert_eq!(names(&wide), EVERY);
    assert_eq!(wide.id_width, FULL_ID);
    // The added column goes first, then the label, then the ID is shortened (and they come
    // back), then the creation time, the title and the detail go.
    let at90 = Plan::new(&every, 90);
    assert_eq!(names(&at90), ["id", "title", "created", "status", "detail"]);
    assert_eq!(at90.id_width, FULL_ID);
    let at60 = Plan::new(&every, 60);
    assert_eq!(names(&at60), ["id", "title", "created", "status", "detail"]);
    assert_eq!(at60.id_width, SHORT_ID);
    let at40 = Plan::new(&every, 40);
    assert_eq!(names(&at40), ["id", "status", "detail"]);
    for width in 25..=200 {
        let plan = Plan::new(&every, width);
        assert!(plan.min_width() <= width, "{width}");
    }
}

/// Issue 21 B5: at 120 columns the label was cut to 9 characters and the title to 18 while
/// an empty STATUS and DETAIL took about 30. Columns no row fills are not planned, and the
/// width goes to the rest.
#[test]
fn with_no_outcome_yet_the_width_goes_to_label_and_title() {
    let before_any_batch = named(&["id", "label", "title", "created", "added"]);
    let plan = Plan::new(&before_any_batch, 120);
    assert_eq!(names(&plan), ["id", "label", "title", "created", "added"]);
    assert_eq!(plan.id_width, FULL_ID);
    let fixed = 1 + 1 + FULL_ID + 1 + 9 + 1 + 10 + 1 + 1;
    assert!(120 - fixed >= 55, "label and title share the rest");
}

#[test]
fn the_sorted_column_is_marked_in_the_header() {
    let plan = Plan::new(&named(EVERY), 140);
    let order = |key, descending| SortOrder { key, descending };
    let header = plan.header(order(SortKey::Title, true));
    assert!(header.contains(&"TITLE ▼".to_owned()), "{header:?}");
    let header = plan.header(SortOrder::default());
    assert!(
        header.iter().all(|name| !name.contains('▲')),
        "list order is no sort"
    );
    let header = plan.header(order(SortKey::Added, true));
    assert!(header.contains(&"ADDED ▼".to_owned()), "{header:?}");
}

#[test]
fn the_setting_chooses_and_orders_and_refuses_what_it_cannot_show() {
    let list = |names: &[&str]| -> Vec<(String, usize)> {
        (names.iter().enumerate())
            .map(|(at, name)| (name.to_string(), at + 2))
            .collect()
    };
    let order = ColumnOrder::read(&list(&["title", "id", "status"]), 1).unwrap();
    let chosen: Vec<&str> = order.columns().map(|column| column.name).collect();
    assert_eq!(chosen, ["title", "id", "status"]);
    assert!(order.optional().is_empty());
    assert_eq!(
        ColumnOrder::default().optional(),
        ["created", "added", "size", "detail"]
    );
    let err = ColumnOrder::read(&list(&["id", "titel"]), 1).unwrap_err();
    assert_eq!(err.line, 3);
    assert_eq!(
        err.reason,
        "`titel` is not a column (the columns: id, label, title, created, added, size, state, \
         status, detail)"
    );
    let err = ColumnOrder::read(&list(&["id", "title", "title"]), 1).unwrap_err();
    assert_eq!(
        (err.line, err.reason.as_str()),
        (4, "`title` is named twice")
    );
    let err = ColumnOrder::read(&list(&["title"]), 7).unwrap_err();
    assert_eq!(err.line, 7);
    assert!(err.reason.contains("leaves out `id`"), "{}", err.reason);
}

#[test]
fn the_sort_key_takes_the_chosen_columns_in_their_order_after_list_order() {
    let cycle = |order: &ColumnOrder| {
        let mut key = SortKey::Added;
        let mut seen = Vec::new();
        for _ in 0..8 {
            key = order.next_sort(key, |column| column.name != "size");
            seen.push(key);
        }
        seen
    };
    use SortKey::{Added, Created, Id, Label, State, Status, Title};
    let every = cycle(&ColumnOrder::default());
    assert_eq!(
        every,
        [Id, Label, Title, Created, State, Status, Added, Id],
        "size: no row fills it"
    );
    let list = |names: &[&str]| -> Vec<(String, usize)> {
        names.iter().map(|name| (name.to_string(), 1)).collect()
    };
    let chosen = ColumnOrder::read(&list(&["title", "id", "detail"]), 1).unwrap();
    assert_eq!(cycle(&chosen)[..4], [Title, Id, Added, Title]);
    assert_eq!(
        chosen.next_sort(Status, |_| true),
        Title,
        "a column no longer chosen starts again"
    );
}
