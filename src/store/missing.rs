//! Which resources the client should fetch, counted per asking conference so that an id
//! stops being asked for exactly when no conference needs it any more.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::conference::Needed;

/// Ids to fetch, sorted, without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    /// Live conferences a REST snapshot no longer listed: fetch each by id to learn how it
    /// ended (`GET /conferences` hides deleted rooms).
    pub conferences: Vec<Uuid>,
    pub conferencecalls: Vec<Uuid>,
    pub calls: Vec<Uuid>,
    pub agents: Vec<Uuid>,
}

impl Missing {
    pub fn is_empty(&self) -> bool {
        self.conferences.is_empty()
            && self.conferencecalls.is_empty()
            && self.calls.is_empty()
            && self.agents.is_empty()
    }
}

#[derive(Debug, Default)]
pub(crate) struct MissingBook {
    pub(crate) conferences: BTreeSet<Uuid>,
    conferencecalls: BTreeMap<Uuid, u32>,
    calls: BTreeMap<Uuid, u32>,
    agents: BTreeMap<Uuid, u32>,
}

fn add(counts: &mut BTreeMap<Uuid, u32>, ids: &[Uuid]) {
    for &id in ids {
        *counts.entry(id).or_default() += 1;
    }
}

fn remove(counts: &mut BTreeMap<Uuid, u32>, ids: &[Uuid]) {
    for id in ids {
        if let Some(n) = counts.get_mut(id) {
            *n -= 1;
            if *n == 0 {
                counts.remove(id);
            }
        }
    }
}

impl MissingBook {
    /// Swaps one conference's needs for its new ones.
    pub(crate) fn replace(&mut self, old: &Needed, new: &Needed) {
        if old == new {
            return;
        }
        remove(&mut self.conferencecalls, &old.conferencecalls);
        remove(&mut self.calls, &old.calls);
        remove(&mut self.agents, &old.agents);
        add(&mut self.conferencecalls, &new.conferencecalls);
        add(&mut self.calls, &new.calls);
        add(&mut self.agents, &new.agents);
    }

    pub(crate) fn snapshot(&self) -> Missing {
        Missing {
            conferences: self.conferences.iter().copied().collect(),
            conferencecalls: self.conferencecalls.keys().copied().collect(),
            calls: self.calls.keys().copied().collect(),
            agents: self.agents.keys().copied().collect(),
        }
    }
}
