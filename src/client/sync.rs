//! The sync engine: tasks that keep a connection to the platform and send typed events down
//! one channel. The app loop owns the store and applies them; the engine never touches it.
//!
//! Per connection: learn the session if it is not known yet, connect the WebSocket,
//! subscribe, take a REST snapshot while the reader keeps reading (pongs), hand it over,
//! then every frame as it comes, with a fresh snapshot every few minutes. Before the first
//! snapshot frames are held back (bounded); once the store has a picture they are applied
//! at once, even during a resync, because the store keeps the newest version of each
//! resource and verifies by id any live room a snapshot omits. A failed snapshot is
//! retried on the same socket; only the socket failing ends a connection. Nothing here
//! ends the app.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::sync::mpsc;

use super::backoff::Backoff;
use super::connection::ConnectionState;
use super::link::{Inbound, Source};
use super::rest::{RestClient, RestError};
use super::scheduler;
use super::session::{self, Session};
use super::snapshot::{self, PageSink, SnapshotStats};
use super::ws::{self, WsError};
use crate::store::{Input, Snapshot};
use crate::voipbin::{Conference, Resource, Timestamp};

#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Silence on the socket we accept before calling it dead (server pings every 10 s).
    pub idle_timeout: Duration,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// A fresh snapshot this often even while live, for frames the platform lost.
    pub resync_every: Option<Duration>,
    /// Seeds the reconnect jitter (tests replay; the app uses entropy).
    pub jitter_seed: Option<u64>,
    /// Silence on a live socket (not even a keep-alive) before the data is called stale;
    /// the platform pings every 10 s.
    pub stale_after: Duration,
    /// During the first snapshot, hand over each conference page as it arrives and say
    /// how far it got (`syncing… 3 pages, 250 rooms`): a console shows rooms at once.
    pub show_first_pages: bool,
    /// Frames held back during the first snapshot before they go to the store as they
    /// come instead (as during a resync).
    pub hold_back_frames: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            idle_timeout: Duration::from_secs(45),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            resync_every: Some(Duration::from_secs(300)),
            jitter_seed: None,
            stale_after: Duration::from_secs(25),
            show_first_pages: false,
            hold_back_frames: MAX_HELD_FRAMES,
        }
    }
}

/// A connection that stayed up this long was healthy, whatever ended it: the reconnect
/// backoff starts again from the bottom.
const STABLE_AFTER: Duration = Duration::from_secs(30);
/// A live connection that ended sooner than this counts as a failed attempt.
const GOOD_CONNECTION: Duration = Duration::from_secs(2);
/// Quick retries after a live connection drops, before the normal backoff.
const SHORT_LADDER: u32 = 2;
/// The part of the request budget a resync may use.
const RESYNC_SHARE: f64 = 0.5;
/// Frames from the reader not yet taken by the engine.
const FRAME_QUEUE: usize = 256;
/// Frames held back while the first snapshot is taken. Past either limit they are
/// dropped and the snapshot starts again: it is the truth and covers what was dropped.
const MAX_HELD_FRAMES: usize = 20_000;
const MAX_HELD_BYTES: usize = 32 * 1024 * 1024;

/// Starts the engine; it sends everything to `events` until the returned source is dropped.
/// `session` is what the credential already says (a login token); without it the engine
/// learns it from the platform first, retrying like any other connection failure, and
/// sends it as `Inbound::Session`.
pub fn start(
    rest: RestClient,
    session: Option<Session>,
    options: SyncOptions,
    events: mpsc::Sender<Inbound>,
) -> Source {
    let (scheduler_tx, scheduler_rx) = mpsc::unbounded_channel();
    let fetcher = tokio::spawn(scheduler::run(rest.clone(), scheduler_rx, events.clone()));
    let rng = match options.jitter_seed {
        Some(seed) => ChaCha8Rng::seed_from_u64(seed),
        None => ChaCha8Rng::from_entropy(),
    };
    let retry = Arc::new(tokio::sync::Notify::new());
    let engine = Engine {
        retry: retry.clone(),
        rest,
        options,
        events,
        session,
        synced: false,
        failures: 0,
        stale_since: None,
        rng,
    };
    let connection = tokio::spawn(engine.run());
    Source::new(scheduler_tx, vec![fetcher, connection]).with_retry(retry)
}

/// The consumer has gone: the engine stops.
#[derive(Debug)]
struct AppGone;

/// Why one connection ended.
#[derive(Debug)]
enum Ended {
    AppGone,
    Failed {
        message: String,
        auth: bool,
        /// A snapshot was handed over on this connection: it was a good one.
        reached_live: bool,
        /// The data was already stale (a silent socket) since then.
        silent_since: Option<Timestamp>,
    },
}

