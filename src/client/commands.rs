//! Commands a supervisor sends: one REST request each, never retried blindly. The result
//! says whether the platform accepted it, with the error envelope's reason, message and
//! request id when it did not.

use serde::Serialize;
use uuid::Uuid;

use super::api;
use super::rest::{Reply, RestClient, RestError};
use crate::voipbin::{MuteDirection, Resource};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Command {
    Kick {
        conferencecall_id: Uuid,
    },
    Hangup {
        call_id: Uuid,
    },
    Hold {
        call_id: Uuid,
    },
    Unhold {
        call_id: Uuid,
    },
    Mute {
        call_id: Uuid,
        direction: MuteDirection,
    },
    Unmute {
        call_id: Uuid,
        direction: MuteDirection,
    },
    EndConference {
        conference_id: Uuid,
    },
    RecordingStart {
        conference_id: Uuid,
    },
    RecordingStop {
        conference_id: Uuid,
    },
}

impl Command {
    pub fn action(&self) -> &'static str {
        match self {
            Command::Kick { .. } => "kick",
            Command::Hangup { .. } => "hangup",
            Command::Hold { .. } => "hold",
            Command::Unhold { .. } => "unhold",
            Command::Mute { .. } => "mute",
            Command::Unmute { .. } => "unmute",
            Command::EndConference { .. } => "end",
            Command::RecordingStart { .. } => "recording_start",
            Command::RecordingStop { .. } => "recording_stop",
        }
    }

    /// Hold leaves no trace on the platform (no field, no event): the REST reply is the
    /// only confirmation there will ever be. Recording changes emit no conference event,
    /// and ending a room is done once the platform has marked it deleted (the reply shows
    /// it). Kick, hangup and mute are confirmed by the events that show their effect.
    pub fn confirmed_by_reply(&self) -> bool {
        matches!(
            self,
            Command::Hold { .. }
                | Command::Unhold { .. }
                | Command::EndConference { .. }
                | Command::RecordingStart { .. }
                | Command::RecordingStop { .. }
        )
    }
}

/// What the platform said.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted {
        request_id: Option<String>,
        /// The resource the reply carried, if any (kick, hangup, end, recording).
        resource: Option<Resource>,
    },
    Failed {
        reason: String,
        message: String,
        request_id: Option<String>,
        status: Option<u16>,
    },
}

impl Outcome {
    pub fn accepted(&self) -> bool {
        matches!(self, Outcome::Accepted { .. })
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            Outcome::Accepted { request_id, .. } | Outcome::Failed { request_id, .. } => {
                request_id.as_deref()
            }
        }
    }

    fn from_error(e: RestError) -> Outcome {
        Outcome::Failed {
            reason: e.reason().to_string(),
            message: e.message(),
            request_id: e.request_id().map(str::to_string),
            status: e.status(),
        }
    }
}

fn with_resource(reply: Reply, resource: Option<Resource>) -> Outcome {
    Outcome::Accepted {
        request_id: reply.request_id,
        resource,
    }
}

/// Decodes a reply body as a resource when it holds one; an empty body is fine.
fn parse<T: serde::de::DeserializeOwned>(reply: &Reply) -> Option<T> {
    serde_json::from_slice(&reply.body).ok()
}

/// Sends the command once.
pub async fn execute(rest: &RestClient, command: &Command) -> Outcome {
    let result = match command {
        Command::Kick { conferencecall_id } => api::kick(rest, *conferencecall_id).await.map(|r| {
            let cc = parse(&r).map(Resource::Conferencecall);
            with_resource(r, cc)
        }),
        Command::Hangup { call_id } => api::hangup(rest, *call_id).await.map(|r| {
            let call = parse(&r).map(Resource::Call);
            with_resource(r, call)
        }),
        Command::Hold { call_id } => api::hold(rest, *call_id)
            .await
            .map(|r| with_resource(r, None)),
        Command::Unhold { call_id } => api::unhold(rest, *call_id)
            .await
            .map(|r| with_resource(r, None)),
        Command::Mute { call_id, direction } => api::mute(rest, *call_id, direction)
            .await
            .map(|r| with_resource(r, None)),
        Command::Unmute { call_id, direction } => api::unmute(rest, *call_id, direction)
            .await
            .map(|r| with_resource(r, None)),
        Command::EndConference { conference_id } => {
            api::end_conference(rest, *conference_id).await.map(|r| {
                let c = parse(&r).map(Resource::Conference);
                with_resource(r, c)
            })
        }
        Command::RecordingStart { conference_id } => {
            recording(api::recording_start(rest, *conference_id).await)
        }
        Command::RecordingStop { conference_id } => {
            recording(api::recording_stop(rest, *conference_id).await)
        }
    };
    result.unwrap_or_else(Outcome::from_error)
}

/// The platform answers some failed recording requests with 200 and an all-zero
/// conference (PROTOCOL.md §4): that is a failure.
fn recording(
    result: Result<(Reply, crate::voipbin::Conference), RestError>,
) -> Result<Outcome, RestError> {
    let (reply, conference) = result?;
    if conference.id.is_nil() {
        return Ok(Outcome::Failed {
            reason: "ZERO_REPLY".into(),
            message:
                "the platform answered with an empty conference: the recording did not change \
                      (already running, or the conference is not progressing)"
                    .into(),
            request_id: reply.request_id,
            status: Some(200),
        });
    }
    Ok(with_resource(reply, Some(Resource::Conference(conference))))
}
