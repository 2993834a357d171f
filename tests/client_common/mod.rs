//! Shared loopback helpers for the client tests: an in-process emulator, a client for it,
//! seeded traffic made through the platform itself, and the convergence check.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use bridgetop::client::credentials::{Credential, Secret};
use bridgetop::client::rest::{Endpoint, RestClient};
use bridgetop::emulator::faults::FaultPlan;
use bridgetop::emulator::launch::{spawn, EmulatorConfig, RunningEmulator};
use bridgetop::emulator::platform::{ConferenceSpec, Platform, Truth};
use bridgetop::store::ConferencesState;
use bridgetop::voipbin::{MuteDirection, Timestamp};

pub(crate) async fn emulator(seed: u64, faults: &str, speed: f64) -> RunningEmulator {
    let mut config = EmulatorConfig::for_tests();
    config.platform.seed = seed;
    config.platform.speed = speed;
    config.faults = faults.parse::<FaultPlan>().expect("fault spec parses");
    spawn(config).await.expect("emulator starts")
}

pub(crate) fn api_url(emu: &RunningEmulator) -> String {
    format!("{}/v1.0", emu.base_url())
}

pub(crate) fn rest_client(emu: &RunningEmulator, budget: f64) -> RestClient {
    RestClient::new(
        Endpoint::new(&api_url(emu)),
        Credential::AccessKey(Secret::new(emu.account.accesskey.clone())),
        budget,
    )
    .expect("client builds")
}

pub(crate) fn conference_spec(name: &str) -> ConferenceSpec {
    ConferenceSpec {
        kind: "conference".into(),
        name: name.into(),
        ..Default::default()
    }
}

/// Seeded contact-center traffic made directly on the platform (as other users would).
pub(crate) struct Traffic {
    rng: ChaCha8Rng,
    customer: Uuid,
    agents: Vec<Uuid>,
    phone: u32,
}

impl Traffic {
    pub(crate) fn new(emu: &RunningEmulator, seed: u64) -> Self {
        Traffic {
            rng: ChaCha8Rng::seed_from_u64(seed),
            customer: emu.account.customer_id,
            agents: emu.account.agents.iter().map(|a| a.id).collect(),
            phone: 1000,
        }
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.rng.gen_range(0..items.len())])
    }

    fn direction(&mut self) -> MuteDirection {
        match self.rng.gen_range(0..3) {
            0 => MuteDirection::In,
            1 => MuteDirection::Out,
            _ => MuteDirection::Both,
        }
    }

    /// One random operation; failures (a leg that just left, a busy agent) are part of life.
    pub(crate) fn step(&mut self, platform: &Platform) {
        let c = self.customer;
        let live: Vec<Uuid> = platform
            .list_live_conferences(c)
            .iter()
            .map(|x| x.id)
            .collect();
        let conference = self.pick(&live);
        let legs: Vec<Uuid> = conference
            .and_then(|id| platform.conference(c, id).ok())
            .map(|x| x.conferencecall_ids)
            .unwrap_or_default();
        let leg = self.pick(&legs);
        let call = leg
            .and_then(|l| platform.conferencecall(c, l).ok())
            .map(|cc| cc.reference_id);
        match self.rng.gen_range(0..100) {
            0..=14 => {
                let name = format!("room {}", self.rng.gen::<u16>());
                let _ = platform.create_conference(c, conference_spec(&name));
            }
            15..=39 => {
                if let Some(conf) = conference {
                    self.phone += 1;
                    let tel = format!("+1415555{:04}", self.phone % 10_000);
                    platform.customer_joins_conference(c, &tel, conf);
                }
            }
            40..=49 => {
                if let (Some(conf), Some(agent)) = (conference, self.pick(&self.agents.clone())) {
                    let _ = platform.dial_agent_into_conference(c, agent, conf);
                }
            }
            50..=64 => {
                if let Some(call) = call {
                    let d = self.direction();
                    let _ = platform.mute(c, call, d);
                }
            }
            65..=74 => {
                if let Some(call) = call {
                    let d = self.direction();
                    let _ = platform.unmute(c, call, d);
                }
            }
            75..=82 => {
                if let Some(leg) = leg {
                    let _ = platform.kick(c, leg);
                }
            }
            83..=92 => {
                if let Some(call) = call {
                    let _ = platform.remote_hangup(c, call);
                }
            }
            _ => {
                if let Some(conf) = conference {
                    if live.len() > 2 {
                        let _ = platform.delete_conference(c, conf);
                    }
                }
            }
        }
    }
}

/// What a perfect dashboard shows: live rooms, their status, who is in each, and mutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Picture {
    pub rooms: BTreeMap<Uuid, Room>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Room {
    pub status: Option<String>,
    /// conferencecall id → (call id, mute direction)
    pub legs: BTreeMap<Uuid, (Option<Uuid>, Option<String>)>,
}

