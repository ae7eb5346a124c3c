//! A question asked on the user's terminal and its answer: the controlling terminal
//! (`/dev/tty`), so that a question is asked even when standard input is a pipe of IDs
//! (`… | elytron-tui delete --from -`) and the pipe never answers it; else standard input
//! and standard error, when both are terminals. With neither there is no one to ask. What it
//! writes is printable, as every line of `out` is.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, IsTerminal, Write};

use super::out::shown_lines;
use super::printable;

/// The terminal a question goes to and its answer comes from.
pub enum Terminal {
    /// `/dev/tty`, read and written.
    Controlling(BufReader<File>, File),
    /// Standard input and standard error, both terminals.
    Standard,
}

impl Terminal {
    /// The terminal to ask on, or why there is none (for the refusal).
    pub fn open() -> Result<Self, String> {
        let tty = OpenOptions::new().read(true).write(true).open("/dev/tty");
        match tty {
            Ok(tty) => {
                let writer = tty.try_clone().map_err(|err| format!("/dev/tty: {err}"))?;
                Ok(Self::Controlling(BufReader::new(tty), writer))
            }
            Err(_) if io::stdin().is_terminal() && io::stderr().is_terminal() => Ok(Self::Standard),
            Err(err) => Err(format!(
                "there is no terminal to ask on (/dev/tty: {err}; standard input and error are \
                 not both terminals)"
            )),
        }
    }

    /// Writes `question` (left open for the answer on its line) and reads one line: the
    /// answer without its line break, empty at the end of input.
    pub fn ask(&mut self, question: &str) -> io::Result<String> {
        self.write(&printable(question))?;
        let mut answer = String::new();
        match self {
            Self::Controlling(input, _) => input.read_line(&mut answer)?,
            Self::Standard => io::stdin().lock().read_line(&mut answer)?,
        };
        Ok(answer.trim_end_matches(['\n', '\r']).to_owned())
    }

    /// One line where the question was, printable: what was wrong with an answer.
    pub fn say(&mut self, text: &str) -> io::Result<()> {
        self.write(&shown_lines(text))
    }

    /// `text` (already printable) on the terminal, flushed.
    fn write(&mut self, text: &str) -> io::Result<()> {
        match self {
            Self::Controlling(_, output) => {
                output.write_all(text.as_bytes())?;
                output.flush()
            }
            Self::Standard => {
                let mut stderr = io::stderr().lock();
                stderr.write_all(text.as_bytes())?;
                stderr.flush()
            }
        }
    }
}
