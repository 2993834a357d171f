//! Plays scenario steps and generated traffic against the platform model.
//!
//! Steps name conferences and call legs by label; the director maps labels to platform
//! ids. A leg dialled to an agent may ring several addresses (ring-all), so a leg is the
//! set of calls it created, and each step acts on those still alive. A step that no longer
//! applies (the call already hung up, the room already ended) is logged and skipped, as a
//! real contact center would shrug it off.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;

use super::platform::{ConferenceSpec, Platform, PlatformError};
use super::scenario::{Scenario, StepAction};
use super::traffic::{TeamMember, TrafficConfig, TrafficModel};
use crate::voipbin::{Agent, AgentStatus, CallStatus, ConferencecallStatus};

#[derive(Debug)]
pub struct Director {
    platform: Arc<Platform>,
    customer_id: Uuid,
    conferences: HashMap<String, Uuid>,
    legs: HashMap<String, Vec<Uuid>>,
}

#[derive(Debug, thiserror::Error)]
pub enum StepError {
    #[error("no agent matches {0:?}")]
    UnknownAgent(String),
    #[error("label {0:?} is not known")]
    UnknownLabel(String),
    #[error(transparent)]
    Platform(#[from] PlatformError),
}

impl Director {
    pub fn new(platform: Arc<Platform>, customer_id: Uuid) -> Self {
        Director {
            platform,
            customer_id,
            conferences: HashMap::new(),
            legs: HashMap::new(),
        }
    }

    /// Runs one step now.
    pub fn execute(&mut self, step: &StepAction) -> Result<(), StepError> {
        let customer = self.customer_id;
        match step {
            StepAction::CreateConference {
                conference, name, ..
            } => {
                let spec = ConferenceSpec {
                    kind: step.conference_type().as_str().to_owned(),
                    name: name.clone().unwrap_or_else(|| conference.clone()),
                    ..ConferenceSpec::default()
                };
                let created = self.platform.create_conference(customer, spec)?;
                self.conferences.insert(conference.clone(), created.id);
            }
            StepAction::DialCustomer {
                conference,
                leg,
                from,
            } => {
                let room = self.conference(conference)?;
                let call = self
                    .platform
                    .customer_joins_conference(customer, from, room);
                self.legs.insert(leg.clone(), vec![call.id]);
            }
            StepAction::DialAgent {
                conference,
                leg,
                agent,
            } => {
                let room = self.conference(conference)?;
                let agent = self.agent(agent)?;
                let dialled = self
                    .platform
                    .dial_agent_into_conference(customer, agent.id, room)?;
                // Agent destinations ring through a groupcall; its legs are the call ids.
                let calls = dialled
                    .calls
                    .iter()
                    .map(|c| c.id)
                    .chain(
                        dialled
                            .groupcalls
                            .iter()
                            .flat_map(|g| g.call_ids.iter().copied()),
                    )
                    .collect();
                self.legs.insert(leg.clone(), calls);
            }
            StepAction::Mute { leg, .. } => {
                for call in self.answered(leg)? {
                    self.platform.mute(customer, call, step.direction())?;
                }
            }
            StepAction::Unmute { leg, .. } => {
                for call in self.answered(leg)? {
                    self.platform.unmute(customer, call, step.direction())?;
                }
            }
            StepAction::Hold { leg } => {
                for call in self.answered(leg)? {
                    self.platform.hold(customer, call)?;
                }
            }
            StepAction::Unhold { leg } => {
                for call in self.answered(leg)? {
                    self.platform.unhold(customer, call)?;
                }
            }
            StepAction::Kick { leg } => {
                let calls = self.leg(leg)?.to_vec();
                let truth = self.platform.truth(customer);
                for call in calls {
                    let joined = truth.conferencecalls.iter().find(|cc| {
                        cc.reference_id == call && cc.status == Some(ConferencecallStatus::Joined)
                    });
                    if let Some(cc) = joined {
                        self.platform.kick(customer, cc.id)?;
                    }
                }
            }
            StepAction::Hangup { leg } => {
                // The party hangs up their phone: a remote hangup of every live call.
                for call in self.alive(leg)? {
                    self.platform.remote_hangup(customer, call)?;
                }
            }
            StepAction::End { conference } => {
                let room = self.conference(conference)?;
                self.platform.delete_conference(customer, room)?;
            }
            StepAction::AgentStatus { agent, status } => {
                let agent = self.agent(agent)?;
                self.platform.set_agent_status(
                    customer,
                    agent.id,
                    AgentStatus::from(status.as_str()),
                )?;
            }
        }
        Ok(())
    }

