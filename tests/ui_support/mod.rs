//! A small contact center at a fixed time with fixed ids, built by applying platform-shaped
//! inputs to the real store: a REST snapshot, later conference versions, hold commands and
//! their confirmations, and a tick. Shared by the UI snapshots, the key tests and the bench.
#![allow(dead_code)]

use bridgetop::app::{App, Keymap, Viewer};
use bridgetop::store::{CommandId, ConferencesState, Input, Snapshot, StoreConfig};
use bridgetop::voipbin::{
    Address, AddressType, Agent, AgentStatus, Call, CallDirection, CallStatus, Conference,
    ConferenceStatus, ConferenceType, Conferencecall, ConferencecallStatus, MuteDirection,
    OwnerType, Permission, ReferenceType, Resource, Timestamp,
};
use chrono::{TimeDelta, TimeZone, Utc};
use uuid::Uuid;

/// The start of the story; `now()` is ten minutes later.
pub(crate) fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 8, 21, 14, 0, 0).unwrap()
}

pub(crate) fn now() -> Timestamp {
    t0() + TimeDelta::minutes(10)
}

pub(crate) fn secs(n: i64) -> TimeDelta {
    TimeDelta::seconds(n)
}

pub(crate) fn customer_id() -> Uuid {
    Uuid::from_u128(0xC0_0000)
}

/// Builds a platform snapshot with predictable ids (`Uuid::from_u128(prefix | n)`).
#[derive(Default)]
pub(crate) struct Floor {
    pub snapshot: Snapshot,
    next: u128,
}

pub(crate) struct Leg {
    pub conferencecall: Uuid,
    pub call: Uuid,
}

impl Floor {
    fn next_id(&mut self, prefix: u128) -> Uuid {
        self.next += 1;
        Uuid::from_u128(prefix << 64 | self.next)
    }

    pub(crate) fn agent(&mut self, name: &str, permission: Permission) -> Uuid {
        let id = self.next_id(0xA);
        self.snapshot.agents.push(Agent {
            id,
            customer_id: customer_id(),
            username: name.to_lowercase().replace(' ', "."),
            name: name.into(),
            status: Some(AgentStatus::Busy),
            permission,
            tm_create: Some(t0()),
            ..Agent::default()
        });
        id
    }

    pub(crate) fn conference(&mut self, name: &str, created: Timestamp) -> Uuid {
        let id = self.next_id(0xCF);
        self.snapshot.conferences.push(Conference {
            id,
            customer_id: customer_id(),
            kind: Some(ConferenceType::Conference),
            status: Some(ConferenceStatus::Progressing),
            name: name.into(),
            tm_create: Some(created),
            tm_update: Some(created),
            ..Conference::default()
        });
        id
    }

    /// A leg joined at `joined`: an agent's (outgoing, owned) or a caller's (incoming).
    pub(crate) fn join(
        &mut self,
        conference: Uuid,
        agent: Option<Uuid>,
        number: &str,
        joined: Timestamp,
    ) -> Leg {
        let call = self.next_id(0xCA);
        let conferencecall = self.next_id(0xCC);
        let address = Address {
            kind: Some(AddressType::Tel),
            target: number.into(),
            ..Address::default()
        };
        let console = Address {
            kind: Some(AddressType::Tel),
            target: "+15550000000".into(),
            ..Address::default()
        };
        let (direction, source, destination) = match agent {
            Some(_) => (CallDirection::Outgoing, console, address),
            None => (CallDirection::Incoming, address, console),
        };
        self.snapshot.calls.push(Call {
            id: call,
            customer_id: customer_id(),
            owner_type: agent.map(|_| OwnerType::Agent),
            owner_id: agent.unwrap_or_default(),
            source,
            destination,
            direction: Some(direction),
            status: Some(CallStatus::Progressing),
            tm_create: Some(joined - secs(2)),
            tm_update: Some(joined),
            ..Call::default()
        });
        self.snapshot.conferencecalls.push(Conferencecall {
            id: conferencecall,
            customer_id: customer_id(),
            conference_id: conference,
            reference_type: Some(ReferenceType::Call),
            reference_id: call,
            status: Some(ConferencecallStatus::Joined),
            tm_create: Some(joined),
            tm_update: Some(joined),
            ..Conferencecall::default()
        });
        let listing = self.conference_mut(conference);
        listing.conferencecall_ids.push(conferencecall);
        listing.tm_update = listing.tm_update.max(Some(joined));
        Leg {
            conferencecall,
            call,
        }
    }

