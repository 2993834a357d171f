//! One-shot commands: `kick|hangup|hold|unhold|mute|unmute ID` and `end CONFERENCE_ID`.
//! The id may name a conferencecall or a call, however old; the command then takes the
//! same path as a key press in the dashboard: the store marks it pending (a hold or unhold
//! is written to the ledger as an intent), the executor audits `sent`, sends it once and
//! audits the outcome, and the ledger is saved again. The exit code is 0 only when the
//! platform accepted it and everything was recorded.

use uuid::Uuid;

use crate::client::api;
use crate::client::audit::{Actor, AuditTarget};
use crate::client::commands::Outcome;
use crate::client::execute::Executor;
use crate::client::link::CommandRequest;
use crate::command::Command;
use crate::config::{Config, Overrides};
use crate::startup::{self, exit, Context, Failure};
use crate::store::{CommandId, ConferencesState, Input};

use super::snapshot::FetchErrors;
use crate::voipbin::Resource;

/// Runs one command given as the CLI names it (its id as typed); returns the line to print.
pub async fn run_command(overrides: &Overrides, command: Command) -> Result<String, Failure> {
    let config =
        Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
    let context = Context::open(overrides)?;
    if context.resolved.readonly {
        return Err(Failure::new(
            exit::USAGE,
            "read-only profile: commands are disabled",
        ));
    }
    let session = context.session().await?;
    let opened = startup::open_store(&config, &context, session.agent_id);
    let (store, mut ledger_file) = (opened.store, opened.ledger_file);
    if let Some(warning) = opened.warning {
        eprintln!("warning: {warning}");
    }
    let mut unrecorded = Vec::new();
    let (mut store, leg) = resolve(&context, store, &command).await?;
    let command = aim(command, &leg)?;

    let mut save_ledger = |store: &ConferencesState, unrecorded: &mut Vec<String>| {
        if let Err(e) = ledger_file.save(store.ledger()) {
            unrecorded.push(e.to_string());
        }
    };
    let id = CommandId(1);
    let now = chrono::Utc::now();
    let issued = store.apply(
        Input::CommandIssued {
            id,
            command: command.clone(),
        },
        now,
    );
    if issued.ledger_changed {
        save_ledger(&store, &mut unrecorded);
    }
    let executor = Executor {
        rest: context.rest.clone(),
        actor: Actor {
            profile: context.resolved.profile_name.clone(),
            agent: session.agent_name.clone(),
        },
        data_dir: context.resolved.data_dir.clone(),
    };
    let request = CommandRequest {
        id,
        command: command.clone(),
        about: leg,
    };
    let execution = executor.run(&request).await;
    unrecorded.extend(execution.unrecorded);
    let mut ledger_changed = false;
    for input in execution.inputs {
        ledger_changed |= store.apply(input, chrono::Utc::now()).ledger_changed;
    }
    if ledger_changed {
        save_ledger(&store, &mut unrecorded);
    }
    report(&command, execution.outcome, &unrecorded)
}

/// The line to print, or the failure; an accepted command whose record is incomplete
/// still fails, so a script notices.
fn report(command: &Command, outcome: Outcome, unrecorded: &[String]) -> Result<String, Failure> {
    let request = |id: Option<String>| id.map(|r| format!(" (request {r})")).unwrap_or_default();
    match outcome {
        Outcome::Accepted { request_id, .. } if unrecorded.is_empty() => Ok(format!(
            "{}: accepted{}",
            command.action(),
            request(request_id)
        )),
        Outcome::Accepted { request_id, .. } => Err(Failure::new(
            exit::NOT_RECORDED,
            format!(
                "{}: accepted{}, but not recorded: {}",
                command.action(),
                request(request_id),
                unrecorded.join("; ")
            ),
        )),
        Outcome::Failed {
            reason,
            message,
            request_id,
            status,
        } => {
            let code = startup::exit_for_status(status);
            let mut text = format!(
                "{}: {reason}: {message}{}",
                command.action(),
                request(request_id)
            );
            if !unrecorded.is_empty() {
                text += &format!("; also not recorded: {}", unrecorded.join("; "));
            }
            Err(Failure::new(code, text))
        }
    }
}

