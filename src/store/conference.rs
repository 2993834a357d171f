//! One conference: the newest platform snapshot, the membership history gathered from every
//! snapshot seen, and the derived view (participants, live counts, alerts).

use std::collections::{BTreeSet, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use uuid::Uuid;

use super::alerts::{self, Alert, ConferenceFacts, NextChange};
use super::commands::{CommandError, PendingCommand};
use super::dirty::Scope;
use super::highlights::{self, Highlights};
use super::id_map::{IdMap, IdSet};
use super::leg_cache::LegCache;
use super::participant::{Followups, LegInputs, Listing, Membership, Participant, ParticipantType};
use super::settle::{self, RoomState};
use super::versions::{judge_at, Verdict};
use super::Sources;
use crate::command::Target;
use crate::voipbin::{Conference, ConferenceStatus, Timestamp};

/// A conference as the dashboard shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConferenceView {
    /// The newest platform snapshot, shared with the store (a re-derivation copies no
    /// resource).
    pub conference: Arc<Conference>,
    /// Deleted or terminated: no longer live (`terminated` may never come, §12.1).
    pub ended: bool,
    pub live_participant_count: usize,
    pub live_worker_count: usize,
    /// Conferencecall ids of the joined worker legs, in joining order.
    pub live_workers: Vec<Uuid>,
    /// Every leg ever listed, in joining order; left ones stay for history. Shared with
    /// the store's cache: a participant nothing moved for is the same allocation as before.
    pub participants: Vec<Arc<Participant>>,
    pub alerts: Vec<Alert>,
    pub pending: Option<PendingCommand>,
    pub last_error: Option<CommandError>,
    highlights: Highlights,
}

impl ConferenceView {
    pub fn id(&self) -> Uuid {
        self.conference.id
    }

    pub fn participant(&self, conferencecall_id: Uuid) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.conferencecall_id == conferencecall_id)
            .map(|p| &**p)
    }

    /// When the platform says it ended (deleted, else terminated, else its last version).
    pub fn ended_at(&self) -> Option<Timestamp> {
        let c = &self.conference;
        c.tm_delete.or(c.tm_end).or(c.version())
    }

    /// The most severe alert; among equals the oldest.
    pub fn worst_alert(&self) -> Option<&Alert> {
        self.highlights.worst_alert.as_ref()
    }

    /// When the longest of the current holds began; `None` when nobody is on hold.
    pub fn longest_hold_since(&self) -> Option<Timestamp> {
        self.highlights.longest_hold_since
    }

    /// Joined legs on hold.
    pub fn on_hold_count(&self) -> usize {
        self.highlights.on_hold_count
    }

    /// Whether the console's own agent is in the room (agent mode).
    pub fn is_mine(&self) -> bool {
        self.highlights.mine
    }

    /// Whether it shows exactly as `other`. Participants nothing moved for are the same
    /// allocation in both, so only the ones built again are compared.
    pub(crate) fn shows_as(&self, other: &ConferenceView) -> bool {
        self.same_summary(other)
            && self.alerts == other.alerts
            && self.highlights == other.highlights
            && self.participants.len() == other.participants.len()
            && self
                .participants
                .iter()
                .zip(&other.participants)
                .all(|(a, b)| Arc::ptr_eq(a, b) || a == b)
    }

    /// The same conference-level facts (everything but participants and alerts).
    pub(crate) fn same_summary(&self, other: &ConferenceView) -> bool {
        (Arc::ptr_eq(&self.conference, &other.conference) || self.conference == other.conference)
            && self.ended == other.ended
            && self.live_participant_count == other.live_participant_count
            && self.live_worker_count == other.live_worker_count
            && self.live_workers == other.live_workers
            && self.pending == other.pending
            && self.last_error == other.last_error
    }
}

pub(crate) fn is_ended(conference: &Conference) -> bool {
    conference.is_deleted() || conference.status == Some(ConferenceStatus::Terminated)
}

/// Left legs a room keeps for its history (the most recent ones). A team room open for a
/// week sees thousands come and go; each recompute reads every kept leg, so older ones are
/// forgotten with their resources and the room costs what a new one does.
pub const KEPT_LEFT_LEGS: usize = 50;
/// Forgotten legs a room remembers by id (16 bytes each), so a late frame that still lists
/// one does not bring it back; past this many, only the oldest are left to
/// `history_floor`. (Which legs are forgotten can depend on delivery order only when a
/// frame comes later than 50 departures after it: far beyond the platform's reordering.)
const REMEMBERED_FORGOTTEN: usize = 2_000;

