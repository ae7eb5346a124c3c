//! The command line: argument parsing and the headless commands (import, list, forget,
//! history, completions, delete; sim and the TUI are wired by the lead). It owns exit codes
//! and how errors are printed; the work is done by `store`, `import`, `config`, the engine.

mod args;
mod delete;
mod delete_batch;
mod delete_report;
mod exit;
mod forget;
mod history;
mod import;
mod input;
mod list;
mod open;
mod records;
mod stdout_lines;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::{
    Cli, Command, DeleteArgs, ForgetArgs, GlobalArgs, HistoryArgs, ImportArgs, ListArgs,
};
pub use exit::{CliError, Exit};

use crate::store::Paths;

/// The binary's whole body: parse, run, print any error as `error: ...`, exit with its code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(exit) => exit.into(),
        Err(CliError::Output(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => {
            // The reader went away (`| head`): nothing more to say, and nothing failed.
            Exit::Success.into()
        }
        Err(err) => {
            eprintln!("error: {err}");
            err.exit().into()
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<Exit, CliError> {
    let global = &cli.global;
    let paths = || Paths::resolve(global.data_dir.as_deref(), global.config.as_deref());
    match cli.command {
        Some(Command::Import(args)) => import::run(&paths()?, &args),
        Some(Command::List(args)) => list::run(&paths()?, &args),
        Some(Command::Forget(args)) => forget::run(&paths()?, &args),
        Some(Command::History(args)) => history::run(&paths()?, &args),
        Some(Command::Completions { shell }) => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "elytron-tui", &mut out);
            out.flush().map_err(CliError::Output)?;
            Ok(Exit::Success)
        }
        Some(Command::Delete(args)) => delete::run(&paths()?, global, &args),
        Some(Command::Sim(args)) => {
            crate::session::runtime()?.block_on(crate::sim::run_standalone(args))?;
            Ok(Exit::Success)
        }
        None if global.demo => crate::session::run_demo(global),
        None => crate::session::run(&paths()?, global),
    }
}
