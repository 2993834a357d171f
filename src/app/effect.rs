//! What the update step asks the outside world to do. The loop carries these out; the
//! update step itself never touches a socket or a file.

use crate::client::audit::Target;
use crate::store::{CommandId, CommandKind, CommandTarget};

/// A platform command for the client's command task. The store already shows it pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRequest {
    pub id: CommandId,
    pub kind: CommandKind,
    pub target: CommandTarget,
    /// Every id the console knows the command touches, for the audit trail.
    pub about: Target,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Command(CommandRequest),
    /// The hold ledger changed: write it to the data directory.
    SaveHoldLedger,
    Quit,
}
