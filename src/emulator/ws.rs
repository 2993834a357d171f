//! The WebSocket endpoint `/v1.0/ws` (PROTOCOL.md §11).
//!
//! After the upgrade the server says nothing until the client subscribes. Every matching
//! event goes out as a bare resource frame once per published topic that a subscription
//! prefixes (so `customer_id:C:call:` gets each call event twice, as on the platform).
//! An invalid topic or a binary frame drops the connection without a close frame. The
//! server pings every 10 s and drops a client that has not answered with a pong for 60 s.
//! Frames beyond the per-connection buffer are dropped silently.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc};

use super::bus::PlatformEvent;
use super::faults::{Dice, Fault, FaultPlan, Trigger};
use super::identity::Identity;
use super::state::AppState;
use crate::voipbin::topic::{Scope, SubscriptionMessage, Topic};

#[derive(Debug, Clone)]
pub struct WsConfig {
    pub ping_interval: Duration,
    /// A connection with no pong for this long is dropped.
    pub pong_timeout: Duration,
    /// Frames queued per connection before new ones are dropped.
    pub buffer_frames: usize,
}

impl Default for WsConfig {
    fn default() -> Self {
        WsConfig {
            ping_interval: Duration::from_secs(10),
            pong_timeout: Duration::from_secs(60),
            buffer_frames: 2000,
        }
    }
}

/// How long a frame held back by the reorder fault waits for a successor.
const REORDER_HOLD: Duration = Duration::from_millis(250);

pub async fn upgrade(
    State(state): State<AppState>,
    Extension(identity): Extension<Identity>,
    ws: WebSocketUpgrade,
) -> Response {
    ws.on_upgrade(move |socket| serve_connection(socket, state, identity))
}

/// Whether `identity` may use `topic` (§11.3 `validateTopics`).
pub fn topic_allowed(identity: &Identity, topic: &str) -> bool {
    let Ok(parsed) = Topic::parse(topic) else {
        return false;
    };
    if identity.is_project_super_admin() {
        return true;
    }
    match parsed.scope {
        Scope::Customer => identity.is_supervisor() && parsed.scope_id == identity.customer_id(),
        Scope::Agent => identity.agent_id() == Some(parsed.scope_id),
    }
}

/// How many copies of an event a connection receives: one per published topic that any
/// subscription is a prefix of.
pub fn copies_for(subscriptions: &[String], event_topics: &[String]) -> usize {
    event_topics
        .iter()
        .filter(|topic| subscriptions.iter().any(|s| topic.starts_with(s.as_str())))
        .count()
}

/// What the client asked for, after validation.
enum ClientRequest {
    Subscribe(Vec<String>),
    Unsubscribe(Vec<String>),
    Ignore,
    /// An invalid topic or a binary frame: the platform drops the connection.
    Drop,
}

fn read_client_message(identity: &Identity, message: &Message) -> ClientRequest {
    match message {
        Message::Binary(_) => ClientRequest::Drop,
        Message::Text(text) => {
            let Ok(request) = serde_json::from_str::<SubscriptionMessage>(text.as_str()) else {
                return ClientRequest::Ignore;
            };
            // Validation covers every topic before any is applied, whatever the type.
            if !request.topics.iter().all(|t| topic_allowed(identity, t)) {
                return ClientRequest::Drop;
            }
            match request.kind.as_str() {
                "subscribe" => ClientRequest::Subscribe(request.topics),
                "unsubscribe" => ClientRequest::Unsubscribe(request.topics),
                _ => ClientRequest::Ignore,
            }
        }
        _ => ClientRequest::Ignore,
    }
}

/// Applies the duplicate and reorder faults between the bus and the socket buffer.
struct Outbox {
    tx: mpsc::Sender<Arc<str>>,
    held: Option<(Arc<str>, Instant)>,
    dropped: u64,
}

impl Outbox {
    fn push(&mut self, frame: Arc<str>, plan: &FaultPlan, dice: &mut Dice, now: Instant) {
        if self.held.is_none() && dice.fires(Fault::WsReorder, plan.ws_reorder, now) {
            self.held = Some((frame, now));
            return;
        }
        let copies = 1 + usize::from(dice.fires(Fault::WsDuplicate, plan.ws_duplicate, now));
        for _ in 0..copies {
            self.enqueue(frame.clone());
        }
        if let Some((late, _)) = self.held.take() {
            self.enqueue(late);
        }
    }

