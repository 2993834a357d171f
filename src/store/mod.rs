//! `ConferencesState`: the pure store behind the dashboard (DESIGN.md "ConferencesState").
//!
//! Inputs (REST snapshots, WebSocket frames, fetched resources, command outcomes, ticks)
//! go in with the current time; a short list of changes comes out. The store reads no
//! clock and does no I/O (the hold-ledger file lives in `ledger_file`). Every input costs
//! work in proportion to the conferences it touches, never to the number held.
//!
//! Convergence: frames may arrive in any order and any number of times (§11.5). Resources
//! keep their newest version (`versions`), and a conference's membership history is
//! gathered from every snapshot seen, stale ones included, so the derived state is a
//! function of the set of snapshots received, not of their order.

mod alerts;
mod call_record;
mod changes;
mod command_flow;
mod commands;
mod conference;
mod config;
mod dedupe;
mod diff;
mod dirty;
mod held;
mod highlights;
mod id_map;
mod indexes;
mod input;
mod json;
mod ledger;
pub mod ledger_file;
mod leg_cache;
mod missing;
mod participant;
mod retention;
mod settle;
mod timers;
mod versions;

use std::collections::VecDeque;

use id_map::{IdMap, IdSet};

use uuid::Uuid;

pub use alerts::{Alert, AlertKind, Severity};
pub use call_record::CallRecord;
pub use changes::{Change, Changes};
pub use commands::{CommandError, PendingCommand};
pub use conference::{ConferenceView, KEPT_LEFT_LEGS};
pub use config::{AlertThresholds, StoreConfig};
pub use input::{CommandFailure, CommandId, Input, Snapshot};
pub use json::{AlertJson, ConferenceJson, ConferenceSummaryJson, ParticipantJson, StateDocument};
pub use ledger::{HoldEntry, HoldLedger};
pub use missing::Missing;
pub use participant::{Participant, ParticipantStatus, ParticipantType};

use alerts::NextChange;
use commands::CommandBook;
use conference::{ConferenceEntry, Needed};
use dedupe::FrameDedupe;
use dirty::{Dirty, Scope};
use held::{Generation, Held};
use leg_cache::LegCache;
use missing::MissingBook;
use participant::Followups;
use timers::Timers;
use versions::{judge_at, Verdict, Versioned};

use crate::voipbin::{
    decode_text, Agent, Call, Conference, Conferencecall, Resource, ResourceKind, Timestamp,
};

/// Counters for the status line and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub frames: u64,
    pub duplicate_frames: u64,
    pub stale_snapshots: u64,
    /// Snapshots applied: until the first, the store holds only what came so far.
    pub snapshots: u64,
    pub rejected_frames: u64,
    /// Records the last snapshot had to leave out (they did not decode).
    pub skipped_records: u64,
}

/// How much the store holds, for status lines and bounded-memory tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Footprint {
    pub conferences: usize,
    pub conferencecalls: usize,
    pub calls: usize,
    pub agents: usize,
    pub remembered_frames: usize,
    pub timers: usize,
    pub pending_commands: usize,
    pub tombstones: usize,
    pub orphan_checks: usize,
    /// Legs linked to the conference that lists them.
    pub leg_links: usize,
}

/// Read-only access to everything a derivation looks at.
pub(crate) struct Sources<'a> {
    pub(crate) conferencecalls: &'a IdMap<Held<Conferencecall>>,
    pub(crate) calls: &'a IdMap<Held<CallRecord>>,
    pub(crate) agents: &'a IdMap<Held<Agent>>,
    pub(crate) ledger: &'a HoldLedger,
    pub(crate) commands: &'a CommandBook,
    pub(crate) config: &'a StoreConfig,
    pub(crate) not_found: &'a IdSet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Orphan {
    Conferencecall(Uuid),
    Call(Uuid),
}

#[derive(Debug)]
pub struct ConferencesState {
    config: StoreConfig,
    dedupe: FrameDedupe,
    conferences: IdMap<ConferenceEntry>,
    live: IdSet,
    ended: IdSet,
    /// Forgotten conferences: late frames for them are ignored until the tombstone expires.
    tombstones: IdMap<Timestamp>,
    tombstone_queue: VecDeque<(Timestamp, Uuid)>,
    conferencecalls: IdMap<Held<Conferencecall>>,
    calls: IdMap<Held<CallRecord>>,
    agents: IdMap<Held<Agent>>,
    /// The last generation given to a stored resource.
    generation: Generation,
    /// Conferencecall id → the conference that listed it.
    leg_conference: IdMap<Uuid>,
    /// Call id → conferencecalls referring to it (a call may join several conferences).
    call_legs: IdMap<Vec<Uuid>>,
    /// Agent id → calls it owns.
    agent_calls: IdMap<IdSet>,
    /// Resources stored without a conference, checked for expiry in arrival order.
    orphans: VecDeque<(Timestamp, Orphan)>,
    missing: MissingBook,
    not_found: IdSet,
    ledger: HoldLedger,
    commands: CommandBook,
    timers: Timers,
    stats: Stats,
}

