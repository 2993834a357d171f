//! One participant (one conferencecall) as the dashboard shows it, derived from the
//! conference's membership, the conferencecall, its call, the call's agent, the hold ledger
//! and the commands in flight.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::call_record::CallRecord;
use super::commands::{CommandError, PendingCommand};
use super::held::{generation_of, Generation, Held};
use super::ledger::HoldEntry;
use super::settle::{self, LegState};
use super::Sources;
use crate::command::{Command, Target};
use crate::voipbin::{
    Address, Agent, AgentStatus, CallStatus, Conferencecall, ConferencecallStatus, MuteDirection,
    Timestamp,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantType {
    /// An agent leg whose agent is not a manager or admin (or is not known yet).
    Worker,
    /// An agent leg whose agent has manager or admin permission.
    Supervisor,
    /// A leg with no agent owner.
    Customer,
    /// Its conferencecall or call is not known yet.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParticipantStatus {
    Joined,
    RecentlyLeft,
    Left,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub conferencecall_id: Uuid,
    pub call_id: Option<Uuid>,
    pub participant_type: ParticipantType,
    pub status: ParticipantStatus,
    /// Waiting for its conferencecall or call to be fetched.
    pub resolving: bool,
    pub connecting: bool,
    pub connecting_since: Option<Timestamp>,
    pub muted: bool,
    pub mute_direction: Option<MuteDirection>,
    pub on_hold: bool,
    pub hold_since: Option<Timestamp>,
    /// The hold (or unhold) was sent but never answered: "hold (unconfirmed)".
    pub hold_unconfirmed: bool,
    pub is_myself: bool,
    pub agent_id: Option<Uuid>,
    pub agent_name: Option<String>,
    pub agent_status: Option<AgentStatus>,
    /// The far party: the caller of an incoming leg, the dialled party of an outgoing one.
    pub address: Option<Address>,
    pub call_status: Option<CallStatus>,
    pub joined_at: Option<Timestamp>,
    pub left_at: Option<Timestamp>,
    /// Boxed, as `last_error`: rarely set, and every participant would carry the room.
    pub pending: Option<Box<PendingCommand>>,
    pub last_error: Option<Box<CommandError>>,
}

impl Participant {
    pub fn is_joined(&self) -> bool {
        self.status == ParticipantStatus::Joined
    }
}

/// When a conferencecall id was listed by the conference, over every snapshot seen
/// (stale ones included, so the history does not depend on delivery order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Membership {
    pub(crate) first_listed: Option<Timestamp>,
    pub(crate) last_listed: Option<Timestamp>,
}

impl Membership {
    pub(crate) fn listed_at(&mut self, version: Option<Timestamp>, first_sighting: bool) {
        if first_sighting {
            *self = Membership {
                first_listed: version,
                last_listed: version,
            };
        } else {
            self.first_listed = self.first_listed.min(version);
            self.last_listed = self.last_listed.max(version);
        }
    }
}

/// State the store must update because of what a derivation found.
#[derive(Debug, Default)]
pub(crate) struct Followups {
    /// Holds to drop: the call hung up or its leg left.
    pub(crate) released_holds: Vec<Uuid>,
    /// Commands the platform's own events have confirmed.
    pub(crate) settled_commands: Vec<super::input::CommandId>,
    pub(crate) needed_conferencecalls: Vec<Uuid>,
    pub(crate) needed_calls: Vec<Uuid>,
    pub(crate) needed_agents: Vec<Uuid>,
}

/// Where a leg stands in its room's listings: all a participant takes from the room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Listing {
    first_listed: Option<Timestamp>,
    joined: bool,
    left_at: Option<Timestamp>,
}

impl Listing {
    pub(crate) fn new(membership: &Membership, joined: bool, left_at: Option<Timestamp>) -> Self {
        Listing {
            first_listed: membership.first_listed,
            joined,
            left_at,
        }
    }

    pub(crate) fn status(&self, now: Timestamp, src: &Sources<'_>) -> ParticipantStatus {
        if self.joined {
            return ParticipantStatus::Joined;
        }
        match self.left_at {
            Some(at) if now < at + src.config.recently_left_window => {
                ParticipantStatus::RecentlyLeft
            }
            _ => ParticipantStatus::Left,
        }
    }
}

