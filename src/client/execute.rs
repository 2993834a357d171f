//! The one way a platform command is carried out, for the dashboard and the one-shot CLI
//! alike: the audit trail's `sent` line is written before the request leaves, then the
//! request, then the outcome line; the outcome becomes store inputs. (The hold-ledger intent
//! is the store's `CommandIssued`, saved by the caller before it hands the command here.)
//! A write that fails is reported, never swallowed: the command still goes, and the caller
//! shows what was not recorded.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::mpsc;
use uuid::Uuid;

use super::audit::{Actor, AuditEntry, AuditTrail};
use super::commands::{self, Outcome};
use super::link::{CommandRequest, Inbound};
use super::rest::RestClient;
use crate::command::Command;
use crate::store::{CommandFailure, CommandId, Input};

#[derive(Debug, Clone)]
pub struct Executor {
    pub rest: RestClient,
    pub actor: Actor,
    pub data_dir: PathBuf,
}

/// What came of one command.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub outcome: Outcome,
    /// For the store: a failure rolls the pending mark back, a reply that is itself the
    /// confirmation confirms it, a resource in the reply is fresh state.
    pub inputs: Vec<Input>,
    /// Audit lines that could not be written, as messages for the user.
    pub unrecorded: Vec<String>,
}

impl Executor {
    pub async fn run(&self, request: &CommandRequest) -> Execution {
        let mut unrecorded = Vec::new();
        let sent = AuditEntry::sent(
            chrono::Utc::now(),
            Uuid::new_v4(),
            &self.actor,
            &request.command,
            request.about,
        );
        self.write(&sent, &mut unrecorded);
        let outcome = commands::send(&self.rest, &request.command).await;
        self.write(&sent.outcome(chrono::Utc::now(), &outcome), &mut unrecorded);
        Execution {
            inputs: outcome_inputs(request.id, &request.command, &outcome),
            outcome,
            unrecorded,
        }
    }

    fn write(&self, entry: &AuditEntry, unrecorded: &mut Vec<String>) {
        let written = AuditTrail::open(&self.data_dir).and_then(|mut trail| trail.record(entry));
        if let Err(error) = written {
            tracing::warn!(%error, "audit trail not written");
            unrecorded.push(format!(
                "audit trail not written ({} {}): {error}",
                entry.action, entry.result
            ));
        }
    }

    /// Runs commands as they come, each in its own task so a slow one blocks no other;
    /// results go to `inbound`.
    pub fn spawn(
        self,
        mut requests: mpsc::Receiver<CommandRequest>,
        inbound: mpsc::Sender<Inbound>,
    ) {
        let executor = Arc::new(self);
        tokio::spawn(async move {
            while let Some(request) = requests.recv().await {
                let executor = executor.clone();
                let inbound = inbound.clone();
                tokio::spawn(async move {
                    let execution = executor.run(&request).await;
                    // The failed write last, so the message line ends on it, not on "✓".
                    let inputs = execution.inputs.into_iter().map(Inbound::from);
                    let messages = execution.unrecorded.into_iter().map(Inbound::WriteFailed);
                    for message in inputs.chain(messages) {
                        if inbound.send(message).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    }
}

pub fn outcome_inputs(id: CommandId, command: &Command, outcome: &Outcome) -> Vec<Input> {
    match outcome {
        Outcome::Failed {
            reason,
            message,
            request_id,
            status,
        } => vec![Input::CommandFailed {
            id,
            failure: CommandFailure {
                reason: reason.clone(),
                message: message.clone(),
                request_id: request_id.clone(),
                status: *status,
            },
        }],
        Outcome::Accepted { resource, .. } => {
            let mut inputs: Vec<Input> = resource
                .iter()
                .map(|r| Input::Fetched(r.as_ref().clone()))
                .collect();
            if command.confirmed_by_reply() {
                inputs.push(Input::CommandConfirmed { id });
            }
            inputs
        }
    }
}