impl ConferencesState {
    pub fn new(config: StoreConfig) -> Self {
        ConferencesState {
            dedupe: FrameDedupe::new(config.dedupe_window, config.dedupe_capacity),
            config,
            conferences: IdMap::default(),
            live: IdSet::default(),
            ended: IdSet::default(),
            tombstones: IdMap::default(),
            tombstone_queue: VecDeque::new(),
            conferencecalls: IdMap::default(),
            calls: IdMap::default(),
            agents: IdMap::default(),
            generation: 0,
            leg_conference: IdMap::default(),
            call_legs: IdMap::default(),
            agent_calls: IdMap::default(),
            orphans: VecDeque::new(),
            missing: MissingBook::default(),
            not_found: IdSet::default(),
            ledger: HoldLedger::new(),
            commands: CommandBook::default(),
            timers: Timers::default(),
            stats: Stats::default(),
        }
    }

    /// Starts from a ledger loaded at start-up (see `ledger_file::load`).
    pub fn with_ledger(mut self, ledger: HoldLedger) -> Self {
        self.ledger = ledger;
        self
    }

    /// For a console: only `Changes::conferences` is read, so no change record is built
    /// for conferences, participants and alerts (see `StoreConfig::change_records`).
    pub fn without_change_records(mut self) -> Self {
        self.config.change_records = false;
        self
    }

    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    pub fn ledger(&self) -> &HoldLedger {
        &self.ledger
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn footprint(&self) -> Footprint {
        Footprint {
            conferences: self.conferences.len(),
            conferencecalls: self.conferencecalls.len(),
            calls: self.calls.len(),
            agents: self.agents.len(),
            remembered_frames: self.dedupe.len(),
            timers: self.timers.len(),
            pending_commands: self.commands.len(),
            tombstones: self.tombstones.len(),
            orphan_checks: self.orphans.len(),
            leg_links: self.leg_conference.len(),
        }
    }

    /// Live conferences, in no particular order (sort for display).
    pub fn live(&self) -> impl Iterator<Item = &ConferenceView> + '_ {
        self.live
            .iter()
            .filter_map(|id| self.conferences.get(id)?.view.as_ref())
    }

    /// Whether a whole snapshot has been applied: before it, an empty list or no alert
    /// means nothing yet, not that nothing is there.
    pub fn has_snapshot(&self) -> bool {
        self.stats.snapshots > 0
    }

    pub fn live_count(&self) -> usize {
        self.live.len()
    }

    /// Ended conferences still retained, most recently ended first.
    pub fn ended(&self) -> Vec<&ConferenceView> {
        let mut ended: Vec<(Option<Timestamp>, &ConferenceView)> = self
            .ended
            .iter()
            .filter_map(|id| {
                let entry = self.conferences.get(id)?;
                Some((entry.ended_seen_at, entry.view.as_ref()?))
            })
            .collect();
        ended.sort_by_key(|e| std::cmp::Reverse((e.0, ended_at(e.1), e.1.id())));
        ended.into_iter().map(|(_, view)| view).collect()
    }

    /// A live or ended conference.
    pub fn conference(&self, id: Uuid) -> Option<&ConferenceView> {
        self.conferences.get(&id)?.view.as_ref()
    }

    pub fn call(&self, id: Uuid) -> Option<&CallRecord> {
        self.calls.get(&id).map(|held| &**held)
    }

    pub fn agent(&self, id: Uuid) -> Option<&Agent> {
        self.agents.get(&id).map(|held| &**held)
    }

    /// What the client should fetch next.
    pub fn missing(&self) -> Missing {
        self.missing.snapshot()
    }

