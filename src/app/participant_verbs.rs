//! The verbs that change something on the platform: checks, confirmation, and issuing.

use super::effect::Effect;
use super::view::{Confirmation, MessageLevel, Overlay};
use super::{conference_label, participant_label, App, MuteChoice, UserCommand};
use crate::client::audit::AuditTarget;
use crate::client::link::CommandRequest;
use crate::command::{Command, Target};
use crate::store::{Input, Participant, ParticipantType};
use crate::voipbin::{MuteDirection, Timestamp};

/// A verb's target as resolved from the selection, or why there is none.
type Resolved<T> = Result<T, String>;

impl App {
    /// Runs a platform-changing user command on the current selection.
    pub(crate) fn run_verb(&mut self, command: UserCommand, now: Timestamp) -> Vec<Effect> {
        if self.view.readonly {
            let why = "read-only mode";
            self.audit.refused(command.hint(), "", why, now);
            self.say(
                MessageLevel::Error,
                format!("{why}: {} is disabled", command.hint()),
                now,
            );
            return Vec::new();
        }
        if self.frozen.is_some() {
            // A frozen view shows old data; acting on it could undo what it no longer shows.
            let why = "the view is frozen";
            let unfreeze = self
                .keymap
                .first_key(UserCommand::Freeze)
                .map_or("the freeze key".to_owned(), |k| k.to_string());
            self.audit.refused(command.hint(), "", why, now);
            self.say(
                MessageLevel::Error,
                format!(
                    "{why}: press {unfreeze} to go live, then {}",
                    command.hint()
                ),
                now,
            );
            return Vec::new();
        }
        let outcome = match command {
            UserCommand::Hold => self.selected_leg().and_then(|p| self.hold_toggle(p)),
            UserCommand::Mute => self.selected_leg().and_then(|p| self.mute_toggle(p)),
            UserCommand::MuteDirection => self.selected_leg().and_then(|p| {
                let call_id = call_of(&p)?;
                Ok(Plan::Ask(Overlay::MuteDirection {
                    call_id,
                    subject: participant_label(&p),
                    muted: p.mute_direction.clone(),
                }))
            }),
            UserCommand::Kick => self.selected_leg().and_then(|p| self.kick(p)),
            UserCommand::Hangup => self.selected_leg().and_then(|p| self.hangup(p)),
            UserCommand::EndConference => self.end_conference(),
            UserCommand::Recording => self.recording_toggle(),
            UserCommand::HoldMyCustomer => self
                .my_leg(
                    |p| p.participant_type == ParticipantType::Customer,
                    "my customer",
                )
                .and_then(|p| self.hold_toggle(p)),
            UserCommand::MuteMyself => self
                .my_leg(|p| p.is_myself, "my own leg")
                .and_then(|p| self.mute_toggle(p)),
            _ => return Vec::new(),
        };
        match outcome {
            Ok(Plan::Issue { command, subject }) => self.issue(command, &subject, now),
            Ok(Plan::Ask(overlay)) => {
                self.view.overlay = Some(overlay);
                Vec::new()
            }
            Err(why) => {
                self.say(MessageLevel::Error, why, now);
                Vec::new()
            }
        }
    }

    /// `y` in the confirmation dialog.
    pub(crate) fn confirm(&mut self, now: Timestamp) -> Vec<Effect> {
        match self.view.overlay.take() {
            Some(Overlay::Confirm(c)) => self.issue(c.command, &c.subject, now),
            other => {
                self.view.overlay = other;
                Vec::new()
            }
        }
    }

    pub(crate) fn choose_mute(&mut self, choice: MuteChoice, now: Timestamp) -> Vec<Effect> {
        let Some(Overlay::MuteDirection {
            call_id,
            subject,
            muted,
        }) = self.view.overlay.take()
        else {
            return Vec::new();
        };
        let mute = |direction| Command::Mute { call_id, direction };
        let command = match choice {
            MuteChoice::In => mute(MuteDirection::In),
            MuteChoice::Out => mute(MuteDirection::Out),
            MuteChoice::Both => mute(MuteDirection::Both),
            // Unmuting the stored direction clears it (§6).
            MuteChoice::Unmute => Command::Unmute {
                call_id,
                direction: muted.unwrap_or(MuteDirection::Both),
            },
        };
        self.issue(command, &subject, now)
    }

    /// Marks the command pending in the store, records it, and hands it to the client.
    /// A hold's intent is in the store's ledger now: the save comes before the command.
    fn issue(&mut self, command: Command, subject: &str, now: Timestamp) -> Vec<Effect> {
        let id = self.next_command_id();
        self.audit.issued(id, &command, subject, now);
        self.say(MessageLevel::Info, format!("… {command} {subject}"), now);
        let changes = self.store.apply(
            Input::CommandIssued {
                id,
                command: command.clone(),
            },
            now,
        );
        self.absorb(&changes);
        self.report_commands(&changes, now);
        let about = self.audit_target(&command.target());
        let mut effects = Vec::new();
        if changes.ledger_changed {
            effects.push(Effect::SaveHoldLedger);
        }
        effects.push(Effect::Command(CommandRequest { id, command, about }));
        effects
    }

