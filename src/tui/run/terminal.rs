//! Taking the terminal for the app and giving it back, at the end and across a Ctrl-z. `check`
//! refuses before anything starts when there is no terminal (standard output is not one, or there
//! is none to read keys from: `setsid`, a cron job, `</dev/null` with no controlling terminal).
//! Once taken, losing it (a closed window, `tmux kill-session`) must not panic: restoring it, and
//! the panic hook's own restoring, only log what failed; nothing is printed to a terminal that may
//! be gone.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::DefaultTerminal;
use ratatui::backend::CrosstermBackend;

use crate::job_control;

/// Whether the app holds the terminal now (so a panic gives back only what was taken).
static TAKEN: AtomicBool = AtomicBool::new(false);

/// Why the app cannot run here, when it cannot; before anything else starts.
pub fn check() -> Result<(), String> {
    if !io::stdout().is_terminal() {
        return Err("standard output is not a terminal".to_owned());
    }
    // Keys are read from standard input when it is a terminal, else from the controlling
    // terminal, as crossterm does.
    if !io::stdin().is_terminal()
        && let Err(err) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
    {
        return Err(format!(
            "there is no terminal to read keys from (standard input is not one, and \
             /dev/tty: {err})"
        ));
    }
    Ok(())
}

/// Raw mode, the alternate screen, bracketed paste and (when `mouse`) the mouse; undone by
/// `give_back`, and by the panic hook this installs (which logs the panic first, so the log
/// says why the app ended). A failure part way gives back what was taken.
pub fn take(mouse: bool) -> io::Result<DefaultTerminal> {
    log_and_restore_on_panic();
    let taken =
        enter(mouse).and_then(|()| ratatui::Terminal::new(CrosstermBackend::new(io::stdout())));
    if taken.is_err() {
        restore();
    }
    taken
}

/// Raw mode, the alternate screen, bracketed paste and (when `mouse`) the mouse.
fn enter(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    TAKEN.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// The terminal as it was, cursor shown. A terminal that is gone cannot be restored: that
/// is logged, never printed (printing to it would fail too) and never an error of the run.
pub fn give_back(mut terminal: DefaultTerminal) {
    if let Err(err) = terminal.show_cursor() {
        tracing::warn!("could not show the cursor (the terminal may be gone): {err}");
        // Dropped, ratatui's terminal would try again and print the failure to standard
        // error, the terminal that is gone: a panic. It owns nothing but screen buffers.
        std::mem::forget(terminal);
    }
    restore();
}

/// Ctrl-z: gives the terminal back (cursor shown, main screen, cooked mode), stops the
/// process until `fg`, then takes it again as `take` did (the mouse only when `mouse`),
/// cleared, so the next draw is whole.
pub fn to_shell(terminal: &mut DefaultTerminal, mouse: bool) -> io::Result<()> {
    terminal.show_cursor()?;
    restore();
    let stopped = job_control::stop_until_continued();
    enter(mouse)?;
    // A resize clears the screen and forgets what was drawn, so the next draw is whole;
    // `clear` would ask the terminal where its cursor is, which not every terminal answers.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    stopped
}

/// Leaves raw mode, the alternate screen, mouse and bracketed paste, if they were taken.
fn restore() {
    if !TAKEN.swap(false, Ordering::SeqCst) {
        return;
    }
    let restored = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture)
        .and(ratatui::try_restore());
    if let Err(err) = restored {
        tracing::warn!("could not restore the terminal (it may be gone): {err}");
    }
}

/// Wraps the panic hook: the panic is logged with its message and place, the terminal given
/// back, then the previous hook prints it (Rust's own ignores a standard error that is gone).
pub(super) fn log_and_restore_on_panic() {
    let print = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        match info.location() {
            Some(at) => tracing::error!("panicked at {at}: {message}"),
            None => tracing::error!("panicked: {message}"),
        }
        restore();
        print(info);
    }));
}
