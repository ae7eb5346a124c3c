//! `Compare`: the `>`, `>=`, `<` and `<=` of the terms that compare a value with a limit
//! (`age>30d`, `size>100MB`, `duration<5s`): read off the front of a term's text, and held
//! between a value and its limit.

/// One of `>`, `>=`, `<`, `<=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Compare {
    greater: bool,
    inclusive: bool,
}

impl Compare {
    /// The operator at the start of `rest`, and what follows it; `None` when there is none.
    pub fn read(rest: &str) -> Option<(Self, &str)> {
        let (greater, inclusive, value) = if let Some(value) = rest.strip_prefix(">=") {
            (true, true, value)
        } else if let Some(value) = rest.strip_prefix("<=") {
            (false, true, value)
        } else if let Some(value) = rest.strip_prefix('>') {
            (true, false, value)
        } else {
            (false, false, rest.strip_prefix('<')?)
        };
        Some((Self { greater, inclusive }, value))
    }

    /// Whether `value` compares so with `limit`.
    pub fn holds<T: Ord>(self, value: T, limit: T) -> bool {
        match (self.greater, self.inclusive) {
            (true, false) => value > limit,
            (true, true) => value >= limit,
            (false, false) => value < limit,
            (false, true) => value <= limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_operator_and_holds_as_it_says() {
        for (text, holds) in [
            (">5", [false, false, true]),
            (">=5", [false, true, true]),
            ("<5", [true, false, false]),
            ("<=5", [true, true, false]),
        ] {
            let (compare, value) = Compare::read(text).unwrap();
            assert_eq!(value, "5", "{text}");
            assert_eq!([4, 5, 6].map(|v| compare.holds(v, 5)), holds, "{text}");
        }
        assert_eq!(Compare::read(":5"), None);
        assert_eq!(Compare::read("=5"), None);
    }
}
