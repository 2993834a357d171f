//! WebSocket subscription messages and the topic grammar (PROTOCOL.md §11.2–11.3).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Client → server: `{"type": "subscribe" | "unsubscribe", "topics": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionMessage {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub topics: Vec<String>,
}

impl SubscriptionMessage {
    pub fn subscribe(topics: Vec<String>) -> Self {
        SubscriptionMessage {
            kind: "subscribe".into(),
            topics,
        }
    }

    pub fn unsubscribe(topics: Vec<String>) -> Self {
        SubscriptionMessage {
            kind: "unsubscribe".into(),
            topics,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Customer,
    Agent,
}

/// A parsed topic: `<scope>:<uuid>[:<resource>[:<rest…>]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic<'a> {
    pub scope: Scope,
    pub scope_id: Uuid,
    /// Segments after the scope id (may be empty strings, e.g. a trailing `:`).
    pub rest: Vec<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TopicError {
    #[error("topic {0:?} has fewer than two segments")]
    TooShort(String),
    #[error("topic {0:?} does not start with customer_id or agent_id")]
    BadScope(String),
    #[error("topic {0:?} does not carry a UUID after its scope")]
    BadId(String),
}

impl<'a> Topic<'a> {
    pub fn parse(text: &'a str) -> Result<Topic<'a>, TopicError> {
        let mut parts = text.split(':');
        let (Some(scope), Some(id)) = (parts.next(), parts.next()) else {
            return Err(TopicError::TooShort(text.to_owned()));
        };
        let scope = match scope {
            "customer_id" => Scope::Customer,
            "agent_id" => Scope::Agent,
            _ => return Err(TopicError::BadScope(text.to_owned())),
        };
        let scope_id = Uuid::parse_str(id).map_err(|_| TopicError::BadId(text.to_owned()))?;
        Ok(Topic {
            scope,
            scope_id,
            rest: parts.collect(),
        })
    }

    /// Number of `:`-separated segments, scope and id included.
    pub fn segment_count(&self) -> usize {
        2 + self.rest.len()
    }
}

/// The customer-wide subscription for one resource, with the trailing `:` that keeps the
/// prefix from also matching longer resource names (`conference` vs `conferencecall`).
pub fn customer_resource_topic(customer_id: Uuid, resource: &str) -> String {
    format!("customer_id:{customer_id}:{resource}:")
}

/// Every topic an event is published on (`createTopics`): the legacy and the new form for
/// the customer, and both again for the owning agent when there is one.
pub fn event_topics(
    event_type: &str,
    customer_id: Uuid,
    resource_id: Uuid,
    owner_id: Option<Uuid>,
) -> Vec<String> {
    let resource = event_type.split('_').next().unwrap_or(event_type);
    let mut topics = vec![
        format!("customer_id:{customer_id}:{resource}:{resource_id}"),
        format!("customer_id:{customer_id}:{resource}:{event_type}:{resource_id}"),
    ];
    if let Some(owner) = owner_id.filter(|o| !o.is_nil()) {
        topics.push(format!("agent_id:{owner}:{resource}:{resource_id}"));
        topics.push(format!(
            "agent_id:{owner}:{resource}:{event_type}:{resource_id}"
        ));
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scopes_and_counts_segments() {
        let c = Uuid::new_v4();
        let text = format!("customer_id:{c}:call:");
        let t = Topic::parse(&text).unwrap();
        assert_eq!(t.scope, Scope::Customer);
        assert_eq!(t.scope_id, c);
        assert_eq!(t.segment_count(), 4);
        assert!(matches!(
            Topic::parse("customer_id"),
            Err(TopicError::TooShort(_))
        ));
        assert!(matches!(
            Topic::parse("user:1"),
            Err(TopicError::BadScope(_))
        ));
        assert!(matches!(
            Topic::parse("agent_id:nope"),
            Err(TopicError::BadId(_))
        ));
    }

    #[test]
    fn events_publish_on_legacy_and_new_forms() {
        let (c, id, owner) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let topics = event_topics("call_hangup", c, id, Some(owner));
        assert_eq!(topics.len(), 4);
        assert_eq!(topics[0], format!("customer_id:{c}:call:{id}"));
        assert_eq!(topics[1], format!("customer_id:{c}:call:call_hangup:{id}"));
        assert_eq!(topics[3], format!("agent_id:{owner}:call:call_hangup:{id}"));
        assert_eq!(
            event_topics("conference_updated", c, id, Some(Uuid::nil())).len(),
            2
        );
    }

    #[test]
    fn trailing_colon_keeps_resource_prefixes_apart() {
        let c = Uuid::new_v4();
        let sub = customer_resource_topic(c, "conference");
        let cc = event_topics("conferencecall_joined", c, Uuid::new_v4(), None);
        assert!(cc.iter().all(|t| !t.starts_with(&sub)));
        assert!(cc
            .iter()
            .all(|t| t.starts_with(&format!("customer_id:{c}:conference"))));
    }
}
