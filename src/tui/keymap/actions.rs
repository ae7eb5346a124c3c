//! The table of actions: every key the app answers, described once. Each action has the name
//! `[keys]` in config.toml uses, the help line and its default keys; where it works is the
//! contexts' to say (`context`: each context is a type listing the actions it takes). The
//! keymap, the help overlay, the footer hints and the dialogs' key lines are all derived from
//! it. Adding a key is one entry here and one variant in each context that takes it (whose
//! handler then does not compile until it says what the key does there).

use crossterm::event::KeyCode;

use super::key::Key;

/// The help's headings, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Table,
    Text,
    Dialogs,
}

impl Section {
    pub const ALL: [Self; 3] = [Self::Table, Self::Text, Self::Dialogs];

    pub fn title(self) -> &'static str {
        match self {
            Self::Table => "The table",
            Self::Text => "Text fields (filter, add IDs, API key, the count, a file name)",
            Self::Dialogs => "Dialogs and views",
        }
    }
}

/// One action as the table describes it.
#[derive(Debug)]
pub struct Spec {
    /// As `[keys]` in config.toml names it.
    pub name: &'static str,
    /// The help line. `{name}` stands for the first key of the action called `name`, so the
    /// line stays true when keys are rebound.
    pub description: &'static str,
    pub keys: &'static [Key],
    pub section: Section,
    /// The word the footer shows after the action's key, for the few worth a reminder.
    pub hint: Option<&'static str>,
    /// Opens a yes/no question (the delete confirmation, forget, quit during a batch): its
    /// keys must not answer `yes`, or pressing one twice would say yes unasked.
    pub asks: bool,
}

impl Spec {
    /// An entry in the table section; `says` gives its help line.
    const fn new(name: &'static str, keys: &'static [Key]) -> Self {
        Self {
            name,
            description: "",
            keys,
            section: Section::Table,
            hint: None,
            asks: false,
        }
    }

    const fn says(self, description: &'static str) -> Self {
        Self {
            description,
            ..self
        }
    }

    const fn under(self, section: Section) -> Self {
        Self { section, ..self }
    }

    /// Shown in the footer as `key hint`.
    const fn hint(self, hint: &'static str) -> Self {
        Self {
            hint: Some(hint),
            ..self
        }
    }

    const fn asks(self) -> Self {
        Self { asks: true, ..self }
    }
}

use KeyCode::{
    BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up,
};
use Section::{Dialogs, Text};

const fn code(code: KeyCode) -> Key {
    Key::plain(code)
}

const fn ch(c: char) -> Key {
    Key::char(c)
}

/// Declares every action once, with its entry: `Action` and `Action::spec` come from this
/// one list, in its order, so no entry can be missing or out of place (as helix's
/// `static_commands!` makes each command's name, doc and function one entry).
macro_rules! actions {
    ($($action:ident => $spec:expr,)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action {
            $($action,)*
        }

        impl Action {
            /// Every action, in the table's order: the help's order within a section, and the
            /// footer's.
            pub const ALL: &[Self] = &[$(Self::$action,)*];

            /// Its entry in the table.
            pub fn spec(self) -> &'static Spec {
                const SPECS: &[Spec] = &[$($spec,)*];
                &SPECS[self as usize]
            }
        }
    };
}

