//! Property: any delivery order, with any duplicates, converges on the state that in-order
//! delivery gives. Histories are random versions of conferences (membership, status,
//! deletion, same-version ties), conferencecalls, calls (status, mute, owner) and agents.

use bridgetop::store::{ConferenceJson, ConferencesState, Input, StoreConfig};
use bridgetop::voipbin::{
    time, Address, AddressType, Agent, Call, CallDirection, CallStatus, Conference,
    ConferenceStatus, ConferenceType, Conferencecall, ConferencecallStatus, MuteDirection,
    OwnerType, Permission, ReferenceType, Resource, Timestamp,
};
use chrono::TimeDelta;
use proptest::prelude::*;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

const LEGS_PER_ROOM: usize = 4;

#[derive(Debug, Clone)]
struct RoomVersion {
    /// Bit i set: leg i is listed.
    members: u8,
    status_step: u8,
    delete: bool,
    /// Same version as the previous snapshot (a tie with different content).
    tie: bool,
}

#[derive(Debug, Clone)]
struct CallHistory {
    owner: u8,
    leg_steps: Vec<u8>,
    call_steps: Vec<(u8, u8)>,
}

#[derive(Debug, Clone)]
struct History {
    rooms: Vec<(Vec<RoomVersion>, Vec<CallHistory>)>,
    supervisor_bits: (bool, bool),
}

fn history() -> impl Strategy<Value = History> {
    let room_version = (
        0u8..16,
        0u8..3,
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(members, status_step, delete, tie)| RoomVersion {
            members,
            status_step,
            delete,
            tie,
        });
    let call = (
        0u8..3,
        prop::collection::vec(0u8..4, 0..3),
        prop::collection::vec((0u8..6, 0u8..4), 0..4),
    )
        .prop_map(|(owner, leg_steps, call_steps)| CallHistory {
            owner,
            leg_steps,
            call_steps,
        });
    let room = (
        prop::collection::vec(room_version, 1..7),
        prop::collection::vec(call, LEGS_PER_ROOM),
    );
    (prop::collection::vec(room, 1..3), any::<(bool, bool)>()).prop_map(
        |(rooms, supervisor_bits)| History {
            rooms,
            supervisor_bits,
        },
    )
}

fn base() -> Timestamp {
    time::parse("2026-08-21T14:00:00Z").unwrap().unwrap()
}

fn uuid(room: usize, kind: u128, n: usize) -> Uuid {
    Uuid::from_u128((kind << 64) | ((room as u128) << 16) | n as u128 | 1 << 100)
}

/// Every snapshot of the history, each with the instant it was current, in order.
fn snapshots(h: &History) -> Vec<(Timestamp, Resource)> {
    let t0 = base();
    let agents = [uuid(0, 9, 1), uuid(0, 9, 2)];
    let mut out = Vec::new();
    for (i, &supervisor) in [h.supervisor_bits.0, h.supervisor_bits.1]
        .iter()
        .enumerate()
    {
        let permission = if supervisor { 16 | 64 } else { 16 };
        let agent = Agent {
            id: agents[i],
            name: format!("Agent {i}"),
            permission: Permission(permission),
            tm_create: Some(t0),
            ..Agent::default()
        };
        out.push((t0, Resource::Agent(agent)));
    }
    for (r, (versions, calls)) in h.rooms.iter().enumerate() {
        let room_id = uuid(r, 1, 0);
        let mut at = t0 + TimeDelta::seconds(1);
        let (mut status, mut deleted) = (0u8, None);
        for (v, version) in versions.iter().enumerate() {
            if !(version.tie && v > 0) {
                at += TimeDelta::milliseconds(1_000 + 37 * v as i64);
            }
            status = status.max(version.status_step);
            if version.delete && deleted.is_none() {
                deleted = Some(at);
            }
            let conference = Conference {
                id: room_id,
                kind: Some(ConferenceType::Conference),
                status: Some(match status {
                    0 => ConferenceStatus::Progressing,
                    1 => ConferenceStatus::Terminating,
                    _ => ConferenceStatus::Terminated,
                }),
                name: format!("room {r}"),
                conferencecall_ids: (0..LEGS_PER_ROOM)
                    .filter(|leg| version.members & (1 << leg) != 0)
                    .map(|leg| uuid(r, 2, leg))
                    .collect(),
                tm_create: Some(t0),
                tm_update: Some(at),
                tm_delete: deleted,
                ..Conference::default()
            };
            out.push((at, Resource::Conference(conference)));
        }
        for (leg, call) in calls.iter().enumerate() {
            let (leg_id, call_id) = (uuid(r, 2, leg), uuid(r, 3, leg));
            let created = t0 + TimeDelta::milliseconds(500 + leg as i64);
            let mut steps = call.leg_steps.clone();
            steps.sort_unstable();
            for (k, step) in steps.iter().enumerate() {
                let at = created + TimeDelta::milliseconds(700 * k as i64);
                let leg = Conferencecall {
                    id: leg_id,
                    conference_id: room_id,
                    reference_type: Some(ReferenceType::Call),
                    reference_id: call_id,
                    status: Some(match step {
                        0 => ConferencecallStatus::Joining,
                        1 => ConferencecallStatus::Joined,
                        2 => ConferencecallStatus::Leaving,
                        _ => ConferencecallStatus::Leaved,
                    }),
                    tm_create: Some(created),
                    tm_update: (k > 0).then_some(at),
                    ..Conferencecall::default()
                };
                out.push((at, Resource::Conferencecall(leg)));
            }
            let mut steps = call.call_steps.clone();
            steps.sort_by_key(|s| s.0);
            for (k, &(status, mute)) in steps.iter().enumerate() {
                let at = created + TimeDelta::milliseconds(900 * k as i64);
                let owner = match call.owner {
                    0 => None,
                    n => Some(agents[n as usize - 1]),
                };
                let call = Call {
                    id: call_id,
                    owner_type: owner.map(|_| OwnerType::Agent),
                    owner_id: owner.unwrap_or_default(),
                    source: Address::new(AddressType::Tel, format!("+1415555{r}{leg:03}")),
                    direction: Some(CallDirection::Incoming),
                    status: Some(match status {
                        0 => CallStatus::Dialing,
                        1 => CallStatus::Ringing,
                        2 | 3 => CallStatus::Progressing,
                        4 => CallStatus::Terminating,
                        _ => CallStatus::Hangup,
                    }),
                    mute_direction: match mute {
                        0 | 1 => None,
                        2 => Some(MuteDirection::In),
                        _ => Some(MuteDirection::Both),
                    },
                    tm_create: Some(created),
                    tm_update: (k > 0).then_some(at),
                    ..Call::default()
                };
                out.push((at, Resource::Call(call)));
            }
        }
    }
    // In order: chronologically; ties keep generation order.
    out.sort_by_key(|(at, _)| *at);
    out
}

