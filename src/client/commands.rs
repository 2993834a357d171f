//! Sends a platform command: one REST request, never retried blindly. The outcome says
//! whether the platform accepted it, with the error envelope's reason, message and request
//! id when it did not.

use reqwest::Method as HttpMethod;

use super::rest::{Reply as RestReply, RestClient, RestError};
use crate::command::{Command, Method, ReplyBody};
use crate::voipbin::{Conference, Resource};

/// What the platform said.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted {
        request_id: Option<String>,
        /// The resource the reply carried, if any (kick, hangup, end, recording).
        resource: Option<Box<Resource>>,
    },
    Failed {
        reason: String,
        message: String,
        request_id: Option<String>,
        /// `None`: no answer came, so the platform may have done it.
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

/// Sends the command once.
pub async fn send(rest: &RestClient, command: &Command) -> Outcome {
    let request = command.request();
    let method = match request.method {
        Method::Post => HttpMethod::POST,
        Method::Delete => HttpMethod::DELETE,
    };
    match rest
        .send(method.clone(), &request.path, &[], request.body.as_ref())
        .await
    {
        Ok(reply) => read_reply(command.reply(), reply, &method, &request.path),
        Err(e) => Outcome::from_error(e),
    }
}

fn read_reply(kind: ReplyBody, reply: RestReply, method: &HttpMethod, path: &str) -> Outcome {
    // A body that does not decode is no reason to call an accepted command failed.
    let lenient = |reply: &RestReply| -> Option<Resource> {
        match kind {
            ReplyBody::Empty | ReplyBody::ConferenceOrZero => None,
            ReplyBody::Conferencecall => serde_json::from_slice(&reply.body)
                .ok()
                .map(Resource::Conferencecall),
            ReplyBody::Call => serde_json::from_slice(&reply.body).ok().map(Resource::Call),
            ReplyBody::Conference => serde_json::from_slice(&reply.body)
                .ok()
                .map(Resource::Conference),
        }
    };
    if kind != ReplyBody::ConferenceOrZero {
        let resource = lenient(&reply).map(Box::new);
        return Outcome::Accepted {
            request_id: reply.request_id,
            resource,
        };
    }
    // The platform answers some failed recording requests with 200 and an all-zero
    // conference (PROTOCOL.md §4): that is a failure.
    let conference: Conference = match reply.json(method, path) {
        Ok(conference) => conference,
        Err(e) => return Outcome::from_error(e),
    };
    if conference.id.is_nil() {
        return Outcome::Failed {
            reason: "ZERO_REPLY".into(),
            message: "the platform answered with an empty conference: the recording did not \
                      change (already running, or the conference is not progressing)"
                .into(),
            request_id: reply.request_id,
            status: Some(200),
        };
    }
    Outcome::Accepted {
        request_id: reply.request_id,
        resource: Some(Box::new(Resource::Conference(conference))),
    }
}
