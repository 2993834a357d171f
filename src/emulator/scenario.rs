//! Scripted scenarios: a timeline of steps for exact, repeatable runs of the emulator.
//!
//! A scenario is a TOML file of `[[step]]` tables. Each step has `at` (offset from the
//! start, e.g. `"1.5s"`, `"2m"`) and an `action`; steps run in `at` order (ties keep file
//! order). Conferences and call legs get labels that later steps refer to. A dialled leg
//! rings and is answered about two seconds later; steps that act on a leg (mute, hold, …)
//! apply to its answered calls, so give them that time:
//!
//! ```toml
//! name = "Escalation"
//!
//! [[step]]
//! at = "0s"
//! action = "create_conference"
//! conference = "escalation"        # label
//! name = "Escalation bridge"       # shown name (defaults to the label)
//! type = "conference"              # or "connect" (default "conference")
//!
//! [[step]]
//! at = "1s"
//! action = "dial_customer"         # a customer calls in and joins
//! conference = "escalation"
//! leg = "caller"                   # label for this call leg
//! from = "+14155550123"
//!
//! [[step]]
//! at = "2s"
//! action = "dial_agent"            # the agent is rung on all addresses and joins
//! conference = "escalation"
//! leg = "alice"
//! agent = "alice"                  # username (or agent id)
//!
//! [[step]]
//! at = "5s"
//! action = "mute"                  # also: unmute (both take direction in|out|both)
//! leg = "alice"
//! direction = "in"
//!
//! [[step]]
//! at = "8s"
//! action = "hold"                  # also: unhold, kick, hangup (each takes leg)
//! leg = "caller"
//!
//! [[step]]
//! at = "30s"
//! action = "end"                   # DELETE the conference
//! conference = "escalation"
//!
//! [[step]]
//! at = "31s"
//! action = "agent_status"
//! agent = "alice"
//! status = "available"
//! ```

use std::collections::HashSet;
use std::time::Duration;

use serde::Deserialize;

use super::faults::parse_duration;
use crate::voipbin::{AgentStatus, ConferenceType, MuteDirection};

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    /// Sorted by `at`; ties keep file order.
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub at: Duration,
    pub action: StepAction,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepAction {
    CreateConference {
        conference: String,
        #[serde(default)]
        name: Option<String>,
        #[serde(default, rename = "type")]
        kind: Option<String>,
    },
    DialCustomer {
        conference: String,
        leg: String,
        from: String,
    },
    DialAgent {
        conference: String,
        leg: String,
        agent: String,
    },
    Mute {
        leg: String,
        #[serde(default)]
        direction: Option<String>,
    },
    Unmute {
        leg: String,
        #[serde(default)]
        direction: Option<String>,
    },
    Hold {
        leg: String,
    },
    Unhold {
        leg: String,
    },
    Kick {
        leg: String,
    },
    Hangup {
        leg: String,
    },
    End {
        conference: String,
    },
    AgentStatus {
        agent: String,
        status: String,
    },
}

impl StepAction {
    pub fn direction(&self) -> MuteDirection {
        match self {
            StepAction::Mute { direction, .. } | StepAction::Unmute { direction, .. } => direction
                .as_deref()
                .map_or(MuteDirection::Both, MuteDirection::from),
            _ => MuteDirection::Both,
        }
    }