    fn release_stale(&mut self, now: Instant) {
        if matches!(self.held, Some((_, since)) if now.duration_since(since) >= REORDER_HOLD) {
            if let Some((late, _)) = self.held.take() {
                self.enqueue(late);
            }
        }
    }

    fn enqueue(&mut self, frame: Arc<str>) {
        if self.tx.try_send(frame).is_err() {
            // The platform drops frames silently when a connection's buffer is full.
            self.dropped += 1;
        }
    }
}

async fn serve_connection(socket: WebSocket, state: AppState, identity: Identity) {
    let config = state.ws.clone();
    let plan = state.faults.plan.clone();
    let mut dice = state.faults.connection_dice();
    let (mut sink, mut stream) = socket.split();
    let mut events = state.bus.subscribe();
    let (tx, mut rx) = mpsc::channel::<Arc<str>>(config.buffer_frames.max(1));
    let mut outbox = Outbox {
        tx,
        held: None,
        dropped: 0,
    };

    // The writer owns the sink: queued frames and the keep-alive pings.
    let ping_interval = config.ping_interval;
    let writer = tokio::spawn(async move {
        let mut ping =
            tokio::time::interval_at(tokio::time::Instant::now() + ping_interval, ping_interval);
        loop {
            let message = tokio::select! {
                frame = rx.recv() => match frame {
                    Some(frame) => Message::Text(frame.as_ref().into()),
                    None => break,
                },
                _ = ping.tick() => Message::Ping(Vec::new().into()),
            };
            if sink.send(message).await.is_err() {
                break;
            }
        }
    });

    let mut subscriptions: Vec<String> = Vec::new();
    let mut last_pong = Instant::now();
    let mut housekeeping = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(message)) = incoming else { break };
                if let Message::Pong(_) = message {
                    last_pong = Instant::now();
                    continue;
                }
                if let Message::Close(_) = message {
                    break;
                }
                match read_client_message(&identity, &message) {
                    ClientRequest::Drop => break,
                    ClientRequest::Ignore => {}
                    ClientRequest::Subscribe(topics) => {
                        for topic in topics {
                            if !subscriptions.contains(&topic) {
                                subscriptions.push(topic);
                            }
                        }
                    }
                    ClientRequest::Unsubscribe(topics) => {
                        subscriptions.retain(|s| !topics.contains(s));
                    }
                }
            }
            event = events.recv() => match event {
                Ok(event) => {
                    let now = Instant::now();
                    if drop_now(&plan, &mut dice, now, Moment::Frame) {
                        tracing::debug!("fault injection: dropping a websocket connection");
                        break;
                    }
                    route(&event, &subscriptions, &mut outbox, &plan, &mut dice, now);
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    outbox.dropped += missed;
                }
                Err(broadcast::error::RecvError::Closed) => break,
            },
            _ = housekeeping.tick() => {
                let now = Instant::now();
                outbox.release_stale(now);
                if now.duration_since(last_pong) > config.pong_timeout {
                    tracing::debug!("websocket client sent no pong in time; dropping");
                    break;
                }
                if drop_now(&plan, &mut dice, now, Moment::Tick) {
                    tracing::debug!("fault injection: dropping a websocket connection");
                    break;
                }
            }
        }
    }
    if outbox.dropped > 0 {
        tracing::debug!(
            dropped = outbox.dropped,
            "websocket frames dropped for a slow client"
        );
    }
    // Aborting the writer drops the socket without a close frame, as the platform does.
    writer.abort();
}

/// When the drop fault is rolled: per frame for probabilities, on the clock for periods.
#[derive(PartialEq)]
enum Moment {
    Frame,
    Tick,
}

fn drop_now(plan: &FaultPlan, dice: &mut Dice, now: Instant, moment: Moment) -> bool {
    let rolled_here = match plan.ws_drop {
        Some(Trigger::Probability(_)) => moment == Moment::Frame,
        Some(Trigger::Every(_)) => moment == Moment::Tick,
        None => false,
    };
    rolled_here && dice.fires(Fault::WsDrop, plan.ws_drop, now)
}