impl From<AppGone> for Ended {
    fn from(_: AppGone) -> Ended {
        Ended::AppGone
    }
}

type Taking = Pin<Box<dyn Future<Output = Result<(Snapshot, SnapshotStats), RestError>> + Send>>;

/// What one connection is doing besides reading frames.
enum Phase {
    Snapshot(Taking),
    /// A snapshot failed; the next one starts when this ends.
    RetrySnapshot(Pin<Box<tokio::time::Sleep>>),
    /// Live until the periodic resync.
    Live(Option<Pin<Box<tokio::time::Sleep>>>),
}

enum PhaseDone {
    Snapshot(Result<(Snapshot, SnapshotStats), RestError>),
    Due,
}

impl Phase {
    async fn next(&mut self) -> PhaseDone {
        match self {
            Phase::Snapshot(taking) => PhaseDone::Snapshot(taking.as_mut().await),
            Phase::RetrySnapshot(sleep) => {
                sleep.as_mut().await;
                PhaseDone::Due
            }
            Phase::Live(Some(sleep)) => {
                sleep.as_mut().await;
                PhaseDone::Due
            }
            Phase::Live(None) => std::future::pending().await,
        }
    }
}

/// Frames held back until the first snapshot is handed over, bounded in count and bytes.
#[derive(Debug, Default)]
struct Held {
    frames: Vec<String>,
    bytes: usize,
}

impl Held {
    /// Keeps `frame`, or gives it back when that would pass `max_frames` or the byte
    /// limit (nothing held is dropped).
    fn push(&mut self, frame: String, max_frames: usize) -> Result<(), String> {
        if self.frames.len() >= max_frames || self.bytes + frame.len() > MAX_HELD_BYTES {
            return Err(frame);
        }
        self.bytes += frame.len();
        self.frames.push(frame);
        Ok(())
    }
}

/// One connection's own state.
#[derive(Debug, Default)]
struct Connection {
    reached_live: bool,
    /// A drop may have lost frames: the first snapshot on this socket catches up.
    resyncing: bool,
    stale: bool,
    silent_since: Option<Timestamp>,
    held: Held,
    /// More frames came during the first snapshot than are held back: they go to the
    /// store as they come, and the snapshot, applied by version, fills in what they
    /// predate (as a resync does). Holding on, or starting over, could never end while
    /// the flood outpaces the snapshot.
    flowing: bool,
    /// Why the last snapshot on this socket failed.
    snapshot_error: Option<String>,
    /// Conference pages and rooms the first snapshot under way has handed over so far.
    first_pages: usize,
    first_rooms: usize,
}

struct Engine {
    /// Notified when the user asks to retry now.
    retry: Arc<tokio::sync::Notify>,
    rest: RestClient,
    options: SyncOptions,
    events: mpsc::Sender<Inbound>,
    session: Option<Session>,
    /// A snapshot has been handed over: the store has a picture, so frames are applied
    /// at once from now on, even while a resync runs.
    synced: bool,
    /// Failed attempts (connections or snapshots) since the last snapshot handed over.
    failures: u32,
    /// Since when the store's picture has not been followed live.
    stale_since: Option<Timestamp>,
    rng: ChaCha8Rng,
}

impl Engine {
    async fn send(&self, inbound: Inbound) -> Result<(), AppGone> {
        self.events.send(inbound).await.map_err(|_| AppGone)
    }

    async fn send_state(&self, state: ConnectionState) -> Result<(), AppGone> {
        self.send(Inbound::Connection(state)).await
    }

    /// The state while not live: `connecting` until the first snapshot, then
    /// `reconnecting` with the time the picture went stale.
    fn not_live(&self, last_error: Option<String>, retry_at: Option<Timestamp>) -> ConnectionState {
        let attempt = self.failures + 1;
        match (self.synced, self.stale_since) {
            (true, Some(stale_since)) => ConnectionState::Reconnecting {
                attempt,
                stale_since,
                last_error: last_error.unwrap_or_default(),
                retry_at,
            },
            _ => ConnectionState::Connecting {
                attempt,
                last_error,
                retry_at,
            },
        }
    }

