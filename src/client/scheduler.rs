//! The fetch scheduler for what the store reports missing. It coalesces repeated asks,
//! serves the conference on screen first, and prefers one list page (100 newest items)
//! over many per-id fetches when several of a kind are missing at once. The REST client's
//! budget paces it; 429 pauses it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use tokio::sync::mpsc;
use uuid::Uuid;

use super::api;
use super::link::{Inbound, SourceRequest, Wanted};
use super::rest::{RestClient, RestError};
use crate::store::Input;
use crate::voipbin::{Resource, ResourceKind};

/// With this many ids of one listable kind waiting, one list page is tried first.
pub const LIST_PAGE_THRESHOLD: usize = 3;
/// Transient failures per id before it is dropped (the loop asks again later if the store
/// still needs it: `follow::AskedFetches` forgets an ask after `ASK_AGAIN_AFTER`).
const MAX_ATTEMPTS: u32 = 5;

/// What to ask the platform next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    One(ResourceKind, Uuid),
    /// The newest page of a list, for ids listed as `covering`.
    NewestPage(ResourceKind),
}

/// The pure part: queue, coalescing and choice. No I/O, so it is tested directly.
#[derive(Debug, Default)]
pub struct FetchPlanner {
    queue: VecDeque<Wanted>,
    queued: HashSet<(ResourceKind, Uuid)>,
    /// Ids a list page already failed to bring: fetch them one by one.
    per_id_only: HashSet<(ResourceKind, Uuid)>,
    attempts: HashMap<(ResourceKind, Uuid), u32>,
    focus: Option<Uuid>,
}

fn listable(kind: ResourceKind) -> bool {
    matches!(kind, ResourceKind::Conferencecall | ResourceKind::Call)
}

impl FetchPlanner {
    pub fn want(&mut self, wanted: Wanted) {
        if self.queued.insert((wanted.kind, wanted.id)) {
            self.queue.push_back(wanted);
        }
    }

    pub fn set_focus(&mut self, conference: Option<Uuid>) {
        self.focus = conference;
    }

    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Ids of `kind` waiting (for a list page to cover).
    pub fn waiting(&self, kind: ResourceKind) -> HashSet<Uuid> {
        self.queue
            .iter()
            .filter(|w| w.kind == kind)
            .map(|w| w.id)
            .collect()
    }

    /// The next request, or None when nothing waits.
    pub fn next_fetch(&mut self) -> Option<Fetch> {
        let focus = self.focus;
        let index = self
            .queue
            .iter()
            .position(|w| focus.is_some() && (w.conference == focus || Some(w.id) == focus))
            .unwrap_or(0);
        let first = *self.queue.get(index)?;
        if listable(first.kind) && !self.per_id_only.contains(&(first.kind, first.id)) {
            let eligible = self
                .queue
                .iter()
                .filter(|w| w.kind == first.kind && !self.per_id_only.contains(&(w.kind, w.id)))
                .count();
            if eligible >= LIST_PAGE_THRESHOLD {
                return Some(Fetch::NewestPage(first.kind));
            }
        }
        self.queue.remove(index);
        self.queued.remove(&(first.kind, first.id));
        Some(Fetch::One(first.kind, first.id))
    }

    /// A list page came back holding `found`; the other waiting ids of that kind go per-id.
    pub fn page_done(&mut self, kind: ResourceKind, found: &HashSet<Uuid>) {
        let queued = &mut self.queued;
        self.queue.retain(|w| {
            let keep = !(w.kind == kind && found.contains(&w.id));
            if !keep {
                queued.remove(&(w.kind, w.id));
            }
            keep
        });
        for w in self.queue.iter().filter(|w| w.kind == kind) {
            self.per_id_only.insert((w.kind, w.id));
        }
    }

    /// A list page failed: do not try one again for the ids waiting now.
    pub fn page_failed(&mut self, kind: ResourceKind) {
        for w in self.queue.iter().filter(|w| w.kind == kind) {
            self.per_id_only.insert((w.kind, w.id));
        }
    }

    /// A per-id fetch failed transiently; returns whether it was queued again.
    pub fn retry(&mut self, kind: ResourceKind, id: Uuid, conference: Option<Uuid>) -> bool {
        let attempts = self.attempts.entry((kind, id)).or_default();
        *attempts += 1;
        if *attempts >= MAX_ATTEMPTS {
            self.attempts.remove(&(kind, id));
            return false;
        }
        self.per_id_only.insert((kind, id));
        self.want(Wanted {
            kind,
            id,
            conference,
        });
        true
    }

    pub fn finished(&mut self, kind: ResourceKind, id: Uuid) {
        self.attempts.remove(&(kind, id));
        self.per_id_only.remove(&(kind, id));
    }
}

pub async fn fetch_one(
    rest: &RestClient,
    kind: ResourceKind,
    id: Uuid,
) -> Result<Resource, RestError> {
    Ok(match kind {
        ResourceKind::Conference => Resource::Conference(api::conference(rest, id).await?),
        ResourceKind::Conferencecall => {
            Resource::Conferencecall(api::conferencecall(rest, id).await?)
        }
        ResourceKind::Call => Resource::Call(api::call(rest, id).await?),
        ResourceKind::Agent => Resource::Agent(api::agent(rest, id).await?),
        ResourceKind::Queuecall => unreachable!("queuecalls are not tracked"),
    })
}

async fn newest_page(rest: &RestClient, kind: ResourceKind) -> Result<Vec<Resource>, RestError> {
    Ok(match kind {
        ResourceKind::Conferencecall => api::conferencecalls_page(rest, None)
            .await?
            .result
            .into_iter()
            .map(Resource::Conferencecall)
            .collect(),
        ResourceKind::Call => api::calls_page(rest, None)
            .await?
            .result
            .into_iter()
            .map(Resource::Call)
            .collect(),
        _ => Vec::new(),
    })
}

