//! The delete confirmation, as types: a `ConfirmDelete` holds a batch the profile's rails
//! checked (`rails::Checked`: protected rows already left out), it can only become a
//! `ConfirmedBatch` by the user confirming it, and only a `ConfirmedBatch` becomes
//! `Effect::Enqueue`. So a DELETE is only ever sent for an ID the user saw in the modal they
//! confirmed. Its keys are deliberately strict: `yes` (or the typed count and `submit`)
//! confirms, `no` or `close` cancels, and Enter alone never deletes; a profile with
//! `confirm = "name"` takes only its name, typed, then `submit`; a paste never confirms. A
//! batch over the limit gets `Refused` instead, which has nothing to confirm. Nothing here
//! sends.

use ratatui::Frame;
use ratatui::text::{Line, Span};

use super::draw::{boxed, inner_width, listed, room};
use super::{Dialog, Kind, Next, Then, type_into};
use crate::api::VideoId;
use crate::manifest::{self, Breakdown};
use crate::printable::{cut, into_printable, printable};
use crate::query::Reads;
use crate::rails::{Checked, Cleared};
use crate::tui::app::App;
use crate::tui::app::text_field::{Accepts, Edit, TextField};
use crate::tui::keymap::{Action, AnyContext, Context, Key, Keymap, Press, Typing, keys};
use crate::tui::view::{Theme, field_spans};

/// The width of the refusal drawn in place of a confirmation.
pub const WIDTH: u16 = 56;

/// The width of the delete confirmation, on a terminal as wide: room for an ID, a title,
/// an age and a last outcome on one line.
const LIST_WIDTH: u16 = 110;

keys! {
    /// The delete confirmation's keys (and the refusal's, drawn in its place): `yes`, or the
    /// count typed and `submit`.
    pub enum CountKey { Yes, No, Close, Submit, Edit(Edit) }
}

impl Context for CountKey {
    const NAME: &'static str = "the delete confirmation";
    const TYPING: Typing = Typing::Digits;
}

keys! {
    /// The keys of the confirmation of a profile with `confirm = "name"`: the name is typed
    /// as text, so `yes` and `no` are letters there.
    pub enum NameKey { Close, Submit, Edit(Edit) }
}

impl Context for NameKey {
    const NAME: &'static str = "the delete confirmation by name";
    const TYPING: Typing = Typing::Text;
}

/// What the user must do to confirm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// `yes`.
    Yes,
    /// Type the number of videos (a batch of `confirm_threshold` or more).
    Count,
    /// Type the profile's name (`confirm = "name"`), whatever the size.
    Name,
}

/// The open confirmation modal: exactly these IDs, in this order.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfirmDelete {
    batch: Checked,
    /// The table rows holding the batch's IDs, in the same order: what the table updates
    /// when the batch is queued, without looking a million IDs up. Only the IDs are sent.
    rows: Vec<u32>,
    /// How many of the IDs the filter hides (shown so nobody deletes what they cannot see).
    pub hidden: usize,
    /// The batch by last outcome, and the rows asked about that the rails left out, by why.
    pub breakdown: Breakdown,
    /// The count or the name typed so far, when one is asked for.
    pub typed: TextField,
    pub confirmation: Confirmation,
    /// What was typed when the last try to confirm was refused, until it is edited: the
    /// confirmation says why nothing happened.
    pub wrong: Option<String>,
}

/// IDs the user confirmed past the rails; fields private and no `Clone`, so only
/// `ConfirmDelete::confirm` makes one and it is sent at most once.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfirmedBatch {
    batch: Cleared,
    rows: Vec<u32>,
}

