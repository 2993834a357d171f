//! Telling the supervisor when an alert is raised, without looking: the terminal bell and
//! a desktop notification (OSC 9 and OSC 777). Which alerts do is configurable
//! (`[notifications]`); by default critical ones do. Pure: the app decides, the loop
//! writes the bytes (`notification_bytes`).

use std::collections::HashMap;

use serde::Deserialize;
use uuid::Uuid;

use super::{conference_label, participant_label, App, Effect};
use crate::store::{Alert, AlertKind, Severity};
use crate::voipbin::Timestamp;

/// Which alerts a channel announces.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyLevel {
    None,
    #[default]
    Critical,
    All,
}

impl NotifyLevel {
    fn announces(self, severity: Severity) -> bool {
        match self {
            NotifyLevel::None => false,
            NotifyLevel::Critical => severity == Severity::Critical,
            NotifyLevel::All => true,
        }
    }
}

/// `[notifications]`: the bell and the desktop notification, each on its own level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyPolicy {
    #[serde(default)]
    pub bell: NotifyLevel,
    #[serde(default)]
    pub desktop: NotifyLevel,
}

/// One raised alert to announce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub bell: bool,
    pub desktop: bool,
    pub title: String,
    pub body: String,
}

/// An alert as announced: raised again only after it went away (or grew more severe).
pub(super) type AlertKey = (AlertKind, Option<Uuid>, Severity);

impl App {
    /// Announces the alerts raised in these conferences since they were last looked at.
    /// Alerts known before the first snapshot completed are taken in silently: starting
    /// bridgetop on a busy floor does not ring for every old alert.
    pub(super) fn announce_raised_alerts(
        &mut self,
        conferences: &[Uuid],
        now: Timestamp,
    ) -> Vec<Effect> {
        let quiet = !self.store.has_snapshot();
        let mut effects = Vec::new();
        for &id in conferences {
            let Some(view) = self.store.conference(id).filter(|v| !v.ended) else {
                self.announced.remove(&id);
                continue;
            };
            let before = self.announced.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            // Most inputs move no alert: then nothing is rebuilt (this runs per frame).
            let unchanged = before.len() == view.alerts.len()
                && view.alerts.iter().all(|a| {
                    let key = (a.kind, a.conferencecall_id, a.severity);
                    before.iter().any(|(k, _)| *k == key)
                });
            if unchanged {
                continue;
            }
            let seen_before =
                |key: &AlertKey| before.iter().find(|(k, _)| k == key).map(|(_, at)| *at);
            let current: Vec<(AlertKey, Timestamp)> = view
                .alerts
                .iter()
                .map(|a| {
                    let key = (a.kind, a.conferencecall_id, a.severity);
                    (key, seen_before(&key).unwrap_or(now))
                })
                .collect();
            let stale = self.connection.stale_since().is_some();
            if !quiet {
                for alert in view.alerts.iter() {
                    let key = (alert.kind, alert.conferencecall_id, alert.severity);
                    if seen_before(&key).is_some() {
                        continue;
                    }
                    let bell = self.notify.bell.announces(alert.severity);
                    let desktop = self.notify.desktop.announces(alert.severity);
                    if !(bell || desktop) {
                        continue;
                    }
                    let who = alert
                        .conferencecall_id
                        .and_then(|leg| view.participant(leg))
                        .map(participant_label);
                    let room = conference_label(view);
                    let what = crate::ui::format::alert_kind(alert.kind);
                    effects.push(Effect::Notify(Notification {
                        bell,
                        desktop,
                        title: format!("bridgetop: {what}"),
                        body: format!(
                            "{}{}",
                            match who {
                                Some(who) => format!("{who} in {room}"),
                                None => room,
                            },
                            if stale { " (from stale data)" } else { "" }
                        ),
                    }));
                }
            }
            if current.is_empty() {
                self.announced.remove(&id);
            } else {
                self.announced.insert(id, current);
            }
        }
        effects
    }

    /// The alert first appeared while the data was stale (no live connection): it may
    /// describe a past the platform has moved on from.
    pub fn raised_while_stale(&self, conference: Uuid, alert: &Alert) -> bool {
        let Some(stale_since) = self.connection.stale_since() else {
            return false;
        };
        let key = (alert.kind, alert.conferencecall_id, alert.severity);
        self.announced
            .get(&conference)
            .and_then(|seen| seen.iter().find(|(k, _)| *k == key))
            .is_some_and(|(_, first_seen)| *first_seen >= stale_since)
    }
}

/// Alerts by conference, each with when this console first saw it.
pub(super) type Announced = HashMap<Uuid, Vec<(AlertKey, Timestamp)>>;

/// The bytes that announce `n` on the terminal: BEL, then OSC 9 (iTerm2, Windows
/// Terminal, kitty, …) and OSC 777 (foot, urxvt, Ghostty, …). Inside tmux the OSCs are
/// wrapped for passthrough (tmux needs `allow-passthrough on`); the bell passes anyway.
pub fn notification_bytes(n: &Notification, in_tmux: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if n.bell {
        out.push(0x07);
    }
    if n.desktop {
        let title = printable(&n.title);
        let body = printable(&n.body);
        for osc in [
            format!("\x1b]9;{title}: {body}\x07"),
            format!("\x1b]777;notify;{title};{body}\x07"),
        ] {
            if in_tmux {
                // DCS passthrough: every ESC inside is doubled.
                out.extend_from_slice(b"\x1bPtmux;");
                out.extend_from_slice(osc.replace('\x1b', "\x1b\x1b").as_bytes());
                out.extend_from_slice(b"\x1b\\");
            } else {
                out.extend_from_slice(osc.as_bytes());
            }
        }
    }
    out
}

/// Names come from the platform: no control character may end the sequence early or
/// start another, and `;` would split OSC 777's fields.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || c == ';' { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(body: &str) -> Notification {
        Notification {
            bell: true,
            desktop: true,
            title: "bridgetop: on hold too long".into(),
            body: body.into(),
        }
    }

    #[test]
    fn the_bell_and_both_oscs_and_nothing_from_names_escapes() {
        let bytes = notification_bytes(&notification("+14155550100 in Sales"), false);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\x07\x1b]9;bridgetop: on hold too long: +14155550100 in Sales\x07\
             \x1b]777;notify;bridgetop: on hold too long;+14155550100 in Sales\x07"
        );
        let hostile = notification("Evil\x07\x1b]0;owned\x1b\\; room");
        let text = String::from_utf8(notification_bytes(&hostile, false)).unwrap();
        assert_eq!(text.matches('\x07').count(), 3, "{text:?}");
        assert_eq!(text.matches('\x1b').count(), 2, "{text:?}");
        assert!(!text.contains("; room"));
    }

    #[test]
    fn inside_tmux_the_oscs_pass_through_and_off_means_nothing() {
        let text = String::from_utf8(notification_bytes(&notification("x"), true)).unwrap();
        assert!(text.starts_with("\x07\x1bPtmux;\x1b\x1b]9;"), "{text:?}");
        assert_eq!(text.matches("\x1b\\").count(), 2);
        let silent = Notification {
            bell: false,
            desktop: false,
            ..notification("x")
        };
        assert!(notification_bytes(&silent, true).is_empty());
    }

    #[test]
    fn levels_announce_what_they_say() {
        assert!(NotifyLevel::Critical.announces(Severity::Critical));
        assert!(!NotifyLevel::Critical.announces(Severity::Warning));
        assert!(NotifyLevel::All.announces(Severity::Warning));
        assert!(!NotifyLevel::None.announces(Severity::Critical));
    }
}
