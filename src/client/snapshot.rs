//! The initial (and every re-) snapshot with the fewest requests: all conference pages, then
//! conferencecalls and calls newest-first until every one the live rooms list is in (and
//! never past the oldest live conference), then agents; per-id fetches only for what the
//! pages did not bring. A room open for a week does not make every snapshot page through a
//! week of calls: past `HORIZON` behind the newest item, the few ids still missing are
//! fetched by id instead.

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
/// How far behind the newest item paging goes while ids are still missing...
const HORIZON: chrono::TimeDelta = chrono::TimeDelta::hours(1);
/// ...if no more than this many are: those are fetched by id (cheaper than the pages).
const FETCH_PAST_HORIZON: usize = 10;

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

/// When a newest-first paging may stop early.
#[derive(Debug, Clone, Copy, Default)]
struct Stop<'a> {
    /// Nothing older than this is needed.
    back_to: Option<Timestamp>,
    /// The ids wanted: once all are in, or only a few are missing past `HORIZON`, stop.
    wanted: Option<&'a HashSet<Uuid>>,
}

/// Pages newest-first, handing each page's new items to `on_page` as it comes. Stops on an
/// empty or short page, a repeated page token, a page that brings nothing new, or as `stop`
/// allows.
async fn page_all<T, F, Fut>(
    mut fetch: F,
    stop: Stop<'_>,
    on_page: &mut (dyn FnMut(&[T]) + Send),
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
    let mut missing = stop.wanted.map_or(0, HashSet::len);
    let mut horizon: Option<Timestamp> = None;
    while pages < MAX_PAGES {
        let page = fetch(token.clone()).await?;
        pages += 1;
        if page.is_end() {
            break;
        }
        let short = page.result.len() < api::PAGE_SIZE as usize;
        let before = items.len();
        let mut fresh = 0;
        let mut reached_cutoff = false;
        let mut past_horizon = false;
        for item in page.result {
            let created = item.created();
            if stop
                .back_to
                .is_some_and(|cut| created.is_some_and(|c| c < cut))
            {
                reached_cutoff = true;
            }
            horizon = horizon.or(created.map(|newest| newest - HORIZON));
            past_horizon |= horizon.is_some_and(|h| created.is_some_and(|c| c < h));
            if seen_ids.insert(item.id()) {
                fresh += 1;
                if stop.wanted.is_some_and(|w| w.contains(&item.id())) {
                    missing -= 1;
                }
                items.push(item);
            }
        }
        on_page(&items[before..]);
        let found_all = stop.wanted.is_some() && missing == 0;
        let few_left_past_horizon =
            stop.wanted.is_some() && past_horizon && missing <= FETCH_PAST_HORIZON;
        let next = page.next_page_token;
        if short
            || fresh == 0
            || reached_cutoff
            || found_all
            || few_left_past_horizon
            || next.is_empty()
            || !seen_tokens.insert(next.clone())
        {
            break;
        }
        token = Some(next);
    }
    Ok((items, pages))
}

/// Where the conferences of each list page go as the page arrives, so that a first sync
/// can show rooms long before the whole snapshot is in.
pub type PageSink = tokio::sync::mpsc::UnboundedSender<Vec<Conference>>;

