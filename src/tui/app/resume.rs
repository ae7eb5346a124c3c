//! Offering to resume an interrupted batch: its IDs come back marked, with a notice, so the
//! user resumes through the same confirmation modal as any other delete. Protected videos
//! are not marked (and a read-only profile marks nothing). Nothing is sent from here.

use super::App;
use crate::api::VideoId;
use crate::query::Reads;
use crate::tui::keymap::Action;

impl App {
    /// Marks the rows of `pending` (IDs a killed session left queued) that can still be
    /// deleted, and says so in the footer. IDs no longer in the list are left to `delete
    /// --resume`.
    pub(super) fn offer_resume(&mut self, pending: &[VideoId]) {
        if pending.is_empty() {
            return;
        }
        if self.settings.rails.read_only() {
            self.status.notice = Some(format!(
                "{} videos from an interrupted batch are left unsent: this profile is \
                 read-only, so nothing is sent.",
                pending.len()
            ));
            return;
        }
        let mut pass = self.settings.rails.pass(self.now);
        let mut protected = 0;
        let mut rows = Vec::new();
        for row in pending.iter().filter_map(|id| self.row_of(id)) {
            let r = &self.list[row as usize];
            if !r.is_markable() {
                continue;
            }
            if pass
                .protects(&self.list.rows().subject(row, Reads::ALL))
                .is_some()
            {
                protected += 1;
            } else {
                rows.push(row);
            }
        }
        if rows.is_empty() {
            return;
        }
        for &row in &rows {
            self.selection.marks.set(row, true);
        }
        self.recount_hidden();
        let keymap = &self.settings.keymap;
        let left_out = if protected > 0 {
            format!(" ({protected} protected, left out)")
        } else {
            String::new()
        };
        self.status.notice = Some(format!(
            "{} videos from an interrupted batch are marked{left_out}: {} resumes it, {} clears \
             the marks",
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
    fn protected_rows_are_not_marked_and_a_read_only_profile_marks_none() {
        let settings = Settings {
            rails: crate::rails::Rails::new(
                crate::rails::Settings::default(),
                [video(2).id].into_iter().collect(),
            ),
            ..Settings::default()
        };
        let mut app = App::new((1..=3).map(video), settings, Timestamp::UNIX_EPOCH);
        app.offer_resume(&[video(1).id, video(2).id, video(3).id]);
        assert_eq!(app.marks().iter().collect::<Vec<_>>(), vec![0, 2]);
        assert!(app.notice().unwrap().contains("1 protected, left out"));

        let settings = Settings {
            rails: crate::rails::Rails::new(
                crate::rails::Settings {
                    read_only: true,
                    ..crate::rails::Settings::default()
                },
                Default::default(),
            ),
            ..Settings::default()
        };
        let mut app = App::new((1..=2).map(video), settings, Timestamp::UNIX_EPOCH);
        app.offer_resume(&[video(1).id]);
        assert_eq!(app.marks().count(), 0);
        assert!(app.notice().unwrap().contains("read-only"));
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
