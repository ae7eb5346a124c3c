//! The screen's geometry, in the one place drawing and the model both read it: a header line,
//! the table (its column names, then the body), and a two-line footer; how many rows the body
//! holds (a page) and which of them a click lands on.

use ratatui::layout::Rect;

/// Lines the footer takes at the bottom.
const FOOTER_LINES: u16 = 2;

/// Where each part of the screen goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub header: Rect,
    /// The table, its line of column names included.
    pub table: Rect,
    pub footer: Rect,
}

impl Layout {
    /// The parts of a screen drawn in `area`.
    pub fn of(area: Rect) -> Self {
        let table = Rect::new(
            area.x,
            area.y + 1,
            area.width,
            area.height.saturating_sub(1 + FOOTER_LINES),
        )
        .intersection(area);
        let footer_y = area.bottom().saturating_sub(FOOTER_LINES).max(area.y);
        Self {
            header: Rect::new(area.x, area.y, area.width, 1.min(area.height)),
            table,
            footer: Rect::new(area.x, footer_y, area.width, area.bottom() - footer_y),
        }
    }

    /// The parts of a whole terminal of `(width, height)`, as the model knows its size.
    pub fn of_screen((width, height): (u16, u16)) -> Self {
        Self::of(Rect::new(0, 0, width, height))
    }

    /// Rows of the table body that fit.
    pub fn body_rows(&self) -> usize {
        usize::from(self.table.height.saturating_sub(1))
    }

    /// The body line (0 for the top row shown) at the cell `(column, row)`, if it is one.
    pub fn body_line_at(&self, column: u16, row: u16) -> Option<usize> {
        let body_top = self.table.y + 1;
        (row >= body_top && row < self.table.bottom() && column < self.table.right())
            .then(|| usize::from(row - body_top))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_tile_the_screen_and_a_click_finds_its_body_line() {
        let layout = Layout::of_screen((100, 30));
        assert_eq!(layout.header, Rect::new(0, 0, 100, 1));
        assert_eq!(layout.table, Rect::new(0, 1, 100, 27));
        assert_eq!(layout.footer, Rect::new(0, 28, 100, 2));
        assert_eq!(layout.body_rows(), 26);
        assert_eq!(layout.body_line_at(5, 1), None, "the column names");
        assert_eq!(layout.body_line_at(5, 2), Some(0));
        assert_eq!(layout.body_line_at(99, 27), Some(25));
        assert_eq!(layout.body_line_at(5, 28), None, "the footer");

        let tiny = Layout::of_screen((10, 2));
        assert_eq!(tiny.table.height, 0);
        assert_eq!(tiny.body_rows(), 0);
        assert_eq!(tiny.body_line_at(0, 1), None);
    }
}
