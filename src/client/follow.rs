//! One step of the app loop, shared by the dashboard and the headless modes: apply what
//! the source sends, track the connection state, and work out which missing ids have not
//! been asked for yet.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

use super::connection::ConnectionState;
use super::link::{Inbound, Wanted};
use crate::store::{Changes, ConferencesState, Input};
use crate::voipbin::{ResourceKind, Timestamp};

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
        // Before the first snapshot the store holds only the rooms its pages brought so
        // far; the snapshot brings their legs, so fetching them now would spend the budget
        // twice.
        if !store.has_snapshot() {
            return Vec::new();
        }
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
                        conference: store.owner_of(kind, id),
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
    pub fn new(store: ConferencesState) -> Self {
        Follower {
            store,
            connection: ConnectionState::first_attempt(),
            snapshots: 0,
            fetches: AskedFetches::default(),
        }
    }

    pub fn apply(&mut self, inbound: Inbound, now: Timestamp) -> Changes {
        match inbound {
            Inbound::Connection(state) => {
                self.connection = state;
                Changes::default()
            }
            // Nothing here depends on who we are; the dashboard shows it.
            Inbound::Session(_) | Inbound::WriteFailed(_) => Changes::default(),
            Inbound::Input(input) => self.apply_input(*input, now),
        }
    }

    pub fn apply_input(&mut self, input: Input, now: Timestamp) -> Changes {
        if matches!(input, Input::Snapshot(_)) {
            self.snapshots += 1;
        }
        self.fetches.note(&input);
        self.store.apply(input, now)
    }

    /// Ids the store misses that have not been asked for yet.
    pub fn wanted(&mut self, now: Instant) -> Vec<Wanted> {
        self.fetches.wanted(&self.store, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreConfig;
    use crate::voipbin::{Conference, ConferenceStatus, Resource};

    /// A new leg is asked for on behalf of its room, so the room on screen goes first.
    #[test]
    fn a_missing_leg_is_wanted_for_its_conference() {
        let room = Uuid::from_u128(1);
        let leg = Uuid::from_u128(2);
        let mut store = ConferencesState::new(StoreConfig::default());
        let conference = Conference {
            id: room,
            status: Some(ConferenceStatus::Progressing),
            conferencecall_ids: vec![leg],
            tm_update: Some(chrono::Utc::now()),
            ..Conference::default()
        };
        store.apply(
            Input::Fetched(Resource::Conference(conference.clone())),
            chrono::Utc::now(),
        );
        // Before the first snapshot (which brings every leg) nothing is fetched by id.
        assert!(AskedFetches::default()
            .wanted(&store, Instant::now())
            .is_empty());
        let snapshot = crate::store::Snapshot {
            conferences: vec![conference],
            ..Default::default()
        };
        store.apply(Input::Snapshot(snapshot), chrono::Utc::now());
        let wanted = AskedFetches::default().wanted(&store, Instant::now());
        assert_eq!(
            wanted,
            [Wanted {
                kind: ResourceKind::Conferencecall,
                id: leg,
                conference: Some(room),
            }]
        );
    }
}
