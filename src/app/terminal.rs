//! Entering and leaving the terminal UI. `ratatui::try_init` installs a panic hook that
//! restores the terminal; the guard restores it on every other way out. A panic in any
//! task (the hook is process-wide) also tells the event loop to stop, so it does not go on
//! drawing into a terminal that was already restored.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::DefaultTerminal;

static PANICKED: AtomicBool = AtomicBool::new(false);
/// Mouse reporting is on: every way out turns it off again.
static MOUSE: AtomicBool = AtomicBool::new(false);

#[derive(Debug)]
pub struct TerminalGuard {
    pub terminal: DefaultTerminal,
}

impl TerminalGuard {
    /// `mouse`: report clicks and the wheel (`mouse = true` in the config file).
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        // try_init may fail after raw mode is on: undo whatever it did.
        let terminal = ratatui::try_init().inspect_err(|_| ratatui::restore())?;
        let restore_and_report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.store(true, Ordering::SeqCst);
            mouse_off();
            restore_and_report(info);
        }));
        if mouse {
            MOUSE.store(true, Ordering::SeqCst);
            crossterm::execute!(io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
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
        let mouse = mouse_off();
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
        if mouse {
            MOUSE.store(true, Ordering::SeqCst);
            crossterm::execute!(io::stdout(), crossterm::event::EnableMouseCapture)?;
        }
        // `resize` clears and forgets the last frame without asking the terminal for the
        // cursor position (`clear` does, and the key reader thread would take the answer).
        let area = self.terminal.size()?;
        self.terminal.resize(area.into())
    }
}

/// Turns mouse reporting off if it was on; says whether it was.
fn mouse_off() -> bool {
    let was_on = MOUSE.swap(false, Ordering::SeqCst);
    if was_on {
        let _ = crossterm::execute!(io::stdout(), crossterm::event::DisableMouseCapture);
    }
    was_on
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        mouse_off();
        ratatui::restore();
    }
}
