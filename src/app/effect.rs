//! What the update step asks the outside world to do. The loop carries these out; the
//! update step itself never touches a socket or a file.

use crate::client::link::CommandRequest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A platform command; the store already shows it pending (and, for a hold, the ledger
    /// holds its intent, which the loop saves before the command leaves).
    Command(CommandRequest),
    /// The hold ledger changed: write it to the data directory.
    SaveHoldLedger,
    /// Give the terminal back to the shell until `fg` (Ctrl-Z).
    Suspend,
    /// Cut the wait before the next connection attempt short.
    RetryNow,
    /// Ring the bell and/or notify the desktop: an alert was raised.
    Notify(super::notify::Notification),
    Quit,
}
