//! The table's columns, each ONE entry of `COLUMNS`: its config name, header, width rule,
//! when it gives way on a narrow terminal, whether the `columns` key hides it, when a row
//! fills it, its sort key and how it reads a row. Which show (`Plan::new`): those the
//! `columns` setting names, in its order (`ColumnOrder`), less the optional ones the key hid
//! and those no row fills, then as many as fit, the least needed giving way first. The freed
//! width goes to the columns that fill (label, title, detail). Drawing the rows is `table`'s.

use jiff::Timestamp;
use ratatui::text::Line;

use super::table::{detail_text, status_text};
use super::theme::Theme;
use crate::config::Refused;
use crate::printable::{into_printable, printable};
use crate::query::age_at;
use crate::rails::Protection;
use crate::sort::{SortKey, SortOrder};
use crate::store::shown_size;
use crate::time_text::relative;
use crate::tui::app::row::{Row, state_text};
use crate::tui::app::{App, Filled};

/// The full ID, and the first 8 characters of it on a narrow terminal.
const FULL_ID: u16 = 36;
const SHORT_ID: u16 = 8;

/// How wide a column is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// Exactly this many cells.
    Fixed(u16),
    /// At least `min` (less, for a column that fits and whose every cell is narrower). The
    /// room left goes first to the columns that `fit` their content (as wide as their widest
    /// cell on screen, the heaviest first), then by `weight` to those that do not, else to
    /// those that do.
    Fill { min: u16, weight: u16, fit: bool },
    /// The ID: whole, or its first 8 characters once the terminal is too narrow.
    Id,
}

/// When a column gives way to a narrow terminal, in `order` among its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveWay {
    /// Always shown (if chosen).
    Never,
    /// Before the ID is shortened.
    Early(u8),
    /// After the ID is shortened.
    Late(u8),
}

/// What a column's cell reads: one row, as the table draws it.
pub struct RowView<'a> {
    pub app: &'a App,
    pub index: u32,
    pub row: &'a Row,
    pub now: Timestamp,
    /// Why the profile protects it, if it does.
    pub protected: Option<Protection>,
    pub theme: &'a Theme<'a>,
    /// How wide the ID is drawn in this plan.
    pub id_width: u16,
    /// The user paused the batch: rows waiting to be sent say so.
    pub paused: bool,
}

/// One column of the table.
pub struct Column {
    /// As the `columns` setting names it.
    pub name: &'static str,
    pub header: &'static str,
    pub width: Width,
    pub give_way: GiveWay,
    /// The `columns` key hides it (and shows it again).
    pub optional: bool,
    /// Some row fills it (a column no row fills takes no space).
    pub filled: fn(Filled, &App) -> bool,
    /// The order the header marks when the table is sorted by it.
    pub sort: Option<SortKey>,
    /// The cell's text and style (its width is what `fit` measures).
    pub cell: fn(&RowView<'_>) -> Line<'static>,
}

/// Every column, in the default order.
pub const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        header: "ID",
        width: Width::Id,
        give_way: GiveWay::Never,
        optional: false,
        filled: |_, _| true,
        sort: Some(SortKey::Id),
        cell: |view| {
            let id = view.row.id.to_string();
            Line::from(id[..usize::from(view.id_width).min(id.len())].to_owned())
        },
    },
    Column {
        name: "label",
        header: "LABEL",
        width: Width::Fill {
            min: 10,
            weight: 1,
            fit: true,
        },
        give_way: GiveWay::Early(2),
        optional: false,
        filled: |filled, _| filled.label,
        sort: Some(SortKey::Label),
        cell: |view| {
            let label = view.app.rows().label(view.index).unwrap_or("");
            Line::from(printable(label).into_owned())
        },
    },
    Column {
        name: "title",
        header: "TITLE",
        width: Width::Fill {
            min: 12,
            weight: 2,
            fit: true,
        },
        give_way: GiveWay::Late(2),
        optional: false,
        filled: |filled, _| filled.title,
        sort: Some(SortKey::Title),
        cell: |view| {
            let title = view.app.rows().title(view.index).unwrap_or("");
            Line::from(printable(title).into_owned())
        },
    },
    Column {
        name: "created",
        header: "CREATED",
        // An age (`3d`, `11mo`) under its header, with room for the sort mark.
        width: Width::Fixed(9),
        give_way: GiveWay::Late(1),
        optional: true,
        filled: |filled, _| filled.created,
        sort: Some(SortKey::Created),
        cell: |view| {
            let age = (view.app.rows().created_at(view.index))
                .map(|at| age_at(view.now, at))
                .unwrap_or_default();
            Line::from(age).style(view.theme.dim())
        },
    },
    Column {
        name: "added",
        header: "ADDED",
        width: Width::Fixed(10),
        give_way: GiveWay::Early(1),
        optional: true,
        filled: |_, _| true,
        sort: Some(SortKey::Added),
        cell: |view| {
            let added = view.app.rows().added_at(view.index);
            Line::from(relative(view.now, added)).style(view.theme.dim())
        },
    },
    Column {
        name: "size",
        header: "SIZE",
        // `999.9 MB`, with room for the sort mark.
        width: Width::Fixed(9),
        give_way: GiveWay::Early(0),
        optional: true,
        filled: |filled, _| filled.size,
        sort: Some(SortKey::Size),
        cell: |view| {
            let size = view.row.generation().file_size.map(shown_size);
            Line::from(size.unwrap_or_default()).style(view.theme.dim())
        },
    },
    Column {
        name: "state",
        header: "STATE",
        // The longest, `processing` and `not listed`.
        width: Width::Fixed(10),
        give_way: GiveWay::Late(1),
        optional: false,
        filled: |filled, _| filled.state,
        sort: Some(SortKey::State),
        cell: |view| Line::from(state_text(view.row).unwrap_or("")).style(view.theme.dim()),
    },
    Column {
        name: "status",
        header: "STATUS",
        width: Width::Fixed(12),
        give_way: GiveWay::Never,
        optional: false,
        filled: |filled, _| filled.outcome,
        sort: Some(SortKey::Status),
        cell: |view| {
            let style = view.theme.status(view.row.outcome_kind());
            status_text(view.row, view.now, view.paused).style(style)
        },
    },
    Column {
        name: "detail",
        header: "DETAIL",
        // Error details are longer than labels and matter more during a batch, but the
        // title and the label fit first.
        width: Width::Fill {
            min: 12,
            weight: 2,
            fit: false,
        },
        give_way: GiveWay::Late(3),
        optional: true,
        filled: |filled, app| filled.outcome || app.rails().protects_anything(),
        sort: None,
        cell: |view| {
            let detail = detail_text(view.row, view.app.wait_of(view.index), view.now);
            let rails = view.app.rails();
            // The server's words, and a protect rule's as the config has it: printable.
            Line::from(into_printable(match view.protected {
                Some(why) if detail.is_empty() => rails.reason(why),
                Some(why) => format!("{} · {detail}", rails.reason(why)),
                None => detail,
            }))
        },
    },
];