    /// The whole state as the documented JSON document, derived at `now`.
    pub fn to_document(&self, now: Timestamp) -> StateDocument {
        let src = self.sources();
        let derive = |id: &Uuid| {
            let entry = self.conferences.get(id)?;
            let mut scratch = LegCache::default();
            let (followups, next) = (&mut Followups::default(), &mut NextChange(None));
            Some(entry.derive(&src, &Scope::WHOLE, now, followups, next, &mut scratch))
        };
        let mut live: Vec<ConferenceView> = self.live.iter().filter_map(derive).collect();
        live.sort_by_key(|v| (v.conference.tm_create, v.id()));
        let mut ended: Vec<ConferenceView> = self.ended.iter().filter_map(derive).collect();
        ended.sort_by_key(|v| (ended_at(v), v.id()));
        StateDocument {
            generated_at: now,
            conferences: live.iter().map(ConferenceJson::of).collect(),
            ended: ended.iter().map(ConferenceJson::of).collect(),
        }
    }

    /// `to_document` as a JSON value.
    pub fn to_json(&self, now: Timestamp) -> serde_json::Value {
        serde_json::to_value(self.to_document(now)).unwrap_or(serde_json::Value::Null)
    }

    /// New alert thresholds (the config file changed): every live conference's alerts
    /// are derived again with them.
    pub fn set_alert_thresholds(&mut self, thresholds: AlertThresholds, now: Timestamp) -> Changes {
        let mut changes = Changes::default();
        if self.config.alerts == thresholds {
            return changes;
        }
        self.config.alerts = thresholds;
        let mut dirty = Dirty::default();
        for id in self.live.iter() {
            dirty.mark(*id);
        }
        for (id, scope) in dirty.into_scopes() {
            self.recompute(id, &scope, now, &mut changes);
            changes.conferences.push(id);
        }
        changes
    }

    pub fn apply(&mut self, input: Input, now: Timestamp) -> Changes {
        let mut changes = Changes::default();
        let mut dirty = Dirty::default();
        match input {
            Input::Snapshot(snapshot) => {
                self.stats.snapshots += 1;
                self.apply_snapshot(snapshot, now, &mut dirty);
            }
            Input::Frame(text) => self.apply_frame(&text, now, &mut dirty, &mut changes),
            Input::Fetched(resource) => self.upsert(resource, now, &mut dirty),
            Input::NotFound { kind, id } => self.apply_not_found(kind, id, &mut dirty),
            Input::CommandIssued { id, command } => {
                self.issue(id, command, now, &mut dirty, &mut changes);
            }
            Input::CommandConfirmed { id } => {
                self.confirm(id, now, &mut dirty, &mut changes);
            }
            Input::CommandFailed { id, failure } => {
                self.fail(id, failure, now, &mut dirty, &mut changes);
            }
            Input::Tick => self.tick(now, &mut dirty, &mut changes),
        }
        // Each touched conference is derived once, at the end of the input.
        for (id, scope) in dirty.into_scopes() {
            self.recompute(id, &scope, now, &mut changes);
            changes.conferences.push(id);
        }
        changes
    }

