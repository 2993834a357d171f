//! One-shot commands: `kick|hangup|hold|unhold|mute|unmute ID` and `end CONFERENCE_ID`.
//! The id may name a conferencecall or a call; it is resolved with as few reads as
//! possible, the command is sent once, audited, and the exit code is 0 only when the
//! platform accepted it.

use uuid::Uuid;

use crate::client::api;
use crate::client::audit::{AuditEntry, AuditTrail, Target};
use crate::client::commands::{self, Command, Outcome};
use crate::client::rest::RestClient;
use crate::config::Overrides;
use crate::store::ledger_file;
use crate::voipbin::{ConferencecallStatus, MuteDirection};

use super::{exit, Context, Failure};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OneShot {
    Kick(Uuid),
    Hangup(Uuid),
    Hold(Uuid),
    Unhold(Uuid),
    Mute(Uuid, MuteDirection),
    Unmute(Uuid, MuteDirection),
    End(Uuid),
}

/// Finds the participant an id names: a conferencecall id directly, or a call id through
/// the newest conferencecalls (one list page) for the leg that is still in a room.
async fn resolve(rest: &RestClient, id: Uuid) -> Result<Target, Failure> {
    match api::conferencecall(rest, id).await {
        Ok(cc) => {
            return Ok(Target {
                conference: Some(cc.conference_id),
                conferencecall: Some(id),
                call: Some(cc.reference_id).filter(|c| !c.is_nil()),
            })
        }
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(Failure::from_rest(&e)),
    }
    let page = api::conferencecalls_page(rest, None)
        .await
        .map_err(|e| Failure::from_rest(&e))?;
    let in_room = |s: &Option<ConferencecallStatus>| {
        matches!(
            s,
            Some(ConferencecallStatus::Joined | ConferencecallStatus::Joining)
        )
    };
    let leg = page
        .result
        .iter()
        .filter(|cc| cc.reference_id == id)
        .max_by_key(|cc| (in_room(&cc.status), cc.tm_create));
    Ok(Target {
        conference: leg.map(|cc| cc.conference_id),
        conferencecall: leg.map(|cc| cc.id),
        call: Some(id),
    })
}

fn need_call(target: &Target, id: Uuid) -> Result<Uuid, Failure> {
    target
        .call
        .ok_or_else(|| Failure::new(exit::USAGE, format!("{id} has no call")))
}

/// Runs one command; returns the line to print on success.
pub async fn run_command(overrides: &Overrides, one_shot: OneShot) -> Result<String, Failure> {
    let context = Context::open(overrides)?;
    if context.resolved.readonly {
        return Err(Failure::new(
            exit::USAGE,
            "read-only profile: commands are disabled",
        ));
    }
    let session = context.session().await?;
    let rest = &context.rest;
    let (command, target) = match one_shot {
        OneShot::End(conference_id) => (
            Command::EndConference { conference_id },
            Target {
                conference: Some(conference_id),
                ..Target::default()
            },
        ),
        OneShot::Kick(id) => {
            let target = resolve(rest, id).await?;
            let conferencecall_id = target
                .conferencecall
                .ok_or_else(|| Failure::new(exit::USAGE, format!("{id} is not in a conference")))?;
            (Command::Kick { conferencecall_id }, target)
        }
        OneShot::Hangup(id)
        | OneShot::Hold(id)
        | OneShot::Unhold(id)
        | OneShot::Mute(id, _)
        | OneShot::Unmute(id, _) => {
            let target = resolve(rest, id).await?;
            let call_id = need_call(&target, id)?;
            let command = match one_shot {
                OneShot::Hangup(_) => Command::Hangup { call_id },
                OneShot::Hold(_) => Command::Hold { call_id },
                OneShot::Unhold(_) => Command::Unhold { call_id },
                OneShot::Mute(_, direction) => Command::Mute { call_id, direction },
                OneShot::Unmute(_, direction) => Command::Unmute { call_id, direction },
                OneShot::Kick(_) | OneShot::End(_) => unreachable!("handled above"),
            };
            (command, target)
        }
    };

    let outcome = commands::execute(rest, &command).await;
    let who = session
        .agent_name
        .clone()
        .or_else(|| session.agent_id.map(|a| a.to_string()));
    let entry = AuditEntry::new(
        chrono::Utc::now(),
        &context.resolved.profile_name,
        who.as_deref(),
        &command,
        target,
        &outcome,
    );
    let audited = AuditTrail::open(&context.resolved.data_dir).and_then(|mut t| t.record(&entry));
    if let Err(e) = audited {
        // The command went out; losing its audit line is worth a loud warning.
        eprintln!("warning: audit trail not written: {e}");
    }
    match outcome {
        Outcome::Accepted { request_id, .. } => {
            if let Some(call) = target.call {
                remember_hold(&context, &command, call, target.conferencecall);
            }
            Ok(format!(
                "{}: accepted{}",
                command.action(),
                request_id
                    .map(|r| format!(" (request {r})"))
                    .unwrap_or_default()
            ))
        }
        Outcome::Failed {
            reason,
            message,
            request_id,
            status,
        } => {
            let code = match status {
                Some(401 | 403) => exit::AUTH,
                Some(_) => exit::REJECTED,
                None => exit::NETWORK,
            };
            Err(Failure::new(
                code,
                format!(
                    "{}: {reason}: {message}{}",
                    command.action(),
                    request_id
                        .map(|r| format!(" (request {r})"))
                        .unwrap_or_default()
                ),
            ))
        }
    }
}

/// Hold leaves no trace on the platform: the ledger in the data directory is its memory.
fn remember_hold(context: &Context, command: &Command, call: Uuid, leg: Option<Uuid>) {
    let path = ledger_file::ledger_path(&context.resolved.data_dir);
    let mut ledger = match ledger_file::load(&path) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("warning: hold ledger unreadable: {e}");
            return;
        }
    };
    let changed = match command {
        Command::Hold { .. } => ledger.hold(call, leg, chrono::Utc::now()),
        Command::Unhold { .. } => ledger.release(call),
        _ => false,
    };
    if changed {
        if let Err(e) = ledger_file::save(&path, &ledger) {
            eprintln!("warning: hold ledger not saved: {e}");
        }
    }
}
