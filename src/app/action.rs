//! Internal actions: everything the update step reacts to. User commands from the keymap
//! are one kind; the rest are text editing, dialog answers, platform inputs and time.

use super::command::UserCommand;
use crate::client::connection::ConnectionState;
use crate::store::Input;

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Run(UserCommand),
    /// `y` in a confirmation dialog.
    Confirm,
    /// `n` or `esc` in a dialog.
    Cancel,
    ChooseMute(MuteChoice),
    Edit(Edit),
    /// An input for the store, from the sync engine (boxed: snapshots are large).
    Inbound(Box<Input>),
    Connection(ConnectionState),
    /// The source learned who we are on the platform.
    Session(crate::client::session::Session),
    /// A local write failed (audit trail, hold ledger): shown, never swallowed.
    WriteFailed(String),
    /// The 1 Hz tick: timers on screen move, the store's timers run.
    Tick,
    /// The terminal changed size.
    Resize,
    /// A click or a wheel notch at a cell of a screen this size (`mouse = true`).
    Pointer {
        pointer: super::mouse::Pointer,
        at: ratatui::layout::Position,
        screen: ratatui::layout::Rect,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MuteChoice {
    In,
    Out,
    Both,
    Unmute,
}

/// Editing the filter or the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Clear,
    Complete,
    Submit,
    Cancel,
}
