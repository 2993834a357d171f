//! A seeded traffic generator that keeps the emulated contact center alive.
//!
//! It writes the same steps a scenario file does (`StepAction`), so one executor plays both.
//! Each customer call becomes a *story* planned in full when it starts: a conference, the
//! customer calling in, an agent dialled in, and some of: mutes, holds, a consult with a
//! second agent, a supervisor listening in, the agent dropping and leaving the customer
//! alone, a kick, the supervisor ending the room. A long-running team room is kept too.
//! Agents are never booked into two stories at once, and get back to `available` after a
//! short wrap-up.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::scenario::StepAction;

#[derive(Debug, Clone)]
pub struct TrafficConfig {
    pub seed: u64,
    /// Mean arrival rate of customer calls.
    pub calls_per_minute: f64,
    /// Customers allowed to wait alone for an agent before new arrivals are turned away.
    pub max_waiting: usize,
    /// Long-running team rooms kept open.
    pub team_rooms: usize,
}

impl Default for TrafficConfig {
    fn default() -> Self {
        TrafficConfig {
            seed: 1,
            calls_per_minute: 6.0,
            max_waiting: 3,
            team_rooms: 1,
        }
    }
}

/// An agent the generator may dial.
#[derive(Debug, Clone)]
pub struct TeamMember {
    pub id: Uuid,
    pub supervisor: bool,
}

#[derive(Debug)]
struct Member {
    id: Uuid,
    supervisor: bool,
    /// Booked until this time (story end plus wrap-up).
    busy_until: Duration,
}

/// Plans stories and releases their steps as time passes. Pure: time is passed in.
#[derive(Debug)]
pub struct TrafficModel {
    rng: ChaCha8Rng,
    config: TrafficConfig,
    members: Vec<Member>,
    /// Steps not yet due, ordered by time then sequence number.
    pending: BinaryHeap<Reverse<(Duration, u64, usize)>>,
    steps: Vec<Option<StepAction>>,
    sequence: u64,
    stories: u64,
    next_arrival: Duration,
    waiting_alone_until: Vec<Duration>,
    drop_ins: Vec<DropIn>,
    started: bool,
}

impl TrafficModel {
    pub fn new(config: TrafficConfig, team: Vec<TeamMember>) -> Self {
        TrafficModel {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            members: team
                .into_iter()
                .map(|m| Member {
                    id: m.id,
                    supervisor: m.supervisor,
                    busy_until: Duration::ZERO,
                })
                .collect(),
            config,
            pending: BinaryHeap::new(),
            steps: Vec::new(),
            sequence: 0,
            stories: 0,
            next_arrival: Duration::ZERO,
            waiting_alone_until: Vec::new(),
            drop_ins: Vec::new(),
            started: false,
        }
    }

    /// Every step due at or before `now`, in order.
    pub fn due(&mut self, now: Duration) -> Vec<StepAction> {
        if !self.started {
            self.started = true;
            self.warm_start();
        }
        while self.next_arrival <= now && self.config.calls_per_minute > 0.0 {
            let at = self.next_arrival;
            self.customer_arrives(at);
            self.next_arrival = at + self.inter_arrival();
        }
        self.plan_drop_ins(now);
        let mut out = Vec::new();
        while let Some(Reverse((at, _, index))) = self.pending.peek().copied() {
            if at > now {
                break;
            }
            self.pending.pop();
            if let Some(step) = self.steps[index].take() {
                out.push(step);
            }
        }
        out
    }

    /// A few calls already in progress, so the first screen is not empty.
    fn warm_start(&mut self) {
        for _ in 0..self.config.team_rooms {
            self.team_room(Duration::ZERO);
        }
        let free_agents = self.members.iter().filter(|m| !m.supervisor).count();
        for i in 0..free_agents.min(4) {
            self.customer_arrives(Duration::from_millis(300 * i as u64));
        }
        self.next_arrival = Duration::from_secs(2) + self.inter_arrival();
    }

    fn inter_arrival(&mut self) -> Duration {
        // Exponential gaps give Poisson arrivals at the configured mean rate.
        let mean = 60.0 / self.config.calls_per_minute.max(0.01);
        let u: f64 = self.rng.gen_range(f64::EPSILON..1.0);
        Duration::from_secs_f64((-u.ln() * mean).min(mean * 5.0))
    }