/// Everything one leg's derivation reads, looked up once.
#[derive(Clone, Copy)]
pub(crate) struct LegInputs<'a> {
    conferencecall_id: Uuid,
    listing: Listing,
    status: ParticipantStatus,
    conferencecall: Option<&'a Held<Conferencecall>>,
    call_id: Option<Uuid>,
    call: Option<&'a Held<CallRecord>>,
    agent_id: Option<Uuid>,
    agent: Option<&'a Held<Agent>>,
    hold: Option<&'a HoldEntry>,
}

/// The resources a leg waits for: its conferencecall, its call, its call's agent (the ids
/// are the leg's and its participant's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LegNeeds {
    conferencecall: bool,
    call: bool,
    agent: bool,
}

impl LegNeeds {
    pub(crate) fn ask(&self, p: &Participant, followups: &mut Followups) {
        if self.conferencecall {
            followups.needed_conferencecalls.push(p.conferencecall_id);
        }
        followups
            .needed_calls
            .extend(p.call_id.filter(|_| self.call));
        followups
            .needed_agents
            .extend(p.agent_id.filter(|_| self.agent));
    }
}

/// What a derived participant was made from: the same key, the same participant. The
/// generations stand for the resources' content, so no content is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LegKey {
    conferencecall: Generation,
    call: Generation,
    agent: Generation,
    commands: u64,
    ledger: u64,
    pub(crate) listing: Listing,
    pub(crate) status: ParticipantStatus,
}

impl<'a> LegInputs<'a> {
    /// Looks up the leg's resources.
    pub(crate) fn look_up(
        conferencecall_id: Uuid,
        listing: Listing,
        src: &Sources<'a>,
        now: Timestamp,
    ) -> Self {
        let conferencecall = src.conferencecalls.get(&conferencecall_id);
        let call_id = conferencecall
            .map(|cc| cc.reference_id)
            .filter(|id| !id.is_nil());
        let call = call_id.and_then(|id| src.calls.get(&id));
        let agent_id = call.and_then(|c| c.agent_owner);
        let agent = agent_id.and_then(|id| src.agents.get(&id));
        LegInputs {
            conferencecall_id,
            listing,
            status: listing.status(now, src),
            conferencecall,
            call_id,
            call,
            agent_id,
            agent,
            hold: call_id.and_then(|id| src.ledger.get(id)),
        }
    }

    /// The leg's resources not held yet, and not known to be gone.
    pub(crate) fn needs(&self, src: &Sources<'_>) -> LegNeeds {
        let wanted = |id: Option<Uuid>, held: bool| {
            id.is_some_and(|id| !held && !src.not_found.contains(&id))
        };
        LegNeeds {
            conferencecall: wanted(Some(self.conferencecall_id), self.conferencecall.is_some()),
            call: wanted(self.call_id, self.call.is_some()),
            agent: wanted(self.agent_id, self.agent.is_some()),
        }
    }

    /// When the time alone changes what the leg shows.
    pub(crate) fn status_until(&self, src: &Sources<'_>) -> Option<Timestamp> {
        let left = self
            .listing
            .left_at
            .filter(|_| self.status == ParticipantStatus::RecentlyLeft);
        left.map(|at| at + src.config.recently_left_window)
    }

    pub(crate) fn key(&self, src: &Sources<'_>) -> LegKey {
        LegKey {
            conferencecall: generation_of(self.conferencecall),
            call: generation_of(self.call),
            agent: generation_of(self.agent),
            commands: src.commands.generation(),
            ledger: src.ledger.generation(),
            listing: self.listing,
            status: self.status,
        }
    }
}

