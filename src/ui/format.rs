//! Words and numbers as the screen writes them.

use chrono::TimeDelta;

use crate::store::{AlertKind, ParticipantStatus, ParticipantType, Severity};
use crate::voipbin::{MuteDirection, Timestamp};

/// `9s`, `1m05s`, `2h03m`, `3d04h`: short, and growing only when it must.
pub fn duration(d: TimeDelta) -> String {
    let secs = d.num_seconds().max(0);
    match secs {
        0..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        3600..=86_399 => format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60),
        _ => format!("{}d{:02}h", secs / 86_400, (secs % 86_400) / 3600),
    }
}

pub fn since(start: Option<Timestamp>, now: Timestamp) -> String {
    start
        .map(|t| duration(now - t))
        .unwrap_or_else(|| "-".into())
}

pub fn participant_type(t: ParticipantType) -> &'static str {
    match t {
        ParticipantType::Worker => "worker",
        ParticipantType::Customer => "customer",
        ParticipantType::Supervisor => "supervisor",
        ParticipantType::Unknown => "unknown",
    }
}

pub fn participant_status(status: ParticipantStatus, connecting: bool) -> &'static str {
    match status {
        ParticipantStatus::Joined if connecting => "connecting",
        ParticipantStatus::Joined => "joined",
        ParticipantStatus::RecentlyLeft => "recently left",
        ParticipantStatus::Left => "left",
    }
}

/// `muted in` means others cannot hear them; `muted out` means they cannot hear others.
pub fn mute(direction: Option<&MuteDirection>) -> String {
    match direction {
        None => String::new(),
        Some(direction) => format!("muted {direction}"),
    }
}

pub fn alert_kind(kind: AlertKind) -> &'static str {
    match kind {
        AlertKind::CustomerAlone => "left alone",
        AlertKind::WaitingForAgent => "waiting for an agent",
        AlertKind::HoldTooLong => "on hold too long",
        AlertKind::StrandedOnHold => "stranded on hold",
        AlertKind::StuckConnecting => "stuck connecting",
        AlertKind::StuckTerminating => "stuck ending",
    }
}

pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::Warning => "warning",
    }
}

/// Cuts to `width` characters, marking the cut with `…`.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_stay_short() {
        assert_eq!(duration(TimeDelta::seconds(9)), "9s");
        assert_eq!(duration(TimeDelta::seconds(65)), "1m05s");
        assert_eq!(duration(TimeDelta::seconds(7380)), "2h03m");
        assert_eq!(duration(TimeDelta::seconds(-3)), "0s");
    }

    #[test]
    fn fit_marks_the_cut() {
        assert_eq!(fit("Sales escalation", 8), "Sales e…");
        assert_eq!(fit("short", 8), "short");
    }
}
