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

/// Fits `text` in `width` columns by cutting its middle (`Support · +1…550123`): the start
/// says what it is, the end holds the digits that tell one caller from another.
pub fn ellipsize_middle(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let chars: Vec<char> = text.chars().collect();
    let total: usize = chars.iter().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    // The end gets the larger half: it holds the distinguishing digits.
    let keep = width - 1;
    let head_budget = keep / 2;
    let tail_budget = keep - head_budget;
    let mut head = String::new();
    let mut used = 0;
    for c in &chars {
        let w = c.width().unwrap_or(0);
        if used + w > head_budget {
            break;
        }
        head.push(*c);
        used += w;
    }
    let mut tail = Vec::new();
    let mut used = 0;
    for c in chars.iter().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_budget {
            break;
        }
        tail.push(*c);
        used += w;
    }
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
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
    fn the_middle_goes_first_and_the_digits_stay() {
        assert_eq!(
            ellipsize_middle("Support · +14155550123", 40),
            "Support · +14155550123"
        );
        let cut = ellipsize_middle("+14155550199 · Support · +14155550123", 20);
        assert_eq!(cut.chars().count(), 20);
        assert!(cut.ends_with("50123") && cut.starts_with("+1415") && cut.contains('…'));
        assert_eq!(ellipsize_middle("abcdef", 1), "…");
        assert_eq!(ellipsize_middle("abcdef", 0), "");
    }

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