    /// The conference, leg and call a command touches, as far as the store knows them.
    fn audit_target(&self, target: &Target) -> AuditTarget {
        let leg_matches = |p: &&Participant| match target {
            Target::Conferencecall(id) => p.conferencecall_id == *id,
            Target::Call(id) => p.call_id == Some(*id),
            Target::Conference(_) => false,
        };
        let found = self.store.live().find_map(|c| {
            let leg = c.participants.iter().map(|p| &**p).find(leg_matches);
            match target {
                Target::Conference(id) => (c.id() == *id).then_some((c.id(), None)),
                _ => leg.map(|p| (c.id(), Some(p))),
            }
        });
        AuditTarget {
            conference: found.map(|(conference, _)| conference),
            conferencecall: found.and_then(|(_, p)| p).map(|p| p.conferencecall_id),
            call: found.and_then(|(_, p)| p).and_then(|p| p.call_id),
        }
    }

    fn selected_leg(&self) -> Resolved<Participant> {
        let p = self
            .selected_participant()
            .ok_or("no participant selected")?;
        if let Some(room) = self.selected_conference().filter(|c| c.ended) {
            return Err(format!(
                "{} has ended: {} is no longer in it",
                conference_label(room),
                participant_label(p)
            ));
        }
        joined(p)
    }

    /// In agent mode: a leg of my conference.
    fn my_leg(&self, pick: impl Fn(&Participant) -> bool, what: &str) -> Resolved<Participant> {
        if !self.agent_mode() {
            return Err("agent mode is off: start with --me AGENT".into());
        }
        let mine = self
            .my_conference_id()
            .and_then(|id| self.store.conference(id))
            .ok_or("you are not in a conference")?;
        let leg = mine
            .participants
            .iter()
            .find(|p| p.is_joined() && pick(p))
            .ok_or_else(|| format!("{what} is not in your conference"))?;
        Ok(Participant::clone(leg))
    }

    fn hold_toggle(&self, p: Participant) -> Resolved<Plan> {
        let call_id = call_of(&p)?;
        let command = if p.on_hold {
            Command::Unhold { call_id }
        } else {
            Command::Hold { call_id }
        };
        Ok(Plan::issue(command, &p))
    }

    fn mute_toggle(&self, p: Participant) -> Resolved<Plan> {
        let call_id = call_of(&p)?;
        let command = match &p.mute_direction {
            Some(direction) => Command::Unmute {
                call_id,
                direction: direction.clone(),
            },
            None => Command::Mute {
                call_id,
                direction: MuteDirection::Both,
            },
        };
        Ok(Plan::issue(command, &p))
    }

    fn kick(&self, p: Participant) -> Resolved<Plan> {
        let conference = self.selected_conference().ok_or("no conference selected")?;
        let who = participant_label(&p);
        Ok(Plan::Ask(Overlay::Confirm(Confirmation {
            command: Command::Kick {
                conferencecall_id: p.conferencecall_id,
            },
            question: format!(
                "Kick {who} from {}? Their call leaves the conference.",
                conference_label(conference)
            ),
            subject: who,
        })))
    }

    fn hangup(&self, p: Participant) -> Resolved<Plan> {
        let call_id = call_of(&p)?;
        let who = participant_label(&p);
        Ok(Plan::Ask(Overlay::Confirm(Confirmation {
            command: Command::Hangup { call_id },
            question: format!("Hang up {who}'s call? The call ends."),
            subject: who,
        })))
    }

    fn end_conference(&self) -> Resolved<Plan> {
        let conference = self.selected_conference().ok_or("no conference selected")?;
        if conference.ended {
            return Err(format!(
                "{} has already ended",
                conference_label(conference)
            ));
        }
        let name = conference_label(conference);
        Ok(Plan::Ask(Overlay::Confirm(Confirmation {
            command: Command::End {
                conference_id: conference.id(),
            },
            question: format!(
                "End {name} {}?",
                everyone_in(conference.live_participant_count)
            ),
            subject: name,
        })))
    }

    fn recording_toggle(&self) -> Resolved<Plan> {
        let conference = self.selected_conference().ok_or("no conference selected")?;
        if conference.ended {
            return Err(format!("{} has ended", conference_label(conference)));
        }
        let conference_id = conference.id();
        let subject = conference_label(conference);
        if conference.conference.recording_id.is_nil() {
            return Ok(Plan::Issue {
                command: Command::RecordingStart { conference_id },
                subject,
            });
        }
        // Stopping cannot be undone into the same recording: a new start makes a new file.
        Ok(Plan::Ask(Overlay::Confirm(Confirmation {
            command: Command::RecordingStop { conference_id },
            question: format!(
                "Stop recording {subject}? What is recorded so far is kept; recording again starts a new file."
            ),
            subject,
        })))
    }
}

/// "for its 1 participant", "for all 3 participants", "with no one in it".
fn everyone_in(live: usize) -> String {
    match live {
        0 => "with no one in it".to_owned(),
        1 => "for its 1 participant".to_owned(),
        n => format!("for all {n} participants"),
    }
}

enum Plan {
    Issue { command: Command, subject: String },
    Ask(Overlay),
}

impl Plan {
    fn issue(command: Command, p: &Participant) -> Plan {
        Plan::Issue {
            command,
            subject: participant_label(p),
        }
    }
}

fn joined(p: &Participant) -> Resolved<Participant> {
    if p.is_joined() {
        Ok(p.clone())
    } else {
        Err(format!("{} has left", participant_label(p)))
    }
}

fn call_of(p: &Participant) -> Resolved<uuid::Uuid> {
    p.call_id
        .ok_or_else(|| format!("{} is still being looked up", participant_label(p)))
}