#[derive(Debug)]
pub(crate) struct ConferenceEntry {
    pub(crate) current: Arc<Conference>,
    /// The version of every snapshot seen: a leg left at the first version after the last
    /// one that listed it.
    versions_seen: BTreeSet<Option<Timestamp>>,
    pub(crate) members: IdMap<Membership>,
    /// The newest last listing among forgotten legs: a snapshot this old or older adds no
    /// members (it would bring a forgotten leg back), and older versions are not kept.
    history_floor: Option<Timestamp>,
    /// The most recently forgotten legs, oldest first (see `REMEMBERED_FORGOTTEN`).
    forgotten: VecDeque<Uuid>,
    forgotten_ids: IdSet,
    /// Earliest version seen with status `terminating`.
    terminating_since: Option<Timestamp>,
    /// Local time the store first saw it ended; retention counts from here.
    pub(crate) ended_seen_at: Option<Timestamp>,
    /// The platform answered 404 for it: it is gone, whatever its last snapshot said.
    pub(crate) vanished: bool,
    pub(crate) view: Option<ConferenceView>,
    /// Each member's participant as last derived, with what it was made from.
    pub(crate) legs: LegCache,
    /// Ids this conference asked for at its last derivation (for the missing refcounts).
    pub(crate) needed: Needed,
}

/// The legs a snapshot lists, for membership tests: a short list is searched, a long one
/// hashed.
enum Listed<'a> {
    Few(&'a [Uuid]),
    Many(IdSet),
}

impl<'a> Listed<'a> {
    const FEW: usize = 16;

    fn new(ids: &'a [Uuid]) -> Self {
        if ids.len() <= Self::FEW {
            Listed::Few(ids)
        } else {
            Listed::Many(ids.iter().copied().collect())
        }
    }

    fn contains(&self, id: Uuid) -> bool {
        match self {
            Listed::Few(ids) => ids.contains(&id),
            Listed::Many(set) => set.contains(&id),
        }
    }
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Needed {
    pub(crate) conferencecalls: Vec<Uuid>,
    pub(crate) calls: Vec<Uuid>,
    pub(crate) agents: Vec<Uuid>,
}

impl ConferenceEntry {
    pub(crate) fn new(first: Conference) -> Self {
        let mut entry = ConferenceEntry {
            current: Arc::new(first.clone()),
            versions_seen: BTreeSet::new(),
            members: IdMap::default(),
            history_floor: None,
            forgotten: VecDeque::new(),
            forgotten_ids: IdSet::default(),
            terminating_since: None,
            ended_seen_at: None,
            vanished: false,
            view: None,
            legs: LegCache::default(),
            needed: Needed::default(),
        };
        entry.record_history(&first);
        entry
    }

    /// Takes in a snapshot of any age. Returns whether anything the view depends on changed.
    pub(crate) fn absorb(&mut self, snapshot: Conference, now: Timestamp) -> bool {
        let mut changed = self.record_history(&snapshot);
        if judge_at(self.current.as_ref(), &snapshot, now) == Verdict::Replace {
            self.current = Arc::new(snapshot);
            changed = true;
        }
        changed
    }

    /// History is gathered from stale snapshots too, so that a leg that joined and left
    /// between two delivered versions is listed whatever order the frames came in.
    fn record_history(&mut self, snapshot: &Conference) -> bool {
        let version = snapshot.version();
        let behind_history = self.history_floor.is_some() && version <= self.history_floor;
        let mut changed = !behind_history && self.versions_seen.insert(version);
        for &id in &snapshot.conferencecall_ids {
            let first_sighting = !self.members.contains_key(&id);
            if first_sighting && (behind_history || self.forgotten_ids.contains(&id)) {
                continue;
            }
            let membership = self.members.entry(id).or_default();
            let before = *membership;
            membership.listed_at(version, first_sighting);
            changed |= *membership != before || first_sighting;
        }
        if snapshot.status == Some(ConferenceStatus::Terminating) {
            if let Some(v) = version {
                if self.terminating_since.is_none_or(|t| v < t) {
                    self.terminating_since = Some(v);
                    changed = true;
                }
            }
        }
        changed
    }

