//! The initial (and every re-) snapshot with the fewest requests: all conference pages, then
//! conferencecalls and calls newest-first only back to the oldest live conference, then
//! agents; per-id fetches only for what the pages did not bring.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use futures_util::stream::{self, StreamExt};
use uuid::Uuid;

use super::api;
use super::rest::{RestClient, RestError};
use crate::store::Snapshot;
use crate::voipbin::{Agent, Call, Conference, Conferencecall, ListPage, Timestamp};

/// Per-id fetches in flight at once; the request budget paces them anyway.
const FETCH_CONCURRENCY: usize = 4;
/// A safety stop for paging a list that never ends (a misbehaving server).
const MAX_PAGES: usize = 10_000;

/// How many requests the snapshot took, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotStats {
    pub conference_pages: usize,
    pub conferencecall_pages: usize,
    pub call_pages: usize,
    pub agent_pages: usize,
    pub conferencecall_fetches: usize,
    pub call_fetches: usize,
}

impl SnapshotStats {
    pub fn requests(&self) -> usize {
        self.conference_pages
            + self.conferencecall_pages
            + self.call_pages
            + self.agent_pages
            + self.conferencecall_fetches
            + self.call_fetches
    }
}

trait Listed {
    fn id(&self) -> Uuid;
    fn created(&self) -> Option<Timestamp>;
}

macro_rules! listed {
    ($($t:ty),*) => {$(
        impl Listed for $t {
            fn id(&self) -> Uuid { self.id }
            fn created(&self) -> Option<Timestamp> { self.tm_create }
        }
    )*};
}
listed!(Conference, Conferencecall, Call, Agent);

/// Pages newest-first. Stops on an empty or short page, a repeated page token, a page that
/// brings nothing new, or (with `back_to`) once a page reaches items older than `back_to`.
async fn page_all<T, F, Fut>(
    mut fetch: F,
    back_to: Option<Timestamp>,
) -> Result<(Vec<T>, usize), RestError>
where
    T: Listed,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<ListPage<T>, RestError>>,
{
    let mut items = Vec::new();
    let mut seen_ids = HashSet::new();
    let mut seen_tokens = HashSet::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    while pages < MAX_PAGES {
        let page = fetch(token.clone()).await?;
        pages += 1;
        if page.is_end() {
            break;
        }
        let short = page.result.len() < api::PAGE_SIZE as usize;
        let mut fresh = 0;
        let mut reached_cutoff = false;
        for item in page.result {
            if back_to.is_some_and(|cut| item.created().is_some_and(|c| c < cut)) {
                reached_cutoff = true;
            }
            if seen_ids.insert(item.id()) {
                fresh += 1;
                items.push(item);
            }
        }
        let next = page.next_page_token;
        if short
            || fresh == 0
            || reached_cutoff
            || next.is_empty()
            || !seen_tokens.insert(next.clone())
        {
            break;
        }
        token = Some(next);
    }
    Ok((items, pages))
}

/// Runs a full snapshot.
pub async fn take(rest: &RestClient) -> Result<(Snapshot, SnapshotStats), RestError> {
    let mut stats = SnapshotStats::default();
    let skipped_before = rest.skipped_records();

    let (conferences, pages) = page_all(
        |t| async move { api::conferences_page(rest, t.as_deref()).await },
        None,
    )
    .await?;
    stats.conference_pages = pages;
    let conferences: Vec<Conference> = conferences
        .into_iter()
        .filter(|c| !c.is_deleted())
        .collect();

    let mut wanted_cc: HashSet<Uuid> = conferences
        .iter()
        .flat_map(|c| c.conferencecall_ids.iter().copied())
        .collect();
    let live_conferences: HashSet<Uuid> = conferences.iter().map(|c| c.id).collect();
    let oldest = conferences.iter().filter_map(|c| c.tm_create).min();

    let mut conferencecalls: HashMap<Uuid, Conferencecall> = HashMap::new();
    let mut calls: HashMap<Uuid, Call> = HashMap::new();
    if !wanted_cc.is_empty() {
        let (listed, pages) = page_all(
            |t| async move { api::conferencecalls_page(rest, t.as_deref()).await },
            oldest,
        )
        .await?;
        stats.conferencecall_pages = pages;
        for cc in listed {
            if live_conferences.contains(&cc.conference_id) {
                wanted_cc.insert(cc.id);
                conferencecalls.insert(cc.id, cc);
            }
        }
        let missing: Vec<Uuid> = wanted_cc
            .iter()
            .filter(|id| !conferencecalls.contains_key(id))
            .copied()
            .collect();
        stats.conferencecall_fetches = missing.len();
        for cc in fetch_each(missing, |id| api::conferencecall(rest, id)).await? {
            conferencecalls.insert(cc.id, cc);
        }

        let wanted_calls: HashSet<Uuid> = conferencecalls
            .values()
            .map(|cc| cc.reference_id)
            .filter(|id| !id.is_nil())
            .collect();
        let (listed, pages) = page_all(
            |t| async move { api::calls_page(rest, t.as_deref()).await },
            oldest,
        )
        .await?;
        stats.call_pages = pages;
        for call in listed {
            if wanted_calls.contains(&call.id) {
                calls.insert(call.id, call);
            }
        }
        let missing: Vec<Uuid> = wanted_calls
            .iter()
            .filter(|id| !calls.contains_key(id))
            .copied()
            .collect();
        stats.call_fetches = missing.len();
        for call in fetch_each(missing, |id| api::call(rest, id)).await? {
            calls.insert(call.id, call);
        }
    }

    let (agents, pages) = page_all(
        |t| async move { api::agents_page(rest, t.as_deref()).await },
        None,
    )
    .await?;
    stats.agent_pages = pages;

    let mut conferencecalls: Vec<Conferencecall> = conferencecalls.into_values().collect();
    conferencecalls.sort_by_key(|cc| cc.id);
    let mut calls: Vec<Call> = calls.into_values().collect();
    calls.sort_by_key(|c| c.id);
    Ok((
        Snapshot {
            conferences,
            conferencecalls,
            calls,
            agents,
            skipped_records: rest.skipped_records() - skipped_before,
        },
        stats,
    ))
}

/// Fetches each id; a 404 just means it is gone by now.
async fn fetch_each<T, F, Fut>(ids: Vec<Uuid>, fetch: F) -> Result<Vec<T>, RestError>
where
    F: Fn(Uuid) -> Fut,
    Fut: Future<Output = Result<T, RestError>>,
{
    let results: Vec<Result<T, RestError>> = stream::iter(ids.into_iter().map(fetch))
        .buffer_unordered(FETCH_CONCURRENCY)
        .collect()
        .await;
    let mut found = Vec::new();
    for result in results {
        match result {
            Ok(item) => found.push(item),
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(found)
}
