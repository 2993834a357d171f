//! Each member's participant as last derived, with what it was made from: a re-derivation
//! builds again only the participants whose inputs moved (see `dirty` for which legs an
//! input can have moved, `LegKey` for how a move is seen without comparing content).

use std::collections::hash_map::Entry;
use std::sync::Arc;

use uuid::Uuid;

use super::id_map::IdMap;
use super::participant::{self, Followups, LegInputs, LegKey, LegNeeds, Listing, Participant};
use super::Sources;
use crate::voipbin::Timestamp;

/// Participants as last derived, by conferencecall id.
#[derive(Debug, Default)]
pub(crate) struct LegCache(IdMap<DerivedLeg>);

#[derive(Debug)]
struct DerivedLeg {
    key: LegKey,
    participant: Arc<Participant>,
    /// What the leg asked the client to fetch.
    needs: LegNeeds,
    /// When the time alone changes what it shows (a recently-left leg becomes left).
    status_until: Option<Timestamp>,
}

impl LegCache {
    /// A member none of whose resources moved, as last derived, while the time has not
    /// changed what it shows (a recently-left leg becoming left).
    pub(crate) fn untouched(
        &self,
        id: Uuid,
        now: Timestamp,
        followups: &mut Followups,
    ) -> Option<Arc<Participant>> {
        let cached = self.0.get(&id)?;
        if cached.status_until.is_some_and(|until| now >= until) {
            return None;
        }
        cached.needs.ask(&cached.participant, followups);
        Some(Arc::clone(&cached.participant))
    }

    /// A member whose resources did not move and whose place in the room's listings is
    /// what it was, as last derived.
    pub(crate) fn same_listing(
        &self,
        id: Uuid,
        listing: &Listing,
        now: Timestamp,
        src: &Sources<'_>,
        followups: &mut Followups,
    ) -> Option<Arc<Participant>> {
        let cached = self.0.get(&id)?;
        if cached.key.listing != *listing || cached.key.status != listing.status(now, src) {
            return None;
        }
        cached.needs.ask(&cached.participant, followups);
        Some(Arc::clone(&cached.participant))
    }

    pub(crate) fn participant(
        &mut self,
        id: Uuid,
        inputs: &LegInputs<'_>,
        src: &Sources<'_>,
        followups: &mut Followups,
    ) -> Arc<Participant> {
        let needs = inputs.needs(src);
        let key = inputs.key(src);
        let status_until = inputs.status_until(src);
        let derived = match self.0.entry(id) {
            Entry::Occupied(cached) => {
                let cached = cached.into_mut();
                if cached.key != key {
                    let fresh = participant::build(inputs, src, followups);
                    // Inputs moved without changing what shows (a newer stamp, the same
                    // state): the old allocation stays, so the diff sees it unchanged.
                    if *cached.participant != fresh {
                        cached.participant = Arc::new(fresh);
                    }
                    cached.key = key;
                    cached.status_until = status_until;
                }
                // What is known to be gone is not in the key: the needs are always current.
                cached.needs = needs;
                cached
            }
            Entry::Vacant(slot) => slot.insert(DerivedLeg {
                key,
                participant: Arc::new(participant::build(inputs, src, followups)),
                needs,
                status_until,
            }),
        };
        needs.ask(&derived.participant, followups);
        Arc::clone(&derived.participant)
    }

    /// Forgets the legs the room no longer has.
    pub(crate) fn keep_only<V>(&mut self, members: &IdMap<V>) {
        if self.0.len() > members.len() {
            self.0.retain(|id, _| members.contains_key(id));
        }
    }
}
