//! WebSocket frame classification (PROTOCOL.md §11.5).
//!
//! A text frame is either a bare resource snapshot (it has `id`) or a legacy wrapped
//! `{"type": "<event>", "data": {…}}`. Bare frames carry no event type, so the resource kind
//! is told by its key signature. Nothing here panics: every bad frame is a `FrameError`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use uuid::Uuid;

use super::{Agent, Call, Conference, Conferencecall, Queuecall, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    Conference,
    Conferencecall,
    Call,
    Agent,
    Queuecall,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Conference => "conference",
            Self::Conferencecall => "conferencecall",
            Self::Call => "call",
            Self::Agent => "agent",
            Self::Queuecall => "queuecall",
        }
    }

    /// The resource an event type belongs to: the part before the first `_`.
    pub fn of_event_type(event_type: &str) -> Option<ResourceKind> {
        match event_type.split('_').next()? {
            "conference" => Some(Self::Conference),
            "conferencecall" => Some(Self::Conferencecall),
            "call" => Some(Self::Call),
            "agent" => Some(Self::Agent),
            "queuecall" => Some(Self::Queuecall),
            _ => None,
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One decoded resource snapshot.
// Frames are decoded and consumed at once; boxing the larger variants would add an
// allocation per frame on the hot path for no saving.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "resource")]
pub enum Resource {
    Conference(Conference),
    Conferencecall(Conferencecall),
    Call(Call),
    Agent(Agent),
    Queuecall(Queuecall),
}

impl Resource {
    pub fn kind(&self) -> ResourceKind {
        match self {
            Self::Conference(_) => ResourceKind::Conference,
            Self::Conferencecall(_) => ResourceKind::Conferencecall,
            Self::Call(_) => ResourceKind::Call,
            Self::Agent(_) => ResourceKind::Agent,
            Self::Queuecall(_) => ResourceKind::Queuecall,
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            Self::Conference(r) => r.id,
            Self::Conferencecall(r) => r.id,
            Self::Call(r) => r.id,
            Self::Agent(r) => r.id,
            Self::Queuecall(r) => r.id,
        }
    }

    /// `tm_update`, falling back to `tm_create`: newer snapshots win.
    pub fn version(&self) -> Option<Timestamp> {
        match self {
            Self::Conference(r) => r.version(),
            Self::Conferencecall(r) => r.version(),
            Self::Call(r) => r.version(),
            Self::Agent(r) => r.version(),
            Self::Queuecall(r) => r.tm_update.or(r.tm_create),
        }
    }

    /// The resource as the platform would send it.
    pub fn to_value(&self) -> Value {
        let encoded = match self {
            Self::Conference(r) => serde_json::to_value(r),
            Self::Conferencecall(r) => serde_json::to_value(r),
            Self::Call(r) => serde_json::to_value(r),
            Self::Agent(r) => serde_json::to_value(r),
            Self::Queuecall(r) => serde_json::to_value(r),
        };
        // Plain structs of strings, numbers and maps with string keys cannot fail to encode.
        encoded.unwrap_or(Value::Null)
    }

    fn decode(kind: ResourceKind, json: &str) -> Result<Resource, FrameError> {
        let malformed = |e: serde_json::Error| FrameError::Malformed {
            kind,
            message: e.to_string(),
        };
        Ok(match kind {
            ResourceKind::Conference => {
                Self::Conference(serde_json::from_str(json).map_err(malformed)?)
            }
            ResourceKind::Conferencecall => {
                Self::Conferencecall(serde_json::from_str(json).map_err(malformed)?)
            }
            ResourceKind::Call => Self::Call(serde_json::from_str(json).map_err(malformed)?),
            ResourceKind::Agent => Self::Agent(serde_json::from_str(json).map_err(malformed)?),
            ResourceKind::Queuecall => {
                Self::Queuecall(serde_json::from_str(json).map_err(malformed)?)
            }
        })
    }
}

/// A decoded text frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub resource: Resource,
    /// The event type, known only for legacy wrapped frames.
    pub event_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("binary WebSocket frame ({0} bytes): the platform only sends text frames")]
    Binary(usize),
    #[error("frame is not valid JSON: {0}")]
    InvalidJson(String),
    #[error("frame is JSON but not an object")]
    NotAnObject,
    #[error("frame has no id and is not a {{type, data}} wrapper")]
    Unrecognised,
    #[error("unknown resource kind{}", .event_type.as_ref().map(|t| format!(" (event type {t:?})")).unwrap_or_default())]
    UnknownKind { event_type: Option<String> },
    #[error("malformed {kind} frame: {message}")]
    Malformed { kind: ResourceKind, message: String },
}

