//! The command line: argument parsing, the headless commands (import, list, forget, history,
//! protect, unprotect, profiles, doctor, completions, man, delete, sync), and handing the app,
//! `--demo` and `sim` to `session` and `sim`. It owns exit codes and how errors are printed;
//! the work is done by `store`, `import`, `session`, the rails, the engine.

mod args;
mod completions;
mod delete;
mod delete_batch;
mod delete_confirm;
mod delete_manifest;
mod delete_report;
mod demo;
mod doctor;
mod exit;
mod forget;
mod history;
mod import;
mod input;
mod list;
mod man;
mod open;
mod profiles;
mod protect;
mod query;
mod records;
mod since;
mod stdout_lines;
mod sync;

use std::process::ExitCode;

pub use args::{
    Cli, DeleteArgs, GlobalArgs, HistoryArgs, IdArgs, ImportArgs, ListArgs, ManArgs, Subcommand,
    SyncArgs,
};
pub use exit::{CliError, Exit};

use crate::printable::out::say;
use crate::session::{self, Overrides, Session};
use crate::store::Paths;

/// The binary's whole body: parse, run, print any error as `error: ...`, exit with its code.
pub fn main() -> ExitCode {
    let cli = Cli::from_command_line();
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(CliError::Output(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            // The reader went away (`| head`): nothing more to say, and nothing failed.
            Exit::Success.into()
        }
        Err(err) => {
            say!("error: {err}");
            err.exit().into()
        }
    }
}

/// Says on standard error which `api_key_command` a command is waiting for, once it is slow.
fn waiting_for_key(command: &crate::config::KeyCommand) {
    say!("waiting for the key from {command}…");
}

/// `sim` serves a simulated account of its own and reads no profile, config or data folder:
/// an option typed for those would be ignored, so it is refused (set in the environment, it
/// is for the other commands, and left alone).
fn refuse_options_for_sim(global: &GlobalArgs) -> Result<(), CliError> {
    let mut ignored = global.typed.clone();
    if global.max_delete.is_some() {
        ignored.push("--max-delete");
    }
    if ignored.is_empty() {
        return Ok(());
    }
    Err(CliError::Usage(format!(
        "sim serves a simulated account of its own, with no profile, config or data folder, \
         so it cannot honour {}: drop it (sim --help lists what sim takes)",
        ignored.join(", ")
    )))
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<Exit, CliError> {
    let global = &cli.global;
    let paths = || Paths::resolve(global.data_dir.as_deref(), global.config.as_deref());
    // Every command but `sim` and `--demo` works on one profile, set up in one place.
    let session =
        || -> Result<Session, CliError> { Ok(Session::load(&paths()?, global.overrides())?) };
    if global.demo
        && let Some(command) = &cli.command
    {
        return Err(demo::refuse_command(command));
    }
    match cli.command {
        Some(Subcommand::Import(args)) => import::run(&session()?.paths, &args),
        Some(Subcommand::List(args)) => list::run(&session()?, &args),
        Some(Subcommand::Forget(args)) => forget::run(&session()?.paths, &args),
        Some(Subcommand::History(args)) => history::run(&session()?.paths, &args),
        Some(Subcommand::Protect(args)) => protect::run(&session()?, &args, true),
        Some(Subcommand::Unprotect(args)) => protect::run(&session()?, &args, false),
        Some(Subcommand::Profiles) => profiles::run(&session()?, global.base_url.as_deref()),
        Some(Subcommand::Doctor) => doctor::run(&paths()?, global),
        Some(Subcommand::Completions { shell }) => completions::run(shell, &paths()?, global),
        Some(Subcommand::Man(args)) => man::run(args.command.as_deref()),
        Some(Subcommand::Delete(args)) => delete::run(&paths()?, global, &args),
        Some(Subcommand::Sync(args)) => {
            let overrides = Overrides {
                max_rate: args.max_rate,
                ..global.overrides()
            };
            sync::run(&Session::load(&paths()?, overrides)?, &paths()?, &args)
        }
        Some(Subcommand::Sim(args)) => {
            refuse_options_for_sim(global)?;
            Session::runtime()?.block_on(crate::sim::run_standalone(*args))?;
            Ok(Exit::Success)
        }
        None if global.demo => {
            demo::check_flags(global)?;
            session::run_demo(global.max_delete)?;
            Ok(Exit::Success)
        }
        None => {
            session::run_app(session()?)?;
            Ok(Exit::Success)
        }
    }
}