/// The id the command was given, as the user typed it.
fn given_id(command: &Command) -> Uuid {
    match *command {
        Command::Kick { conferencecall_id } => conferencecall_id,
        Command::Hangup { call_id }
        | Command::Hold { call_id }
        | Command::Unhold { call_id }
        | Command::Mute { call_id, .. }
        | Command::Unmute { call_id, .. } => call_id,
        Command::End { conference_id }
        | Command::RecordingStart { conference_id }
        | Command::RecordingStop { conference_id } => conference_id,
    }
}

/// Finds what the given id names and teaches the store about it, so the hold ledger
/// records the right leg. A conferencecall id is read directly; a call id is looked up in
/// a full sync, which reaches every live leg however old (the newest page would not).
async fn resolve(
    context: &Context,
    mut store: ConferencesState,
    command: &Command,
) -> Result<(ConferencesState, AuditTarget), Failure> {
    let rest = &context.rest;
    let id = given_id(command);
    if let Command::End { .. } | Command::RecordingStart { .. } | Command::RecordingStop { .. } =
        command
    {
        let target = AuditTarget {
            conference: Some(id),
            ..AuditTarget::default()
        };
        return Ok((store, target));
    }
    match api::conferencecall(rest, id).await {
        Ok(leg) => {
            let target = AuditTarget {
                conference: Some(leg.conference_id),
                conferencecall: Some(id),
                call: Some(leg.reference_id).filter(|c| !c.is_nil()),
            };
            let now = chrono::Utc::now();
            if let Ok(conference) = api::conference(rest, leg.conference_id).await {
                store.apply(Input::Fetched(Resource::Conference(conference)), now);
            }
            store.apply(Input::Fetched(Resource::Conferencecall(leg)), now);
            return Ok((store, target));
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(Failure::from_rest(&e)),
    }
    // Finding the leg needs the rooms and legs; a leg that could not be fetched by id just
    // stays unresolved (then the call alone is enough for call verbs).
    let (follower, _) = super::snapshot::sync_once(rest, store, FetchErrors::Skip)
        .await
        .map_err(|e| Failure::from_rest(&e))?;
    let store = follower.store;
    let in_room = store.live().find_map(|conference| {
        conference
            .participants
            .iter()
            .find(|p| p.call_id == Some(id) && p.is_joined())
            .map(|p| (conference.id(), p.conferencecall_id))
    });
    if let Some((conference, leg)) = in_room {
        let target = AuditTarget {
            conference: Some(conference),
            conferencecall: Some(leg),
            call: Some(id),
        };
        return Ok((store, target));
    }
    match api::call(rest, id).await {
        Ok(_) => Ok((
            store,
            AuditTarget {
                call: Some(id),
                ..AuditTarget::default()
            },
        )),
        Err(e) if e.is_not_found() => Err(Failure::new(
            exit::REJECTED,
            format!("{}: no conferencecall or call {id}", command.action()),
        )),
        Err(e) => Err(Failure::from_rest(&e)),
    }
}

/// The command aimed at what the id turned out to name: a call verb given a leg acts on
/// its call, a kick given a call acts on its leg.
fn aim(command: Command, leg: &AuditTarget) -> Result<Command, Failure> {
    let id = given_id(&command);
    let call = || {
        leg.call
            .ok_or_else(|| Failure::new(exit::USAGE, format!("{id} has no call")))
    };
    Ok(match command {
        Command::Kick { .. } => Command::Kick {
            conferencecall_id: leg
                .conferencecall
                .ok_or_else(|| Failure::new(exit::USAGE, format!("{id} is not in a conference")))?,
        },
        Command::Hangup { .. } => Command::Hangup { call_id: call()? },
        Command::Hold { .. } => Command::Hold { call_id: call()? },
        Command::Unhold { .. } => Command::Unhold { call_id: call()? },
        Command::Mute { direction, .. } => Command::Mute {
            call_id: call()?,
            direction,
        },
        Command::Unmute { direction, .. } => Command::Unmute {
            call_id: call()?,
            direction,
        },
        conference_verb => conference_verb,
    })
}
