//! The dashboard's link to the platform: sync-engine events become app feed, and commands
//! go out one REST request each, are written to the audit trail, and come back as store
//! inputs. (Which missing ids to fetch is `client::follow::AskedFetches`.)

use std::path::PathBuf;

use tokio::sync::mpsc;

use super::effect::CommandRequest;
use super::run::Feed;
use super::ConnectionState;
use crate::client::audit::{AuditEntry, AuditTrail};
use crate::client::commands::{self, Command};
use crate::client::connection::ConnectionState as ClientConnection;
use crate::client::follow::{outcome_inputs, store_input};
use crate::client::rest::RestClient;
use crate::client::sync::SyncEvent;
use crate::store::{CommandKind, CommandTarget};

/// The header's word for the engine's connection state.
pub fn connection_state(state: &ClientConnection) -> ConnectionState {
    match state {
        ClientConnection::Connecting => ConnectionState::Connecting,
        ClientConnection::Live { .. } => ConnectionState::Live,
        ClientConnection::Reconnecting {
            attempt,
            stale_since,
            ..
        } => ConnectionState::Reconnecting {
            attempt: *attempt,
            stale_since: Some(*stale_since),
        },
        ClientConnection::AuthFailed { message } => ConnectionState::Failed {
            reason: message.clone(),
        },
    }
}

/// Forwards engine events to the app loop as feed.
pub fn forward_sync_events(mut events: mpsc::Receiver<SyncEvent>, feed: mpsc::Sender<Feed>) {
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let message = match &event {
                SyncEvent::Connection(state) => Feed::Connection(connection_state(state)),
                _ => match store_input(event) {
                    Some(input) => Feed::Input(Box::new(input)),
                    None => continue,
                },
            };
            if feed.send(message).await.is_err() {
                return;
            }
        }
    });
}

/// The REST command for a store command.
pub fn rest_command(kind: &CommandKind, target: &CommandTarget) -> Option<Command> {
    Some(match (kind, *target) {
        (CommandKind::Kick, CommandTarget::Conferencecall(conferencecall_id)) => {
            Command::Kick { conferencecall_id }
        }
        (CommandKind::Hangup, CommandTarget::Call(call_id)) => Command::Hangup { call_id },
        (CommandKind::Hold, CommandTarget::Call(call_id)) => Command::Hold { call_id },
        (CommandKind::Unhold, CommandTarget::Call(call_id)) => Command::Unhold { call_id },
        (CommandKind::Mute { direction }, CommandTarget::Call(call_id)) => Command::Mute {
            call_id,
            direction: direction.clone(),
        },
        (CommandKind::Unmute { direction }, CommandTarget::Call(call_id)) => Command::Unmute {
            call_id,
            direction: direction.clone(),
        },
        (CommandKind::EndConference, CommandTarget::Conference(conference_id)) => {
            Command::EndConference { conference_id }
        }
        (CommandKind::RecordingStart, CommandTarget::Conference(conference_id)) => {
            Command::RecordingStart { conference_id }
        }
        (CommandKind::RecordingStop, CommandTarget::Conference(conference_id)) => {
            Command::RecordingStop { conference_id }
        }
        _ => return None,
    })
}

pub struct CommandTask {
    pub rest: RestClient,
    pub profile: String,
    pub agent: Option<String>,
    pub data_dir: PathBuf,
}

impl CommandTask {
    /// Runs commands as they come, each in its own task so a slow one blocks no other.
    pub fn spawn(self, mut requests: mpsc::Receiver<CommandRequest>, feed: mpsc::Sender<Feed>) {
        let task = std::sync::Arc::new(self);
        tokio::spawn(async move {
            while let Some(request) = requests.recv().await {
                let task = task.clone();
                let feed = feed.clone();
                tokio::spawn(async move {
                    for input in task.execute(request).await {
                        if feed.send(Feed::Input(Box::new(input))).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
    }

    async fn execute(&self, request: CommandRequest) -> Vec<crate::store::Input> {
        let Some(command) = rest_command(&request.kind, &request.target) else {
            return vec![crate::store::Input::CommandFailed {
                id: request.id,
                reason: "UNSUPPORTED".into(),
                message: "this command does not apply to that target".into(),
                request_id: None,
            }];
        };
        let outcome = commands::execute(&self.rest, &command).await;
        let entry = AuditEntry::new(
            chrono::Utc::now(),
            &self.profile,
            self.agent.as_deref(),
            &command,
            request.about,
            &outcome,
        );
        let written = AuditTrail::open(&self.data_dir).and_then(|mut trail| trail.record(&entry));
        if let Err(error) = written {
            tracing::warn!(%error, "audit trail not written");
        }
        outcome_inputs(request.id, &command, &outcome)
    }
}
