//! When the platform's own state shows that a command took effect, so its pending mark can
//! go without a reply (PROTOCOL.md §6, §12). Every verb is listed: a new one must say here
//! how it is seen, or that only the reply confirms it.

use crate::command::Command;
use crate::voipbin::MuteDirection;

/// What the store sees of one leg and its call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LegState<'a> {
    /// The leg the command was aimed at has left (a call aimed at the call waits for it).
    pub(crate) leg_left: bool,
    pub(crate) call_over: bool,
    /// The call's mute direction, if the call is known.
    pub(crate) mute: Option<&'a Option<MuteDirection>>,
}

/// What the store sees of one conference.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoomState {
    pub(crate) ended: bool,
    pub(crate) recording: bool,
}

/// Mute is visible on the call (§6); kick and hangup show as the leg leaving. Hold has no
/// trace: only the REST reply confirms it.
pub(crate) fn on_leg(command: &Command, seen: LegState<'_>) -> bool {
    match command {
        Command::Kick { .. } => seen.leg_left,
        Command::Hangup { .. } => seen.leg_left || seen.call_over,
        Command::Mute { direction, .. } => seen.mute.is_some_and(|m| m.as_ref() == Some(direction)),
        Command::Unmute { direction, .. } => seen.mute.is_some_and(|m| match m {
            None => true,
            Some(MuteDirection::Both) => false,
            Some(current) => *direction != MuteDirection::Both && current != direction,
        }),
        Command::Hold { .. } | Command::Unhold { .. } => false,
        Command::End { .. } | Command::RecordingStart { .. } | Command::RecordingStop { .. } => {
            false
        }
    }
}

/// An ended room settles `end`; the recording id settles recording start and stop.
pub(crate) fn on_room(command: &Command, seen: RoomState) -> bool {
    match command {
        Command::End { .. } => seen.ended,
        Command::RecordingStart { .. } => seen.recording,
        Command::RecordingStop { .. } => !seen.recording,
        Command::Kick { .. }
        | Command::Hangup { .. }
        | Command::Hold { .. }
        | Command::Unhold { .. }
        | Command::Mute { .. }
        | Command::Unmute { .. } => false,
    }
}
