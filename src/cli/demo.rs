//! What `--demo` takes from the command line: `--max-delete` (the demo's rails get it, as the
//! app's would), and nothing it would have to ignore. A command, or `--data-dir`, `--config`,
//! `--base-url` or `--profile` typed with it, is refused (it runs on its own throwaway data,
//! no config and its own server); the same set in the environment is only noted, since it
//! is there for every run. Running the demo is `session::run_demo`'s.

use super::{CliError, GlobalArgs, Subcommand};
use crate::printable::out::say;

/// `elytron-tui --demo list`: the command would run on the user's real data and account,
/// not the demo's.
pub fn refuse_command(command: &Subcommand) -> CliError {
    let name = command_name(command);
    CliError::Usage(format!(
        "--demo opens the app on a simulated server and takes no command: `{name}` would run \
         on your real data and account; drop --demo to run it, or the command to try the demo"
    ))
}

/// Refuses the options typed with `--demo` that it would ignore; notes those set in the
/// environment.
pub fn check_flags(global: &GlobalArgs) -> Result<(), CliError> {
    if !global.typed.is_empty() {
        return Err(CliError::Usage(format!(
            "--demo runs on its own throwaway data folder, with no config, against its own \
             simulated server, so it cannot honour {}: drop it to try the demo",
            global.typed.join(", ")
        )));
    }
    if global.data_dir.is_some()
        || global.config.is_some()
        || global.base_url.is_some()
        || global.profile.is_some()
    {
        say!(
            "note: --demo uses its own data folder, no config and its own server; \
             ELYTRON_TUI_DATA_DIR, ELYTRON_TUI_CONFIG, ELYTRON_BASE_URL and ELYTRON_PROFILE \
             are not used"
        );
    }
    Ok(())
}

/// The subcommand's name as `--help` shows it.
fn command_name(command: &Subcommand) -> &'static str {
    match command {
        Subcommand::Import(_) => "import",
        Subcommand::List(_) => "list",
        Subcommand::Forget(_) => "forget",
        Subcommand::Delete(_) => "delete",
        Subcommand::Sync(_) => "sync",
        Subcommand::History(_) => "history",
        Subcommand::Protect(_) => "protect",
        Subcommand::Unprotect(_) => "unprotect",
        Subcommand::Profiles => "profiles",
        Subcommand::Doctor => "doctor",
        Subcommand::Man(_) => "man",
        Subcommand::Sim(_) => "sim",
        Subcommand::Completions { .. } => "completions",
    }
}