/// The columns a profile shows, in its order: `columns = [...]` in the config, else every
/// column in `COLUMNS`' order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnOrder(Vec<&'static str>);

impl Default for ColumnOrder {
    fn default() -> Self {
        Self(COLUMNS.iter().map(|column| column.name).collect())
    }
}

impl ColumnOrder {
    /// The order `names` (as the config has them, each with its line) give. A name that is
    /// no column, one named twice, and a list without `id` (the ID is what a delete sends:
    /// it is always shown) are refused, naming the line.
    pub fn read(names: &[(String, usize)], line: usize) -> Result<Self, Refused> {
        let known = || {
            let names: Vec<&str> = COLUMNS.iter().map(|column| column.name).collect();
            names.join(", ")
        };
        let mut order = Vec::with_capacity(names.len());
        for (name, at) in names {
            let refuse = |reason: String| Refused { line: *at, reason };
            let Some(column) = COLUMNS.iter().find(|column| column.name == name) else {
                return Err(refuse(format!(
                    "`{}` is not a column (the columns: {})",
                    printable(name),
                    known()
                )));
            };
            if order.contains(&column.name) {
                return Err(refuse(format!("`{name}` is named twice")));
            }
            order.push(column.name);
        }
        if !order.contains(&"id") {
            return Err(Refused {
                line,
                reason: "the list leaves out `id`: the ID is what a delete sends, so it is \
                         always shown; put it where you want it"
                    .to_owned(),
            });
        }
        Ok(Self(order))
    }

    /// The chosen columns, in order.
    pub fn columns(&self) -> impl Iterator<Item = &'static Column> + '_ {
        self.0
            .iter()
            .filter_map(|name| COLUMNS.iter().find(|column| column.name == *name))
    }

    /// The order the `sort` key takes after `current`: list order (the added column's),
    /// then the sort key of each chosen column some row fills (`filled`: a state or a size
    /// only once a sync listed them) in the order the table shows them, then round.
    pub fn next_sort(&self, current: SortKey, filled: impl Fn(&Column) -> bool) -> SortKey {
        let chosen = (self.columns())
            .filter(|column| filled(column))
            .filter_map(|column| column.sort)
            .filter(|&key| key != SortKey::Added);
        let keys: Vec<SortKey> = std::iter::once(SortKey::Added).chain(chosen).collect();
        match keys.iter().position(|&key| key == current) {
            Some(at) => keys[(at + 1) % keys.len()],
            // Sorted by a column no longer chosen: start again.
            None => keys.get(1).copied().unwrap_or(SortKey::Added),
        }
    }

    /// The names of the chosen columns the `columns` key hides.
    pub fn optional(&self) -> Vec<&'static str> {
        (self.columns())
            .filter(|column| column.optional)
            .map(|column| column.name)
            .collect()
    }
}

/// The columns that show at a width, and how wide the ID is.
pub struct Plan {
    pub columns: Vec<&'static Column>,
    pub id_width: u16,
}

