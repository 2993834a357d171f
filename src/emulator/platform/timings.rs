//! How long simulated things take, in platform time (divided by the clock speed in real
//! time), and the delayed jobs the model schedules for itself.

use std::time::Duration;

use uuid::Uuid;

use crate::voipbin::{HangupBy, HangupReason};

/// Delays of the simulated telephony, in platform time.
#[derive(Debug, Clone)]
pub struct Timings {
    /// Outgoing call: dialing → ringing.
    pub ring: Duration,
    /// Far end picks up an outgoing call: ringing → progressing.
    pub answer: Duration,
    /// The platform picks up an incoming call: ringing → progressing.
    pub pickup: Duration,
    /// Between two ordinary flow actions.
    pub step: Duration,
    /// `conference_join` executed → bridge joined.
    pub bridge_join: Duration,
    /// Kick requested → channel left the bridge.
    pub kick: Duration,
    /// terminating/canceling → hangup.
    pub hangup: Duration,
    /// Last flow action finished → the flow manager hangs the call up.
    pub flow_end: Duration,
    /// A `talk` action plays for this long.
    pub talk: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            ring: Duration::from_millis(200),
            answer: Duration::from_millis(1500),
            pickup: Duration::from_millis(500),
            step: Duration::from_millis(100),
            bridge_join: Duration::from_millis(300),
            kick: Duration::from_millis(200),
            hangup: Duration::from_millis(300),
            flow_end: Duration::from_millis(1000),
            talk: Duration::from_millis(2000),
        }
    }
}

/// Work the model asks to be done later. Every job re-checks state when it runs, so a job
/// overtaken by events (a call hung up meanwhile) is a no-op.
#[derive(Debug, Clone, PartialEq)]
pub enum Job {
    RingCall(Uuid),
    AnswerCall(Uuid),
    AdvanceFlow(Uuid),
    FlowEnded(Uuid),
    JoinBridge(Uuid),
    FinishLeave(Uuid),
    FinishHangup {
        call_id: Uuid,
        by: HangupBy,
        reason: HangupReason,
    },
    ConferenceTimeout(Uuid),
}
