//! The hold ledger: the holds this console made.
//!
//! Hold leaves no trace on the platform (no field, no event, §6), so the only way to show
//! who is on hold, and for how long, is to remember what we did. Persisted by
//! `ledger_file`; this type is plain data.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::voipbin::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldEntry {
    pub call_id: Uuid,
    /// The leg the hold was made on; when it leaves, the hold is over.
    pub conferencecall_id: Option<Uuid>,
    /// When the hold was asked for (and, once confirmed, accepted).
    pub held_at: Timestamp,
    /// A hold or unhold was sent but its reply never came back (the process died, or the
    /// connection broke): the platform may or may not have done it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unconfirmed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldLedger {
    /// Keyed by call id (hold acts on a call). A BTreeMap keeps the file stable.
    #[serde(default)]
    holds: BTreeMap<Uuid, HoldEntry>,
}

impl HoldLedger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a confirmed hold; a repeated hold keeps the original start. Returns whether
    /// it changed.
    pub fn hold(&mut self, call_id: Uuid, conferencecall_id: Option<Uuid>, at: Timestamp) -> bool {
        match self.holds.get_mut(&call_id) {
            // The hold starts when the platform accepted it, not when it was asked for.
            Some(entry) if entry.unconfirmed => {
                entry.unconfirmed = false;
                entry.held_at = at;
                true
            }
            Some(_) => false,
            None => self.insert(call_id, conferencecall_id, at, false),
        }
    }

    /// Written before a hold or unhold is sent, so a crash before the reply leaves a trace:
    /// the call is then shown as "hold (unconfirmed)". Returns whether it changed.
    pub fn intend(
        &mut self,
        call_id: Uuid,
        conferencecall_id: Option<Uuid>,
        at: Timestamp,
    ) -> bool {
        match self.holds.get_mut(&call_id) {
            Some(entry) => !std::mem::replace(&mut entry.unconfirmed, true),
            None => self.insert(call_id, conferencecall_id, at, true),
        }
    }

    fn insert(
        &mut self,
        call_id: Uuid,
        conferencecall_id: Option<Uuid>,
        held_at: Timestamp,
        unconfirmed: bool,
    ) -> bool {
        let entry = HoldEntry {
            call_id,
            conferencecall_id,
            held_at,
            unconfirmed,
        };
        self.holds.insert(call_id, entry);
        true
    }

    /// The platform refused a hold or unhold, so nothing changed there: a hold that was only
    /// intended goes, an unhold that was refused leaves the call held as before.
    pub fn refused(&mut self, call_id: Uuid, was_hold: bool) -> bool {
        match self.holds.get_mut(&call_id) {
            Some(entry) if entry.unconfirmed && was_hold => {
                self.holds.remove(&call_id);
                true
            }
            Some(entry) if entry.unconfirmed => {
                entry.unconfirmed = false;
                true
            }
            _ => false,
        }
    }

    /// Forgets a hold (unhold, or the call left or hung up). Returns whether it was held.
    pub fn release(&mut self, call_id: Uuid) -> bool {
        self.holds.remove(&call_id).is_some()
    }

    pub fn get(&self, call_id: Uuid) -> Option<&HoldEntry> {
        self.holds.get(&call_id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &HoldEntry> {
        self.holds.values()
    }

    pub fn len(&self) -> usize {
        self.holds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.holds.is_empty()
    }

    /// Drops holds made before `cutoff`; returns the calls released.
    pub fn prune_before(&mut self, cutoff: Timestamp) -> Vec<Uuid> {
        let old: Vec<Uuid> = self
            .holds
            .values()
            .filter(|e| e.held_at < cutoff)
            .map(|e| e.call_id)
            .collect();
        for id in &old {
            self.holds.remove(id);
        }
        old
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::time::parse;

    #[test]
    fn hold_keeps_first_start_and_release_forgets() {
        let t1 = parse("2026-08-21T14:00:00Z").unwrap().unwrap();
        let t2 = parse("2026-08-21T14:01:00Z").unwrap().unwrap();
        let call = Uuid::from_u128(7);
        let mut ledger = HoldLedger::new();
        assert!(ledger.hold(call, None, t1));
        assert!(!ledger.hold(call, None, t2));
        assert_eq!(ledger.get(call).unwrap().held_at, t1);
        assert_eq!(ledger.prune_before(t1), Vec::<Uuid>::new());
        assert_eq!(ledger.prune_before(t2), vec![call]);
        assert!(ledger.is_empty());
        assert!(!ledger.release(call));
    }

    #[test]
    fn intents_are_unconfirmed_until_the_reply() {
        let t1 = parse("2026-08-21T14:00:00Z").unwrap().unwrap();
        let call = Uuid::from_u128(7);
        let mut ledger = HoldLedger::new();
        assert!(ledger.intend(call, None, t1));
        assert!(ledger.get(call).unwrap().unconfirmed);
        assert!(ledger.hold(call, None, t1));
        assert!(!ledger.get(call).unwrap().unconfirmed);
        // A refused unhold leaves the hold as it was; a refused hold leaves nothing.
        assert!(ledger.intend(call, None, t1));
        assert!(ledger.refused(call, false));
        assert!(!ledger.get(call).unwrap().unconfirmed);
        assert!(ledger.release(call));
        assert!(ledger.intend(call, None, t1));
        assert!(ledger.refused(call, true));
        assert!(ledger.is_empty());
    }
}