/// The scheduler task: runs until `requests` closes or `events` is dropped.
pub async fn run(
    rest: RestClient,
    mut requests: mpsc::UnboundedReceiver<SourceRequest>,
    events: mpsc::Sender<Inbound>,
) {
    let mut planner = FetchPlanner::default();
    let mut conference_of: HashMap<(ResourceKind, Uuid), Option<Uuid>> = HashMap::new();
    loop {
        // Take everything asked so far before choosing: that is what coalesces.
        while let Ok(request) = requests.try_recv() {
            apply_request(&mut planner, &mut conference_of, request);
        }
        let Some(fetch) = planner.next_fetch() else {
            match requests.recv().await {
                Some(request) => apply_request(&mut planner, &mut conference_of, request),
                None => return,
            }
            continue;
        };
        let outcome = match fetch {
            Fetch::NewestPage(kind) => {
                let waiting = planner.waiting(kind);
                match newest_page(&rest, kind).await {
                    Ok(items) => {
                        let mut found = HashSet::new();
                        for item in items.into_iter().filter(|r| waiting.contains(&r.id())) {
                            found.insert(item.id());
                            planner.finished(kind, item.id());
                            conference_of.remove(&(kind, item.id()));
                            if events.send(Input::Fetched(item).into()).await.is_err() {
                                return;
                            }
                        }
                        planner.page_done(kind, &found);
                        Ok(())
                    }
                    Err(e) => {
                        planner.page_failed(kind);
                        Err(e)
                    }
                }
            }
            Fetch::One(kind, id) => match fetch_one(&rest, kind, id).await {
                Ok(resource) => {
                    planner.finished(kind, id);
                    conference_of.remove(&(kind, id));
                    if events.send(Input::Fetched(resource).into()).await.is_err() {
                        return;
                    }
                    Ok(())
                }
                Err(e) if e.is_not_found() => {
                    planner.finished(kind, id);
                    conference_of.remove(&(kind, id));
                    if events
                        .send(Input::NotFound { kind, id }.into())
                        .await
                        .is_err()
                    {
                        return;
                    }
                    Ok(())
                }
                Err(e) => {
                    let conference = conference_of.get(&(kind, id)).copied().flatten();
                    if e.is_transient() && planner.retry(kind, id, conference) {
                        tracing::debug!(%kind, %id, error = %e, "fetch failed; will retry");
                    } else {
                        planner.finished(kind, id);
                        conference_of.remove(&(kind, id));
                    }
                    Err(e)
                }
            },
        };
        if let Err(e) = outcome {
            tracing::debug!(error = %e, "fetch failed");
            // A short breather so a failing platform is not hammered.
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

fn apply_request(
    planner: &mut FetchPlanner,
    conference_of: &mut HashMap<(ResourceKind, Uuid), Option<Uuid>>,
    request: SourceRequest,
) {
    match request {
        SourceRequest::Want(list) => {
            for w in list {
                conference_of.insert((w.kind, w.id), w.conference);
                planner.want(w);
            }
        }
        SourceRequest::Focus(c) => planner.set_focus(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(kind: ResourceKind, n: u128, conference: Option<u128>) -> Wanted {
        Wanted {
            kind,
            id: Uuid::from_u128(n),
            conference: conference.map(Uuid::from_u128),
        }
    }

    #[test]
    fn repeated_asks_coalesce() {
        let mut p = FetchPlanner::default();
        p.want(w(ResourceKind::Conference, 1, None));
        p.want(w(ResourceKind::Conference, 1, None));
        assert_eq!(p.pending(), 1);
        assert_eq!(
            p.next_fetch(),
            Some(Fetch::One(ResourceKind::Conference, Uuid::from_u128(1)))
        );
        assert_eq!(p.next_fetch(), None);
    }

    #[test]
    fn several_of_a_kind_try_one_page_first_then_per_id() {
        let mut p = FetchPlanner::default();
        for n in 1..=4 {
            p.want(w(ResourceKind::Call, n, None));
        }
        assert_eq!(p.next_fetch(), Some(Fetch::NewestPage(ResourceKind::Call)));
        let found: HashSet<Uuid> = [1, 2, 3].map(Uuid::from_u128).into_iter().collect();
        p.page_done(ResourceKind::Call, &found);
        assert_eq!(
            p.next_fetch(),
            Some(Fetch::One(ResourceKind::Call, Uuid::from_u128(4)))
        );
        assert_eq!(p.next_fetch(), None);
    }

    #[test]
    fn the_conference_on_screen_goes_first() {
        let mut p = FetchPlanner::default();
        p.want(w(ResourceKind::Agent, 1, Some(10)));
        p.want(w(ResourceKind::Conference, 2, None));
        p.want(w(ResourceKind::Agent, 3, Some(20)));
        p.set_focus(Some(Uuid::from_u128(20)));
        assert_eq!(
            p.next_fetch(),
            Some(Fetch::One(ResourceKind::Agent, Uuid::from_u128(3)))
        );
        p.set_focus(Some(Uuid::from_u128(2)));
        assert_eq!(
            p.next_fetch(),
            Some(Fetch::One(ResourceKind::Conference, Uuid::from_u128(2)))
        );
    }

    #[test]
    fn retries_are_bounded() {
        let mut p = FetchPlanner::default();
        let id = Uuid::from_u128(5);
        let mut retried = 0;
        while p.retry(ResourceKind::Call, id, None) {
            assert_eq!(p.next_fetch(), Some(Fetch::One(ResourceKind::Call, id)));
            retried += 1;
            assert!(retried < 100);
        }
        assert_eq!(retried, MAX_ATTEMPTS as usize - 1);
    }
}
