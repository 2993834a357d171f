//! Conference rules (PROTOCOL.md §4, §12.1).

use std::time::Duration;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::error::{owned_by, PlatformError, PlatformResult, ResourceType};
use super::timings::Job;
use super::world::{ConferenceRec, World};
use crate::voipbin::{Conference, ConferenceStatus, ConferenceType};

/// A new conference. `kind` is not validated, like on the platform: anything but
/// `"conference"` becomes a connect-style bridge.
#[derive(Debug, Clone, Default)]
pub struct ConferenceSpec {
    /// Client-chosen id; reusing one fails (500 on the platform).
    pub id: Option<Uuid>,
    pub kind: String,
    pub name: String,
    pub detail: String,
    pub data: Map<String, Value>,
    pub timeout: i64,
    pub pre_flow_id: Uuid,
    pub post_flow_id: Uuid,
}

/// A full replace of the editable fields (`PUT`): omitted fields are written as empty.
#[derive(Debug, Clone, Default)]
pub struct ConferenceUpdate {
    pub name: String,
    pub detail: String,
    pub data: Map<String, Value>,
    pub timeout: i64,
    pub pre_flow_id: Uuid,
    pub post_flow_id: Uuid,
}

/// `1..59` seconds is silently replaced by a day.
fn normalise_timeout(timeout: i64) -> i64 {
    if (1..60).contains(&timeout) {
        86_400
    } else {
        timeout
    }
}

impl World {
    pub fn create_conference(
        &mut self,
        customer_id: Uuid,
        spec: ConferenceSpec,
    ) -> PlatformResult<Conference> {
        let id = match spec.id.filter(|id| !id.is_nil()) {
            Some(id) if self.conferences.contains_key(&id) => {
                return Err(PlatformError::Internal("conference id already used"))
            }
            Some(id) => id,
            None => self.ids.uuid(),
        };
        let confbridge_id = self.ids.uuid();
        let direct_hash = self.ids.direct_hash();
        let now = self.stamp(customer_id);
        let kind = (!spec.kind.is_empty()).then(|| ConferenceType::from(spec.kind));
        let conference = Conference {
            id,
            customer_id,
            kind,
            status: Some(ConferenceStatus::Progressing),
            name: spec.name,
            detail: spec.detail,
            data: spec.data,
            timeout: normalise_timeout(spec.timeout),
            pre_flow_id: spec.pre_flow_id,
            post_flow_id: spec.post_flow_id,
            direct_hash,
            tm_create: Some(now),
            ..Conference::default()
        };
        self.schedule_timeout(&conference);
        self.conferences.insert(
            id,
            ConferenceRec {
                conference: conference.clone(),
                confbridge_id,
            },
        );
        self.publish_conference("conference_created", id);
        Ok(conference)
    }

    /// Any type, deleted ones included.
    pub fn conference(&self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        owned_by(
            self.conferences.get(&id).map(|r| r.conference.clone()),
            |c| c.customer_id,
            customer_id,
            ResourceType::Conference,
        )
    }

    /// What `GET /conferences` shows: `conference`-type rooms not yet deleted.
    pub fn list_live_conferences(&self, customer_id: Uuid) -> Vec<Conference> {
        self.conferences
            .values()
            .map(|r| &r.conference)
            .filter(|c| c.customer_id == customer_id && c.tm_delete.is_none())
            .filter(|c| c.kind == Some(ConferenceType::Conference))
            .cloned()
            .collect()
    }

    pub fn update_conference(
        &mut self,
        customer_id: Uuid,
        id: Uuid,
        update: ConferenceUpdate,
    ) -> PlatformResult<Conference> {
        self.conference(customer_id, id)?;
        let now = self.stamp(customer_id);
        let Some(rec) = self.conferences.get_mut(&id) else {
            return Err(PlatformError::NotFound(ResourceType::Conference));
        };
        let c = &mut rec.conference;
        c.name = update.name;
        c.detail = update.detail;
        c.data = update.data;
        c.timeout = normalise_timeout(update.timeout);
        c.pre_flow_id = update.pre_flow_id;
        c.post_flow_id = update.post_flow_id;
        c.tm_update = Some(now);
        let conference = c.clone();
        // Another delayed DELETE; earlier ones are not cancelled (§12.1).
        self.schedule_timeout(&conference);
        self.publish_conference("conference_updated", id);
        Ok(conference)
    }

