//! Change records between two views of one conference (what `watch` prints).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use uuid::Uuid;

use super::alerts::Alert;
use super::changes::{Change, Changes};
use super::conference::ConferenceView;
use super::json::{AlertJson, ConferenceSummaryJson, ParticipantJson};
use super::participant::Participant;

/// Change records between two views of one conference.
pub(super) fn diff(old: Option<&ConferenceView>, new: &ConferenceView, out: &mut Changes) {
    let conference_id = new.id();
    // After its `conference_ended` a room reports no more updates (late frames, the second
    // `conference_deleted`, legs settling) unless it comes back to life; only its alerts go
    // on (a room stuck terminating is what the alert is for).
    if old.is_some_and(|o| o.ended) && new.ended {
        diff_alerts(conference_id, old, new, out);
        return;
    }
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

    let before: HashMap<Uuid, &Arc<Participant>> = old
        .map(|o| {
            o.participants
                .iter()
                .map(|p| (p.conferencecall_id, p))
                .collect()
        })
        .unwrap_or_default();
    for p in &new.participants {
        let was = before.get(&p.conferencecall_id).copied();
        // The store hands out the same allocation for a participant nothing moved for; only
        // one built again is compared.
        if was.is_some_and(|w| Arc::ptr_eq(w, p) || w == p) {
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

    diff_alerts(conference_id, old, new, out);
}

fn diff_alerts(
    conference_id: Uuid,
    old: Option<&ConferenceView>,
    new: &ConferenceView,
    out: &mut Changes,
) {
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