    fn sources(&self) -> Sources<'_> {
        Sources {
            conferencecalls: &self.conferencecalls,
            calls: &self.calls,
            agents: &self.agents,
            ledger: &self.ledger,
            commands: &self.commands,
            config: &self.config,
            not_found: &self.not_found,
        }
    }

    fn apply_frame(&mut self, text: &str, now: Timestamp, dirty: &mut Dirty, out: &mut Changes) {
        self.stats.frames += 1;
        if !self.dedupe.first_sighting(text, now) {
            self.stats.duplicate_frames += 1;
            return;
        }
        match decode_text(text) {
            Ok(frame) => self.upsert(frame.resource, now, dirty),
            Err(error) => {
                self.stats.rejected_frames += 1;
                out.push(Change::FrameRejected {
                    error: error.to_string(),
                });
            }
        }
    }

    fn apply_snapshot(&mut self, snapshot: Snapshot, now: Timestamp, dirty: &mut Dirty) {
        let listed: IdSet = snapshot.conferences.iter().map(|c| c.id).collect();
        // Each resync reads the same lists again: the last one's count is the one that holds.
        self.stats.skipped_records = snapshot.skipped_records;
        // Conferences first, then their legs, then the legs' calls: each finds what links
        // it already in place, so none waits as an orphan (every conference is derived
        // once, at the end of the input, whatever the order).
        for agent in snapshot.agents {
            self.upsert(Resource::Agent(agent), now, dirty);
        }
        for conference in snapshot.conferences {
            self.upsert(Resource::Conference(conference), now, dirty);
        }
        for leg in snapshot.conferencecalls {
            self.upsert(Resource::Conferencecall(leg), now, dirty);
        }
        for call in snapshot.calls {
            self.upsert(Resource::Call(call), now, dirty);
        }
        // The list hides deleted rooms and every type but `conference` (§4), so a live room
        // it omits may have ended while we were not listening: fetch it by id to know.
        for id in &self.live {
            if !listed.contains(id) {
                self.missing.conferences.insert(*id);
            }
        }
    }

    fn apply_not_found(&mut self, kind: ResourceKind, id: Uuid, dirty: &mut Dirty) {
        self.not_found.insert(id);
        match kind {
            ResourceKind::Conference => {
                self.missing.conferences.remove(&id);
                // Gone from the platform altogether: it leaves the live set.
                if let Some(entry) = self.conferences.get_mut(&id) {
                    entry.vanished = true;
                    dirty.mark(id);
                }
            }
            ResourceKind::Conferencecall => {
                if let Some(&conference) = self.leg_conference.get(&id) {
                    dirty.mark_leg(conference, id);
                }
            }
            ResourceKind::Call => self.mark_call(id, dirty),
            ResourceKind::Agent => self.mark_agent(id, dirty),
            ResourceKind::Queuecall => {}
        }
    }

    fn upsert(&mut self, resource: Resource, now: Timestamp, dirty: &mut Dirty) {
        // A nil id is the platform's "zero object" failure reply (§4): nothing to store.
        if resource.id().is_nil() {
            return;
        }
        match resource {
            Resource::Conference(c) => self.upsert_conference(c, now, dirty),
            Resource::Conferencecall(cc) => self.upsert_conferencecall(cc, now, dirty),
            Resource::Call(call) => self.upsert_call(call, now, dirty),
            Resource::Agent(agent) => self.upsert_agent(agent, now, dirty),
            Resource::Queuecall(_) => {}
        }
    }

    fn upsert_conference(&mut self, conference: Conference, now: Timestamp, dirty: &mut Dirty) {
        let id = conference.id;
        if self.tombstones.contains_key(&id) {
            return;
        }
        self.missing.conferences.remove(&id);
        let listed = conference.conferencecall_ids.clone();
        let changed = match self.conferences.get_mut(&id) {
            Some(entry) => entry.absorb(conference, now),
            None => {
                self.conferences
                    .insert(id, ConferenceEntry::new(conference));
                true
            }
        };
        // Only members are linked: a stale snapshot may list a leg the room forgot.
        let members = &self.conferences[&id].members;
        for leg in listed.into_iter().filter(|leg| members.contains_key(leg)) {
            self.leg_conference.entry(leg).or_insert(id);
        }
        if changed {
            dirty.mark_room(id);
        } else {
            self.stats.stale_snapshots += 1;
        }
    }

    fn upsert_conferencecall(&mut self, leg: Conferencecall, now: Timestamp, dirty: &mut Dirty) {
        let id = leg.id;
        let call_id = leg.reference_id;
        if !self.store_newest_leg(leg, now) {
            return;
        }
        self.not_found.remove(&id);
        if !call_id.is_nil() {
            let legs = self.call_legs.entry(call_id).or_default();
            if !legs.contains(&id) {
                legs.push(id);
            }
        }
        match self.leg_conference.get(&id) {
            Some(&conference) => dirty.mark_leg(conference, id),
            None => self.orphans.push_back((now, Orphan::Conferencecall(id))),
        }
    }

    fn upsert_call(&mut self, call: Call, now: Timestamp, dirty: &mut Dirty) {
        let call = CallRecord::of(call);
        let id = call.id;
        let owner = call.agent_owner;
        let previous_owner = self.calls.get(&id).and_then(|c| c.agent_owner);
        if !self.store_newest_call(call, now) {
            return;
        }
        self.not_found.remove(&id);
        if previous_owner != owner {
            if let Some(old) = previous_owner {
                self.unindex_agent_call(old, id);
            }
        }
        if let Some(agent) = owner {
            self.agent_calls.entry(agent).or_default().insert(id);
        }
        if self.call_is_linked(id) {
            self.mark_call(id, dirty);
        } else {
            self.orphans.push_back((now, Orphan::Call(id)));
        }
    }

    fn upsert_agent(&mut self, agent: Agent, now: Timestamp, dirty: &mut Dirty) {
        let id = agent.id;
        if !self.store_newest_agent(agent, now) {
            return;
        }
        self.not_found.remove(&id);
        self.mark_agent(id, dirty);
    }

    /// Re-derives one conference and reports how it differs from before.
    fn recompute(&mut self, id: Uuid, scope: &Scope, now: Timestamp, out: &mut Changes) {
        let Some(entry) = self.conferences.get_mut(&id) else {
            return;
        };
        let forgotten = entry.prune_history();
        if !forgotten.is_empty() {
            let mut unanswered = Vec::new();
            for leg in forgotten {
                unanswered.extend(self.forget_leg(id, leg, out));
            }
            retention::report_unanswered(unanswered, "its leg", out);
        }
        let Some(entry) = self.conferences.get_mut(&id) else {
            return;
        };
        let mut legs = std::mem::take(&mut entry.legs);
        let entry = &self.conferences[&id];
        let mut followups = Followups::default();
        let mut next = NextChange(None);
        let mut view = entry.derive(
            &self.sources(),
            scope,
            now,
            &mut followups,
            &mut next,
            &mut legs,
        );

        if !followups.released_holds.is_empty() || !followups.settled_commands.is_empty() {
            for call in &followups.released_holds {
                out.ledger_changed |= self.ledger.release(*call);
            }
            for command in &followups.settled_commands {
                if self.commands.finish(*command).is_some() {
                    out.settled.push(*command);
                }
            }
            // Derive again so the view shows the released holds and settled commands; every
            // leg is checked against its key (what the first pass reused unread may have
            // moved with them).
            let entry = &self.conferences[&id];
            followups = Followups::default();
            next = NextChange(None);
            view = entry.derive(
                &self.sources(),
                &Scope::WHOLE,
                now,
                &mut followups,
                &mut next,
                &mut legs,
            );
        }

        let needed = needed_of(followups);
        let entry = self.conferences.get_mut(&id).expect("checked above");
        entry.legs = legs;
        self.missing.replace(&entry.needed, &needed);
        entry.needed = needed;

        if view.ended && entry.ended_seen_at.is_none() {
            entry.ended_seen_at = Some(now);
        }
        if let Some(at) = entry.ended_seen_at {
            // Already past retention: wake at once so the next tick forgets it.
            let forget_at = (at + self.config.ended_retention).max(now);
            next.0 = Some(next.0.map_or(forget_at, |t| t.min(forget_at)));
        }
        self.timers.set(id, next.0);

        let old = entry.view.replace(view);
        let view = entry.view.as_ref().expect("just set");
        if view.ended {
            self.live.remove(&id);
            self.ended.insert(id);
        } else {
            self.ended.remove(&id);
            self.live.insert(id);
        }
        out.views_changed |= old.as_ref().is_none_or(|old| !old.shows_as(view));
        if self.config.change_records {
            diff::diff(old.as_ref(), view, out);
        }
    }
}

