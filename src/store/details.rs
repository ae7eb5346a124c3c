//! `Details`: the titles and creation times given with a list of IDs (a structured import),
//! by position in that list, in one buffer of text and one slot of 24 bytes per ID. A million
//! titled videos cost no allocation each (a map of boxed titles cost four times the memory),
//! and adding them walks both lists in order.

use jiff::Timestamp;

use super::VideoDetails;

/// Titles and creation times by position; a position past the end has neither.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    titles: String,
    slots: Vec<Slot>,
    /// Positions given a title or a creation time.
    given: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    title_start: u32,
    /// `NONE` when there is no title.
    title_len: u32,
    created_second: i64,
    /// `NONE_NS` when there is no creation time.
    created_nanosecond: i32,
}

const NONE: u32 = u32::MAX;
const NONE_NS: i32 = i32::MIN;

impl Slot {
    const EMPTY: Self = Self {
        title_start: 0,
        title_len: NONE,
        created_second: 0,
        created_nanosecond: NONE_NS,
    };

    fn is_empty(self) -> bool {
        self.title_len == NONE && self.created_nanosecond == NONE_NS
    }
}

impl Details {
    /// Gives position `at` what `given` has and it lacks (a title or a time it has already is
    /// kept, as for a video already known); whether that was anything.
    pub fn fill(&mut self, at: usize, given: &VideoDetails) -> bool {
        if given.is_empty() {
            return false;
        }
        if self.slots.len() <= at {
            self.slots.resize(at + 1, Slot::EMPTY);
        }
        let slot = &mut self.slots[at];
        let was = *slot;
        if slot.title_len == NONE
            && let Some(title) = &given.title
            && let (Ok(start), Ok(len)) =
                (u32::try_from(self.titles.len()), u32::try_from(title.len()))
            && len != NONE
        {
            self.titles.push_str(title);
            (slot.title_start, slot.title_len) = (start, len);
        }
        if slot.created_nanosecond == NONE_NS
            && let Some(at) = given.created_at
        {
            slot.created_second = at.as_second();
            slot.created_nanosecond = at.subsec_nanosecond();
        }
        self.given += usize::from(was.is_empty() && !slot.is_empty());
        was != *slot
    }

    pub fn title(&self, at: usize) -> Option<&str> {
        let slot = self.slots.get(at)?;
        if slot.title_len == NONE {
            return None;
        }
        let start = slot.title_start as usize;
        self.titles.get(start..start + slot.title_len as usize)
    }

    pub fn created_at(&self, at: usize) -> Option<Timestamp> {
        let slot = self.slots.get(at)?;
        if slot.created_nanosecond == NONE_NS {
            return None;
        }
        Timestamp::new(slot.created_second, slot.created_nanosecond).ok()
    }

    /// What position `at` was given, owned; `None` when nothing.
    pub fn get(&self, at: usize) -> Option<VideoDetails> {
        let details = VideoDetails::titled(self.title(at).map(Box::from), self.created_at(at));
        (!details.is_empty()).then_some(details)
    }

    /// The positions `from..` (renumbered from 0), copied: what a batch of an import that
    /// is being written while it is read takes of what the scan has found so far.
    pub fn copy_from(&self, from: usize) -> Details {
        let slots = self.slots.get(from..).unwrap_or_default();
        // Titles are kept in the order given, which a title filled in late breaks.
        let first_title = slots
            .iter()
            .filter(|slot| slot.title_len != NONE)
            .map(|slot| slot.title_start)
            .min();
        let titles = first_title
            .and_then(|first| self.titles.get(first as usize..))
            .unwrap_or_default()
            .to_owned();
        let first_title = first_title.unwrap_or(0);
        Details {
            titles,
            slots: slots
                .iter()
                .map(|&slot| Slot {
                    title_start: slot.title_start.saturating_sub(first_title),
                    ..slot
                })
                .collect(),
            given: slots.iter().filter(|slot| !slot.is_empty()).count(),
        }
    }

    /// How many positions were given a title or a creation time.
    pub fn len(&self) -> usize {
        self.given
    }

    pub fn is_empty(&self) -> bool {
        self.given == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(title: Option<&str>, created_at: Option<&str>) -> VideoDetails {
        VideoDetails {
            title: title.map(Box::from),
            created_at: created_at.map(|at| at.parse().unwrap()),
            ..Default::default()
        }
    }

    #[test]
    fn each_position_keeps_what_it_was_given_first_and_fills_only_what_it_lacked() {
        let mut details = Details::default();
        details.fill(2, &given(Some("café 🎬"), None));
        details.fill(0, &given(None, Some("1969-12-31T23:59:59.5Z")));
        details.fill(
            2,
            &given(Some("later"), Some("2024-05-01T10:20:30.123456789Z")),
        );
        details.fill(5, &given(None, None));
        assert_eq!(details.len(), 2);
        assert_eq!(details.get(1), None);
        assert_eq!(details.get(9), None);
        assert_eq!(
            details.get(2),
            Some(given(
                Some("café 🎬"),
                Some("2024-05-01T10:20:30.123456789Z")
            ))
        );
        assert_eq!(
            details.get(0),
            Some(given(None, Some("1969-12-31T23:59:59.5Z")))
        );
        assert_eq!(
            (details.title(0), details.title(2)),
            (None, Some("café 🎬"))
        );
    }

    #[test]
    fn a_copy_from_a_position_holds_what_each_later_position_holds() {
        let mut details = Details::default();
        details.fill(0, &given(Some("zero"), None));
        details.fill(3, &given(Some("three"), None));
        details.fill(4, &given(None, Some("2024-05-01T10:00:00Z")));
        details.fill(2, &given(Some("two, given after three"), None));
        details.fill(1, &given(Some("one, given last"), None));
        let copy = details.copy_from(2);
        assert_eq!(copy.len(), 3);
        for at in 0..4 {
            assert_eq!(copy.get(at), details.get(at + 2), "position {at}");
        }
        assert_eq!(details.copy_from(9), Details::default());
    }
}