    fn push(&mut self, at: Duration, step: StepAction) {
        self.sequence += 1;
        self.steps.push(Some(step));
        self.pending
            .push(Reverse((at, self.sequence, self.steps.len() - 1)));
    }

    fn secs(&mut self, low: f64, high: f64) -> Duration {
        Duration::from_secs_f64(self.rng.gen_range(low..high))
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    /// Books a free agent (or supervisor) from `from` until `until`.
    fn book(&mut self, from: Duration, until: Duration, supervisor: bool) -> Option<Uuid> {
        let free: Vec<usize> = (0..self.members.len())
            .filter(|&i| {
                self.members[i].supervisor == supervisor && self.members[i].busy_until <= from
            })
            .collect();
        if free.is_empty() {
            return None;
        }
        let pick = free[self.rng.gen_range(0..free.len())];
        self.members[pick].busy_until = until;
        Some(self.members[pick].id)
    }

    fn phone_number(&mut self) -> String {
        format!("+1415555{:04}", self.rng.gen_range(0..10_000))
    }

    fn customer_arrives(&mut self, t0: Duration) {
        self.stories += 1;
        let label = format!("s{}", self.stories);
        let conference = label.clone();
        let customer_leg = format!("{label}-customer");
        let from = self.phone_number();

        let answer_after = self.secs(1.0, 6.0);
        let talk = self.secs(30.0, 150.0);
        let agent_joins = t0 + answer_after;
        let talk_ends = agent_joins + talk;
        let wrap_up = self.secs(3.0, 10.0);
        let agent = self.book(t0, talk_ends + Duration::from_secs(6) + wrap_up, false);

        let Some(agent) = agent else {
            // Nobody free: the customer waits alone, then gives up.
            self.waiting_alone_until.retain(|&until| until > t0);
            if self.waiting_alone_until.len() >= self.config.max_waiting {
                return;
            }
            let gives_up = t0 + self.secs(15.0, 45.0);
            self.waiting_alone_until.push(gives_up);
            self.push(t0, create(&conference, &format!("Queue · {from}")));
            self.push(
                t0 + ms(200),
                dial_customer(&conference, &customer_leg, &from),
            );
            self.push(gives_up, StepAction::Hangup { leg: customer_leg });
            self.push(gives_up + ms(800), StepAction::End { conference });
            return;
        };

        let agent_leg = format!("{label}-agent");
        self.push(t0, create(&conference, &format!("Support · {from}")));
        self.push(
            t0 + ms(200),
            dial_customer(&conference, &customer_leg, &from),
        );
        self.push(agent_joins, dial_agent(&conference, &agent_leg, agent));

        if self.chance(0.35) {
            let at = agent_joins + self.secs(3.0, talk.as_secs_f64().max(4.0));
            let direction = ["in", "out", "both"][self.rng.gen_range(0..3)].to_owned();
            self.push(
                at,
                StepAction::Mute {
                    leg: agent_leg.clone(),
                    direction: Some(direction.clone()),
                },
            );
            let back = (at + self.secs(4.0, 20.0)).min(talk_ends);
            self.push(
                back,
                StepAction::Unmute {
                    leg: agent_leg.clone(),
                    direction: Some(direction),
                },
            );
        }
        if self.chance(0.3) {
            let at = agent_joins + self.secs(5.0, talk.as_secs_f64().max(6.0));
            self.push(
                at,
                StepAction::Hold {
                    leg: customer_leg.clone(),
                },
            );
            let back = (at + self.secs(5.0, 40.0)).min(talk_ends);
            self.push(
                back,
                StepAction::Unhold {
                    leg: customer_leg.clone(),
                },
            );
        }
        if self.chance(0.2) {
            let at = agent_joins + self.secs(5.0, talk.as_secs_f64().max(6.0));
            let leaves = (at + self.secs(10.0, 40.0)).min(talk_ends);
            if let Some(second) = self.book(at, leaves + ms(500), false) {
                let leg = format!("{label}-consult");
                self.push(at, dial_agent(&conference, &leg, second));
                self.push(leaves, StepAction::Hangup { leg });
                let free_at = leaves + self.secs(2.0, 6.0);
                self.push(free_at, available(second));
            }
        }
        if self.chance(0.15) {
            let at = agent_joins + self.secs(2.0, talk.as_secs_f64().max(3.0));
            if let Some(supervisor) = self.book(at, talk_ends, true) {
                let leg = format!("{label}-supervisor");
                self.push(at, dial_agent(&conference, &leg, supervisor));
                self.push(
                    at + ms(700),
                    StepAction::Mute {
                        leg: leg.clone(),
                        direction: Some("in".into()),
                    },
                );
                let leaves = (at + self.secs(15.0, 60.0)).min(talk_ends);
                self.push(leaves, StepAction::Hangup { leg });
            }
        }

        let ending = self.rng.gen_range(0..100);
        let after = |model: &mut Self| talk_ends + model.secs(0.5, 3.0);
        match ending {
            // The customer hangs up, the agent follows.
            0..=44 => {
                self.push(talk_ends, StepAction::Hangup { leg: customer_leg });
                let t = after(self);
                self.push(t, StepAction::Hangup { leg: agent_leg });
                self.push(t + ms(600), StepAction::End { conference });
            }
            // The agent hangs up first.
            45..=74 => {
                self.push(talk_ends, StepAction::Hangup { leg: agent_leg });
                let t = after(self);
                self.push(t, StepAction::Hangup { leg: customer_leg });
                self.push(t + ms(600), StepAction::End { conference });
            }
            // The agent drops and the customer is left alone for a while.
            75..=86 => {
                self.push(talk_ends, StepAction::Hangup { leg: agent_leg });
                let t = talk_ends + self.secs(15.0, 45.0);
                self.push(t, StepAction::Hangup { leg: customer_leg });
                self.push(t + ms(600), StepAction::End { conference });
            }
            // The customer is kicked; the call goes on outside the room.
            87..=91 => {
                self.push(
                    talk_ends,
                    StepAction::Kick {
                        leg: customer_leg.clone(),
                    },
                );
                let t = after(self);
                self.push(t, StepAction::Hangup { leg: agent_leg });
                self.push(t + ms(300), StepAction::Hangup { leg: customer_leg });
                self.push(t + ms(900), StepAction::End { conference });
            }
            // A supervisor ends the conference with everyone still in it.
            _ => {
                self.push(talk_ends, StepAction::End { conference });
                let t = after(self);
                self.push(t, StepAction::Hangup { leg: customer_leg });
                self.push(t, StepAction::Hangup { leg: agent_leg });
            }
        }
        let free_at = talk_ends + Duration::from_secs(6) + wrap_up;
        self.push(free_at, available(agent));
    }

    /// A long-running room where a supervisor stays and agents drop in between calls.
    fn team_room(&mut self, t0: Duration) {
        self.stories += 1;
        let label = format!("team{}", self.stories);
        let lasts = Duration::from_secs(3 * 3600);
        let Some(lead) = self.book(t0, t0 + lasts, true) else {
            return;
        };
        self.push(t0, create(&label, "Team huddle · Tier 2"));
        self.push(
            t0 + ms(300),
            dial_agent(&label, &format!("{label}-lead"), lead),
        );
        let first = t0 + self.secs(5.0, 20.0);
        self.drop_ins.push(DropIn {
            room: label,
            at: first,
            count: 0,
        });
    }

    /// Books the next drop-in only when it is due, so agents are not held for the future.
    fn plan_drop_ins(&mut self, now: Duration) {
        for i in 0..self.drop_ins.len() {
            if self.drop_ins[i].at > now {
                continue;
            }
            let at = self.drop_ins[i].at;
            let stay = self.secs(20.0, 90.0);
            if let Some(agent) = self.book(at, at + stay + ms(500), false) {
                self.drop_ins[i].count += 1;
                let leg = format!("{}-dropin{}", self.drop_ins[i].room, self.drop_ins[i].count);
                let room = self.drop_ins[i].room.clone();
                self.push(at, dial_agent(&room, &leg, agent));
                self.push(at + stay, StepAction::Hangup { leg });
            }
            self.drop_ins[i].at = at + self.secs(30.0, 120.0);
        }
    }
}

#[derive(Debug)]
struct DropIn {
    room: String,
    at: Duration,
    count: u32,
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn create(conference: &str, name: &str) -> StepAction {
    StepAction::CreateConference {
        conference: conference.to_owned(),
        name: Some(name.to_owned()),
        kind: None,
    }
}

fn dial_customer(conference: &str, leg: &str, from: &str) -> StepAction {
    StepAction::DialCustomer {
        conference: conference.to_owned(),
        leg: leg.to_owned(),
        from: from.to_owned(),
    }
}

fn dial_agent(conference: &str, leg: &str, agent: Uuid) -> StepAction {
    StepAction::DialAgent {
        conference: conference.to_owned(),
        leg: leg.to_owned(),
        agent: agent.to_string(),
    }
}

fn available(agent: Uuid) -> StepAction {
    StepAction::AgentStatus {
        agent: agent.to_string(),
        status: "available".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn team() -> Vec<TeamMember> {
        (0..12)
            .map(|i| TeamMember {
                id: Uuid::from_u128(i + 1),
                supervisor: i >= 10,
            })
            .collect()
    }

    fn run(seed: u64, minutes: u64) -> Vec<(Duration, StepAction)> {
        let config = TrafficConfig {
            seed,
            ..TrafficConfig::default()
        };
        let mut model = TrafficModel::new(config, team());
        let mut out = Vec::new();
        let mut t = Duration::ZERO;
        while t <= Duration::from_secs(minutes * 60) {
            out.extend(model.due(t).into_iter().map(|s| (t, s)));
            t += ms(250);
        }
        out
    }

    #[test]
    fn same_seed_same_traffic() {
        assert_eq!(run(9, 5), run(9, 5));
        assert_ne!(run(9, 5), run(10, 5));
    }

    #[test]
    fn steps_only_use_labels_made_earlier() {
        let mut conferences = HashSet::new();
        let mut legs = HashSet::new();
        for (_, step) in run(3, 10) {
            match step {
                StepAction::CreateConference { conference, .. } => {
                    assert!(conferences.insert(conference));
                }
                StepAction::DialCustomer {
                    conference, leg, ..
                }
                | StepAction::DialAgent {
                    conference, leg, ..
                } => {
                    assert!(conferences.contains(&conference));
                    assert!(legs.insert(leg));
                }
                StepAction::End { conference } => assert!(conferences.contains(&conference)),
                StepAction::Mute { leg, .. }
                | StepAction::Unmute { leg, .. }
                | StepAction::Hold { leg }
                | StepAction::Unhold { leg }
                | StepAction::Kick { leg }
                | StepAction::Hangup { leg } => assert!(legs.contains(&leg), "{leg}"),
                StepAction::AgentStatus { .. } => {}
            }
        }
    }

    #[test]
    fn no_agent_is_in_two_customer_calls_at_once() {
        // Between dial and hangup of a story's legs, the same agent is not dialled again.
        let mut live: HashMap<String, String> = HashMap::new(); // leg -> agent
        for (_, step) in run(5, 20) {
            match step {
                StepAction::DialAgent { leg, agent, .. } => {
                    assert!(
                        !live.values().any(|a| *a == agent),
                        "agent {agent} double-booked"
                    );
                    live.insert(leg, agent);
                }
                StepAction::Hangup { leg } => {
                    live.remove(&leg);
                }
                StepAction::End { conference } => {
                    live.retain(|leg, _| !leg.starts_with(&format!("{conference}-")));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_center_is_lively() {
        let steps = run(1, 10);
        let count = |f: fn(&StepAction) -> bool| steps.iter().filter(|(_, s)| f(s)).count();
        assert!(count(|s| matches!(s, StepAction::DialCustomer { .. })) >= 40);
        assert!(count(|s| matches!(s, StepAction::Mute { .. })) > 0);
        assert!(count(|s| matches!(s, StepAction::Hold { .. })) > 0);
        assert!(count(|s| matches!(s, StepAction::End { .. })) > 20);
        // Something happens in the first seconds.
        assert!(steps.iter().any(|(t, _)| *t < Duration::from_secs(2)));
    }
}
