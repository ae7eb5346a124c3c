use super::*;

#[test]
fn controls_bidi_and_invisible_characters_show_as_escapes() {
    let cases = [
        ("\u{1b}]0;pwned\u{7}", "\\x1b]0;pwned\\x07"),
        ("\u{1b}[2J", "\\x1b[2J"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\u{0}\u{7f}", "\\x00\\x7f"),
        ("\u{9b}31m", "\\u{9b}31m"),
        ("abc\u{202e}txt.exe", "abc\\u{202e}txt.exe"),
        (
            "\u{2066}x\u{2069}\u{200e}\u{200f}\u{61c}",
            "\\u{2066}x\\u{2069}\\u{200e}\\u{200f}\\u{61c}",
        ),
        (
            "a\u{200b}b\u{200c}c\u{200d}d",
            "a\\u{200b}b\\u{200c}c\\u{200d}d",
        ),
        (
            "\u{feff}\u{2060}\u{ad}\u{3164}",
            "\\u{feff}\\u{2060}\\u{ad}\\u{3164}",
        ),
        ("tag\u{e0041}", "tag\\u{e0041}"),
        ("line\u{2028}sep", "line\\u{2028}sep"),
    ];
    for (text, shown) in cases {
        assert_eq!(printable(text), shown, "{text:?}");
        assert!(!printable(text).chars().any(is_hidden), "{text:?}");
    }
}

#[test]
fn ordinary_text_is_borrowed_as_it_is() {
    for text in [
        "",
        "plain",
        "Première prise · 日本語 🎬",
        "a \\x1b b",
        "550e8400-e29b",
    ] {
        assert!(
            matches!(printable(text), Cow::Borrowed(t) if t == text),
            "{text:?}"
        );
    }
}

#[test]
fn titles_that_differ_only_by_invisible_characters_look_different() {
    let plain = "invoice";
    for hidden in [
        '\u{200b}', '\u{200d}', '\u{feff}', '\u{202e}', '\u{fe0f}', '\u{2060}',
    ] {
        let spoof = format!("invo{hidden}ice");
        assert_ne!(printable(&spoof), printable(plain), "{hidden:?}");
    }
}

#[test]
fn escaping_twice_changes_nothing_more() {
    let text = "\u{1b}[31mred\u{202e} \u{200b}";
    let once = printable(text).into_owned();
    assert_eq!(printable(&once), once);
}

#[test]
fn widths_count_the_cells_the_escapes_and_wide_characters_take() {
    assert_eq!(width("abc"), 3);
    assert_eq!(width("日本"), 4);
    assert_eq!(width("a\u{202e}b"), 10, "a, then 8 cells of escape, then b");
    assert_eq!(padded("a\u{1b}", 8), "a\\x1b   ");
    assert_eq!(padded("日本", 6), "日本  ");
    assert_eq!(padded("longer than that", 4), "longer than that");
}

#[test]
fn a_cut_line_fits_its_cells_escapes_and_wide_characters_counted() {
    assert_eq!(cut("short", 8), "short");
    assert_eq!(cut("a longer title", 8), "a longe…");
    assert_eq!(cut("日本語の題", 6), "日本…");
    assert_eq!(cut("a\u{1b}[2J", 4), "a\\x…", "escaped, then cut");
    assert_eq!(width(&cut("日本語の題", 5)), 5);
}

#[test]
fn a_printable_value_pads_to_the_cells_it_shows() {
    let err = "bad \u{1b}[2J";
    assert_eq!(format!("{}", Printable(err)), "bad \\x1b[2J");
    assert_eq!(format!("[{:<12}]", Printable(err)), "[bad \\x1b[2J ]");
    assert_eq!(format!("[{:>6}]", Printable("日本")), "[  日本]");
    assert_eq!(escaped('\u{202e}').as_deref(), Some("\\u{202e}"));
    assert_eq!(escaped('é'), None);
}
