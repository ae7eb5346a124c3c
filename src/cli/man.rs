//! `man`: the man pages, from the same clap definition `--help` uses: `elytron-tui(1)`, which
//! lists a page for each command, and each of those pages (`man delete` prints
//! `elytron-tui-delete(1)`), so every page the first names can be made.

use clap::CommandFactory;

use super::args::shown;
use super::{Cli, CliError, Exit};
use crate::printable::out::Stdout;

/// Prints the page of `command` (`None`: the main page).
pub fn run(command: Option<&str>) -> Result<Exit, CliError> {
    let page = page(command)?;
    let mut out = Stdout::lock();
    man(page)
        .render(out.raw())
        .and_then(|()| out.flush())
        .map_err(CliError::Output)?;
    Ok(Exit::Success)
}

/// What every page names as its source: the program and its version.
const SOURCE: &str = concat!("elytron-tui ", env!("CARGO_PKG_VERSION"));

fn man(page: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(page).source(SOURCE)
}

/// The command a page is made from. clap's own `help` command is left out: it has no page
/// (`--help` is on every page), so the main page does not list one.
fn page(command: Option<&str>) -> Result<clap::Command, CliError> {
    let main = shown(Cli::command().disable_help_subcommand(true));
    let Some(name) = command else {
        return Ok(main);
    };
    main.find_subcommand(name).cloned().ok_or_else(|| {
        CliError::Usage(format!(
            "no man page for `{name}`: `elytron-tui man` lists them"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::args::MAN_PAGES;

    fn rendered(command: Option<&str>) -> String {
        let mut roff = Vec::new();
        man(page(command).unwrap()).render(&mut roff).unwrap();
        String::from_utf8(roff).unwrap()
    }

    /// Issue 21 B8: the page listed `elytron-tui-delete(1)` and eleven others that nothing
    /// made, and `elytron-tui-help(1)`, which has no page. Each listed page is now made,
    /// and `man COMMAND` offers exactly those.
    #[test]
    fn every_page_the_main_page_lists_is_made() {
        let main = rendered(None);
        let listed: Vec<&str> = main
            .lines()
            .filter_map(|line| line.strip_prefix("elytron\\-tui\\-"))
            .filter_map(|line| line.strip_suffix("(1)"))
            .collect();
        assert_eq!(listed, MAN_PAGES, "{main}");
        for name in MAN_PAGES {
            let page = rendered(Some(name));
            let title = page.lines().find(|line| line.starts_with(".TH"));
            assert_eq!(
                title,
                Some(format!(".TH elytron-tui-{name} 1  \"{SOURCE}\" ").as_str()),
                "{name}"
            );
        }
        assert!(rendered(Some("delete")).contains("\\-\\-dry\\-run"));
    }

    #[test]
    fn the_sim_page_lists_only_what_sim_takes() {
        let sim = rendered(Some("sim"));
        assert!(sim.contains("\\-\\-misroute"), "{sim}");
        for option in ["data\\-dir", "config", "base\\-url", "profile"] {
            assert!(!sim.contains(&format!("\\-\\-{option}")), "{option}: {sim}");
        }
    }
}
