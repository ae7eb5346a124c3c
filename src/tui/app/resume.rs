//! Offering to resume an interrupted batch: its IDs come back marked, with a notice, so the
//! user resumes through the same confirmation modal as any other delete. Nothing is sent
//! from here.

use super::App;
use crate::api::VideoId;
use crate::tui::keymap::Action;

impl App {
    /// Marks the rows of `pending` (IDs a killed session left queued) that can still be
    /// deleted, and says so in the footer. IDs no longer in the list are left to `delete
    /// --resume`.
    pub(super) fn offer_resume(&mut self, pending: &[VideoId]) {
        if pending.is_empty() {
            return;
        }
        let rows: Vec<u32> = pending
            .iter()
            .filter_map(|id| self.row_of(id))
            .filter(|&row| self.rows[row as usize].is_markable())
            .collect();
        if rows.is_empty() {
            return;
        }
        for &row in &rows {
            self.marks.set(row, true);
        }
        self.recount_hidden();
        let keymap = &self.settings.keymap;
        self.notice = Some(format!(
            "{} videos from an interrupted batch are marked: {} resumes it, {} clears the marks",
            rows.len(),
            keymap.key(Action::Delete),
            keymap.key(Action::Clear)
        ));
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::store::KnownVideo;
    use crate::tui::Settings;

    fn video(n: u128) -> KnownVideo {
        KnownVideo {
            id: VideoId::from_uuid(uuid::Uuid::from_u128(n)),
            added_at: Timestamp::UNIX_EPOCH,
            label: None,
            details: None,
            last: None,
        }
    }

    #[test]
    fn marks_only_pending_rows_that_are_still_listed() {
        let mut app = App::new(
            (1..=4).map(video),
            Settings::default(),
            Timestamp::UNIX_EPOCH,
        );
        let stranger = VideoId::from_uuid(uuid::Uuid::from_u128(99));
        app.offer_resume(&[video(2).id, stranger, video(4).id]);
        assert_eq!(app.marks().iter().collect::<Vec<_>>(), vec![1, 3]);
        assert!(app.notice().unwrap().starts_with("2 videos"));
    }

    #[test]
    fn nothing_pending_changes_nothing() {
        let mut app = App::new(
            (1..=2).map(video),
            Settings::default(),
            Timestamp::UNIX_EPOCH,
        );
        app.offer_resume(&[]);
        assert_eq!(app.marks().count(), 0);
        assert_eq!(app.notice(), None);
    }
}