    pub(crate) fn conference_mut(&mut self, id: Uuid) -> &mut Conference {
        self.snapshot
            .conferences
            .iter_mut()
            .find(|c| c.id == id)
            .unwrap()
    }

    pub(crate) fn call_mut(&mut self, id: Uuid) -> &mut Call {
        self.snapshot.calls.iter_mut().find(|c| c.id == id).unwrap()
    }
}

/// Ids the tests aim at.
pub(crate) struct Cast {
    pub me: Uuid,
    pub sales: Uuid,
    pub sales_customer: Leg,
    pub sales_worker: Leg,
    pub billing: Uuid,
    pub support: Uuid,
    pub support_worker: Leg,
    pub onboarding: Uuid,
}

/// Five conferences ten minutes into a shift:
/// - Sales escalation: Alice with a customer on hold for 95 s (warning), Sam supervising,
///   muted in.
/// - Billing dispute: Bob left at 14:06:40; the customer is alone (warning).
/// - Support 3: Carol muted both with a customer; a second caller left 2 s ago.
/// - Onboarding: Dana (me in agent mode) dialling a customer still ringing for 40 s.
/// - Team huddle: Eve alone.
pub(crate) fn floor() -> (Floor, Cast) {
    let mut floor = Floor::default();
    let alice = floor.agent("Alice Ng", Permission::CUSTOMER_AGENT);
    let bob = floor.agent("Bob Ruiz", Permission::CUSTOMER_AGENT);
    let carol = floor.agent("Carol Diaz", Permission::CUSTOMER_AGENT);
    let sam = floor.agent("Sam Lee", Permission::CUSTOMER_MANAGER);
    let dana = floor.agent("Dana Wu", Permission::CUSTOMER_AGENT);
    let eve = floor.agent("Eve Park", Permission::CUSTOMER_AGENT);

    let sales = floor.conference("Sales escalation", t0() + secs(60));
    let sales_worker = floor.join(sales, Some(alice), "+15550100001", t0() + secs(65));
    let sales_customer = floor.join(sales, None, "+14155550100", t0() + secs(70));
    let sam_leg = floor.join(sales, Some(sam), "+15550100004", t0() + secs(300));
    floor.call_mut(sam_leg.call).mute_direction = Some(MuteDirection::In);

    let billing = floor.conference("Billing dispute", t0() + secs(120));
    floor.join(billing, None, "+442071234567", t0() + secs(125));
    floor.join(billing, Some(bob), "+15550100002", t0() + secs(130));

    let support = floor.conference("Support 3", t0() + secs(200));
    let support_worker = floor.join(support, Some(carol), "+15550100003", t0() + secs(205));
    floor.call_mut(support_worker.call).mute_direction = Some(MuteDirection::Both);
    floor.join(support, None, "+33142685300", t0() + secs(210));
    floor.join(support, None, "+4989123456", t0() + secs(400));

    let onboarding = floor.conference("Onboarding", t0() + secs(500));
    let ringing = floor.join(onboarding, None, "+4930901820", now() - secs(40));
    let ringing_call = floor.call_mut(ringing.call);
    ringing_call.status = Some(CallStatus::Ringing);
    ringing_call.direction = Some(CallDirection::Outgoing);
    std::mem::swap(&mut ringing_call.source, &mut ringing_call.destination);
    floor.join(onboarding, Some(dana), "+15550100005", t0() + secs(505));

    let huddle = floor.conference("Team huddle", t0() + secs(30));
    floor.join(huddle, Some(eve), "+15550100006", t0() + secs(35));

    let cast = Cast {
        me: dana,
        sales,
        sales_customer,
        sales_worker,
        billing,
        support,
        support_worker,
        onboarding,
    };
    (floor, cast)
}