impl ConfirmDelete {
    /// Asks about `batch`; `rows` holds the rows of the IDs asked, in order, and the rows of
    /// those the rails left out are dropped here, so `rows` and the IDs stay aligned.
    pub fn new(batch: Checked, rows: Vec<u32>, hidden: usize, threshold: usize) -> Self {
        let protected = batch.protected().len();
        let mut rows = rows;
        if protected > 0 {
            let mut left_out = batch.protected().iter().peekable();
            let mut at = 0;
            rows.retain(|_| {
                let kept = left_out.next_if_eq(&&at).is_none();
                at += 1;
                kept
            });
        }
        debug_assert_eq!(batch.ids().len(), rows.len());
        let confirmation = match batch.name_to_type() {
            Some(_) => Confirmation::Name,
            None if batch.ids().len() >= threshold => Confirmation::Count,
            None => Confirmation::Yes,
        };
        let accepts = match confirmation {
            Confirmation::Name => Accepts::Line,
            Confirmation::Yes | Confirmation::Count => Accepts::Digits,
        };
        Self {
            batch,
            rows,
            hidden,
            breakdown: Breakdown::default(),
            typed: TextField::new(accepts),
            confirmation,
            wrong: None,
        }
    }

    pub fn ids(&self) -> &[VideoId] {
        self.batch.ids()
    }

    /// The rows holding `ids`, in the same order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// How many of the rows asked about the rails left out as protected.
    pub fn protected(&self) -> usize {
        self.batch.protected().len()
    }

    /// The name to type, when the profile asks for it.
    pub fn name_to_type(&self) -> Option<&str> {
        self.batch.name_to_type()
    }

    /// Something must be typed before `submit` confirms.
    pub fn must_type(&self) -> bool {
        self.confirmation != Confirmation::Yes
    }

    /// The user confirmed. Returns the modal back when the typed count or name is not right
    /// yet (the name is checked by the rails themselves, `Checked::confirm`).
    pub fn confirm(mut self) -> Result<ConfirmedBatch, Box<Self>> {
        let typed = match &self.confirmation {
            Confirmation::Yes => None,
            Confirmation::Count if self.typed.text() != self.ids().len().to_string() => {
                return Err(Box::new(self));
            }
            Confirmation::Count => None,
            Confirmation::Name => Some(self.typed.text().to_owned()),
        };
        match self.batch.confirm(typed.as_deref()) {
            Ok(batch) => Ok(ConfirmedBatch {
                batch,
                rows: self.rows,
            }),
            Err(batch) => {
                self.batch = batch;
                Err(Box::new(self))
            }
        }
    }

    /// `key`, read in the context the confirmation asks in.
    fn answer(self, keymap: &Keymap, key: Key) -> Next<Self> {
        match self.confirmation {
            Confirmation::Yes | Confirmation::Count => self.on_count_key(keymap.read(key)),
            Confirmation::Name => self.on_name_key(keymap.read(key)),
        }
    }

    fn on_count_key(mut self, press: Press<CountKey>) -> Next<Self> {
        match press {
            Press::Escape | Press::Action(CountKey::No | CountKey::Close) => cancelled(),
            // `yes` confirms a small batch, and a large one once the count is typed.
            Press::Action(CountKey::Yes) => self.confirmed(),
            // Enter alone never deletes: it confirms what was typed, nothing else.
            Press::Action(CountKey::Submit) if self.must_type() => self.confirmed(),
            Press::Action(CountKey::Submit) => Next::Stay(self),
            Press::Action(CountKey::Edit(edit)) => {
                if self.must_type() {
                    self.typed.edit(edit);
                    self.wrong = None;
                }
                Next::Stay(self)
            }
            Press::Other(key) => {
                if self.must_type() && type_into(&mut self.typed, key) {
                    self.wrong = None;
                }
                Next::Stay(self)
            }
        }
    }

    fn on_name_key(mut self, press: Press<NameKey>) -> Next<Self> {
        match press {
            Press::Escape | Press::Action(NameKey::Close) => cancelled(),
            Press::Action(NameKey::Submit) => self.confirmed(),
            Press::Action(NameKey::Edit(edit)) => {
                self.typed.edit(edit);
                self.wrong = None;
                Next::Stay(self)
            }
            Press::Other(key) => {
                if type_into(&mut self.typed, key) {
                    self.wrong = None;
                }
                Next::Stay(self)
            }
        }
    }

    /// Confirmed, when what was typed is right; else it stays open, saying so.
    fn confirmed(self) -> Next<Self> {
        match self.confirm() {
            Ok(batch) => Next::Then(Then::Confirmed(batch)),
            Err(mut refused) => {
                refused.wrong = Some(refused.typed.text().to_owned());
                Next::Stay(*refused)
            }
        }
    }

