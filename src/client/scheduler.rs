//! The fetch scheduler for what the store reports missing. VoIPbin sends no conferencecall
//! events, so every new leg is an id the store must fetch; one at a time that is a request
//! per participant. Instead the planner gathers missing legs and calls for a short window,
//! then reads the newest list page (100 items, newest first: the new legs are on it) at
//! most once a second per kind, and fetches by id only what a page could not have held
//! (ids asked before that page was read and not on it). A page is read once enough ids
//! wait to make it worth a request, or when the oldest has waited `MAX_WAIT`: at steady
//! traffic a page serves about five new participants instead of one. The conference on
//! screen goes first and is fetched at once, so what the user looks at never waits. The
//! REST client's budget paces it; 429 pauses it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::time::Instant;
use uuid::Uuid;

use super::api;
use super::link::{Inbound, SourceRequest, Wanted};
use super::rest::{RestClient, RestError};
use crate::store::Input;
use crate::voipbin::{Resource, ResourceKind};

/// How long a missing leg or call waits for others before a page is read for them.
pub const GATHER_WINDOW: Duration = Duration::from_millis(400);
/// With this many ids of a kind waiting, a page is read after the gather window...
pub const PAGE_WORTH: usize = 5;
/// ...with fewer, once the oldest has waited this long (rooms not on screen only).
pub const MAX_WAIT: Duration = Duration::from_secs(4);
/// At most one newest page of a kind this often.
pub const PAGE_INTERVAL: Duration = Duration::from_secs(1);
/// Transient failures per id before it is dropped (the loop asks again later if the store
/// still needs it: `follow::AskedFetches` forgets an ask after `ASK_AGAIN_AFTER`).
const MAX_ATTEMPTS: u32 = 5;

/// What to ask the platform next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    One(ResourceKind, Uuid),
    /// The newest page of a list, for the ids of that kind waiting.
    NewestPage(ResourceKind),
}

/// The planner's answer: a request now, or the instant one will be due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Fetch(Fetch),
    WaitUntil(Instant),
    Idle,
}

#[derive(Debug, Clone, Copy)]
struct Waiting {
    wanted: Wanted,
    asked_at: Instant,
}

/// The pure part: queue, coalescing and choice. No I/O and no clock (the time is passed
/// in), so it is tested directly.
#[derive(Debug, Default)]
pub struct FetchPlanner {
    queue: VecDeque<Waiting>,
    queued: HashSet<(ResourceKind, Uuid)>,
    /// Ids a list page should have held and did not: fetch them one by one.
    per_id_only: HashSet<(ResourceKind, Uuid)>,
    attempts: HashMap<(ResourceKind, Uuid), u32>,
    /// When each kind's newest page was last read.
    last_page: HashMap<ResourceKind, Instant>,
    focus: Option<Uuid>,
}

fn listable(kind: ResourceKind) -> bool {
    matches!(kind, ResourceKind::Conferencecall | ResourceKind::Call)
}

