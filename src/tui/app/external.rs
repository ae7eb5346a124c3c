//! Changes to the store that reach the rows while the app runs: another process's import,
//! forget, protect or delete (and this one's own writes, read back, which change nothing).
//! Marks, the cursor, the filter and the order stay as they are: new videos join the end of
//! the list (and the sorted order, when sorted), changed ones move in or out of the filter,
//! and ones that left the list leave the table and the marks. A row in a batch of this
//! session is left to the batch; a row this session found gone stays on screen.

use super::App;
use crate::api::VideoId;
use crate::query::GenerationFacts;
use crate::store::VideoRow;
use crate::store::{Changes, IdSet, KnownVideo};
use crate::tui::app::row::RowState;

impl App {
    /// Takes in what changed in the store since the last look.
    pub fn take_changes(&mut self, changes: Changes<KnownVideo>) {
        let Changes {
            videos,
            removed,
            protected,
            present,
        } = changes;
        let mut gone: Vec<u32> = Vec::new();
        if let Some(present) = &present {
            gone.extend(
                (0..self.list.len() as u32)
                    .filter(|&row| !present.contains(&self.list[row as usize].id)),
            );
        }
        gone.extend(removed.iter().filter_map(|(id, _)| self.row_of(id)));
        let mut fresh = Vec::new();
        let mut changed = Vec::new();
        for video in videos {
            let id = video.id;
            match self.row_of(&id) {
                None => fresh.push(self.list.push(VideoRow::of(&video))),
                Some(row) => {
                    if self.take_video(row, &video) {
                        changed.push(row);
                    }
                    gone.retain(|&left| left != row);
                    if self.list.bring_back(row) {
                        fresh.push(row);
                    }
                }
            }
        }
        gone.retain(|&row| {
            let r = &self.list[row as usize];
            r.is_shown() && !r.is_active() && !r.is_gone()
        });
        if !gone.is_empty() {
            self.remove(gone);
        }
        if let Some(listed) = protected {
            self.protected_elsewhere(listed);
        }
        self.selection.marks.resize(self.list.len());
        if !changed.is_empty() {
            changed.sort_unstable();
            changed.dedup();
            // In or out of the filter as they are now; the order stays as it was taken.
            self.visible
                .retain(|row| changed.binary_search(row).is_err());
            self.show(&changed);
        }
        if !fresh.is_empty() {
            fresh.sort_unstable();
            self.resort();
            self.show(&fresh);
        }
    }

    /// `video` as the store has it now, for `row`; whether anything the table shows or the
    /// filter reads changed. A row in a batch, or finished by one of this session, keeps its
    /// outcome: it is the batch's to show (the store's copy differs only in its time).
    fn take_video(&mut self, row: u32, video: &KnownVideo) -> bool {
        let r = &self.list[row as usize];
        let own_outcome = r.is_active() || r.state == RowState::Done;
        let kind = |last: Option<&crate::store::LastOutcome>| last.map(|last| last.outcome.kind);
        let shown_differently = self.list.rows().label(row) != video.label.as_deref()
            || self.list.rows().title(row) != video.title()
            || self.list.rows().created_at(row).map(|at| at.as_second())
                != video.created_at().map(|at| at.as_second())
            || (!own_outcome && kind(r.last.as_deref()) != kind(video.last.as_deref()));
        let mut new = VideoRow::of(video);
        let shown_differently =
            shown_differently || r.generation() != GenerationFacts::of(new.generation);
        if own_outcome {
            new.last = self.list[row as usize].last.take();
        }
        self.list.set_video(row, new);
        shown_differently && self.list[row as usize].state != RowState::Removed
    }