    pub fn conference_type(&self) -> ConferenceType {
        match self {
            StepAction::CreateConference { kind: Some(k), .. } => ConferenceType::from(k.as_str()),
            _ => ConferenceType::Conference,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("scenario is not valid TOML or has an unknown step: {0}")]
    Syntax(String),
    #[error("step {step}: {message}")]
    Step { step: usize, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    #[serde(default)]
    name: String,
    #[serde(default)]
    step: Vec<RawStep>,
}

#[derive(Deserialize)]
struct RawStep {
    at: String,
    #[serde(flatten)]
    action: StepAction,
}

impl Scenario {
    pub fn parse(text: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario =
            toml::from_str(text).map_err(|e| ScenarioError::Syntax(e.message().to_owned()))?;
        let mut steps = Vec::with_capacity(raw.step.len());
        for (index, raw_step) in raw.step.into_iter().enumerate() {
            let step_error = |message: String| ScenarioError::Step {
                step: index + 1,
                message,
            };
            let at = parse_duration(&raw_step.at).map_err(|e| step_error(e.to_string()))?;
            check_values(&raw_step.action).map_err(step_error)?;
            steps.push(Step {
                at,
                action: raw_step.action,
            });
        }
        steps.sort_by_key(|s| s.at);
        check_labels(&steps)?;
        Ok(Scenario {
            name: raw.name,
            steps,
        })
    }
}

fn check_values(action: &StepAction) -> Result<(), String> {
    match action {
        StepAction::Mute {
            direction: Some(d), ..
        }
        | StepAction::Unmute {
            direction: Some(d), ..
        } => match MuteDirection::from(d.as_str()) {
            MuteDirection::Other(_) => Err(format!("direction {d:?} is not in, out or both")),
            _ => Ok(()),
        },
        StepAction::AgentStatus { status, .. } => match AgentStatus::from(status.as_str()) {
            AgentStatus::Other(_) => Err(format!(
                "status {status:?} is not available, away, busy, offline or ringing"
            )),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

/// Every label is defined by an earlier step (in time order) before it is used.
fn check_labels(steps: &[Step]) -> Result<(), ScenarioError> {
    let mut conferences = HashSet::new();
    let mut legs = HashSet::new();
    for (index, step) in steps.iter().enumerate() {
        let fail = |message: String| ScenarioError::Step {
            step: index + 1,
            message,
        };
        let need_conference = |label: &String| {
            if conferences.contains(label) {
                Ok(())
            } else {
                Err(fail(format!(
                    "conference {label:?} is not created by an earlier step"
                )))
            }
        };
        match &step.action {
            StepAction::CreateConference { conference, .. } => {
                if !conferences.insert(conference.clone()) {
                    return Err(fail(format!("conference {conference:?} is created twice")));
                }
            }
            StepAction::DialCustomer {
                conference, leg, ..
            }
            | StepAction::DialAgent {
                conference, leg, ..
            } => {
                need_conference(conference)?;
                if !legs.insert(leg.clone()) {
                    return Err(fail(format!("leg {leg:?} is dialled twice")));
                }
            }
            StepAction::End { conference } => need_conference(conference)?,
            StepAction::Mute { leg, .. }
            | StepAction::Unmute { leg, .. }
            | StepAction::Hold { leg }
            | StepAction::Unhold { leg }
            | StepAction::Kick { leg }
            | StepAction::Hangup { leg } => {
                if !legs.contains(leg) {
                    return Err(fail(format!(
                        "leg {leg:?} is not dialled by an earlier step"
                    )));
                }
            }
            StepAction::AgentStatus { .. } => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"
        name = "t"
        [[step]]
        at = "2s"
        action = "dial_customer"
        conference = "c"
        leg = "caller"
        from = "+1"
        [[step]]
        at = "0s"
        action = "create_conference"
        conference = "c"
        [[step]]
        at = "3s"
        action = "mute"
        leg = "caller"
        direction = "in"
    "#;

    #[test]
    fn parses_and_orders_steps_by_time() {
        let s = Scenario::parse(EXAMPLE).unwrap();
        assert_eq!(s.name, "t");
        let ats: Vec<u64> = s.steps.iter().map(|s| s.at.as_secs()).collect();
        assert_eq!(ats, vec![0, 2, 3]);
        assert_eq!(s.steps[2].action.direction(), MuteDirection::In);
        assert_eq!(
            s.steps[0].action.conference_type(),
            ConferenceType::Conference
        );
    }

    #[test]
    fn reports_the_failing_step() {
        let err = Scenario::parse(
            r#"[[step]]
            at = "1s"
            action = "kick"
            leg = "ghost""#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ScenarioError::Step {
                step: 1,
                message: "leg \"ghost\" is not dialled by an earlier step".into()
            }
        );
        let err = Scenario::parse("[[step]]\nat = \"soon\"\naction = \"end\"\nconference = \"x\"")
            .unwrap_err();
        assert!(matches!(err, ScenarioError::Step { step: 1, .. }));
        let err = Scenario::parse("[[step]]\nat = \"1s\"\naction = \"explode\"").unwrap_err();
        assert!(matches!(err, ScenarioError::Syntax(_)));
        let err = Scenario::parse(
            "[[step]]\nat=\"0s\"\naction=\"agent_status\"\nagent=\"a\"\nstatus=\"sleepy\"",
        )
        .unwrap_err();
        assert!(err.to_string().contains("sleepy"));
    }

    #[test]
    fn the_shipped_scenarios_parse() {
        Scenario::parse(include_str!("../../assets/scenarios/escalation.toml")).unwrap();
    }
}