/// Keeps only the newest snapshot of a resource, stamped with a new generation when
/// stored; returns whether it was.
fn store_newest<T>(
    map: &mut IdMap<Held<T>>,
    incoming: T,
    now: Timestamp,
    generation: &mut Generation,
    stats: &mut Stats,
) -> bool
where
    T: Versioned + HasId,
{
    let id = incoming.resource_id();
    match map.get_mut(&id) {
        None => {
            *generation += 1;
            map.insert(id, Held::new(incoming, *generation));
            true
        }
        Some(current) => match judge_at(&**current, &incoming, now) {
            Verdict::Replace => {
                *generation += 1;
                current.replace(incoming, *generation);
                true
            }
            Verdict::Same | Verdict::Stale => {
                stats.stale_snapshots += 1;
                false
            }
        },
    }
}

impl ConferencesState {
    fn store_newest_leg(&mut self, leg: Conferencecall, now: Timestamp) -> bool {
        let (map, stats) = (&mut self.conferencecalls, &mut self.stats);
        store_newest(map, leg, now, &mut self.generation, stats)
    }

    fn store_newest_call(&mut self, call: CallRecord, now: Timestamp) -> bool {
        let (map, stats) = (&mut self.calls, &mut self.stats);
        store_newest(map, call, now, &mut self.generation, stats)
    }

    fn store_newest_agent(&mut self, agent: Agent, now: Timestamp) -> bool {
        let (map, stats) = (&mut self.agents, &mut self.stats);
        store_newest(map, agent, now, &mut self.generation, stats)
    }
}

trait HasId {
    fn resource_id(&self) -> Uuid;
}

impl HasId for Conferencecall {
    fn resource_id(&self) -> Uuid {
        self.id
    }
}

impl HasId for CallRecord {
    fn resource_id(&self) -> Uuid {
        self.id
    }
}

impl HasId for Agent {
    fn resource_id(&self) -> Uuid {
        self.id
    }
}

fn needed_of(followups: Followups) -> Needed {
    let tidy = |mut ids: Vec<Uuid>| {
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    Needed {
        conferencecalls: tidy(followups.needed_conferencecalls),
        calls: tidy(followups.needed_calls),
        agents: tidy(followups.needed_agents),
    }
}

fn ended_at(view: &ConferenceView) -> Option<Timestamp> {
    view.ended_at()
}