fn text(resource: &Resource) -> String {
    resource.to_value().to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn any_order_with_duplicates_converges(
        h in history(),
        seed in any::<u64>(),
        duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..24),
        fetched in prop::collection::vec(any::<bool>(), 64),
    ) {
        let snapshots = snapshots(&h);
        let now = base() + TimeDelta::seconds(20);

        let mut in_order = ConferencesState::new(StoreConfig::default());
        for (_, resource) in &snapshots {
            in_order.apply(Input::Frame(text(resource)), now);
        }

        let mut delivery: Vec<&Resource> = snapshots.iter().map(|(_, r)| r).collect();
        for index in &duplicates {
            delivery.push(delivery[index.index(snapshots.len())]);
        }
        delivery.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut shuffled = ConferencesState::new(StoreConfig::default());
        for (n, resource) in delivery.into_iter().enumerate() {
            // Some arrive as fetched resources (no dedupe), most as frames.
            let input = if fetched[n % fetched.len()] && n % 3 == 0 {
                Input::Fetched(resource.clone())
            } else {
                Input::Frame(text(resource))
            };
            shuffled.apply(input, now);
        }

        prop_assert_eq!(in_order.to_json(now), shuffled.to_json(now));
        prop_assert_eq!(in_order.missing(), shuffled.missing());
        let later = now + TimeDelta::seconds(30);
        prop_assert_eq!(in_order.to_json(later), shuffled.to_json(later));
        // The incrementally kept views agree too, not only the re-derived document.
        let mut a: Vec<_> = in_order.live().map(bridgetop::store::ConferenceView::id).collect();
        let mut b: Vec<_> = shuffled.live().map(bridgetop::store::ConferenceView::id).collect();
        a.sort();
        b.sort();
        prop_assert_eq!(a, b);
        for view in in_order.live().chain(in_order.ended()) {
            prop_assert_eq!(Some(view), shuffled.conference(view.id()));
        }
        // The kept views, whose participants were reused wherever their inputs did not
        // move, are what deriving everything afresh gives.
        let fresh = shuffled.to_document(now);
        for conference in fresh.conferences.iter().chain(&fresh.ended) {
            let kept = shuffled.conference(conference.summary.id).map(ConferenceJson::of);
            prop_assert_eq!(kept.as_ref(), Some(conference));
        }
    }

    /// Every view the store keeps for a conference an input touched is what deriving it
    /// afresh at that moment gives, while time passes between deliveries (legs become
    /// left, alerts come due) and only some participants are built again.
    #[test]
    fn kept_views_equal_a_fresh_derivation_as_time_passes(
        h in history(),
        seed in any::<u64>(),
        gaps in prop::collection::vec(0u64..4_000, 64),
        ticks in prop::collection::vec(prop::bool::weighted(0.3), 64),
    ) {
        let snapshots = snapshots(&h);
        let mut delivery: Vec<&Resource> = snapshots.iter().map(|(_, r)| r).collect();
        delivery.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
        let mut store = ConferencesState::new(StoreConfig::default());
        // As the history happens: legs leave within the recently-left window.
        let mut now = base();
        // Each resource twice (late duplicates of events still come as frames, §11.5), and
        // a tick now and then, so some frames land after a timer fell due.
        let inputs = delivery.iter().chain(&delivery).enumerate().flat_map(|(n, r)| {
            let tick = ticks[n % ticks.len()].then_some(Input::Tick);
            std::iter::once(Input::Fetched((*r).clone())).chain(tick)
        });
        for (n, input) in inputs.enumerate() {
            now += TimeDelta::milliseconds(gaps[n % gaps.len()] as i64);
            let changes = store.apply(input, now);
            let fresh = store.to_document(now);
            for id in &changes.conferences {
                let derived = fresh.conferences.iter().chain(&fresh.ended).find(|c| c.summary.id == *id);
                let kept = store.conference(*id).map(ConferenceJson::of);
                prop_assert_eq!(kept.as_ref(), derived);
            }
        }
    }
}
