//! Colours and emphasis in one place, so `NO_COLOR` turns every colour off at once (bold,
//! reverse and dim stay: they are not colour). Status words carry meaning without colour.
//! `[theme]` in the config gives parts other colours (`Palette`, read and checked here, a
//! wrong name refused with its line); `NO_COLOR` wins over it too.

use ratatui::style::{Color, Modifier, Style};

use crate::api::OutcomeKind;
use crate::config::{Refused, ThemeColour};

/// What `[theme]` can colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// The app's name in the header line, the column names, dialog titles.
    Header,
    /// The profile and host, prompts and fields.
    Accent,
    /// Marks, and counts that need a look (hidden, protected, read-only).
    Marked,
    /// What cannot be undone, and errors.
    Danger,
    /// The batch's progress gauge.
    Gauge,
    /// A row with a request on its way (queued, deleting, retrying, needs key).
    Sending,
    /// A row whose last delete ended so.
    Status(OutcomeKind),
}

/// Every part by the name `[theme]` gives it.
const PARTS: [(&str, Part); 15] = [
    ("header", Part::Header),
    ("accent", Part::Accent),
    ("marked", Part::Marked),
    ("danger", Part::Danger),
    ("gauge", Part::Gauge),
    ("sending", Part::Sending),
    ("deleted", Part::Status(OutcomeKind::Deleted)),
    ("not_found", Part::Status(OutcomeKind::NotFound)),
    ("processing", Part::Status(OutcomeKind::Processing)),
    ("forbidden", Part::Status(OutcomeKind::Forbidden)),
    ("unauthorized", Part::Status(OutcomeKind::Unauthorized)),
    ("failed", Part::Status(OutcomeKind::Failed)),
    ("cancelled", Part::Status(OutcomeKind::Cancelled)),
    ("skipped", Part::Status(OutcomeKind::Skipped)),
    ("protected", Part::Status(OutcomeKind::Protected)),
];

/// The colours `[theme]` chose, each in place of its part's own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Palette {
    chosen: Vec<(Part, Color)>,
}

impl Palette {
    /// The palette `entries` (as the config has them) describe: each names a part and a
    /// colour: a name (`red`, `light-blue`, `dark-gray`, `reset` for the terminal's own), a
    /// `#rrggbb` or a number of the 256-colour table. Anything else is refused.
    pub fn read(entries: &[ThemeColour]) -> Result<Self, Refused> {
        let mut chosen = Vec::with_capacity(entries.len());
        for entry in entries {
            let refuse = |reason: String| Refused {
                line: entry.line,
                reason,
            };
            let Some(&(_, part)) = PARTS.iter().find(|(name, _)| *name == entry.part) else {
                let names: Vec<&str> = PARTS.iter().map(|(name, _)| *name).collect();
                return Err(refuse(format!(
                    "`{}` is not something the theme colours (it colours: {})",
                    entry.part,
                    names.join(", ")
                )));
            };
            let colour = entry.colour.parse::<Color>().map_err(|_| {
                refuse(format!(
                    "{} = {:?}: not a colour; use a name (red, light-blue, dark-gray, reset \
                     ...), #rrggbb, or 0 to 255",
                    entry.part, entry.colour
                ))
            })?;
            chosen.push((part, colour));
        }
        Ok(Self { chosen })
    }

    fn colour(&self, part: Part) -> Option<Color> {
        self.chosen
            .iter()
            .find(|(chosen, _)| *chosen == part)
            .map(|&(_, colour)| colour)
    }
}

pub struct Theme<'p> {
    color: bool,
    palette: &'p Palette,
}

impl<'p> Theme<'p> {
    pub fn new(no_color: bool, palette: &'p Palette) -> Self {
        Self {
            color: !no_color,
            palette,
        }
    }

    /// `part`'s colour: the palette's, else `default`; none at all under `NO_COLOR`.
    fn fg(&self, part: Part, default: Option<Color>) -> Style {
        match self.palette.colour(part).or(default) {
            Some(color) if self.color => Style::new().fg(color),
            _ => Style::new(),
        }
    }

    pub fn header(&self) -> Style {
        self.fg(Part::Header, None).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn cursor(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn marked(&self) -> Style {
        self.fg(Part::Marked, Some(Color::Yellow))
            .add_modifier(Modifier::BOLD)
    }

    pub fn danger(&self) -> Style {
        self.fg(Part::Danger, Some(Color::Red))
            .add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(Part::Accent, Some(Color::Cyan))
    }

    pub fn gauge(&self) -> Style {
        self.fg(Part::Gauge, Some(Color::Green))
    }

    pub fn status(&self, kind: Option<OutcomeKind>) -> Style {
        let Some(kind) = kind else {
            return self.fg(Part::Sending, Some(Color::Cyan));
        };
        let part = Part::Status(kind);
        match kind {
            OutcomeKind::Deleted | OutcomeKind::NotFound => self.fg(part, Some(Color::Green)),
            OutcomeKind::Cancelled | OutcomeKind::Skipped | OutcomeKind::Protected => {
                match self.palette.colour(part) {
                    Some(_) => self.fg(part, None),
                    None => self.dim(),
                }
            }
            OutcomeKind::Processing => self.fg(part, Some(Color::Yellow)),
            OutcomeKind::Forbidden | OutcomeKind::Unauthorized | OutcomeKind::Failed => {
                self.fg(part, Some(Color::Red))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(part: &str, colour: &str, line: usize) -> ThemeColour {
        ThemeColour {
            part: part.into(),
            colour: colour.into(),
            line,
        }
    }

    #[test]
    fn names_hex_and_indexed_colours_are_read_and_anything_else_is_refused_by_line() {
        let palette = Palette::read(&[
            entry("deleted", "light-blue", 2),
            entry("marked", "#ff8800", 3),
            entry("header", "208", 4),
            entry("accent", "Dark Gray", 5),
        ])
        .unwrap();
        assert_eq!(
            palette.colour(Part::Status(OutcomeKind::Deleted)),
            Some(Color::LightBlue)
        );
        assert_eq!(palette.colour(Part::Marked), Some(Color::Rgb(255, 136, 0)));
        assert_eq!(palette.colour(Part::Header), Some(Color::Indexed(208)));
        assert_eq!(palette.colour(Part::Accent), Some(Color::DarkGray));
        let unknown = Palette::read(&[entry("statuses", "red", 7)]).unwrap_err();
        assert_eq!(unknown.line, 7);
        assert!(
            unknown
                .reason
                .starts_with("`statuses` is not something the theme colours"),
            "{}",
            unknown.reason
        );
        let wrong = Palette::read(&[entry("failed", "blood", 9)]).unwrap_err();
        assert_eq!(wrong.line, 9);
        assert!(
            wrong.reason.starts_with("failed = \"blood\": not a colour"),
            "{}",
            wrong.reason
        );
    }

    #[test]
    fn every_part_has_a_name_and_no_color_wins_over_the_palette() {
        let palette = Palette::read(&[entry("danger", "blue", 1)]).unwrap();
        assert_eq!(Theme::new(false, &palette).danger().fg, Some(Color::Blue));
        assert_eq!(Theme::new(true, &palette).danger().fg, None);
        let unset = Palette::default();
        assert_eq!(Theme::new(false, &unset).danger().fg, Some(Color::Red));
        let names: std::collections::HashSet<&str> = PARTS.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), PARTS.len(), "one name per part");
    }
}