    /// Forgets the oldest left legs beyond `KEPT_LEFT_LEGS`, and the versions only they
    /// needed; returns the forgotten legs for the store to drop their resources.
    pub(crate) fn prune_history(&mut self) -> Vec<Uuid> {
        let listed = &self.current.conferencecall_ids;
        if self.members.len() <= listed.len() + KEPT_LEFT_LEGS {
            return Vec::new();
        }
        let mut left: Vec<(Option<Timestamp>, Uuid)> = self
            .members
            .iter()
            .filter(|(id, _)| !listed.contains(id))
            .map(|(&id, m)| (m.last_listed, id))
            .collect();
        if left.len() <= KEPT_LEFT_LEGS {
            return Vec::new();
        }
        left.sort_unstable();
        let forgotten: Vec<Uuid> = left[..left.len() - KEPT_LEFT_LEGS]
            .iter()
            .map(|&(_, id)| id)
            .collect();
        self.history_floor = self.history_floor.max(left[forgotten.len() - 1].0);
        for &id in &forgotten {
            self.members.remove(&id);
            self.forgotten.push_back(id);
            self.forgotten_ids.insert(id);
        }
        while self.forgotten.len() > REMEMBERED_FORGOTTEN {
            if let Some(oldest) = self.forgotten.pop_front() {
                self.forgotten_ids.remove(&oldest);
            }
        }
        // A kept leg's departure is the first version after its last listing: versions
        // before the oldest kept listing answer nothing any more.
        if let Some(oldest) = self.members.values().map(|m| m.last_listed).min() {
            self.versions_seen = self.versions_seen.split_off(&oldest);
        }
        forgotten
    }

    /// When a leg no longer listed left: the first version seen after its last listing.
    fn left_at(&self, membership: &Membership) -> Option<Timestamp> {
        self.versions_seen
            .range((Bound::Excluded(membership.last_listed), Bound::Unbounded))
            .next()
            .copied()
            .flatten()
            // Listed in a tied snapshot that lost: it left at the current version.
            .or(self.current.version())
    }

    /// The view at `now`, and what the store must do about it. Outside `scope` a member
    /// keeps its participant as `legs` has it, unread; inside it, a member whose inputs are
    /// those `legs` recorded keeps it too, and only the others are built again.
    pub(crate) fn derive(
        &self,
        src: &Sources<'_>,
        scope: &Scope,
        now: Timestamp,
        followups: &mut Followups,
        next: &mut NextChange,
        legs: &mut LegCache,
    ) -> ConferenceView {
        let listed = Listed::new(&self.current.conferencecall_ids);
        let mut participants: Vec<Arc<Participant>> = self
            .members
            .iter()
            .map(|(&id, membership)| {
                let joined = || listed.contains(id);
                let left_at = |joined: bool| (!joined).then(|| self.left_at(membership)).flatten();
                if !scope.looks_up(id) {
                    let kept = if scope.room {
                        let joined = joined();
                        let listing = Listing::new(membership, joined, left_at(joined));
                        legs.same_listing(id, &listing, now, src, followups)
                    } else {
                        legs.untouched(id, now, followups)
                    };
                    if let Some(kept) = kept {
                        return kept;
                    }
                }
                let joined = joined();
                let listing = Listing::new(membership, joined, left_at(joined));
                let inputs = LegInputs::look_up(id, listing, src, now);
                legs.participant(id, &inputs, src, followups)
            })
            .collect();
        legs.keep_only(&self.members);
        participants.sort_by_key(|p| (p.joined_at, p.conferencecall_id));

        for p in &participants {
            if let (super::ParticipantStatus::RecentlyLeft, Some(left)) = (p.status, p.left_at) {
                next.at(left + src.config.recently_left_window, now);
            }
        }

        let joined = participants.iter().filter(|p| p.is_joined());
        let mine = highlights::is_mine(&participants);
        // My own legs count once, however many of them the console has open.
        let live_participant_count =
            joined.clone().filter(|p| !p.is_myself).count() + usize::from(mine);
        let live_workers: Vec<Uuid> = joined
            .filter(|p| p.participant_type == ParticipantType::Worker)
            .map(|p| p.conferencecall_id)
            .collect();

        let terminating = self.current.status == Some(ConferenceStatus::Terminating);
        let facts = ConferenceFacts {
            terminating_since: self.terminating_since.filter(|_| terminating),
            live_worker_count: live_workers.len(),
            live_participant_count,
        };
        let alerts = alerts::derive(&facts, &participants, &src.config.alerts, now, next);
        let highlights = Highlights::new(mine, &participants, &alerts);

        let ended = self.vanished || is_ended(&self.current);
        let target = Target::Conference(self.current.id);
        let mut pending = src.commands.pending_for(&target).cloned();
        if let Some(command) = &pending {
            let seen = RoomState {
                ended,
                recording: !self.current.recording_id.is_nil(),
            };
            if settle::on_room(&command.command, seen) {
                followups.settled_commands.push(command.id);
                pending = None;
            }
        }

        ConferenceView {
            conference: Arc::clone(&self.current),
            ended,
            live_participant_count,
            live_worker_count: live_workers.len(),
            live_workers,
            participants,
            alerts,
            pending,
            last_error: src.commands.error_for(&target).cloned(),
            highlights,
        }
    }
}
