//! Entering and leaving the terminal UI. `ratatui::try_init` installs a panic hook that
//! restores the terminal; the guard restores it on every other way out. A panic in any
//! task (the hook is process-wide) also tells the event loop to stop, so it does not go on
//! drawing into a terminal that was already restored.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::DefaultTerminal;

static PANICKED: AtomicBool = AtomicBool::new(false);

#[derive(Debug)]
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        // try_init may fail after raw mode is on: undo whatever it did.
        let terminal = ratatui::try_init().inspect_err(|_| ratatui::restore())?;
        let restore_and_report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            restore_and_report(info);
        }));
        Ok(TerminalGuard { terminal })
    }
}

/// Whether some task panicked since the terminal UI started.
pub fn panicked() -> bool {
    PANICKED.load(Ordering::SeqCst)
}

impl TerminalGuard {
    /// Ctrl-Z: gives the terminal back to the shell, stops until `fg` (SIGCONT), then
    /// takes it again. The caller redraws everything.
    pub fn suspend(&mut self) -> io::Result<()> {
        self.terminal.show_cursor()?;
        ratatui::restore();
        // SIGSTOP rather than SIGTSTP: the loop handles an outside SIGTSTP by coming here,
        // so SIGTSTP no longer stops the process by itself.
        // SAFETY: raise only sends a signal to this process.
        #[cfg(unix)]
        unsafe {
            libc::raise(libc::SIGSTOP);
        }
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
        self.terminal.hide_cursor()?;
        // `resize` clears and forgets the last frame without asking the terminal for the
        // cursor position (`clear` does, and the key reader thread would take the answer).
        let area = self.terminal.size()?;
        self.terminal.resize(area.into())
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}
