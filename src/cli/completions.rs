//! `completions`: the shell's completion script, from the same clap definition `--help`
//! uses. `--profile` completes the names of the config's profiles as it reads now (the script
//! is made again after adding one), and never file names.

use clap::CommandFactory;
use clap::builder::PossibleValuesParser;
use clap_complete::Shell;

use super::args::shown;
use super::{Cli, CliError, Exit, GlobalArgs};
use crate::config::Config;
use crate::printable::out::{Stdout, say};
use crate::store::Paths;

pub fn run(shell: Shell, paths: &Paths, global: &GlobalArgs) -> Result<Exit, CliError> {
    let mut cmd = Cli::command();
    if let Some(names) = profile_names(paths, global) {
        cmd = cmd.mut_arg("profile", |arg| {
            arg.value_parser(PossibleValuesParser::new(names))
        });
    }
    let mut out = Stdout::lock();
    clap_complete::generate(shell, &mut shown(cmd), "elytron-tui", out.raw());
    out.flush().map_err(CliError::Output)?;
    Ok(Exit::Success)
}

/// The profiles `--profile` can name (`default` first), or `None`, said on stderr, when the
/// config cannot be read: the script is still made, completing no name.
fn profile_names(paths: &Paths, global: &GlobalArgs) -> Option<Vec<String>> {
    let config = match global.overrides().config_named_by {
        Some(by) => Config::load_named(&paths.config_file, by),
        None => Config::load(&paths.config_file),
    };
    match config {
        Ok(config) => Some(
            config
                .profiles()
                .map(|profile| profile.name().to_owned())
                .collect(),
        ),
        Err(err) => {
            say!("note: --profile will complete no name: {err}");
            None
        }
    }
}