    fn schedule_timeout(&mut self, conference: &Conference) {
        if conference.timeout > 0 {
            let delay = Duration::from_secs(conference.timeout as u64);
            self.schedule(delay, Job::ConferenceTimeout(conference.id));
        }
    }

    /// `DELETE /conferences/{id}` (also what the timeout does): terminating → kick → `tm_delete`.
    pub fn delete_conference(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        self.conference(customer_id, id)?;
        self.delete_conference_by_id(id)
            .ok_or(PlatformError::NotFound(ResourceType::Conference))
    }

    /// terminating (`conference_updated`) → kick everyone → `tm_delete`
    /// (`conference_deleted`). A repeat only re-stamps `tm_delete` and re-emits.
    pub(crate) fn delete_conference_by_id(&mut self, id: Uuid) -> Option<Conference> {
        let rec = self.conferences.get(&id)?;
        let customer_id = rec.conference.customer_id;
        let first_time = rec.conference.status == Some(ConferenceStatus::Progressing);
        if first_time {
            let now = self.stamp(customer_id);
            let rec = self.conferences.get_mut(&id)?;
            rec.conference.status = Some(ConferenceStatus::Terminating);
            rec.conference.tm_update = Some(now);
            let participants = rec.conference.conferencecall_ids.clone();
            self.publish_conference("conference_updated", id);
            for cc in participants {
                self.kick_by_id(cc);
            }
        }
        let now = self.stamp(customer_id);
        let rec = self.conferences.get_mut(&id)?;
        rec.conference.tm_delete = Some(now);
        rec.conference.tm_update = Some(now);
        let conference = rec.conference.clone();
        self.publish_conference("conference_deleted", id);
        Some(conference)
    }

    /// After a participant left: a terminating room that is now empty is destroyed; a
    /// connect-style bridge with exactly one party left ejects that party.
    pub(crate) fn after_participant_left(&mut self, id: Uuid) {
        let Some(rec) = self.conferences.get(&id) else {
            return;
        };
        let c = &rec.conference;
        let status = c.status.clone();
        let customer_id = c.customer_id;
        if status == Some(ConferenceStatus::Terminating) && c.conferencecall_ids.is_empty() {
            let now = self.stamp(customer_id);
            if let Some(rec) = self.conferences.get_mut(&id) {
                rec.conference.status = Some(ConferenceStatus::Terminated);
                rec.conference.tm_end = Some(now);
                rec.conference.tm_update = Some(now);
            }
            self.publish_conference("conference_deleted", id);
        } else if status == Some(ConferenceStatus::Progressing)
            && c.kind != Some(ConferenceType::Conference)
            && c.conferencecall_ids.len() == 1
        {
            let last = c.conferencecall_ids[0];
            self.kick_by_id(last);
        }
    }

    /// The platform's bug: refused starts answer with an all-zero conference (§4).
    pub fn recording_start(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        let c = self.conference(customer_id, id)?;
        if c.status != Some(ConferenceStatus::Progressing) || !c.recording_id.is_nil() {
            return Ok(Conference::default());
        }
        let recording_id = self.ids.uuid();
        let now = self.stamp(customer_id);
        let Some(rec) = self.conferences.get_mut(&id) else {
            return Err(PlatformError::NotFound(ResourceType::Conference));
        };
        rec.conference.recording_id = recording_id;
        rec.conference.recording_ids.push(recording_id);
        rec.conference.tm_update = Some(now);
        // No conference_updated: recording changes are only visible in the response.
        Ok(rec.conference.clone())
    }

    pub fn recording_stop(&mut self, customer_id: Uuid, id: Uuid) -> PlatformResult<Conference> {
        let c = self.conference(customer_id, id)?;
        if c.recording_id.is_nil() {
            return Err(PlatformError::InvalidArgument("no recording is running"));
        }
        let now = self.stamp(customer_id);
        let Some(rec) = self.conferences.get_mut(&id) else {
            return Err(PlatformError::NotFound(ResourceType::Conference));
        };
        rec.conference.recording_id = Uuid::nil();
        rec.conference.tm_update = Some(now);
        Ok(rec.conference.clone())
    }
}