    async fn run(mut self) {
        let mut backoff = Backoff::new(self.options.backoff_base, self.options.backoff_max);
        if self
            .send_state(ConnectionState::first_attempt())
            .await
            .is_err()
        {
            return;
        }
        // Failed attempts since a live connection dropped, while still on the short ladder.
        let mut after_drop: Option<u32> = None;
        loop {
            let opened = Instant::now();
            let Ended::Failed {
                message,
                auth,
                reached_live,
                silent_since,
            } = self.run_connection().await
            else {
                return;
            };
            tracing::info!(error = %message, "disconnected");
            // Good: live, and up long enough that a server dropping every socket right
            // after its snapshot cannot make us reconnect (and resnapshot) at full speed.
            let reached_live = reached_live && opened.elapsed() >= GOOD_CONNECTION;
            if reached_live || opened.elapsed() >= STABLE_AFTER {
                backoff.reset();
            }
            // A good connection that ended is not a failed attempt; one that never got
            // a snapshot through, or was live for under 2 s, is.
            if !reached_live {
                self.failures += 1;
            }
            if self.synced && self.stale_since.is_none() {
                self.stale_since = Some(silent_since.unwrap_or_else(chrono::Utc::now));
            }
            // A good connection dropped: come straight back, and twice more soon after if
            // that fails (one refused upgrade should not cost seconds), each with a little
            // jitter so consoles dropped together do not return in lock-step; then the
            // normal ladder.
            after_drop = match (reached_live, after_drop) {
                (true, _) => Some(0),
                (false, Some(n)) if n < SHORT_LADDER => Some(n + 1),
                (false, _) => None,
            };
            let delay = match after_drop {
                _ if auth => self.options.backoff_max,
                Some(n) => self.quick_retry(n),
                None => backoff.next_delay(&mut self.rng),
            };
            // A 429 pauses every request: the next attempt cannot start sooner.
            let delay = delay.max(self.rest.pause_remaining());
            let state = if auth {
                ConnectionState::AuthFailed {
                    message: message.clone(),
                }
            } else {
                let retry_at =
                    chrono::Utc::now() + chrono::TimeDelta::from_std(delay).unwrap_or_default();
                self.not_live(Some(message.clone()), Some(retry_at))
            };
            if self.send_state(state).await.is_err() {
                return;
            }
            // The user may ask to retry now (a key on the dashboard).
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                () = self.retry.notified() => tracing::info!("retrying now, as asked"),
            }
            if !auth
                && self
                    .send_state(self.not_live(Some(message), None))
                    .await
                    .is_err()
            {
                return;
            }
        }
    }

    /// Up to an eighth of the base delay, doubled for each failure since the drop.
    fn quick_retry(&mut self, failures: u32) -> Duration {
        let most = self.options.backoff_base / 8 * 2u32.pow(failures.min(SHORT_LADDER));
        if most.is_zero() {
            return most;
        }
        self.rng.gen_range(Duration::ZERO..=most)
    }

    /// The session, learned from the platform the first time.
    async fn session(&mut self) -> Result<Session, Ended> {
        if let Some(session) = &self.session {
            return Ok(session.clone());
        }
        match session::establish(&self.rest).await {
            Ok(session) => {
                self.send(Inbound::Session(session.clone())).await?;
                self.session = Some(session.clone());
                Ok(session)
            }
            Err(e) => Err(Ended::Failed {
                message: e.to_string(),
                auth: e.is_auth(),
                reached_live: false,
                silent_since: None,
            }),
        }
    }

    /// Starts a snapshot. The first one, and the catch-up after a drop, go as fast as the
    /// budget allows (the user waits for them); the periodic resync runs behind a live
    /// view, so it is spread out and leaves the rest of the budget to new participants.
    fn take_snapshot(&self, sink: &PageSink, conn: &mut Connection, periodic: bool) -> Phase {
        let rest = if periodic {
            self.rest.share(RESYNC_SHARE)
        } else {
            self.rest.clone()
        };
        let sink = (!self.synced && self.options.show_first_pages).then(|| sink.clone());
        (conn.first_pages, conn.first_rooms) = (0, 0);
        Phase::Snapshot(Box::pin(async move { snapshot::take(&rest, sink).await }))
    }

    /// A conference page of the first snapshot: its rooms go on screen now, their legs
    /// come with the snapshot.
    /// `running`: the snapshot the page came from is still under way (a page left over
    /// from a failed one still shows its rooms, but the state keeps saying why it failed).
    async fn hand_over_page(
        &mut self,
        page: Vec<Conference>,
        conn: &mut Connection,
        running: bool,
    ) -> Result<(), AppGone> {
        if self.synced {
            return Ok(());
        }
        conn.first_pages += 1;
        conn.first_rooms += page.len();
        for conference in page {
            self.send(Input::Fetched(Resource::Conference(conference)).into())
                .await?;
        }
        if !running {
            return Ok(());
        }
        let state = ConnectionState::Syncing {
            pages: conn.first_pages,
            rooms: conn.first_rooms,
        };
        self.send_state(state).await
    }

    async fn run_connection(&mut self) -> Ended {
        let session = match self.session().await {
            Ok(session) => session,
            Err(ended) => return ended,
        };
        let failed = |e: &dyn std::fmt::Display, auth: bool, conn: &Connection| Ended::Failed {
            message: e.to_string(),
            auth,
            reached_live: conn.reached_live,
            silent_since: conn.silent_since,
        };
        let mut conn = Connection::default();
        let mut stream = match ws::connect(self.rest.endpoint(), self.rest.credential()).await {
            Ok(s) => s,
            Err(e) => return failed(&e, e.is_auth(), &conn),
        };
        if let Err(e) = ws::subscribe(&mut stream, session.customer_id).await {
            return failed(&e, false, &conn);
        }
        // The reader owns the socket from here on, so pings are answered during snapshots.
        let (frames_tx, mut frames) = mpsc::channel::<String>(FRAME_QUEUE);
        let (heard_tx, heard) = tokio::sync::watch::channel(Instant::now());
        let idle = self.options.idle_timeout;
        let mut reader = tokio::spawn(async move {
            let mut stream = stream;
            ws::read_frames(&mut stream, &frames_tx, idle, &heard_tx).await
        });
        let _abort_reader = AbortOnDrop(reader.abort_handle());

        if self.synced {
            // Frames flow into the store at once; the snapshot catches up on the gap.
            conn.resyncing = true;
            let live = ConnectionState::Live {
                since: chrono::Utc::now(),
                resyncing: true,
            };
            if self.send_state(live).await.is_err() {
                return Ended::AppGone;
            }
        }
        let (sink, mut first_pages) = mpsc::unbounded_channel();
        if !self.synced && self.options.show_first_pages {
            let syncing = ConnectionState::Syncing { pages: 0, rooms: 0 };
            if self.send_state(syncing).await.is_err() {
                return Ended::AppGone;
            }
        }
        let mut snapshot_backoff =
            Backoff::new(self.options.backoff_base, self.options.backoff_max);
        let mut phase = self.take_snapshot(&sink, &mut conn, false);
        let mut silence_check =
            tokio::time::interval(self.options.stale_after.min(Duration::from_secs(1)));
        loop {
            tokio::select! {
                Some(frame) = frames.recv() => {
                    let limit = self.options.hold_back_frames;
                    if self.synced || conn.flowing {
                        if self.send(Input::Frame(frame).into()).await.is_err() {
                            return Ended::AppGone;
                        }
                    } else if matches!(phase, Phase::RetrySnapshot(_)) {
                        // No snapshot is under way: the next one starts after these, so
                        // they need not be kept beyond the limit.
                        if conn.held.push(frame, limit).is_err() {
                            conn.held = Held::default();
                        }
                    } else if let Err(frame) = conn.held.push(frame, limit) {
                        tracing::warn!(
                            "more frames arrived during the first snapshot than it holds back \
                             ({limit} or {} MiB): they go to the store as they come from now on",
                            MAX_HELD_BYTES >> 20
                        );
                        conn.flowing = true;
                        for held in std::mem::take(&mut conn.held).frames.into_iter().chain([frame]) {
                            if self.send(Input::Frame(held).into()).await.is_err() {
                                return Ended::AppGone;
                            }
                        }
                    }
                }
                Some(page) = first_pages.recv() => {
                    let running = matches!(phase, Phase::Snapshot(_));
                    if let Err(AppGone) = self.hand_over_page(page, &mut conn, running).await {
                        return Ended::AppGone;
                    }
                }
                ended = &mut reader => {
                    // Forward what was read before the end, then report it.
                    while let Ok(frame) = frames.try_recv() {
                        if (self.synced || conn.flowing)
                            && self.send(Input::Frame(frame).into()).await.is_err()
                        {
                            return Ended::AppGone;
                        }
                    }
                    return failed(&reader_error(ended), false, &conn);
                }
                _ = silence_check.tick(), if self.synced => {
                    if let Err(AppGone) = self.check_silence(&heard, &mut conn).await {
                        return Ended::AppGone;
                    }
                }
                done = phase.next() => match done {
                    PhaseDone::Snapshot(Ok((data, stats))) => {
                        tracing::info!(requests = stats.requests(), "snapshot taken");
                        if let Err(AppGone) = self.hand_over(data, &mut conn).await {
                            return Ended::AppGone;
                        }
                        snapshot_backoff.reset();
                        phase = Phase::Live(
                            self.options.resync_every.map(|every| Box::pin(tokio::time::sleep(every))),
                        );
                    }
                    PhaseDone::Snapshot(Err(e)) if e.is_auth() => return failed(&e, true, &conn),
                    PhaseDone::Snapshot(Err(e)) => {
                        // The socket is fine: keep it and try the snapshot again (after
                        // any pause the platform asked for).
                        let delay = snapshot_backoff
                            .next_delay(&mut self.rng)
                            .max(self.rest.pause_remaining());
                        tracing::warn!(error = %e, retry_in = ?delay, "snapshot failed");
                        if !self.synced {
                            let retry_at = chrono::Utc::now()
                                + chrono::TimeDelta::from_std(delay).unwrap_or_default();
                            self.failures += 1;
                            conn.snapshot_error = Some(format!("snapshot: {e}"));
                            let state = self.not_live(conn.snapshot_error.clone(), Some(retry_at));
                            if self.send_state(state).await.is_err() {
                                return Ended::AppGone;
                            }
                        }
                        phase = Phase::RetrySnapshot(Box::pin(tokio::time::sleep(delay)));
                    }
                    PhaseDone::Due => {
                        let state = match (self.synced, &phase) {
                            (false, Phase::RetrySnapshot(_)) => {
                                Some(self.not_live(conn.snapshot_error.clone(), None))
                            }
                            // The periodic resync: frames keep flowing, and the header says
                            // it is under way until the snapshot is in.
                            (true, Phase::Live(_)) if !conn.stale => {
                                conn.resyncing = true;
                                Some(ConnectionState::Live {
                                    since: chrono::Utc::now(),
                                    resyncing: true,
                                })
                            }
                            _ => None,
                        };
                        if let Some(state) = state {
                            if self.send_state(state).await.is_err() {
                                return Ended::AppGone;
                            }
                        }
                        let periodic = matches!(phase, Phase::Live(_));
                        phase = self.take_snapshot(&sink, &mut conn, periodic);
                    }
                },
            }
        }
    }

    /// Gives the store the snapshot, then what was held back during it; live from here.
    async fn hand_over(&mut self, data: Snapshot, conn: &mut Connection) -> Result<(), AppGone> {
        self.send(Input::Snapshot(data).into()).await?;
        for frame in std::mem::take(&mut conn.held).frames {
            self.send(Input::Frame(frame).into()).await?;
        }
        let announce = !self.synced || conn.resyncing;
        self.synced = true;
        self.failures = 0;
        self.stale_since = None;
        conn.reached_live = true;
        conn.resyncing = false;
        // A silent socket stays stale through a resync until it is heard again.
        if announce && !conn.stale {
            let live = ConnectionState::Live {
                since: chrono::Utc::now(),
                resyncing: false,
            };
            self.send_state(live).await?;
        }
        Ok(())
    }

    /// Live ⇄ stale by how long the socket has been silent.
    async fn check_silence(
        &self,
        heard: &tokio::sync::watch::Receiver<Instant>,
        conn: &mut Connection,
    ) -> Result<(), AppGone> {
        let silent_for = heard.borrow().elapsed();
        let silent = silent_for >= self.options.stale_after;
        if silent == conn.stale {
            return Ok(());
        }
        conn.stale = silent;
        let now = chrono::Utc::now();
        let state = if silent {
            let since = now - chrono::TimeDelta::from_std(silent_for).unwrap_or_default();
            conn.silent_since = Some(since);
            ConnectionState::Stale { since }
        } else {
            conn.silent_since = None;
            ConnectionState::Live {
                since: now,
                resyncing: conn.resyncing,
            }
        };
        self.send_state(state).await
    }
}

fn reader_error(ended: Result<WsError, tokio::task::JoinError>) -> WsError {
    ended.unwrap_or_else(|e| WsError::Transport(format!("reader task ended: {e}")))
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_frames_are_bounded_and_never_dropped_by_the_bound() {
        let mut held = Held::default();
        for n in 0..MAX_HELD_FRAMES {
            assert!(held.push(format!("{n}"), MAX_HELD_FRAMES).is_ok());
        }
        let back = held
            .push("one too many".into(), MAX_HELD_FRAMES)
            .unwrap_err();
        assert_eq!(back, "one too many");
        assert_eq!(held.frames.len(), MAX_HELD_FRAMES, "what was held stays");
        let mut held = Held::default();
        assert!(held.push("x".repeat(MAX_HELD_BYTES + 1), 10).is_err());
    }
}
