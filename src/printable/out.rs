//! The writers every human-readable line of the commands goes through: `say!` for standard
//! error, `Stdout` for standard output, `shown_lines` for a line queued elsewhere. Each makes
//! its text printable line by line (`super::printable`), so whatever a message echoes (a
//! server's answer, a file's line, a config value) never reaches the terminal as a control
//! sequence; line breaks the message itself puts in stay line breaks. JSON goes out through
//! `super::json`. A unit test keeps `println!`, `eprintln!` and raw `stdout()`/`stderr()`
//! out of the crate except where listed there.

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;

use super::printable;

/// One message on standard error: `say!("warning: {line}")`, as `eprintln!` but printable.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::printable::out::say_line(::std::format_args!($($arg)*))
    };
}
pub(crate) use say;

/// What `say!` does. Standard error that cannot be written is given up on without a word
/// (there is nowhere left to say it) and without the panic `eprintln!` has.
pub fn say_line(message: fmt::Arguments<'_>) {
    let text = shown_lines(&message.to_string());
    let mut stderr = io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.flush());
}

/// `text` printable, each of its lines ended by a newline (one newline at the end of `text`
/// is its last line's).
pub fn shown_lines(text: &str) -> String {
    let mut shown = String::with_capacity(text.len() + 1);
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        shown.push_str(&printable(line));
        shown.push('\n');
    }
    shown
}

/// One result line on standard output (`Stdout` for many).
pub fn print_line(text: &str) -> io::Result<()> {
    let mut out = Stdout::lock();
    out.line(text)?;
    out.flush()
}

/// Standard output, locked and buffered, for a command's results.
pub struct Stdout {
    out: io::BufWriter<io::StdoutLock<'static>>,
}

impl Stdout {
    pub fn lock() -> Self {
        Self {
            out: io::BufWriter::new(io::stdout().lock()),
        }
    }

    /// `text` as one or more printable lines.
    pub fn line(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(shown_lines(text).as_bytes())
    }

    /// `value` as one JSON line (`super::json`).
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        self.out.write_all(&super::json::line(value))
    }

    /// Bytes another writer made (clap's completions and man page: our own text).
    pub fn raw(&mut self) -> &mut impl Write {
        &mut self.out
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    #[test]
    fn each_line_is_printable_and_the_message_keeps_its_own_line_breaks() {
        assert_eq!(shown_lines("plain"), "plain\n");
        assert_eq!(
            shown_lines("error: \u{1b}[2Jbad\n  at \u{202e}here\n"),
            "error: \\x1b[2Jbad\n  at \\u{202e}here\n"
        );
        assert_eq!(shown_lines(""), "\n");
    }

    /// Files that may write to standard output or error other than through this module, and
    /// why: the terminal's own sequences (raw mode, mouse, OSC 52 with IDs only), the
    /// questions asked on the terminal (printable, as here), and the writer of `delete`'s
    /// queued lines, which are made printable before they are queued.
    const RAW_WRITERS: [&str; 5] = [
        "src/printable/out.rs",
        "src/printable/terminal.rs",
        "src/tui/run/terminal.rs",
        "src/session/disk_persistence.rs",
        "src/cli/stdout_lines.rs",
    ];

    #[test]
    fn nothing_prints_around_the_printable_writers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = Vec::new();
        rust_files(&root.join("src"), &mut sources);
        assert!(sources.len() > 50, "{} sources", sources.len());
        let mut found = Vec::new();
        for path in sources {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            let calls = ["println!(", "print!(", "dbg!(", "stdout()", "stderr()"];
            for (at, line) in text.lines().enumerate() {
                let raw =
                    calls.iter().any(|call| line.contains(call)) && !line.contains("is_terminal()");
                if raw && !RAW_WRITERS.contains(&name.as_str()) {
                    found.push(format!("{name}:{}: {}", at + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "write through printable::out (say!, Stdout) instead:\n{}",
            found.join("\n")
        );
    }

    fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, into);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                into.push(path);
            }
        }
    }
}