pub(crate) fn truth_picture(truth: &Truth) -> Picture {
    let mut rooms = BTreeMap::new();
    for conf in truth.conferences.iter().filter(|c| {
        c.tm_delete.is_none()
            && c.kind
                .as_ref()
                .map(bridgetop::voipbin::ConferenceType::as_str)
                == Some("conference")
    }) {
        let mut legs = BTreeMap::new();
        for leg in &conf.conferencecall_ids {
            let call = truth.conferencecall(*leg).map(|cc| cc.reference_id);
            let mute = call
                .and_then(|id| truth.call(id))
                .and_then(|c| c.mute_direction.as_ref())
                .map(|m| m.as_str().to_string());
            legs.insert(*leg, (call, mute));
        }
        rooms.insert(
            conf.id,
            Room {
                status: conf.status.as_ref().map(|s| s.as_str().to_string()),
                legs,
            },
        );
    }
    Picture { rooms }
}

pub(crate) fn store_picture(store: &ConferencesState) -> Picture {
    let mut rooms = BTreeMap::new();
    for view in store.live() {
        let legs = view
            .participants
            .iter()
            .filter(|p| p.is_joined())
            .map(|p| {
                (
                    p.conferencecall_id,
                    (
                        p.call_id,
                        p.mute_direction.as_ref().map(|m| m.as_str().to_string()),
                    ),
                )
            })
            .collect();
        rooms.insert(
            view.id(),
            Room {
                status: view
                    .conference
                    .status
                    .as_ref()
                    .map(|s| s.as_str().to_string()),
                legs,
            },
        );
    }
    Picture { rooms }
}

/// A readable difference, for assertion messages.
pub(crate) fn difference(truth: &Picture, seen: &Picture) -> String {
    let t: BTreeSet<_> = truth.rooms.keys().collect();
    let s: BTreeSet<_> = seen.rooms.keys().collect();
    let mut out = String::new();
    for id in t.difference(&s) {
        out += &format!("missing room {id}\n");
    }
    for id in s.difference(&t) {
        out += &format!("extra room {id}\n");
    }
    for id in t.intersection(&s) {
        if truth.rooms[*id] != seen.rooms[*id] {
            out += &format!(
                "room {id}: truth {:?}\n      client {:?}\n",
                truth.rooms[*id], seen.rooms[*id]
            );
        }
    }
    out
}

pub(crate) fn now() -> Timestamp {
    chrono::Utc::now()
}

pub(crate) const SETTLE: Duration = Duration::from_secs(40);

/// A room with one customer in it, once the customer has joined: (conference, leg, call).
pub(crate) async fn room_with_customer(emu: &RunningEmulator, name: &str) -> (Uuid, Uuid, Uuid) {
    let platform = &emu.platform;
    let customer = emu.account.customer_id;
    let conference = platform
        .create_conference(customer, conference_spec(name))
        .unwrap()
        .id;
    platform.customer_joins_conference(customer, "+14155550142", conference);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let legs = platform
            .conference(customer, conference)
            .unwrap()
            .conferencecall_ids;
        if let Some(&leg) = legs.first() {
            let call = platform.conferencecall(customer, leg).unwrap().reference_id;
            return (conference, leg, call);
        }
        assert!(tokio::time::Instant::now() < deadline, "nobody joined");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The real binary, isolated from this machine: only `PATH` from the environment, home
/// and config under `dir`, the key in the environment (never on the command line), then
/// `--url URL --data-dir DIR`; add the mode's arguments.
pub(crate) fn bridgetop(url: &str, dir: &std::path::Path, key: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_bridgetop"));
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("BRIDGETOP_ACCESSKEY", key)
        .arg("--url")
        .arg(url)
        .arg("--data-dir")
        .arg(dir);
    command
}

/// Starts `watch --jsonl` from a command made by `bridgetop`: its stdout is piped for the
/// test to read, stderr goes to `stderr`, and it dies with the test.
pub(crate) fn spawn_watch(
    mut command: tokio::process::Command,
    stderr: std::process::Stdio,
) -> tokio::process::Child {
    command
        .args(["watch", "--jsonl"])
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .kill_on_drop(true)
        .spawn()
        .expect("watch starts")
}

/// Rooms with `legs` joined callers each, all joined before anything syncs.
pub(crate) async fn floor(seed: u64, rooms: usize, legs: usize) -> RunningEmulator {
    let emu = emulator(seed, "", 50.0).await;
    let customer = emu.account.customer_id;
    let mut phone = 0u32;
    for n in 0..rooms {
        let room = emu
            .platform
            .create_conference(customer, conference_spec(&format!("room {n}")))
            .unwrap()
            .id;
        for _ in 0..legs {
            phone += 1;
            emu.platform
                .customer_joins_conference(customer, &format!("+1555{phone:07}"), room);
        }
    }
    let settle_by = tokio::time::Instant::now() + Duration::from_secs(600);
    loop {
        let joined: usize = emu
            .platform
            .list_live_conferences(customer)
            .iter()
            .map(|c| c.conferencecall_ids.len())
            .sum();
        if joined == rooms * legs {
            return emu;
        }
        assert!(tokio::time::Instant::now() < settle_by, "callers joined");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
