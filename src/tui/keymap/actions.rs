//! The table of actions: every key the app answers, described once. Each action has the name
//! `[keys]` in config.toml uses, the help line, the contexts it works in and its default
//! keys. Dispatch, the help overlay, the footer hints and the dialogs' key lines are all
//! derived from it. Adding a key is one entry here and one arm where its context is handled.

use crossterm::event::KeyCode;

use super::key::Key;

/// Where the keys go: the table, the filter line, or the open dialog or view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Table,
    Filter,
    Confirm,
    /// The confirmation of a profile with `confirm = "name"`: its name is typed.
    ConfirmName,
    Grace,
    Forget,
    Quit,
    AddIds,
    KeyPrompt,
    Detail,
    Help,
    History,
    /// The history's search line.
    HistorySearch,
    /// The prompt for the file the marked IDs are written to.
    Export,
    /// Whether to replace the file the export would write over.
    Replace,
}

/// Every context, for the checks that look at each.
pub const CONTEXTS: [Context; 15] = [
    Context::Table,
    Context::Filter,
    Context::Confirm,
    Context::ConfirmName,
    Context::Grace,
    Context::Forget,
    Context::Quit,
    Context::AddIds,
    Context::KeyPrompt,
    Context::Detail,
    Context::Help,
    Context::History,
    Context::HistorySearch,
    Context::Export,
    Context::Replace,
];

/// What typing does in a context with a text field: a key that types cannot also be an
/// action there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Typing {
    /// No field: every key is free for actions.
    Nothing,
    /// Only digits are typed (the count that confirms a large delete).
    Digits,
    /// Any character is typed.
    Text,
}

impl Context {
    pub fn typing(self) -> Typing {
        match self {
            Self::Filter
            | Self::ConfirmName
            | Self::AddIds
            | Self::KeyPrompt
            | Self::HistorySearch
            | Self::Export => Typing::Text,
            Self::Confirm => Typing::Digits,
            _ => Typing::Nothing,
        }
    }

    /// Whether typing in this context would type `key` instead of acting on it.
    pub fn types(self, key: Key) -> bool {
        match (self.typing(), key.typed()) {
            (Typing::Text, Some(_)) => true,
            (Typing::Digits, Some(c)) => c.is_ascii_digit(),
            _ => false,
        }
    }

    /// How the help and config errors name it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Table => "the table",
            Self::Filter => "the filter line",
            Self::Confirm => "the delete confirmation",
            Self::ConfirmName => "the delete confirmation by name",
            Self::Grace => "the undo countdown",
            Self::Forget => "the forget question",
            Self::Quit => "the quit question",
            Self::AddIds => "the add-IDs prompt",
            Self::KeyPrompt => "the API key prompt",
            Self::Detail => "the details view",
            Self::Help => "the help",
            Self::History => "the history",
            Self::HistorySearch => "the history's search line",
            Self::Export => "the export prompt",
            Self::Replace => "the question whether to replace a file",
        }
    }
}

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
    pub contexts: &'static [Context],
    pub keys: &'static [Key],
    pub section: Section,
    /// The word the footer shows after the action's key, for the few worth a reminder.
    pub hint: Option<&'static str>,
    /// Marks, adds, forgets or deletes: refused until the whole list is read.
    pub waits_for_list: bool,
    /// Opens a yes/no question (the delete confirmation, forget, quit during a batch): its
    /// keys must not answer `yes`, or pressing one twice would say yes unasked.
    pub asks: bool,
}

