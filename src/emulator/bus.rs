//! The platform's event bus: every webhook-visible event, in the order it happened.
//!
//! The platform model publishes here; the WebSocket layer fans events out to subscribers
//! by topic. Only events the real platform delivers to webhooks and the WebSocket belong
//! here (no `conferencecall_*`, PROTOCOL.md §11.6).

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::voipbin::topic::event_topics;

/// One published event: the compact JSON frame and the topics it is published on.
#[derive(Debug, Clone)]
pub struct PlatformEvent {
    pub event_type: String,
    pub customer_id: Uuid,
    pub resource_id: Uuid,
    /// Exactly the bytes of the current (bare) WebSocket frame.
    pub frame: Arc<str>,
    /// `createTopics`: legacy and new forms, plus the owner's `agent_id` topics.
    pub topics: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<PlatformEvent>>,
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        let (tx, _) = broadcast::channel(capacity.max(16));
        EventBus { tx }
    }

    /// Publishes `resource` as event `event_type`. `owner_id` is the call's owner, if any.
    pub fn publish<T: Serialize>(
        &self,
        event_type: &str,
        customer_id: Uuid,
        resource_id: Uuid,
        owner_id: Option<Uuid>,
        resource: &T,
    ) {
        let Ok(frame) = serde_json::to_string(resource) else {
            tracing::error!(event_type, "event payload failed to encode; dropped");
            return;
        };
        let event = PlatformEvent {
            event_type: event_type.to_owned(),
            customer_id,
            resource_id,
            frame: frame.into(),
            topics: event_topics(event_type, customer_id, resource_id, owner_id),
        };
        // No receivers is normal (no socket open); the event is simply not seen, as on
        // the platform.
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<PlatformEvent>> {
        self.tx.subscribe()
    }
}
