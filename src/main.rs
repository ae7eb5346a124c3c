//! Entry point: parse the command line and run the chosen command.

fn main() {
    println!("elytron-tui");
}