/// The participant the looked-up inputs make, and what the store must do about it.
pub(crate) fn build(
    inputs: &LegInputs<'_>,
    src: &Sources<'_>,
    followups: &mut Followups,
) -> Participant {
    let LegInputs {
        conferencecall_id,
        listing:
            Listing {
                first_listed,
                joined,
                left_at,
            },
        status,
        conferencecall,
        call_id,
        call,
        agent_id,
        agent,
        hold,
    } = *inputs;
    let conferencecall = conferencecall.map(|held| &**held);
    let call = call.map(|held| &**held);
    let agent = agent.map(|held| &**held);

    let participant_type = match (conferencecall, call) {
        (Some(_), Some(call)) => match call.agent_owner {
            None => ParticipantType::Customer,
            Some(_) if agent.is_some_and(|a| a.permission.is_supervisor()) => {
                ParticipantType::Supervisor
            }
            // An unknown agent counts as a worker until it is fetched.
            Some(_) => ParticipantType::Worker,
        },
        _ => ParticipantType::Unknown,
    };

    let still_joining = conferencecall
        .filter(|cc| cc.status == Some(ConferencecallStatus::Joining))
        .map(|cc| cc.tm_create);
    let not_answered = call
        .filter(|c| matches!(c.status, Some(CallStatus::Dialing | CallStatus::Ringing)))
        .map(|c| c.tm_create);
    let connecting = joined && (still_joining.is_some() || not_answered.is_some());
    let connecting_since = if connecting {
        still_joining.flatten().or(not_answered.flatten())
    } else {
        None
    };

    let call_over = call.is_some_and(|c| c.status.as_ref().is_some_and(CallStatus::is_over));
    let hold_is_this_leg = hold.is_some_and(|h| {
        h.conferencecall_id
            .is_none_or(|leg| leg == conferencecall_id)
    });
    let hold_over = hold
        .is_some_and(|h| call_over || (h.conferencecall_id == Some(conferencecall_id) && !joined));
    if hold_over {
        followups.released_holds.extend(call_id);
    }
    // An intent whose command is still in flight is not news: a pending hold is not yet a
    // hold, a pending unhold not yet undone. Only an intent nobody is waiting on (the
    // process died before the reply) shows as "hold (unconfirmed)".
    let in_flight = call_id
        .and_then(|id| src.commands.pending_hold_change(id))
        .map(|p| &p.command);
    let hold_pending = matches!(in_flight, Some(Command::Hold { .. }));
    let unhold_pending = matches!(in_flight, Some(Command::Unhold { .. }));
    let intent_only = hold.is_some_and(|h| h.unconfirmed) && hold_pending;
    let on_hold = hold_is_this_leg && joined && !hold_over && !intent_only;
    let hold_unconfirmed = on_hold && !unhold_pending && hold.is_some_and(|h| h.unconfirmed);

    let mute_direction = call.and_then(|c| c.mute_direction.clone());
    let targets = [
        Some(Target::Conferencecall(conferencecall_id)),
        call_id.map(Target::Call),
    ];
    let found = targets
        .iter()
        .flatten()
        .find_map(|t| src.commands.pending_for(t).map(|c| (*t, c.clone())));
    let aimed_at_this_leg =
        matches!(found, Some((Target::Conferencecall(leg), _)) if leg == conferencecall_id);
    let mut pending = found.map(|(_, command)| command);
    if let Some(command) = &pending {
        // A call can have several legs over time: only a command aimed at this leg is
        // settled by this leg leaving; one aimed at the call waits for the call itself.
        let left = !joined && aimed_at_this_leg;
        let seen = LegState {
            leg_left: left,
            call_over,
            mute: call.map(|c| &c.mute_direction),
        };
        if settle::on_leg(&command.command, seen) {
            followups.settled_commands.push(command.id);
            pending = None;
        }
    }
    let last_error = targets
        .iter()
        .flatten()
        .find_map(|t| src.commands.error_for(t))
        .cloned();

    Participant {
        conferencecall_id,
        call_id,
        participant_type,
        status,
        resolving: participant_type == ParticipantType::Unknown,
        connecting,
        connecting_since,
        muted: mute_direction.is_some(),
        mute_direction,
        on_hold,
        hold_since: hold.filter(|_| on_hold).map(|h| h.held_at),
        hold_unconfirmed,
        is_myself: agent_id.is_some() && agent_id == src.config.myself,
        agent_id,
        agent_name: agent.map(|a| a.name.clone()).filter(|n| !n.is_empty()),
        agent_status: agent.and_then(|a| a.status.clone()),
        address: call
            .map(|c| c.remote.clone())
            .filter(|a| !a.target.is_empty()),
        call_status: call.and_then(|c| c.status.clone()),
        joined_at: conferencecall.and_then(|cc| cc.tm_create).or(first_listed),
        left_at: if joined { None } else { left_at },
        pending: pending.map(Box::new),
        last_error: last_error.map(Box::new),
    }
}