const TABLE: &[Context] = &[Context::Table];
/// The table and the views that scroll.
const SCROLLING: &[Context] = &[Context::Table, Context::Help, Context::History];
/// Every context with a text field.
const FIELDS: &[Context] = &[
    Context::Filter,
    Context::Confirm,
    Context::ConfirmName,
    Context::AddIds,
    Context::KeyPrompt,
    Context::HistorySearch,
    Context::Export,
    Context::Replace,
];
/// The table, and the views `q` closes.
const QUITS: &[Context] = &[
    Context::Table,
    Context::Detail,
    Context::Help,
    Context::History,
];
const QUESTIONS: &[Context] = &[
    Context::Confirm,
    Context::Forget,
    Context::Quit,
    Context::Replace,
];
const MODALS: &[Context] = &[
    Context::Confirm,
    Context::ConfirmName,
    Context::Grace,
    Context::Forget,
    Context::Quit,
    Context::AddIds,
    Context::KeyPrompt,
    Context::Detail,
    Context::Help,
    Context::History,
    Context::Export,
    Context::Replace,
];

impl Spec {
    /// An entry in the table section; `says` gives its help line.
    const fn new(name: &'static str, contexts: &'static [Context], keys: &'static [Key]) -> Self {
        Self {
            name,
            description: "",
            contexts,
            keys,
            section: Section::Table,
            hint: None,
            waits_for_list: false,
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

    const fn waits_for_list(self) -> Self {
        Self {
            waits_for_list: true,
            ..self
        }
    }

    const fn asks(self) -> Self {
        Self { asks: true, ..self }
    }
}

use Context as C;
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
    Up => Spec::new("up", SCROLLING, &[ch('k'), code(Up)]).says("move up"),
    Down => Spec::new("down", SCROLLING, &[ch('j'), code(Down)]).says("move down"),
    Top => Spec::new("top", SCROLLING, &[ch('g'), code(Home)]).says("first row"),
    Bottom => Spec::new("bottom", SCROLLING, &[ch('G'), code(End)]).says("last row"),
    PageUp => Spec::new("page-up", SCROLLING, &[code(PageUp)]).says("page up"),
    PageDown => Spec::new("page-down", SCROLLING, &[code(PageDown)]).says("page down"),
    Mark => Spec::new("mark", TABLE, &[ch(' ')])
        .says("mark / unmark, then move down")
        .hint("mark")
        .waits_for_list(),
    Range => Spec::new("range", TABLE, &[ch('v')])
        .says("start a range; {range} or {mark} marks it")
        .hint("range")
        .waits_for_list(),
    MarkAll => Spec::new("mark-all", TABLE, &[Key::ctrl('a')])
        .says("mark every visible row that can be deleted")
        .waits_for_list(),
    Invert => Spec::new("invert", TABLE, &[ch('i')])
        .says("invert marks on visible rows")
        .waits_for_list(),
    MarkedOnly => Spec::new("marked-only", TABLE, &[ch('M')])
        .says("show only the marked rows, or every row again"),
    Clear => Spec::new("clear", &[C::Table, C::Filter, C::HistorySearch], &[code(Esc)])
        .says("clear the filter, else clear all marks"),
    Filter => Spec::new("filter", &[C::Table, C::History], &[ch('/')])
        .says("filter: text, status:, label:, title:, id:, age>30d")
        .hint("filter"),
    Sort => Spec::new("sort", TABLE, &[ch('s')])
        .says("sort by the next column (id, label, title, created, status)")
        .waits_for_list(),
    Reverse => Spec::new("reverse", TABLE, &[ch('S')])
        .says("reverse the sort")
        .waits_for_list(),
    Delete => Spec::new("delete", TABLE, &[ch('d'), code(Delete)])
        .says("delete marked rows (or the current one)")
        .hint("delete")
        .waits_for_list()
        .asks(),
    Forget => Spec::new("forget", TABLE, &[ch('x')])
        .says("forget marked rows locally (nothing sent)")
        .waits_for_list()
        .asks(),
    Add => Spec::new("add", TABLE, &[ch('a')])
        .says("add IDs by typing or pasting text")
        .hint("add")
        .waits_for_list(),
    MarkFailed => Spec::new("mark-failed", TABLE, &[ch('R')])
        .says("mark rows whose last delete failed")
        .waits_for_list(),
    Protect => Spec::new("protect", TABLE, &[ch('p')])
        .says("protect marked rows (or the current one); again: unprotect")
        .waits_for_list(),
    Retry => Spec::new("retry", TABLE, &[ch('r')]).says("a halted batch: try again now"),
    Copy => Spec::new("copy", TABLE, &[ch('y')])
        .says("copy the current row's ID to the clipboard (OSC 52)"),
    CopyMarked => Spec::new("copy-marked", TABLE, &[ch('Y')])
        .says("copy the marked rows' IDs, one per line"),
    Export => Spec::new("export", TABLE, &[ch('e')]).says("write the marked rows' IDs to a file"),
    Details => Spec::new("details", &[C::Table, C::Detail], &[code(Enter)])
        .says("details of the current row")
        .hint("detail"),
    GoToRow => Spec::new("go-to-row", &[C::History], &[code(Enter)])
        .says("go to the entry's row in the table, if it is still there")
        .under(Dialogs),
    Key => Spec::new("key", TABLE, &[ch('K')]).says("enter the API key"),
    History => Spec::new("history", &[C::Table, C::History], &[ch('H')]).says("history"),
    Help => Spec::new("help", &[C::Table, C::Help], &[ch('?')])
        .says("this help")
        .hint("help"),
    Quit => Spec::new("quit", QUITS, &[ch('q')])
        .says("quit (asks while a batch runs); in a view, close it")
        .hint("quit")
        .asks(),
    CancelBatch => Spec::new("cancel", &[C::Table, C::Filter], &[Key::ctrl('c')])
        .says("cancel the batch; when idle, quit"),
    Submit => Spec::new("submit", FIELDS, &[code(Enter)])
        .says("done: keep the filter, add IDs, use the key, confirm, write")
        .under(Text),
    SwitchField => Spec::new("switch", &[C::AddIds, C::KeyPrompt], &[code(Tab), code(BackTab)])
        .says("IDs or label field; save the key to the config or not")
        .under(Text),
    CursorLeft => Spec::new("left", FIELDS, &[code(Left)])
        .says("cursor left")
        .under(Text),
    CursorRight => Spec::new("right", FIELDS, &[code(Right)])
        .says("cursor right")
        .under(Text),
    LineStart => Spec::new("line-start", FIELDS, &[code(Home)])
        .says("cursor to the start")
        .under(Text),
    LineEnd => Spec::new("line-end", FIELDS, &[code(End)])
        .says("cursor to the end")
        .under(Text),
    DeleteBack => Spec::new("backspace", FIELDS, &[code(Backspace)])
        .says("delete the character before the cursor")
        .under(Text),
    DeleteForward => Spec::new("delete-char", FIELDS, &[code(Delete)])
        .says("delete the character under the cursor")
        .under(Text),
    DeleteWord => Spec::new("delete-word", FIELDS, &[Key::ctrl('w')])
        .says("delete the word before the cursor")
        .under(Text),
    DeleteToStart => Spec::new("delete-to-start", FIELDS, &[Key::ctrl('u')])
        .says("delete everything before the cursor")
        .under(Text),
    Yes => Spec::new("yes", QUESTIONS, &[ch('y')])
        .says("yes: delete, forget, quit or replace, as asked")
        .under(Dialogs),
    No => Spec::new("no", QUESTIONS, &[ch('n')])
        .says("no: nothing happens")
        .under(Dialogs),
    Undo => Spec::new("undo", &[C::Grace], &[ch('u')])
        .says("undo a confirmed delete before its countdown ends")
        .under(Dialogs),
    Close => Spec::new("close", MODALS, &[code(Esc), Key::ctrl('c')])
        .says("close: answers no, undoes a countdown, leaves a view")
        .under(Dialogs),
}

impl Action {
    pub fn by_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|action| action.spec().name == name)
    }
}
