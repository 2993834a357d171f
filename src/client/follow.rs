//! One step of the app loop, shared by the dashboard and the headless modes: turn engine
//! events and command outcomes into store inputs, track the connection state, and work out
//! which missing ids have not been asked for yet.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::commands::{Command, Outcome};
use super::connection::ConnectionState;
use super::scheduler::Wanted;
use super::sync::SyncEvent;
use crate::store::{
    Changes, CommandId, CommandKind, CommandTarget, ConferencesState, Input, Snapshot, StoreConfig,
};
use crate::voipbin::{ResourceKind, Timestamp};

/// The store input an engine event carries, if any.
pub fn store_input(event: SyncEvent) -> Option<Input> {
    match event {
        SyncEvent::Connection(_) => None,
        SyncEvent::Snapshot { data, .. } => Some(Input::Snapshot(Snapshot {
            conferences: data.conferences,
            conferencecalls: data.conferencecalls,
            calls: data.calls,
            agents: data.agents,
        })),
        SyncEvent::Frame(text) => Some(Input::Frame(text)),
        SyncEvent::Fetched(resource) => Some(Input::Fetched(*resource)),
        SyncEvent::NotFound { kind, id } => Some(Input::NotFound { kind, id }),
    }
}

/// The store's view of a command.
pub fn command_kind_and_target(command: &Command) -> (CommandKind, CommandTarget) {
    match command {
        Command::Kick { conferencecall_id } => (
            CommandKind::Kick,
            CommandTarget::Conferencecall(*conferencecall_id),
        ),
        Command::Hangup { call_id } => (CommandKind::Hangup, CommandTarget::Call(*call_id)),
        Command::Hold { call_id } => (CommandKind::Hold, CommandTarget::Call(*call_id)),
        Command::Unhold { call_id } => (CommandKind::Unhold, CommandTarget::Call(*call_id)),
        Command::Mute { call_id, direction } => (
            CommandKind::Mute {
                direction: direction.clone(),
            },
            CommandTarget::Call(*call_id),
        ),
        Command::Unmute { call_id, direction } => (
            CommandKind::Unmute {
                direction: direction.clone(),
            },
            CommandTarget::Call(*call_id),
        ),
        Command::EndConference { conference_id } => (
            CommandKind::EndConference,
            CommandTarget::Conference(*conference_id),
        ),
        Command::RecordingStart { conference_id } => (
            CommandKind::RecordingStart,
            CommandTarget::Conference(*conference_id),
        ),
        Command::RecordingStop { conference_id } => (
            CommandKind::RecordingStop,
            CommandTarget::Conference(*conference_id),
        ),
    }
}

pub fn issued_input(id: CommandId, command: &Command) -> Input {
    let (kind, target) = command_kind_and_target(command);
    Input::CommandIssued { id, kind, target }
}

/// What the store learns from a command's REST outcome: a failure rolls the pending mark
/// back with the envelope's reason; a reply that is itself the confirmation confirms it;
/// a resource in the reply is fresh state.
pub fn outcome_inputs(id: CommandId, command: &Command, outcome: &Outcome) -> Vec<Input> {
    match outcome {
        Outcome::Failed {
            reason,
            message,
            request_id,
            ..
        } => vec![Input::CommandFailed {
            id,
            reason: reason.clone(),
            message: message.clone(),
            request_id: request_id.clone(),
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

/// How long an unanswered ask stands before the id is asked for again: the scheduler gives
/// up on an id after repeated failures and says nothing.
pub const ASK_AGAIN_AFTER: Duration = Duration::from_secs(30);

/// Ids already asked of the engine: each missing id is asked for once, until it arrives,
/// the platform says it does not exist, a snapshot starts the asking afresh, or the ask
/// has stood unanswered for `ASK_AGAIN_AFTER`.
#[derive(Debug, Default)]
pub struct AskedFetches {
    asked: HashMap<(ResourceKind, Uuid), Instant>,
}

impl AskedFetches {
    /// Notes what an input means for outstanding asks; call before applying it.
    pub fn note(&mut self, input: &Input) {
        match input {
            // A resync starts the asking afresh: anything dropped gets another go.
            Input::Snapshot(_) => self.asked.clear(),
            Input::Fetched(resource) => {
                self.asked.remove(&(resource.kind(), resource.id()));
            }
            Input::NotFound { kind, id } => {
                self.asked.remove(&(*kind, *id));
            }
            _ => {}
        }
    }

    /// Ids the store misses that have not been asked for yet (or were asked too long ago).
    pub fn wanted(&mut self, store: &ConferencesState, now: Instant) -> Vec<Wanted> {
        let missing = store.missing();
        let groups = [
            (ResourceKind::Conference, missing.conferences),
            (ResourceKind::Conferencecall, missing.conferencecalls),
            (ResourceKind::Call, missing.calls),
            (ResourceKind::Agent, missing.agents),
        ];
        let mut wanted = Vec::new();
        for (kind, ids) in groups {
            for id in ids {
                let stale = self
                    .asked
                    .get(&(kind, id))
                    .is_none_or(|asked| now.duration_since(*asked) >= ASK_AGAIN_AFTER);
                if stale {
                    self.asked.insert((kind, id), now);
                    wanted.push(Wanted {
                        kind,
                        id,
                        conference: (kind == ResourceKind::Conference).then_some(id),
                    });
                }
            }
        }
        wanted
    }
}

/// The store plus what the loop around it needs to remember.
#[derive(Debug)]
pub struct Follower {
    pub store: ConferencesState,
    pub connection: ConnectionState,
    /// Snapshots applied so far.
    pub snapshots: usize,
    fetches: AskedFetches,
}

impl Follower {
    pub fn new(config: StoreConfig) -> Self {
        Follower {
            store: ConferencesState::new(config),
            connection: ConnectionState::Connecting,
            snapshots: 0,
            fetches: AskedFetches::default(),
        }
    }

    pub fn apply(&mut self, event: SyncEvent, now: Timestamp) -> Changes {
        match &event {
            SyncEvent::Connection(state) => self.connection = state.clone(),
            SyncEvent::Snapshot { .. } => self.snapshots += 1,
            _ => {}
        }
        match store_input(event) {
            Some(input) => {
                self.fetches.note(&input);
                self.store.apply(input, now)
            }
            None => Changes::default(),
        }
    }

    /// Ids the store misses that have not been asked for yet.
    pub fn wanted(&mut self, now: Instant) -> Vec<Wanted> {
        self.fetches.wanted(&self.store, now)
    }
}