/// Runs a full snapshot; each conference page also goes to `sink`, if given.
pub async fn take(
    rest: &RestClient,
    sink: Option<PageSink>,
) -> Result<(Snapshot, SnapshotStats), RestError> {
    let mut stats = SnapshotStats::default();
    let skipped_before = rest.skipped_records();

    let mut to_sink = |page: &[Conference]| {
        if let Some(sink) = &sink {
            let live: Vec<Conference> = page.iter().filter(|c| !c.is_deleted()).cloned().collect();
            // The receiver gone means nobody is watching the progress: nothing to do.
            let _ = sink.send(live);
        }
    };
    let (conferences, pages) = page_all(
        |t| async move { api::conferences_page(rest, t.as_deref()).await },
        Stop::default(),
        &mut to_sink,
    )
    .await?;
    stats.conference_pages = pages;
    let conferences: Vec<Conference> = conferences
        .into_iter()
        .filter(|c| !c.is_deleted())
        .collect();

    let wanted_cc: HashSet<Uuid> = conferences
        .iter()
        .flat_map(|c| c.conferencecall_ids.iter().copied())
        .collect();
    let live_conferences: HashSet<Uuid> = conferences.iter().map(|c| c.id).collect();
    let oldest = conferences.iter().filter_map(|c| c.tm_create).min();

    let (conferencecalls, pages, fetches) = gather(
        |t| async move { api::conferencecalls_page(rest, t.as_deref()).await },
        |id| api::conferencecall(rest, id),
        &wanted_cc,
        oldest,
        |cc| live_conferences.contains(&cc.conference_id),
    )
    .await?;
    (stats.conferencecall_pages, stats.conferencecall_fetches) = (pages, fetches);

    let wanted_calls: HashSet<Uuid> = conferencecalls
        .values()
        .map(|cc| cc.reference_id)
        .filter(|id| !id.is_nil())
        .collect();
    let (calls, pages, fetches) = gather(
        |t| async move { api::calls_page(rest, t.as_deref()).await },
        |id| api::call(rest, id),
        &wanted_calls,
        oldest,
        |call| wanted_calls.contains(&call.id),
    )
    .await?;
    (stats.call_pages, stats.call_fetches) = (pages, fetches);

    let (agents, pages) = page_all(
        |t| async move { api::agents_page(rest, t.as_deref()).await },
        Stop::default(),
        &mut |_| {},
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

/// One kind the live rooms need: its list paged newest-first until every wanted id is in
/// (as `Stop` allows), keeping what `keep` accepts, then the wanted ids the pages did not
/// bring fetched by id. By id, with the pages and the fetches it took.
async fn gather<T, P, PF, G, GF>(
    page: P,
    get: G,
    wanted: &HashSet<Uuid>,
    back_to: Option<Timestamp>,
    keep: impl Fn(&T) -> bool,
) -> Result<(HashMap<Uuid, T>, usize, usize), RestError>
where
    T: Listed,
    P: FnMut(Option<String>) -> PF,
    PF: Future<Output = Result<ListPage<T>, RestError>>,
    G: Fn(Uuid) -> GF,
    GF: Future<Output = Result<T, RestError>>,
{
    if wanted.is_empty() {
        return Ok((HashMap::new(), 0, 0));
    }
    let stop = Stop {
        back_to,
        wanted: Some(wanted),
    };
    let (listed, pages) = page_all(page, stop, &mut |_| {}).await?;
    let mut found: HashMap<Uuid, T> = listed
        .into_iter()
        .filter(|item| keep(item))
        .map(|item| (item.id(), item))
        .collect();
    let missing: Vec<Uuid> = wanted
        .iter()
        .filter(|id| !found.contains_key(id))
        .copied()
        .collect();
    let fetches = missing.len();
    for item in fetch_each(missing, get).await? {
        found.insert(item.id(), item);
    }
    Ok((found, pages, fetches))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voipbin::time;
    use chrono::TimeDelta;

    /// A list of `len` legs, one every `gap`, newest first, served in pages of 100.
    struct List {
        legs: Vec<Conferencecall>,
    }

    impl List {
        fn new(len: usize, gap: TimeDelta) -> List {
            let newest = time::parse("2026-08-28T14:00:00Z").unwrap().unwrap();
            let legs = (0..len)
                .map(|n| Conferencecall {
                    id: Uuid::from_u128(n as u128 + 1),
                    tm_create: Some(newest - gap * n as i32),
                    ..Conferencecall::default()
                })
                .collect();
            List { legs }
        }

        fn page(&self, token: Option<String>) -> ListPage<Conferencecall> {
            let from: usize = token.map_or(0, |t| t.parse().unwrap());
            let to = (from + api::PAGE_SIZE as usize).min(self.legs.len());
            ListPage {
                result: self.legs[from..to].to_vec(),
                next_page_token: to.to_string(),
            }
        }

        fn id(&self, n: usize) -> Uuid {
            self.legs[n].id
        }
    }

    async fn paged(list: &List, stop: Stop<'_>) -> (Vec<Conferencecall>, usize) {
        page_all(|t| std::future::ready(Ok(list.page(t))), stop, &mut |_| {})
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn paging_stops_once_every_wanted_id_is_in() {
        let list = List::new(1_000, TimeDelta::seconds(1));
        let wanted: HashSet<Uuid> = [3, 150, 250].map(|n| list.id(n)).into();
        let stop = Stop {
            back_to: list.legs[999].tm_create,
            wanted: Some(&wanted),
        };
        let (items, pages) = paged(&list, stop).await;
        assert_eq!(pages, 3);
        assert_eq!(items.len(), 300);
    }

    #[tokio::test]
    async fn a_week_old_room_does_not_make_the_snapshot_page_through_the_week() {
        // 10,080 legs: a week of one a minute. The oldest live room's leg is a week old.
        let list = List::new(7 * 24 * 60, TimeDelta::minutes(1));
        let week_old = list.legs.len() - 1;
        let wanted: HashSet<Uuid> = [0, 1, 2, week_old].map(|n| list.id(n)).into();
        let stop = Stop {
            back_to: list.legs[week_old].tm_create,
            wanted: Some(&wanted),
        };
        let (items, pages) = paged(&list, stop).await;
        // The first page already reaches an hour back; the week-old leg is left for a
        // fetch by id.
        assert_eq!(pages, 1);
        assert!(!items.iter().any(|cc| cc.id == list.id(week_old)));
    }

    #[tokio::test]
    async fn many_missing_past_the_horizon_keep_paging_to_the_oldest_room() {
        let list = List::new(1_000, TimeDelta::minutes(1));
        let wanted: HashSet<Uuid> = (900..1_000).map(|n| list.id(n)).collect();
        let stop = Stop {
            back_to: list.legs[999].tm_create,
            wanted: Some(&wanted),
        };
        let (items, pages) = paged(&list, stop).await;
        assert_eq!(pages, 10);
        assert_eq!(items.len(), 1_000);
    }
}