impl Plan {
    /// The first plan that fits `width`: the ID whole with the `Early` columns giving way
    /// one by one, then the ID shortened with all of them back and the `Early`, then the
    /// `Late` ones giving way. `wanted` are the chosen columns worth showing, in order.
    pub fn new(wanted: &[&'static Column], width: u16) -> Self {
        let giving = |late: bool| {
            let mut giving: Vec<((bool, u8), &'static Column)> = (wanted.iter())
                .filter_map(|&column| match column.give_way {
                    GiveWay::Early(order) => Some(((false, order), column)),
                    GiveWay::Late(order) if late => Some(((true, order), column)),
                    GiveWay::Late(_) | GiveWay::Never => None,
                })
                .collect();
            giving.sort_by_key(|(order, _)| *order);
            giving
                .into_iter()
                .map(|(_, column)| column)
                .collect::<Vec<_>>()
        };
        for (id_width, giving) in [(FULL_ID, giving(false)), (SHORT_ID, giving(true))] {
            for gone in 0..=giving.len() {
                let columns: Vec<&'static Column> = (wanted.iter().copied())
                    .filter(|column| !giving[..gone].iter().any(|g| std::ptr::eq(*g, *column)))
                    .collect();
                let plan = Self { columns, id_width };
                if plan.min_width() <= width {
                    return plan;
                }
            }
        }
        Self {
            columns: (wanted.iter().copied())
                .filter(|column| column.give_way == GiveWay::Never)
                .collect(),
            id_width: SHORT_ID,
        }
    }

    /// The cells the plan needs: the mark, each column at its least, a space between each.
    pub fn min_width(&self) -> u16 {
        let widths = self.columns.iter().map(|column| match column.width {
            Width::Fixed(cells) | Width::Fill { min: cells, .. } => cells,
            Width::Id => self.id_width,
        });
        1 + widths.map(|cells| cells + 1).sum::<u16>()
    }

    /// Each column's width in `width` cells, given its widest cell on screen (`widest`, in
    /// the plan's order): each at its least, then the columns that fit their content grow
    /// to it, the heaviest first, then the rest is shared by weight (see `Width::Fill`).
    pub fn widths(&self, width: u16, widest: &[u16]) -> Vec<u16> {
        let wants = |at: usize| widest.get(at).copied().unwrap_or(0);
        let mut widths: Vec<u16> = (self.columns.iter().enumerate())
            .map(|(at, column)| match column.width {
                // Narrower than its least when every cell (and the header) is.
                Width::Fill { min, fit: true, .. } => min.min(wants(at)),
                Width::Fixed(cells) | Width::Fill { min: cells, .. } => cells,
                Width::Id => self.id_width,
            })
            .collect();
        let used = 1 + widths.iter().map(|cells| cells + 1).sum::<u16>();
        let mut spare = width.saturating_sub(used);
        // The heaviest first: the title fits before the label.
        let mut fitting: Vec<(u16, usize)> = (self.columns.iter().enumerate())
            .filter_map(|(at, column)| match column.width {
                Width::Fill {
                    weight, fit: true, ..
                } => Some((weight, at)),
                Width::Fill { fit: false, .. } | Width::Fixed(_) | Width::Id => None,
            })
            .collect();
        fitting.sort_by_key(|&(weight, _)| std::cmp::Reverse(weight));
        for (_, at) in fitting {
            let grow = wants(at).saturating_sub(widths[at]).min(spare);
            widths[at] += grow;
            spare -= grow;
        }
        // The rest goes to the columns that do not fit their content (the detail), else to
        // those that do.
        let unfitted = (self.columns.iter())
            .any(|column| matches!(column.width, Width::Fill { fit: false, .. }));
        let weights: Vec<u16> = (self.columns.iter())
            .map(|column| match column.width {
                Width::Fill { weight, fit, .. } if fit != unfitted => weight,
                Width::Fill { .. } | Width::Fixed(_) | Width::Id => 0,
            })
            .collect();
        let total: u16 = weights.iter().sum();
        if let Some(share) = spare.checked_div(total) {
            let mut left = spare - share * total;
            for (at, &weight) in weights.iter().enumerate() {
                widths[at] += share * weight;
                // What does not divide evenly goes to the first filling columns.
                if weight > 0 && left > 0 {
                    let more = left.min(weight);
                    widths[at] += more;
                    left -= more;
                }
            }
        }
        widths
    }

    /// The header line, the sorted column marked `▲` (ascending) or `▼`.
    pub fn header(&self, order: SortOrder) -> Vec<String> {
        let sorted = (!order.is_list_order()).then_some(order.key);
        let mark = if order.descending { " ▼" } else { " ▲" };
        let mut header = vec![" ".to_owned()];
        header.extend(
            self.columns
                .iter()
                .map(|column| match (column.sort, sorted) {
                    (Some(key), Some(sorted)) if key == sorted => {
                        format!("{}{mark}", column.header)
                    }
                    _ => column.header.to_owned(),
                }),
        );
        header
    }
}

#[cfg(test)]
mod tests;
