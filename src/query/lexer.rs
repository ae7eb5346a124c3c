//! Splits a query into words: whitespace separates them, double quotes group words (`"final
//! cut"`, `title:"final cut"`) with `\"` and `\\` inside. Knows nothing of what a word means;
//! `term` does.

use std::ops::Range;

use super::QueryError;

/// One whitespace-separated word, its quotes removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Word {
    /// The word without its quotes.
    pub text: String,
    /// Where the first quoted part starts in `text` (`None`: no quotes). What comes before it
    /// may be a field name or a `-`; nothing inside quotes is ever syntax.
    pub quoted_from: Option<usize>,
    /// Byte range in the query, quotes included.
    pub span: Range<usize>,
}

/// The words of `query`, in order; an unterminated quote is an error.
pub(super) fn words(query: &str) -> Result<Vec<Word>, QueryError> {
    let mut words = Vec::new();
    let mut chars = query.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = Word {
            text: String::new(),
            quoted_from: None,
            span: start..start,
        };
        while let Some(&(at, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c != '"' {
                word.text.push(c);
                continue;
            }
            word.quoted_from.get_or_insert(word.text.len());
            let mut closed = false;
            while let Some((_, c)) = chars.next() {
                match c {
                    '"' => {
                        closed = true;
                        break;
                    }
                    '\\' => match chars.next_if(|&(_, next)| next == '"' || next == '\\') {
                        Some((_, escaped)) => word.text.push(escaped),
                        None => word.text.push('\\'),
                    },
                    other => word.text.push(other),
                }
            }
            if !closed {
                return Err(QueryError::new(
                    "this quote is never closed",
                    at..query.len(),
                ));
            }
        }
        word.span.end = chars.peek().map_or(query.len(), |&(at, _)| at);
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(query: &str) -> Vec<String> {
        words(query)
            .unwrap()
            .into_iter()
            .map(|word| word.text)
            .collect()
    }

    #[test]
    fn splits_on_whitespace_and_groups_quoted_words() {
        assert_eq!(texts("  a  b\tc "), ["a", "b", "c"]);
        assert_eq!(texts(r#"title:"final cut" -x"#), ["title:final cut", "-x"]);
        assert_eq!(texts(r#""a \"b\" \\ c""#), [r#"a "b" \ c"#]);
        assert_eq!(texts(r#""back\slash""#), [r"back\slash"]);
        assert_eq!(texts(""), Vec::<String>::new());
    }

    #[test]
    fn spans_cover_each_word_with_its_quotes() {
        let query = r#"ab "c d"e"#;
        let spans: Vec<_> = words(query).unwrap().into_iter().map(|w| w.span).collect();
        assert_eq!(spans, [0..2, 3..9]);
        let word = &words(r#"title:"x y""#).unwrap()[0];
        assert_eq!(word.quoted_from, Some("title:".len()));
    }

    #[test]
    fn an_unclosed_quote_is_an_error_pointing_at_it() {
        let err = words(r#"ok title:"final"#).unwrap_err();
        assert_eq!(err.span(), 9..15);
        assert!(err.to_string().contains("never closed"), "{err}");
    }
}
