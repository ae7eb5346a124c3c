//! Colours and emphasis in one place, so `NO_COLOR` turns every colour off at once (bold,
//! reverse and dim stay: they are not colour). Status words carry meaning without colour.

use ratatui::style::{Color, Modifier, Style};

use crate::api::OutcomeKind;

pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(no_color: bool) -> Self {
        Self { color: !no_color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn header(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn cursor(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn marked(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn danger(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn gauge(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn status(&self, kind: Option<OutcomeKind>) -> Style {
        match kind {
            None => self.fg(Color::Cyan),
            Some(OutcomeKind::Deleted | OutcomeKind::NotFound) => self.fg(Color::Green),
            Some(OutcomeKind::Cancelled | OutcomeKind::Skipped | OutcomeKind::Protected) => {
                self.dim()
            }
            Some(OutcomeKind::Processing) => self.fg(Color::Yellow),
            Some(_) => self.fg(Color::Red),
        }
    }
}
