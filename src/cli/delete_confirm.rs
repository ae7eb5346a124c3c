//! The go-ahead for a `delete` batch, as the profile and the batch ask for it, and as the
//! app asks: `--yes`, or on the terminal `[y/N]` for a small batch, the count typed from
//! `confirm_threshold` up, the profile's name (`--confirm-name`, or typed) for
//! `confirm = "name"`. The question goes to the terminal even when standard input is a
//! pipe (`printable::terminal`); with no terminal at all it refuses. An answer that is not
//! the one asked for says what was wrong, and only the right one makes the `Cleared` batch.

use super::{CliError, DeleteArgs};
use crate::printable::terminal::Terminal;
use crate::rails::{Checked, Cleared};

/// Where a batch goes, as the confirmation names it.
pub struct Shown<'a> {
    pub host: &'a str,
    pub profile: &'a str,
}

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (profile {})", self.host, self.profile)
    }
}

/// What the user must answer to confirm.
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    /// `y` or `yes`.
    Yes,
    /// The number of videos, typed (a batch of `confirm_threshold` or more).
    Count(usize),
    /// The profile's name (`confirm = "name"`), whatever the size.
    Name(String),
}

/// The user's go-ahead for `checked`, going to `shown`. `Ok(None)`: not confirmed, nothing
/// sent (exit 1). A `--confirm-name` that is not the profile's name, or no terminal to ask
/// on, is exit 2.
pub fn confirm(
    checked: Checked,
    args: &DeleteArgs,
    (shown, preface): (&Shown<'_>, &[String]),
    threshold: usize,
    frees: Option<String>,
) -> Result<Option<Cleared>, CliError> {
    let count = checked.ids().len();
    let profile = shown.profile;
    if let Some(given) = &args.confirm_name {
        if given != profile {
            return Err(CliError::Usage(format!(
                "--confirm-name {given}: this is profile {profile}; nothing was sent"
            )));
        }
        if args.yes || checked.name_to_type().is_some() {
            return Ok(checked.confirm(Some(given)).ok());
        }
    }
    let asked = match checked.name_to_type() {
        Some(name) => Asked::Name(name.to_owned()),
        None if count >= threshold => Asked::Count(count),
        None => Asked::Yes,
    };
    if args.yes && !matches!(asked, Asked::Name(_)) {
        return Ok(checked.confirm(None).ok());
    }
    let mut terminal = Terminal::open().map_err(|why| {
        let how = match &asked {
            Asked::Name(name) => {
                format!("profile {name} is confirmed by its name: pass --confirm-name {name}")
            }
            Asked::Yes | Asked::Count(_) => "Pass --yes to confirm".to_owned(),
        };
        CliError::Usage(format!(
            "refusing to delete {count} video(s) without confirmation: {why}. {how} (or \
             --dry-run to see what would be sent); nothing was sent"
        ))
    })?;
    for line in preface {
        terminal.say(line).map_err(CliError::Output)?;
    }
    let answer = terminal
        .ask(&question(&asked, count, frees.as_deref(), shown))
        .map_err(CliError::Output)?;
    let answer = answer.trim();
    match wrong(&asked, answer) {
        None => {
            let typed = matches!(asked, Asked::Name(_)).then_some(answer);
            Ok(checked.confirm(typed).ok())
        }
        Some(why) => {
            if let Some(why) = why {
                terminal.say(&why).map_err(CliError::Output)?;
            }
            Ok(None)
        }
    }
}

/// `Delete 316 video(s) · 41.2 GB on HOST (profile P)? This cannot be undone.` and what to
/// answer; the size when a sync listed it.
fn question(asked: &Asked, count: usize, frees: Option<&str>, shown: &Shown<'_>) -> String {
    let frees = frees.map(|size| format!(" · {size}")).unwrap_or_default();
    let what = format!("Delete {count} video(s){frees} on {shown}? This cannot be undone.");
    match asked {
        Asked::Yes => format!("{what} [y/N] "),
        Asked::Count(count) => format!("{what} Type {count} to confirm: "),
        Asked::Name(name) => format!("{what} Type the profile's name ({name}) to confirm: "),
    }
}

/// `None` when `answer` confirms; else `Some`, with what to say of it (nothing for a plain
/// no).
fn wrong(asked: &Asked, answer: &str) -> Option<Option<String>> {
    let yes = matches!(answer.to_ascii_lowercase().as_str(), "y" | "yes");
    match asked {
        Asked::Yes if yes => None,
        Asked::Yes if matches!(answer.to_ascii_lowercase().as_str(), "" | "n" | "no") => Some(None),
        Asked::Yes => Some(Some(format!("{answer:?} is not y or yes"))),
        Asked::Count(count) if answer == count.to_string() => None,
        Asked::Count(count) if yes => Some(Some(format!(
            "{answer:?} is not {count}: a batch this large is confirmed by typing its count"
        ))),
        Asked::Count(count) => Some(Some(format!("{answer:?} is not {count}"))),
        Asked::Name(name) if answer == name => None,
        Asked::Name(name) => Some(Some(format!(
            "{answer:?} is not the profile's name ({name})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_answer_asked_for_confirms_and_a_wrong_one_says_why() {
        let count = Asked::Count(2004);
        assert_eq!(wrong(&count, "2004"), None);
        for (answer, why) in [
            (
                "y",
                "\"y\" is not 2004: a batch this large is confirmed by typing its count",
            ),
            ("2000", "\"2000\" is not 2004"),
            ("", "\"\" is not 2004"),
            ("2004 ", "\"2004 \" is not 2004"),
        ] {
            assert_eq!(
                wrong(&count, answer),
                Some(Some(why.to_owned())),
                "{answer:?}"
            );
        }
        assert_eq!(wrong(&Asked::Yes, "Y"), None);
        assert_eq!(wrong(&Asked::Yes, "yes"), None);
        assert_eq!(wrong(&Asked::Yes, ""), Some(None), "a plain no");
        assert_eq!(wrong(&Asked::Yes, "n"), Some(None));
        assert_eq!(
            wrong(&Asked::Yes, "2"),
            Some(Some("\"2\" is not y or yes".to_owned()))
        );
        let name = Asked::Name("prod".into());
        assert_eq!(wrong(&name, "prod"), None);
        assert!(wrong(&name, "y").is_some());
    }
}