impl FetchPlanner {
    pub fn want(&mut self, wanted: Wanted, now: Instant) {
        if self.queued.insert((wanted.kind, wanted.id)) {
            self.queue.push_back(Waiting {
                wanted,
                asked_at: now,
            });
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
            .filter(|w| w.wanted.kind == kind)
            .map(|w| w.wanted.id)
            .collect()
    }

    fn for_a_page(&self, w: &Waiting) -> bool {
        listable(w.wanted.kind) && !self.per_id_only.contains(&(w.wanted.kind, w.wanted.id))
    }

    fn on_screen(&self, w: &Waiting) -> bool {
        self.focus
            .is_some_and(|f| w.wanted.conference == Some(f) || w.wanted.id == f)
    }

    /// The next request at `now`, or when one will be due: the conference on screen
    /// first, then a page that is due (so steady per-id work cannot hold pages back for
    /// ever), then anything a page cannot bring, in asking order.
    pub fn next_fetch(&mut self, now: Instant) -> Next {
        if let Some(index) = self.queue.iter().position(|w| self.on_screen(w)) {
            return self.take_one(index);
        }
        let due = self.page_due();
        if let Some((_, kind)) = due.filter(|(at, _)| *at <= now) {
            self.last_page.insert(kind, now);
            return Next::Fetch(Fetch::NewestPage(kind));
        }
        if let Some(index) = self.queue.iter().position(|w| !self.for_a_page(w)) {
            return self.take_one(index);
        }
        match due {
            Some((at, _)) => Next::WaitUntil(at),
            None => Next::Idle,
        }
    }

    fn take_one(&mut self, index: usize) -> Next {
        let w = self.queue.remove(index).expect("a queued index").wanted;
        self.queued.remove(&(w.kind, w.id));
        Next::Fetch(Fetch::One(w.kind, w.id))
    }

    /// When the next newest page is due, and of which kind: the earliest of the kinds
    /// with ids waiting for one (the queue is in asking order).
    fn page_due(&self) -> Option<(Instant, ResourceKind)> {
        let mut due: Option<(Instant, ResourceKind)> = None;
        for kind in [ResourceKind::Conferencecall, ResourceKind::Call] {
            let mut waiting = self
                .queue
                .iter()
                .filter(|w| w.wanted.kind == kind && self.for_a_page(w));
            let Some(oldest) = waiting.next() else {
                continue;
            };
            let patience = if waiting.count() + 1 >= PAGE_WORTH {
                GATHER_WINDOW
            } else {
                MAX_WAIT
            };
            let gathered = oldest.asked_at + patience;
            let paced = self
                .last_page
                .get(&kind)
                .map_or(gathered, |last| gathered.max(*last + PAGE_INTERVAL));
            if due.is_none_or(|(at, _)| paced < at) {
                due = Some((paced, kind));
            }
        }
        due
    }

    /// A list page read at `read_at` came back holding `found`. Ids asked before it was
    /// read and not on it are older than the page: they go per-id. (The task takes in new
    /// asks only between requests, so ids asked while the page was read are queued after
    /// this and wait for the next page; the check keeps the planner right on its own.)
    pub fn page_done(&mut self, kind: ResourceKind, found: &HashSet<Uuid>, read_at: Instant) {
        let queued = &mut self.queued;
        self.queue.retain(|w| {
            let keep = !(w.wanted.kind == kind && found.contains(&w.wanted.id));
            if !keep {
                queued.remove(&(w.wanted.kind, w.wanted.id));
            }
            keep
        });
        for w in self.queue.iter() {
            if w.wanted.kind == kind && w.asked_at <= read_at {
                self.per_id_only.insert((kind, w.wanted.id));
            }
        }
    }

    /// A list page failed: do not try one again for the ids waiting now.
    pub fn page_failed(&mut self, kind: ResourceKind) {
        for w in self.queue.iter().filter(|w| w.wanted.kind == kind) {
            self.per_id_only.insert((kind, w.wanted.id));
        }
    }

    /// A per-id fetch failed transiently; returns whether it was queued again.
    pub fn retry(
        &mut self,
        kind: ResourceKind,
        id: Uuid,
        conference: Option<Uuid>,
        now: Instant,
    ) -> bool {
        let attempts = self.attempts.entry((kind, id)).or_default();
        *attempts += 1;
        if *attempts >= MAX_ATTEMPTS {
            self.attempts.remove(&(kind, id));
            return false;
        }
        self.per_id_only.insert((kind, id));
        let wanted = Wanted {
            kind,
            id,
            conference,
        };
        self.want(wanted, now);
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
        let fetch = match planner.next_fetch(Instant::now()) {
            Next::Fetch(fetch) => fetch,
            Next::WaitUntil(at) => {
                tokio::select! {
                    request = requests.recv() => match request {
                        Some(request) => apply_request(&mut planner, &mut conference_of, request),
                        None => return,
                    },
                    () = tokio::time::sleep_until(at) => {}
                }
                continue;
            }
            Next::Idle => {
                match requests.recv().await {
                    Some(request) => apply_request(&mut planner, &mut conference_of, request),
                    None => return,
                }
                continue;
            }
        };
        let outcome = match fetch {
            Fetch::NewestPage(kind) => {
                let waiting = planner.waiting(kind);
                let read_at = Instant::now();
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
                        planner.page_done(kind, &found, read_at);
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
                    if e.is_transient() && planner.retry(kind, id, conference, Instant::now()) {
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
            let now = Instant::now();
            for w in list {
                conference_of.insert((w.kind, w.id), w.conference);
                planner.want(w, now);
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

    fn one(kind: ResourceKind, n: u128) -> Next {
        Next::Fetch(Fetch::One(kind, Uuid::from_u128(n)))
    }

    fn ids(ns: &[u128]) -> HashSet<Uuid> {
        ns.iter().copied().map(Uuid::from_u128).collect()
    }

    const CALL: ResourceKind = ResourceKind::Call;
    const LEG: ResourceKind = ResourceKind::Conferencecall;

    #[test]
    fn repeated_asks_coalesce() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        p.want(w(ResourceKind::Conference, 1, None), t);
        p.want(w(ResourceKind::Conference, 1, None), t);
        assert_eq!(p.pending(), 1);
        assert_eq!(p.next_fetch(t), one(ResourceKind::Conference, 1));
        assert_eq!(p.next_fetch(t), Next::Idle);
    }

    #[test]
    fn a_few_new_legs_wait_for_company_then_share_one_page() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        p.want(w(LEG, 1, Some(10)), t);
        assert_eq!(p.next_fetch(t), Next::WaitUntil(t + MAX_WAIT));
        let later = t + Duration::from_millis(100);
        p.want(w(LEG, 2, Some(11)), later);
        assert_eq!(p.next_fetch(later), Next::WaitUntil(t + MAX_WAIT));
        let due = t + MAX_WAIT;
        assert_eq!(p.next_fetch(due), Next::Fetch(Fetch::NewestPage(LEG)));
        p.page_done(LEG, &ids(&[1, 2]), due);
        assert_eq!(p.next_fetch(due), Next::Idle);
    }

    #[test]
    fn enough_new_legs_are_read_after_the_gather_window() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        for n in 1..PAGE_WORTH as u128 {
            p.want(w(LEG, n, None), t);
        }
        assert_eq!(p.next_fetch(t), Next::WaitUntil(t + MAX_WAIT));
        p.want(w(LEG, 99, None), t + Duration::from_millis(50));
        assert_eq!(p.next_fetch(t), Next::WaitUntil(t + GATHER_WINDOW));
        let first = t + GATHER_WINDOW;
        assert_eq!(p.next_fetch(first), Next::Fetch(Fetch::NewestPage(LEG)));
        p.page_done(LEG, &p.waiting(LEG), first);
        // A burst goes on: the next page waits out the page interval, not more.
        for n in 100..100 + PAGE_WORTH as u128 {
            p.want(w(LEG, n, None), first);
        }
        assert_eq!(p.next_fetch(first), Next::WaitUntil(first + PAGE_INTERVAL));
    }

    #[test]
    fn pages_are_paced_and_what_a_page_missed_goes_by_id() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        for n in 1..=3 {
            p.want(w(CALL, n, None), t);
        }
        let first = t + MAX_WAIT;
        assert_eq!(p.next_fetch(first), Next::Fetch(Fetch::NewestPage(CALL)));
        // Asked while the page was being read: it waits for the next page, not per id.
        let during = first + Duration::from_millis(10);
        p.want(w(CALL, 4, None), during);
        p.page_done(CALL, &ids(&[1, 2]), first);
        // 3 was asked before the page and is not on it: older than the page, fetched by id.
        assert_eq!(p.next_fetch(during), one(CALL, 3));
        // 4 waits for the next page.
        assert_eq!(p.next_fetch(during), Next::WaitUntil(during + MAX_WAIT));
        let second = during + MAX_WAIT;
        assert_eq!(p.next_fetch(second), Next::Fetch(Fetch::NewestPage(CALL)));
        p.page_done(CALL, &ids(&[4]), second);
        assert_eq!(p.next_fetch(second), Next::Idle);
    }

    #[test]
    fn the_conference_on_screen_goes_first_and_at_once() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        p.want(w(LEG, 1, Some(10)), t);
        p.want(w(LEG, 2, Some(20)), t);
        p.want(w(ResourceKind::Agent, 3, Some(30)), t);
        p.set_focus(Some(Uuid::from_u128(20)));
        assert_eq!(p.next_fetch(t), one(LEG, 2));
        // Agents have no newest page to wait for.
        assert_eq!(p.next_fetch(t), one(ResourceKind::Agent, 3));
        assert_eq!(p.next_fetch(t), Next::WaitUntil(t + MAX_WAIT));
    }

    #[test]
    fn a_due_page_goes_before_per_id_work() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        p.want(w(LEG, 1, None), t);
        p.want(w(ResourceKind::Agent, 2, None), t + MAX_WAIT);
        let due = t + MAX_WAIT;
        assert_eq!(p.next_fetch(due), Next::Fetch(Fetch::NewestPage(LEG)));
        assert_eq!(p.next_fetch(due), one(ResourceKind::Agent, 2));
    }

    #[test]
    fn a_failed_page_sends_its_ids_per_id() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        p.want(w(LEG, 1, None), t);
        let due = t + MAX_WAIT;
        assert_eq!(p.next_fetch(due), Next::Fetch(Fetch::NewestPage(LEG)));
        p.page_failed(LEG);
        assert_eq!(p.next_fetch(due), one(LEG, 1));
    }

    #[test]
    fn retries_are_bounded() {
        let t = Instant::now();
        let mut p = FetchPlanner::default();
        let id = Uuid::from_u128(5);
        let mut retried = 0;
        while p.retry(CALL, id, None, t) {
            assert_eq!(p.next_fetch(t), Next::Fetch(Fetch::One(CALL, id)));
            retried += 1;
            assert!(retried < 100);
        }
        assert_eq!(retried, MAX_ATTEMPTS as usize - 1);
    }
}
