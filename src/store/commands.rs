//! Commands in flight and the last failure per target.
//!
//! Commands are intents: the store shows them as pending until the platform confirms, and
//! never changes hold or mute flags on its own. A failure therefore has nothing to roll back
//! beyond the pending mark; it is kept for the UI until the next command on that target.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::input::CommandId;
use crate::command::{Command, Target as CommandTarget};
use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingCommand {
    pub id: CommandId,
    pub command: Command,
    pub issued_at: Timestamp,
    /// For a hold or unhold that wrote an intent: the ledger entry before it, restored if
    /// the platform refuses.
    #[serde(skip)]
    pub(crate) ledger_before: Option<Option<super::ledger::HoldEntry>>,
}

impl PendingCommand {
    pub fn target(&self) -> CommandTarget {
        self.command.target()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    pub id: CommandId,
    pub command: Command,
    pub reason: String,
    pub message: String,
    pub request_id: Option<String>,
    pub failed_at: Timestamp,
}

#[derive(Debug, Default)]
pub(crate) struct CommandBook {
    by_id: HashMap<CommandId, PendingCommand>,
    /// The newest command per target: the one the UI shows.
    by_target: HashMap<CommandTarget, CommandId>,
    errors: HashMap<CommandTarget, CommandError>,
    /// Moves on every change, so a cached derivation knows whether what it read is current.
    generation: u64,
}

impl CommandBook {
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    pub(crate) fn issue(&mut self, command: PendingCommand) {
        self.generation += 1;
        self.errors.remove(&command.target());
        self.by_target.insert(command.target(), command.id);
        self.by_id.insert(command.id, command);
    }

    /// Removes a command (confirmed, settled by an event, or failed).
    pub(crate) fn finish(&mut self, id: CommandId) -> Option<PendingCommand> {
        let command = self.by_id.remove(&id)?;
        self.generation += 1;
        if self.by_target.get(&command.target()) == Some(&id) {
            self.by_target.remove(&command.target());
        }
        Some(command)
    }

    pub(crate) fn fail(&mut self, error: CommandError, target: CommandTarget) {
        self.generation += 1;
        self.errors.insert(target, error);
    }

    pub(crate) fn pending_for(&self, target: &CommandTarget) -> Option<&PendingCommand> {
        self.by_target.get(target).and_then(|id| self.by_id.get(id))
    }

    pub(crate) fn error_for(&self, target: &CommandTarget) -> Option<&CommandError> {
        self.errors.get(target)
    }

    /// Drops everything about a target that no longer exists; returns the commands that
    /// were still waiting for an answer (the caller reports them).
    pub(crate) fn forget_target(&mut self, target: &CommandTarget) -> Vec<PendingCommand> {
        self.generation += 1;
        self.errors.remove(target);
        self.by_target.remove(target);
        // Superseded commands for the target may still wait for an answer: drop them too.
        let gone: Vec<CommandId> = self
            .by_id
            .values()
            .filter(|command| command.target() == *target)
            .map(|command| command.id)
            .collect();
        gone.iter().filter_map(|id| self.by_id.remove(id)).collect()
    }

    /// The newest hold or unhold still waiting for an answer on a call, whatever else
    /// was sent to the call since.
    pub(crate) fn pending_hold_change(&self, call: uuid::Uuid) -> Option<&PendingCommand> {
        self.by_id
            .values()
            .filter(|c| c.command.changes_hold() && c.target() == CommandTarget::Call(call))
            .max_by_key(|c| c.id)
    }

    pub(crate) fn len(&self) -> usize {
        self.by_id.len()
    }
}