    /// Why the last try to confirm did nothing, when it was refused.
    fn refusal(&self) -> Option<String> {
        let wrong = self.wrong.as_deref()?;
        let n = self.ids().len();
        Some(match (self.name_to_type(), wrong) {
            (Some(_), "") => "Nothing typed: type the profile's name.".to_owned(),
            (Some(_), wrong) => format!(
                "\"{}\" is not the profile's name: nothing was sent.",
                printable(wrong)
            ),
            (None, "") => format!("Nothing typed: type {n} to delete this many."),
            (None, wrong) => format!("{wrong} is not {n}: nothing was sent. Type {n} exactly."),
        })
    }
}

impl Dialog for ConfirmDelete {
    const CONTEXTS: &'static [AnyContext] =
        &[AnyContext::of::<CountKey>(), AnyContext::of::<NameKey>()];
    const KIND: Kind = Kind::Asks;

    fn on_key(self, key: Key, app: &App) -> Next<Self> {
        self.answer(app.keymap(), key)
    }

    /// Ignored: pasted text never confirms (the count is typed digit by digit).
    fn on_paste(&mut self, _text: &str, _app: &App) {}

    fn draw(&self, app: &App, theme: &Theme, frame: &mut Frame) {
        let keymap = app.keymap();
        let n = self.ids().len();
        let frees = app
            .shown_size_of(self.rows().iter().copied())
            .map(|size| format!(" · {size}"))
            .unwrap_or_default();
        let mut lines = vec![Line::from(Span::styled(
            format!("Delete {n} video(s){frees} from {}?", account(app)),
            theme.header(),
        ))];
        // The protected ones are said in the breakdown, with why.
        for sentence in self.breakdown.sentences() {
            lines.push(Line::from(Span::styled(sentence, theme.marked())));
        }
        if self.hidden > 0 {
            lines.push(Line::from(Span::styled(
                format!("{} of them are hidden by the current filter.", self.hidden),
                theme.marked(),
            )));
        }
        let wait = app.settings().wait_processing;
        if let Some(sentence) = self.breakdown.generating(wait, "wait_processing_seconds") {
            lines.push(Line::from(Span::styled(sentence, theme.marked())));
        }
        lines.push(Line::from(""));
        let tail = match (self.must_type(), self.wrong.is_some()) {
            (false, _) => 3,
            (true, false) => 5,
            (true, true) => 6,
        };
        let width = inner_width(frame, LIST_WIDTH).saturating_sub(3);
        let now = app.now();
        let video = |at: usize| {
            let subject = app.rows().subject(self.rows[at], Reads::ALL);
            cut(&manifest::line(&subject, now), width)
        };
        listed(n, video, room(frame, lines.len() + tail), &mut lines);
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            "This cannot be undone.",
            theme.danger(),
        )));
        if self.must_type() {
            let what = match self.name_to_type() {
                Some(name) => format!("the profile's name ({})", printable(name)),
                None => n.to_string(),
            };
            lines.push(Line::from(format!(
                "Type {what} and press {} to confirm:",
                keymap.key(Action::Submit)
            )));
            let room = inner_width(frame, WIDTH).saturating_sub(2);
            let mut field = vec![Span::styled("> ", theme.accent())];
            field.extend(field_spans(&self.typed, room, false, theme.accent()));
            lines.push(Line::from(field));
            if let Some(why) = self.refusal() {
                lines.push(Line::from(Span::styled(why, theme.danger())));
            }
            lines.push(Line::from(Span::styled(
                format!("{} cancel", keymap.key(Action::Close)),
                theme.dim(),
            )));
        } else {
            lines.push(Line::from(format!(
                "{} delete · {} / {} cancel",
                keymap.key(Action::Yes),
                keymap.key(Action::No),
                keymap.key(Action::Close)
            )));
        }
        boxed(frame, theme, "Delete videos", lines, LIST_WIDTH);
    }
}

/// `api.elytron.com`, or `production (api.elytron.com)` when the config has profiles.
pub fn account(app: &App) -> String {
    let settings = app.settings();
    into_printable(match &settings.profile {
        Some(profile) => format!("{profile} ({})", settings.account_host),
        None => settings.account_host.clone(),
    })
}

