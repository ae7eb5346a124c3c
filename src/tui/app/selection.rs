//! The marks and what goes with them: how many the filter hides, where a range being marked
//! started, and whether rows refused as forbidden were offered for marking.

use super::marks::Marks;

#[derive(Debug)]
pub struct Selection {
    pub marks: Marks,
    /// Marked rows the filter hides.
    pub hidden: usize,
    /// Position where a range of marks started.
    pub range_anchor: Option<usize>,
    /// `mark-failed` left rows refused as forbidden unmarked and offered them: the next
    /// table key, if it is `mark-failed` again, marks them too.
    pub forbidden_offered: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Self {
            marks: Marks::new(0),
            hidden: 0,
            range_anchor: None,
            forbidden_offered: false,
        }
    }
}