/// The conference without the legs in `gone`, as a newer version at `at`.
fn without(floor: &Floor, conference: Uuid, gone: Uuid, at: Timestamp) -> Input {
    let mut next = floor
        .snapshot
        .conferences
        .iter()
        .find(|c| c.id == conference)
        .unwrap()
        .clone();
    next.conferencecall_ids.retain(|id| *id != gone);
    next.tm_update = Some(at);
    Input::Fetched(Resource::Conference(next))
}

/// The floor applied to a real store, as the sync engine would feed it, ending at `now()`.
pub(crate) fn store(myself: Option<Uuid>) -> (ConferencesState, Cast) {
    let (floor, cast) = floor();
    let config = StoreConfig {
        myself,
        ..StoreConfig::default()
    };
    let mut store = ConferencesState::new(config);
    store.apply(Input::Snapshot(floor.snapshot.clone()), t0() + secs(505));

    let bob_leg = floor.snapshot.conferences[1].conferencecall_ids[1];
    store.apply(
        without(&floor, cast.billing, bob_leg, t0() + secs(400)),
        t0() + secs(400),
    );
    let second_caller = floor.snapshot.conferences[2].conferencecall_ids[2];
    store.apply(
        without(&floor, cast.support, second_caller, now() - secs(2)),
        now() - secs(2),
    );

    let hold = CommandId(900);
    let held_at = now() - secs(95);
    store.apply(
        Input::CommandIssued {
            id: hold,
            command: bridgetop::command::Command::Hold {
                call_id: cast.sales_customer.call,
            },
        },
        held_at,
    );
    store.apply(Input::CommandConfirmed { id: hold }, held_at);
    store.apply(Input::Tick, now());
    (store, cast)
}

pub(crate) fn session(me: Option<Uuid>) -> Viewer {
    Viewer {
        profile: "demo".into(),
        customer: "Acme Support".into(),
        me,
    }
}

/// An app over the floor, prepared for a table of `rows` rows, connection live.
pub(crate) fn app(me: bool, readonly: bool) -> (App, Cast) {
    let (_, cast) = floor();
    let me = me.then_some(cast.me);
    let (store, cast) = store(me);
    let mut app = App::new(store, Keymap::default(), session(me), readonly);
    app.connection = bridgetop::app::ConnectionState::Live {
        since: now(),
        resyncing: false,
    };
    for second in 0..30 {
        for _ in 0..(second % 7) {
            app.event_rate.record(now() - secs(30 - second));
        }
    }
    app.event_rate.advance(now());
    app.prepare(12);
    (app, cast)
}

/// `n` conferences, each a worker with a customer: the bench's big floor.
pub(crate) fn big_floor(n: usize) -> Snapshot {
    let mut floor = Floor::default();
    let agents: Vec<Uuid> = (0..n)
        .map(|i| floor.agent(&format!("Agent {i:05}"), Permission::CUSTOMER_AGENT))
        .collect();
    for (i, agent) in agents.iter().enumerate() {
        let created = t0() + secs(i as i64 % 500);
        let conference = floor.conference(&format!("Room {i:05}"), created);
        floor.join(conference, Some(*agent), "+15550000001", created + secs(1));
        floor.join(conference, None, &format!("+1415{i:07}"), created + secs(2));
    }
    floor.snapshot
}

/// `n` rooms of four callers and no agent, each caller alone long past the grace period:
/// four alerts a room (40,000 at 10,000 rooms).
pub(crate) fn alone_floor(n: usize) -> Snapshot {
    let mut floor = Floor::default();
    for i in 0..n {
        let created = t0() + secs(i as i64 % 500);
        let conference = floor.conference(&format!("Queue room {i:05}"), created);
        for caller in 0..4 {
            let number = format!("+1415{i:05}{caller:02}");
            floor.join(conference, None, &number, created + secs(1 + caller));
        }
    }
    floor.snapshot
}