/// Decodes one WebSocket text frame.
pub fn decode_text(text: &str) -> Result<Frame, FrameError> {
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => FrameError::NotAnObject,
        _ => FrameError::InvalidJson(e.to_string()),
    })?;
    if probe.keys.has(Key::Id) {
        let kind = probe
            .keys
            .signature()
            .ok_or(FrameError::UnknownKind { event_type: None })?;
        return Ok(Frame {
            resource: Resource::decode(kind, text)?,
            event_type: None,
        });
    }
    match (probe.type_text, probe.data) {
        (Some(event_type), Some(data)) => {
            let kind = match ResourceKind::of_event_type(&event_type) {
                Some(kind) => kind,
                None => classify_bare(data.get()).map_err(|_| FrameError::UnknownKind {
                    event_type: Some(event_type.clone()),
                })?,
            };
            Ok(Frame {
                resource: Resource::decode(kind, data.get())?,
                event_type: Some(event_type),
            })
        }
        _ => Err(FrameError::Unrecognised),
    }
}

/// Decodes a binary frame: always an error, as the platform never sends one.
pub fn decode_binary(bytes: &[u8]) -> Result<Frame, FrameError> {
    Err(FrameError::Binary(bytes.len()))
}

fn classify_bare(json: &str) -> Result<ResourceKind, FrameError> {
    let probe: Probe = serde_json::from_str(json).map_err(|_| FrameError::NotAnObject)?;
    probe
        .keys
        .signature()
        .ok_or(FrameError::UnknownKind { event_type: None })
}

/// The keys whose presence identifies a resource (§11.5 "stable key signatures").
#[derive(Clone, Copy)]
enum Key {
    Id,
    PreFlowId,
    PostFlowId,
    TmEnd,
    DirectHash,
    TranscribeId,
    OwnerType,
    Source,
    Destination,
    Action,
    GroupcallId,
    Username,
    Permission,
    RingMethod,
    ConferenceId,
    ReferenceId,
    ActiveflowId,
    ServiceAgentId,
    TmService,
}

impl Key {
    fn of(name: &str) -> Option<Key> {
        Some(match name {
            "id" => Key::Id,
            "pre_flow_id" => Key::PreFlowId,
            "post_flow_id" => Key::PostFlowId,
            "tm_end" => Key::TmEnd,
            "direct_hash" => Key::DirectHash,
            "transcribe_id" => Key::TranscribeId,
            "owner_type" => Key::OwnerType,
            "source" => Key::Source,
            "destination" => Key::Destination,
            "action" => Key::Action,
            "groupcall_id" => Key::GroupcallId,
            "username" => Key::Username,
            "permission" => Key::Permission,
            "ring_method" => Key::RingMethod,
            "conference_id" => Key::ConferenceId,
            "reference_id" => Key::ReferenceId,
            "activeflow_id" => Key::ActiveflowId,
            "service_agent_id" => Key::ServiceAgentId,
            "tm_service" => Key::TmService,
            _ => return None,
        })
    }
}

#[derive(Default, Clone, Copy)]
struct KeySet(u32);

impl KeySet {
    fn insert(&mut self, key: Key) {
        self.0 |= 1 << key as u32;
    }

    fn has(self, key: Key) -> bool {
        self.0 & (1 << key as u32) != 0
    }

    fn has_all(self, keys: &[Key]) -> bool {
        keys.iter().all(|k| self.has(*k))
    }

    /// The resource kind whose always-present keys are all here. Agents and calls are
    /// checked first because conferences share `direct_hash` with agents.
    fn signature(self) -> Option<ResourceKind> {
        use Key::*;
        if self.has_all(&[Username, Permission, RingMethod]) {
            Some(ResourceKind::Agent)
        } else if self.has_all(&[OwnerType, Source, Destination, Action, GroupcallId]) {
            Some(ResourceKind::Call)
        } else if self.has_all(&[ServiceAgentId, ReferenceId, TmService]) {
            Some(ResourceKind::Queuecall)
        } else if self.has_all(&[ConferenceId, ReferenceId, ActiveflowId]) && !self.has(DirectHash)
        {
            Some(ResourceKind::Conferencecall)
        } else if self.has_all(&[PreFlowId, PostFlowId, TmEnd, DirectHash, TranscribeId]) {
            Some(ResourceKind::Conference)
        } else {
            None
        }
    }
}

/// One pass over a frame that notes which keys exist, without building values.
struct Probe {
    keys: KeySet,
    type_text: Option<String>,
    data: Option<Box<RawValue>>,
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ProbeVisitor)
    }
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut probe = Probe {
            keys: KeySet::default(),
            type_text: None,
            data: None,
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "type" => {
                    if let Value::String(text) = map.next_value::<Value>()? {
                        probe.type_text = Some(text);
                    }
                }
                "data" => probe.data = Some(map.next_value::<Box<RawValue>>()?),
                other => {
                    if let Some(k) = Key::of(other) {
                        probe.keys.insert(k);
                    }
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(probe)
    }
}
