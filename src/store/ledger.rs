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
    /// When the platform accepted the hold.
    pub held_at: Timestamp,
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

    /// Records a hold; a repeated hold keeps the original start. Returns whether it changed.
    pub fn hold(&mut self, call_id: Uuid, conferencecall_id: Option<Uuid>, at: Timestamp) -> bool {
        if self.holds.contains_key(&call_id) {
            return false;
        }
        self.holds.insert(
            call_id,
            HoldEntry {
                call_id,
                conferencecall_id,
                held_at: at,
            },
        );
        true
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
}
