//! `Key`: one key with its modifiers, as the keymap binds it: made from a terminal key event,
//! and named as the help shows it and `[keys]` in config.toml writes it (`d`, `D`, `Space`,
//! `Enter`, `Esc`, `Delete`, `Ctrl-a`, `PgDn`, `F5`, `↑` or `Up`...). Knows no actions.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
    alt: bool,
}

/// Named keys: the name shown first, then the other spellings a config may use (any case).
const NAMES: &[(KeyCode, &str, &[&str])] = &[
    (KeyCode::Char(' '), "Space", &[]),
    (KeyCode::Enter, "Enter", &["Return"]),
    (KeyCode::Esc, "Esc", &["Escape"]),
    (KeyCode::Tab, "Tab", &[]),
    (KeyCode::BackTab, "Shift-Tab", &["BackTab"]),
    (KeyCode::Backspace, "Backspace", &[]),
    (KeyCode::Delete, "Delete", &["Del"]),
    (KeyCode::Insert, "Insert", &["Ins"]),
    (KeyCode::Home, "Home", &[]),
    (KeyCode::End, "End", &[]),
    (KeyCode::PageUp, "PgUp", &["PageUp"]),
    (KeyCode::PageDown, "PgDn", &["PageDown"]),
    (KeyCode::Up, "↑", &["Up"]),
    (KeyCode::Down, "↓", &["Down"]),
    (KeyCode::Left, "←", &["Left"]),
    (KeyCode::Right, "→", &["Right"]),
];

impl Key {
    /// A key pressed on its own.
    pub const fn plain(code: KeyCode) -> Self {
        Self {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// A character typed on its own (its case is the key: `D` is Shift-d).
    pub const fn char(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// Ctrl with a letter, lower-case (terminals cannot tell Ctrl-A from Ctrl-a).
    pub const fn ctrl(c: char) -> Self {
        Self {
            code: KeyCode::Char(c),
            ctrl: true,
            alt: false,
        }
    }

    /// The key of a terminal event. Shift is in the character itself (`D`) or the code
    /// (`BackTab`), so it is dropped; Ctrl with a letter is lower-cased.
    pub fn from_event(event: &KeyEvent) -> Self {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let code = match event.code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        Self {
            code,
            ctrl,
            alt: event.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Reads a key name as `Display` writes it, or one of its other spellings.
    pub fn parse(name: &str) -> Option<Self> {
        let (mut ctrl, mut alt, mut rest) = (false, false, name);
        // A lone "-" is the minus key, and "Ctrl--" is Ctrl with it.
        while rest.len() > 1 {
            if let Some(after) = strip_prefix_ci(rest, "Ctrl-") {
                ctrl = true;
                rest = after;
            } else if let Some(after) = strip_prefix_ci(rest, "Alt-") {
                alt = true;
                rest = after;
            } else {
                break;
            }
        }
        let code = code_named(rest)?;
        let code = match code {
            KeyCode::Char(c) if ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        Some(Self { code, ctrl, alt })
    }

    /// The character a text field types for this key: a character with no Ctrl or Alt.
    pub fn typed(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }
}

/// A single character is itself (case matters: `d` is not `D`); names ignore case.
fn code_named(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return match c {
            '↑' => Some(KeyCode::Up),
            '↓' => Some(KeyCode::Down),
            '←' => Some(KeyCode::Left),
            '→' => Some(KeyCode::Right),
            c if c.is_control() || c == ' ' => None,
            c => Some(KeyCode::Char(c)),
        };
    }
    if let Some(n) = strip_prefix_ci(name, "F").and_then(|n| n.parse::<u8>().ok()) {
        return (1..=24).contains(&n).then_some(KeyCode::F(n));
    }
    NAMES
        .iter()
        .find(|(_, shown, others)| {
            shown.eq_ignore_ascii_case(name) || others.iter().any(|o| o.eq_ignore_ascii_case(name))
        })
        .map(|(code, _, _)| *code)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if let Some((_, name, _)) = NAMES.iter().find(|(code, _, _)| *code == self.code) {
            return f.write_str(name);
        }
        match self.code {
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_key() {
        let keys = [
            Key::char('d'),
            Key::char('D'),
            Key::char('?'),
            Key::char('-'),
            Key::ctrl('a'),
            Key::ctrl('-'),
            Key::plain(KeyCode::F(5)),
            Key::plain(KeyCode::F(12)),
        ]
        .into_iter()
        .chain(NAMES.iter().map(|(code, _, _)| Key::plain(*code)));
        for key in keys {
            let name = key.to_string();
            assert_eq!(Key::parse(&name), Some(key), "{name}");
        }
    }

    #[test]
    fn names_as_people_write_them() {
        let d = Key::char('d');
        assert_eq!(Key::parse("D"), Some(Key::char('D')));
        assert_ne!(Key::parse("D"), Some(d));
        assert_eq!(Key::parse("ctrl-A"), Some(Key::ctrl('a')));
        assert_eq!(
            Key::parse("CTRL-a").map(|k| k.to_string()),
            Some("Ctrl-a".into())
        );
        assert_eq!(Key::parse("pagedown"), Key::parse("PgDn"));
        assert_eq!(Key::parse("Up"), Some(Key::plain(KeyCode::Up)));
        assert_eq!(Key::parse("space"), Some(Key::char(' ')));
        assert_eq!(Key::parse("f5"), Some(Key::plain(KeyCode::F(5))));
        assert_eq!(
            Key::parse("Alt-x").map(|k| k.to_string()),
            Some("Alt-x".into())
        );
        for bad in [
            "", " ", "Ctrl-", "dd", "F0", "F25", "Hyper-x", "Spacebar", "\t",
        ] {
            assert_eq!(Key::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn events_become_keys_as_the_terminal_reports_them() {
        let event = |code, modifiers| Key::from_event(&KeyEvent::new(code, modifiers));
        assert_eq!(
            event(KeyCode::Char('D'), KeyModifiers::SHIFT),
            Key::char('D')
        );
        assert_eq!(
            event(
                KeyCode::Char('A'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            Key::ctrl('a')
        );
        assert_eq!(
            event(KeyCode::BackTab, KeyModifiers::SHIFT),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(
            event(KeyCode::Char('x'), KeyModifiers::NONE).typed(),
            Some('x')
        );
        assert_eq!(
            event(KeyCode::Char('x'), KeyModifiers::CONTROL).typed(),
            None
        );
    }
}