fn cancelled<M>() -> Next<M> {
    Next::Then(Then::Notice("Cancelled: nothing was sent.".into()))
}

impl ConfirmedBatch {
    pub fn ids(&self) -> &[VideoId] {
        self.batch.ids()
    }

    /// The rows holding `ids`, in the same order.
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    /// What goes to the engine.
    pub fn into_cleared(self) -> Cleared {
        self.batch
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;
    use jiff::Timestamp;

    use super::*;
    use crate::rails::{Rails, Settings};

    fn ids(n: u128) -> Vec<VideoId> {
        (1..=n)
            .map(|i| VideoId::from_uuid(uuid::Uuid::from_u128(i)))
            .collect()
    }

    fn checked(rails: &Rails, ids: &[VideoId]) -> Checked {
        rails
            .check(ids.to_vec(), |_| None, Timestamp::UNIX_EPOCH)
            .unwrap()
    }

    fn ask(n: u128) -> ConfirmDelete {
        let ids = ids(n);
        ConfirmDelete::new(
            checked(&Rails::default(), &ids),
            (0..n as u32).collect(),
            0,
            100,
        )
    }

    fn typed(mut modal: ConfirmDelete, text: &str) -> ConfirmDelete {
        for c in text.chars() {
            let Next::Stay(stays) = modal.answer(&Keymap::default(), Key::char(c)) else {
                panic!("typing closed the modal");
            };
            modal = stays;
        }
        modal
    }

    /// Issue 21 B8: a wrong count did nothing and said nothing. It still sends nothing, and
    /// says why until the count is edited.
    #[test]
    fn a_wrong_count_says_so_until_it_is_edited() {
        let modal = typed(ask(120), "12");
        let Next::Stay(modal) = modal.answer(&Keymap::default(), Key::plain(KeyCode::Enter)) else {
            panic!("a wrong count closed the modal");
        };
        assert_eq!(modal.wrong.as_deref(), Some("12"));
        assert_eq!(
            modal.refusal().as_deref(),
            Some("12 is not 120: nothing was sent. Type 120 exactly.")
        );
        let modal = typed(modal, "0");
        assert_eq!(modal.refusal(), None);
        let Next::Stay(modal) = typed(ask(120), "").answer(&Keymap::default(), Key::char('y'))
        else {
            panic!("y without the count closed the modal");
        };
        assert_eq!(
            modal.refusal().as_deref(),
            Some("Nothing typed: type 120 to delete this many.")
        );
    }

    #[test]
    fn large_batches_need_the_exact_count_typed() {
        let modal = typed(ask(100), "10");
        assert_eq!(modal.confirmation, Confirmation::Count);
        let modal = *modal.confirm().unwrap_err();
        let batch = typed(modal, "0").confirm().unwrap();
        assert_eq!(batch.into_cleared().into_ids(), ids(100));
        assert!(ask(99).confirm().is_ok());
    }

    #[test]
    fn protected_rows_are_left_out_with_their_ids_and_the_rest_stay_aligned() {
        let all = ids(5);
        let rails = Rails::new(Settings::default(), [all[1], all[3]].into_iter().collect());
        let modal = ConfirmDelete::new(checked(&rails, &all), vec![10, 11, 12, 13, 14], 0, 100);
        assert_eq!(modal.protected(), 2);
        assert_eq!(modal.ids(), [all[0], all[2], all[4]]);
        let batch = modal.confirm().unwrap();
        assert_eq!(batch.rows(), [10, 12, 14]);
    }

    #[test]
    fn a_profile_that_asks_for_its_name_takes_it_typed_whatever_the_size() {
        let rails = Rails::new(
            Settings {
                profile: Some("prod".into()),
                confirm_by_name: true,
                ..Settings::default()
            },
            Default::default(),
        );
        let one = ids(1);
        let modal = ConfirmDelete::new(checked(&rails, &one), vec![0], 0, 100);
        assert_eq!(modal.confirmation, Confirmation::Name);
        assert_eq!(modal.name_to_type(), Some("prod"));
        let mut modal = *typed(modal, "yprod").confirm().unwrap_err();
        modal.typed.clear();
        let batch = typed(modal, "prod").confirm().unwrap();
        assert_eq!(batch.ids(), one);
    }
}
