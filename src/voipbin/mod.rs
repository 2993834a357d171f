//! The VoIPbin wire model: serde types, timestamps and frame classification, shared by the
//! client and the emulator. Decoding is tolerant exactly where the platform is loose.

mod agent;
mod call;
mod conference;
mod customer;
mod envelope;
pub mod frame;
mod lenient;
mod queuecall;
pub mod time;
pub mod topic;

pub use agent::{Agent, AgentStatus, Permission, RingMethod};
pub use call::{
    Address, AddressType, Call, CallDirection, CallStatus, CallType, FlowAction, HangupBy,
    HangupReason, MuteDirection, OwnerType,
};
pub use conference::{
    Conference, ConferenceStatus, ConferenceType, Conferencecall, ConferencecallStatus,
    ReferenceType,
};
pub use customer::{Customer, CustomerStatus};
pub use envelope::{status_word, ErrorBody, ErrorEnvelope, ListPage, LoginRequest, LoginResponse};
pub use frame::{decode_binary, decode_text, Frame, FrameError, Resource, ResourceKind};
pub use queuecall::{Queuecall, QueuecallStatus};
pub use time::Timestamp;
