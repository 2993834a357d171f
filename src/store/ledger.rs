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

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HoldLedger {
    /// Keyed by call id (hold acts on a call). A BTreeMap keeps the file stable.
    #[serde(default)]
    holds: BTreeMap<Uuid, HoldEntry>,
    /// Moves on every change, so a cached derivation knows whether what it read is current.
    #[serde(skip)]
    generation: u64,
}

/// Two ledgers are equal when they hold the same entries, however they came to.
impl PartialEq for HoldLedger {
    fn eq(&self, other: &Self) -> bool {
        self.holds == other.holds
    }
}

impl Eq for HoldLedger {}

impl HoldLedger {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a confirmed hold made without a recorded intent; a repeated hold keeps the
    /// original start. Returns whether it changed.
    pub fn hold(&mut self, call_id: Uuid, conferencecall_id: Option<Uuid>, at: Timestamp) -> bool {
        if self.holds.contains_key(&call_id) {
            return false;
        }
        self.insert(call_id, conferencecall_id, at, false)
    }

    /// Written before a hold or unhold is sent, so a crash before the reply leaves a trace:
    /// the call is then shown as "hold (unconfirmed)". A hold of a call already held, or an
    /// unhold of a call the ledger does not hold, leaves the ledger alone. Returns what the
    /// entry was before (to restore if the platform refuses) when an intent was written.
    pub fn intend(
        &mut self,
        call_id: Uuid,
        conferencecall_id: Option<Uuid>,
        hold: bool,
        at: Timestamp,
    ) -> Option<Option<HoldEntry>> {
        let before = self.holds.get(&call_id).cloned();
        match (&before, hold) {
            (Some(entry), true) if !entry.unconfirmed => return None,
            (None, false) => return None,
            (Some(_), _) => {
                if let Some(entry) = self.holds_mut().get_mut(&call_id) {
                    entry.unconfirmed = true;
                }
            }
            (None, true) => {
                self.insert(call_id, conferencecall_id, at, true);
            }
        }
        Some(before)
    }

    /// The platform accepted an intended hold: the entry, if the leg has not left since,
    /// becomes a hold that starts now (or keeps its start if it was already held).
    pub fn confirm_intent(
        &mut self,
        call_id: Uuid,
        before: Option<&HoldEntry>,
        at: Timestamp,
    ) -> bool {
        if !self.holds.contains_key(&call_id) {
            return false;
        }
        let entry = self.holds_mut().get_mut(&call_id).expect("just checked");
        entry.unconfirmed = false;
        entry.held_at = before.filter(|b| !b.unconfirmed).map_or(at, |b| b.held_at);
        true
    }

    /// The platform refused the command, so nothing changed there: the entry goes back to
    /// exactly what it was before the intent.
    pub fn restore(&mut self, call_id: Uuid, before: Option<HoldEntry>) -> bool {
        let now = self.holds.get(&call_id);
        if now == before.as_ref() {
            return false;
        }
        match before {
            Some(entry) => self.holds_mut().insert(call_id, entry),
            None => self.holds_mut().remove(&call_id),
        };
        true
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
        self.holds_mut().insert(call_id, entry);
        true
    }

    /// Puts an entry as it is (merging another process's file).
    pub(crate) fn put(&mut self, entry: HoldEntry) {
        self.holds_mut().insert(entry.call_id, entry);
    }

    /// Forgets a hold (unhold, or the call left or hung up). Returns whether it was held.
    pub fn release(&mut self, call_id: Uuid) -> bool {
        self.holds.contains_key(&call_id) && self.holds_mut().remove(&call_id).is_some()
    }

    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Every change goes through here, so the generation moves with it.
    fn holds_mut(&mut self) -> &mut BTreeMap<Uuid, HoldEntry> {
        self.generation += 1;
        &mut self.holds
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
            self.holds_mut().remove(id);
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
    fn intents_restore_exactly_what_was_there() {
        let t1 = parse("2026-08-21T14:00:00Z").unwrap().unwrap();
        let t2 = parse("2026-08-21T14:01:00Z").unwrap().unwrap();
        let call = Uuid::from_u128(7);
        let mut ledger = HoldLedger::new();
        // An unhold of a call we never held writes nothing.
        assert_eq!(ledger.intend(call, None, false, t1), None);
        assert!(ledger.is_empty());
        // A hold: unconfirmed until accepted, then held from the acceptance.
        let before = ledger.intend(call, None, true, t1).expect("intent written");
        assert!(ledger.get(call).unwrap().unconfirmed);
        assert!(ledger.confirm_intent(call, before.as_ref(), t2));
        assert_eq!(ledger.get(call).unwrap().held_at, t2);
        assert!(!ledger.get(call).unwrap().unconfirmed);
        // Holding again a call already held leaves it alone.
        assert_eq!(ledger.intend(call, None, true, t2), None);
        // A refused unhold puts the hold back as it was.
        let before = ledger
            .intend(call, None, false, t2)
            .expect("intent written");
        assert!(ledger.get(call).unwrap().unconfirmed);
        assert!(ledger.restore(call, before));
        assert_eq!(ledger.get(call).unwrap().held_at, t2);
        assert!(!ledger.get(call).unwrap().unconfirmed);
        // A refused hold of a call not held leaves nothing.
        ledger.release(call);
        let before = ledger.intend(call, None, true, t2).unwrap();
        assert!(ledger.restore(call, before));
        assert!(ledger.is_empty());
    }
}