    /// The protected IDs changed in the store (`protect` elsewhere): rows now protected
    /// leave the marks, as the protect key's do.
    fn protected_elsewhere(&mut self, listed: IdSet) {
        let newly: Vec<VideoId> = listed
            .iter()
            .filter(|id| !self.settings.rails.listed().contains(id))
            .copied()
            .collect();
        self.settings.rails.replace_listed(listed);
        let rows: Vec<u32> = newly
            .iter()
            .filter_map(|id| self.row_of(id))
            .filter(|&row| self.selection.marks.contains(row))
            .collect();
        let unmarked = rows.len();
        for row in rows {
            self.selection.marks.set(row, false);
        }
        if unmarked > 0 {
            self.recount_hidden();
            self.marks_changed();
            self.status.notice = Some(format!(
                "{unmarked} marked video(s) were protected from elsewhere: no longer marked."
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::api::{Outcome, OutcomeKind};
    use crate::store::VideoDetails;
    use crate::tui::Settings;

    fn id(n: u128) -> VideoId {
        VideoId::from_uuid(uuid::Uuid::from_u128(n))
    }

    fn video(n: u128, title: Option<&str>) -> KnownVideo {
        let mut video = KnownVideo::new(id(n), Timestamp::UNIX_EPOCH, Some("clip".into()));
        video.details = title.map(|title| {
            Box::new(VideoDetails {
                title: Some(title.into()),
                created_at: None,
                ..Default::default()
            })
        });
        video
    }

    fn changes(videos: Vec<KnownVideo>, removed: Vec<(VideoId, bool)>) -> Changes<KnownVideo> {
        Changes {
            videos,
            removed,
            protected: None,
            present: None,
        }
    }

    fn shown(app: &App) -> Vec<VideoId> {
        app.visible()
            .iter()
            .map(|&row| app.rows()[row as usize].id)
            .collect()
    }

    fn app() -> App {
        App::new(
            (0..4).map(|n| video(n, None)),
            Settings::default(),
            Timestamp::UNIX_EPOCH,
        )
    }

    #[test]
    fn new_videos_join_the_end_forgotten_ones_leave_and_marks_and_cursor_stay() {
        let mut app = app();
        app.move_to(2);
        app.mark();
        app.move_to(2);
        app.take_changes(changes(vec![video(7, None)], vec![(id(1), false)]));
        assert_eq!(shown(&app), [id(0), id(2), id(3), id(7)]);
        assert_eq!(app.current_row().unwrap().id, id(2), "the cursor stays");
        assert_eq!(app.marked_ids(), [id(2)], "and so do the marks");
        assert_eq!(app.known(), 4);
        // A forgotten video imported again comes back in its old row.
        app.take_changes(changes(vec![video(1, None)], Vec::new()));
        assert_eq!(shown(&app), [id(0), id(1), id(2), id(3), id(7)]);
    }

    #[test]
    fn a_changed_video_moves_in_or_out_of_the_filter() {
        let mut app = app();
        app.start_filter();
        for c in "title:final".chars() {
            app.type_in_filter(c);
        }
        assert!(shown(&app).is_empty());
        app.take_changes(changes(vec![video(2, Some("Final cut"))], Vec::new()));
        assert_eq!(shown(&app), [id(2)]);
        assert!(app.filled().title);
        app.take_changes(changes(vec![video(2, Some("draft"))], Vec::new()));
        assert!(shown(&app).is_empty());
    }

    #[test]
    fn a_row_this_session_found_gone_stays_and_its_own_outcome_is_kept() {
        let mut app = app();
        let deleted = Outcome {
            status: Some(204),
            attempts: 1,
            ..Outcome::unsent(OutcomeKind::Deleted)
        };
        app.finished(&id(1), deleted);
        app.take_changes(changes(vec![], vec![(id(1), true)]));
        assert_eq!(shown(&app), [id(0), id(1), id(2), id(3)], "still shown");
        assert_eq!(app.rows()[1].status_word(), "deleted");
    }

    #[test]
    fn videos_protected_elsewhere_leave_the_marks() {
        let mut app = app();
        app.mark_all_visible();
        let mut all = changes(Vec::new(), Vec::new());
        all.protected = Some([id(0), id(3)].into_iter().collect());
        app.take_changes(all);
        assert_eq!(app.marked_ids(), [id(1), id(2)]);
        assert!(app.rails().listed().contains(&id(3)));
        assert!(app.notice().unwrap().starts_with("2 marked video(s)"));
    }

    #[test]
    fn when_the_store_lost_track_only_the_videos_still_in_it_stay() {
        let mut app = app();
        let mut all = changes(Vec::new(), Vec::new());
        all.present = Some([id(0), id(2)].into_iter().collect());
        app.take_changes(all);
        assert_eq!(shown(&app), [id(0), id(2)]);
    }
}
