//! Change records between two views of one conference (what `watch` prints).

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::alerts::Alert;
use super::changes::{Change, Changes};
use super::conference::ConferenceView;
use super::json::{AlertJson, ConferenceSummaryJson, ParticipantJson};
use super::participant::Participant;

/// Change records between two views of one conference.
pub(super) fn diff(old: Option<&ConferenceView>, new: &ConferenceView, out: &mut Changes) {
    let conference_id = new.id();
    let summary = || ConferenceSummaryJson::of(new);
    match old {
        None if new.ended => out.push(Change::ConferenceEnded {
            conference: summary(),
        }),
        None => out.push(Change::ConferenceAdded {
            conference: summary(),
        }),
        Some(old) if new.ended && !old.ended => out.push(Change::ConferenceEnded {
            conference: summary(),
        }),
        Some(old) if !new.ended && old.ended => out.push(Change::ConferenceAdded {
            conference: summary(),
        }),
        Some(old) if !old.same_summary(new) => out.push(Change::ConferenceUpdated {
            conference: summary(),
        }),
        Some(_) => {}
    }

    let before: HashMap<Uuid, &Participant> = old
        .map(|o| {
            o.participants
                .iter()
                .map(|p| (p.conferencecall_id, p))
                .collect()
        })
        .unwrap_or_default();
    for p in &new.participants {
        let was = before.get(&p.conferencecall_id).copied();
        if was == Some(p) {
            continue;
        }
        let participant = ParticipantJson::of(p);
        let change = match was {
            Some(w) if w.is_joined() == p.is_joined() => Change::ParticipantUpdated {
                conference_id,
                participant,
            },
            // First seen already gone (a stale snapshot listed it) reports as left.
            _ if p.is_joined() => Change::ParticipantJoined {
                conference_id,
                participant,
            },
            _ => Change::ParticipantLeft {
                conference_id,
                participant,
            },
        };
        out.push(change);
    }

    let key = |a: &Alert| (a.kind, a.conferencecall_id);
    let old_alerts: HashMap<_, &Alert> = old
        .map(|o| o.alerts.iter().map(|a| (key(a), a)).collect())
        .unwrap_or_default();
    let new_keys: HashSet<_> = new.alerts.iter().map(key).collect();
    for a in &new.alerts {
        if old_alerts.get(&key(a)) != Some(&a) {
            out.push(Change::AlertRaised {
                conference_id,
                alert: AlertJson::of(a),
            });
        }
    }
    if let Some(old) = old {
        for a in old.alerts.iter().filter(|a| !new_keys.contains(&key(a))) {
            out.push(Change::AlertCleared {
                conference_id,
                alert: AlertJson::of(a),
            });
        }
    }
}