    /// Checks that every agent a scenario names exists, before anything is played.
    pub fn check_agents(&self, scenario: &Scenario) -> Result<(), StepError> {
        for step in &scenario.steps {
            if let StepAction::DialAgent { agent, .. } | StepAction::AgentStatus { agent, .. } =
                &step.action
            {
                self.agent(agent)?;
            }
        }
        Ok(())
    }

    fn conference(&self, label: &str) -> Result<Uuid, StepError> {
        self.conferences
            .get(label)
            .copied()
            .ok_or_else(|| StepError::UnknownLabel(label.to_owned()))
    }

    fn leg(&self, label: &str) -> Result<&[Uuid], StepError> {
        self.legs
            .get(label)
            .map(Vec::as_slice)
            .ok_or_else(|| StepError::UnknownLabel(label.to_owned()))
    }

    fn calls_with(
        &self,
        label: &str,
        keep: fn(&CallStatus) -> bool,
    ) -> Result<Vec<Uuid>, StepError> {
        let calls = self.leg(label)?;
        Ok(calls
            .iter()
            .copied()
            .filter(|id| {
                self.platform
                    .call(self.customer_id, *id)
                    .is_ok_and(|c| c.status.as_ref().is_some_and(keep))
            })
            .collect())
    }

    fn alive(&self, label: &str) -> Result<Vec<Uuid>, StepError> {
        self.calls_with(label, |s| !s.is_over())
    }

    fn answered(&self, label: &str) -> Result<Vec<Uuid>, StepError> {
        self.calls_with(label, |s| *s == CallStatus::Progressing)
    }

    /// An agent by id, username, the part of the username before `@`, or first name.
    fn agent(&self, wanted: &str) -> Result<Agent, StepError> {
        let agents = self.platform.list_agents(self.customer_id);
        let wanted_lower = wanted.to_lowercase();
        agents
            .into_iter()
            .find(|a| {
                a.id.to_string() == wanted
                    || a.username.eq_ignore_ascii_case(wanted)
                    || a.username.split('@').next() == Some(wanted_lower.as_str())
                    || a.name.split(' ').next().map(str::to_lowercase) == Some(wanted_lower.clone())
            })
            .ok_or_else(|| StepError::UnknownAgent(wanted.to_owned()))
    }
}

/// Plays a scenario from now, on the platform's clock.
pub async fn play_scenario(platform: Arc<Platform>, customer_id: Uuid, scenario: Scenario) {
    let start = tokio::time::Instant::now();
    let mut director = Director::new(platform.clone(), customer_id);
    for (index, step) in scenario.steps.iter().enumerate() {
        tokio::time::sleep_until(start + platform.clock().real_delay(step.at)).await;
        if let Err(e) = director.execute(&step.action) {
            tracing::info!(step = index + 1, "scenario step skipped: {e}");
        }
    }
    tracing::info!(name = scenario.name, "scenario finished");
}

/// Generates live traffic until the task is dropped.
pub async fn generate_traffic(platform: Arc<Platform>, customer_id: Uuid, config: TrafficConfig) {
    let team = platform
        .list_agents(customer_id)
        .into_iter()
        .map(|a| TeamMember {
            id: a.id,
            supervisor: a.permission.is_supervisor(),
        })
        .collect();
    let mut model = TrafficModel::new(config, team);
    let mut director = Director::new(platform.clone(), customer_id);
    let start = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    loop {
        tick.tick().await;
        let platform_elapsed = start.elapsed().mul_f64(platform.clock().speed());
        for step in model.due(platform_elapsed) {
            if let Err(e) = director.execute(&step) {
                tracing::debug!("traffic step skipped: {e}");
            }
        }
    }
}