fn route(
    event: &PlatformEvent,
    subscriptions: &[String],
    outbox: &mut Outbox,
    plan: &FaultPlan,
    dice: &mut Dice,
    now: Instant,
) {
    for _ in 0..copies_for(subscriptions, &event.topics) {
        outbox.push(event.frame.clone(), plan, dice, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::topic::event_topics;
    use crate::voipbin::Permission;
    use uuid::Uuid;

    fn agent(customer: Uuid, id: Uuid, permission: u64) -> Identity {
        Identity::Agent {
            customer_id: customer,
            agent_id: id,
            permission: Permission(permission),
        }
    }

    #[test]
    fn topic_permissions_follow_validate_topics() {
        let (c, other_c, a, other_a) = (
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
            Uuid::new_v4(),
        );
        let key = Identity::AccessKey { customer_id: c };
        assert!(topic_allowed(&key, &format!("customer_id:{c}:call:")));
        assert!(topic_allowed(&key, &format!("customer_id:{c}")));
        assert!(!topic_allowed(
            &key,
            &format!("customer_id:{other_c}:call:")
        ));
        assert!(!topic_allowed(&key, &format!("agent_id:{a}:call:")));
        assert!(!topic_allowed(&key, "customer_id:not-a-uuid:call"));
        assert!(!topic_allowed(&key, "customer_id"));

        let manager = agent(c, a, 64);
        assert!(topic_allowed(
            &manager,
            &format!("customer_id:{c}:conference:")
        ));
        assert!(topic_allowed(&manager, &format!("agent_id:{a}:call:")));
        assert!(!topic_allowed(
            &manager,
            &format!("agent_id:{other_a}:call:")
        ));

        let plain = agent(c, a, 16);
        assert!(!topic_allowed(
            &plain,
            &format!("customer_id:{c}:conference:")
        ));
        assert!(topic_allowed(&plain, &format!("agent_id:{a}:call:")));

        let root = agent(c, a, 1);
        assert!(topic_allowed(
            &root,
            &format!("customer_id:{other_c}:call:")
        ));
    }

    #[test]
    fn a_full_buffer_drops_new_frames_silently() {
        let (tx, mut rx) = mpsc::channel(3);
        let mut outbox = Outbox {
            tx,
            held: None,
            dropped: 0,
        };
        let plan = FaultPlan::default();
        let now = Instant::now();
        let mut dice = Dice::new(1, now);
        for n in 0..5 {
            outbox.push(Arc::from(format!("frame {n}")), &plan, &mut dice, now);
        }
        assert_eq!(outbox.dropped, 2);
        let kept: Vec<String> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|f| f.to_string())
            .collect();
        assert_eq!(kept, ["frame 0", "frame 1", "frame 2"]);
    }

    #[test]
    fn the_reorder_fault_swaps_a_frame_with_its_successor() {
        let (tx, mut rx) = mpsc::channel(10);
        let mut outbox = Outbox {
            tx,
            held: None,
            dropped: 0,
        };
        let plan = FaultPlan {
            ws_reorder: Some(Trigger::Probability(1.0)),
            ..FaultPlan::default()
        };
        let now = Instant::now();
        let mut dice = Dice::new(1, now);
        for n in 0..4 {
            outbox.push(Arc::from(format!("{n}")), &plan, &mut dice, now);
        }
        outbox.release_stale(now + REORDER_HOLD);
        let order: Vec<String> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|f| f.to_string())
            .collect();
        assert_eq!(order, ["1", "0", "3", "2"]);
    }

    #[test]
    fn prefix_matching_yields_platform_duplicates() {
        let (c, id, owner) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let topics = event_topics("call_hangup", c, id, Some(owner));
        let sub = |s: String| vec![s];
        assert_eq!(
            copies_for(&sub(format!("customer_id:{c}:call:")), &topics),
            2
        );
        assert_eq!(
            copies_for(&sub(format!("customer_id:{c}:call:call_")), &topics),
            1
        );
        assert_eq!(copies_for(&sub(format!("customer_id:{c}")), &topics), 2);
        assert_eq!(
            copies_for(&sub(format!("customer_id:{c}:conference:")), &topics),
            0
        );
        // Two subscriptions matching one topic still yield one copy of that topic.
        let both = vec![
            format!("customer_id:{c}:call:"),
            format!("customer_id:{c}:call"),
        ];
        assert_eq!(copies_for(&both, &topics), 2);
        let with_agent = vec![
            format!("customer_id:{c}:call:"),
            format!("agent_id:{owner}:call:"),
        ];
        assert_eq!(copies_for(&with_agent, &topics), 4);
    }
}
