//! Entry point: everything, including exit codes, is in `elytron_tui::cli`.

fn main() -> std::process::ExitCode {
    elytron_tui::cli::main()
}