actions! {
    Up => Spec::new("up", &[ch('k'), code(Up)]).says("move up"),
    Down => Spec::new("down", &[ch('j'), code(Down)]).says("move down"),
    Top => Spec::new("top", &[ch('g'), code(Home)]).says("first row"),
    Bottom => Spec::new("bottom", &[ch('G'), code(End)]).says("last row"),
    PageUp => Spec::new("page-up", &[code(PageUp)]).says("page up"),
    PageDown => Spec::new("page-down", &[code(PageDown)]).says("page down"),
    Mark => Spec::new("mark", &[ch(' ')]).says("mark / unmark, then move down").hint("mark"),
    Range => Spec::new("range", &[ch('v')])
        .says("start a range; {range} or {mark} marks it")
        .hint("range"),
    MarkAll => Spec::new("mark-all", &[Key::ctrl('a')])
        .says("mark every visible row that can be deleted"),
    Invert => Spec::new("invert", &[ch('i')]).says("invert marks on visible rows"),
    MarkedOnly => Spec::new("marked-only", &[ch('M')])
        .says("show only the marked rows, or every row again"),
    Clear => Spec::new("clear", &[code(Esc)]).says("clear the filter, else clear all marks"),
    Filter => Spec::new("filter", &[ch('/')])
        .says("filter: text, status:, state:, label:, title:, age>30d")
        .hint("filter"),
    Sort => Spec::new("sort", &[ch('s')])
        .says("sort by the next column, left to right, after list order"),
    Reverse => Spec::new("reverse", &[ch('S')]).says("reverse the sort"),
    Columns => Spec::new("columns", &[ch('c')])
        .says("toggle the optional columns (created, added, size, detail)"),
    Delete => Spec::new("delete", &[ch('d'), code(Delete)])
        .says("delete marked rows (or the current one)")
        .hint("delete")
        .asks(),
    Forget => Spec::new("forget", &[ch('x')])
        .says("forget marked rows locally (nothing sent)")
        .asks(),
    Add => Spec::new("add", &[ch('a')]).says("add IDs by typing or pasting text").hint("add"),
    MarkFailed => Spec::new("mark-failed", &[ch('R')])
        .says("mark failed rows but forbidden ones; again: those too"),
    Protect => Spec::new("protect", &[ch('p')])
        .says("protect marked rows (or the current one); again: unprotect"),
    Retry => Spec::new("retry", &[ch('r')]).says("a halted batch: try again now"),
    Pause => Spec::new("pause", &[ch('P')])
        .says("pause the batch (requests on the wire finish); again: resume"),
    Copy => Spec::new("copy", &[ch('y')])
        .says("copy the current row's ID to the clipboard (OSC 52)"),
    CopyMarked => Spec::new("copy-marked", &[ch('Y')])
        .says("copy the marked rows' IDs, one per line"),
    Export => Spec::new("export", &[ch('e')]).says("write the marked rows' IDs to a file"),
    Details => Spec::new("details", &[code(Enter)])
        .says("details of the current row")
        .hint("detail"),
    GoToRow => Spec::new("go-to-row", &[code(Enter)])
        .says("go to the entry's row in the table, if it is still there")
        .under(Dialogs),
    ApiKey => Spec::new("api-key", &[ch('K')]).says("enter the API key"),
    History => Spec::new("history", &[ch('H')]).says("history"),
    Sync => Spec::new("sync", &[ch('L')])
        .says("sync: list the account's videos from the API into the list"),
    Help => Spec::new("help", &[ch('?')]).says("this help").hint("help"),
    Quit => Spec::new("quit", &[ch('q')])
        .says("quit (asks while a batch runs); in a view, close it")
        .hint("quit")
        .asks(),
    CancelBatch => Spec::new("cancel", &[Key::ctrl('c')]).says("cancel the batch; when idle, quit"),
    Submit => Spec::new("submit", &[code(Enter)])
        .says("done: keep the filter, add IDs, use the key, confirm, write")
        .under(Text),
    SwitchField => Spec::new("switch", &[code(Tab), code(BackTab)])
        .says("IDs or label field; save the key to the config or not")
        .under(Text),
    CursorLeft => Spec::new("left", &[code(Left)]).says("cursor left").under(Text),
    CursorRight => Spec::new("right", &[code(Right)]).says("cursor right").under(Text),
    LineStart => Spec::new("line-start", &[code(Home)]).says("cursor to the start").under(Text),
    LineEnd => Spec::new("line-end", &[code(End)]).says("cursor to the end").under(Text),
    DeleteBack => Spec::new("backspace", &[code(Backspace)])
        .says("delete the character before the cursor")
        .under(Text),
    DeleteForward => Spec::new("delete-char", &[code(Delete)])
        .says("delete the character under the cursor")
        .under(Text),
    DeleteWord => Spec::new("delete-word", &[Key::ctrl('w')])
        .says("delete the word before the cursor")
        .under(Text),
    DeleteToStart => Spec::new("delete-to-start", &[Key::ctrl('u')])
        .says("delete everything before the cursor")
        .under(Text),
    Yes => Spec::new("yes", &[ch('y')])
        .says("yes: delete, forget, quit or replace, as asked")
        .under(Dialogs),
    No => Spec::new("no", &[ch('n')]).says("no: nothing happens").under(Dialogs),
    Undo => Spec::new("undo", &[ch('u')])
        .says("undo a confirmed delete before its countdown ends")
        .under(Dialogs),
    Close => Spec::new("close", &[code(Esc), Key::ctrl('c')])
        .says("close: answers no, undoes a countdown, leaves a view")
        .under(Dialogs),
}

/// Names an action had before (old name, new name): a config that still uses one is told the
/// new name instead of being refused without a hint.
pub const RENAMED: &[(&str, &str)] = &[("key", "api-key")];

impl Action {
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|action| action.spec().name == name)
    }
}
