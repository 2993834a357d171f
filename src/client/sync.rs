//! The sync engine: tasks that keep a connection to the platform and send typed events down
//! one channel. The app loop owns the store and applies them; the engine never touches it.
//!
//! Per connection: connect the WebSocket, subscribe, take a REST snapshot while the reader
//! keeps reading (pongs), hand over the snapshot, then the frames that arrived meanwhile,
//! then every frame as it comes. Any failure becomes connection state and a reconnect
//! with backoff; nothing here ends the app.

use std::time::Duration;

use rand::SeedableRng;
use tokio::sync::mpsc;

use super::backoff::Backoff;
use super::connection::ConnectionState;
use super::link::{Inbound, Source};
use super::rest::RestClient;
use super::scheduler;
use super::session::Session;
use super::snapshot;
use super::ws::{self, WsError};
use crate::store::Input;

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
        }
    }
}

/// Starts the engine; it sends everything to `events` until the returned source is dropped.
pub fn start(
    rest: RestClient,
    session: Session,
    options: SyncOptions,
    events: mpsc::Sender<Inbound>,
) -> Source {
    let (scheduler_tx, scheduler_rx) = mpsc::unbounded_channel();
    let fetcher = tokio::spawn(scheduler::run(rest.clone(), scheduler_rx, events.clone()));
    let connection = tokio::spawn(connection_loop(rest, session, options, events));
    Source::new(scheduler_tx, vec![fetcher, connection])
}

/// Why one connection ended.
#[derive(Debug)]
enum Ended {
    /// The app is gone: stop.
    AppGone,
    Failed {
        message: String,
        auth: bool,
        was_live: bool,
        /// The data was already stale (a silent socket) since then.
        stale_since: Option<chrono::DateTime<chrono::Utc>>,
    },
}

async fn connection_loop(
    rest: RestClient,
    session: Session,
    options: SyncOptions,
    events: mpsc::Sender<Inbound>,
) {
    let mut backoff = Backoff::new(options.backoff_base, options.backoff_max);
    let mut rng = match options.jitter_seed {
        Some(seed) => rand_chacha::ChaCha8Rng::seed_from_u64(seed),
        None => rand_chacha::ChaCha8Rng::from_entropy(),
    };
    let mut stale_since = None;
    if events
        .send(Inbound::Connection(ConnectionState::Connecting))
        .await
        .is_err()
    {
        return;
    }
    loop {
        match run_connection(&rest, &session, &options, &events).await {
            Ended::AppGone => return,
            Ended::Failed {
                message,
                auth,
                was_live,
                stale_since: silent_since,
            } => {
                if was_live {
                    backoff.reset();
                    stale_since = Some(silent_since.unwrap_or_else(chrono::Utc::now));
                }
                let since = *stale_since.get_or_insert_with(chrono::Utc::now);
                tracing::info!(error = %message, attempt = backoff.attempt() + 1, "disconnected");
                let state = if auth {
                    ConnectionState::AuthFailed { message }
                } else {
                    ConnectionState::Reconnecting {
                        attempt: backoff.attempt() + 1,
                        stale_since: since,
                        last_error: message,
                    }
                };
                if events.send(Inbound::Connection(state)).await.is_err() {
                    return;
                }
                let delay = if auth {
                    options.backoff_max
                } else {
                    backoff.next_delay(&mut rng)
                };
                tokio::time::sleep(delay).await;
            }
        }
    }
}

async fn run_connection(
    rest: &RestClient,
    session: &Session,
    options: &SyncOptions,
    events: &mpsc::Sender<Inbound>,
) -> Ended {
    let mut silent_since = None;
    let failed = |message: String, auth: bool, was_live: bool, stale_since| Ended::Failed {
        message,
        auth,
        was_live,
        stale_since,
    };
    let mut stream = match ws::connect(rest.endpoint(), rest.credential()).await {
        Ok(s) => s,
        Err(e) => return failed(e.to_string(), e.is_auth(), false, silent_since),
    };
    if let Err(e) = ws::subscribe(&mut stream, session.customer_id).await {
        return failed(e.to_string(), false, false, silent_since);
    }
    // The reader owns the socket from here on, so pings are answered during the snapshot.
    let (frames_tx, mut frames) = mpsc::channel::<String>(4096);
    let (heard_tx, heard) = tokio::sync::watch::channel(std::time::Instant::now());
    let idle = options.idle_timeout;
    let mut reader = tokio::spawn(async move {
        let mut stream = stream;
        ws::read_frames(&mut stream, &frames_tx, idle, &heard_tx).await
    });
    let _abort_reader = AbortOnDrop(reader.abort_handle());

    let mut was_live = false;
    let mut stale = false;
    let mut silence_check = tokio::time::interval(options.stale_after.min(Duration::from_secs(1)));
    loop {
        // Snapshot, holding frames back until it is handed over: the store sees the
        // snapshot first and then only what happened after (or during) it.
        let mut held = Vec::new();
        let taking = snapshot::take(rest);
        tokio::pin!(taking);
        let (data, stats) = loop {
            tokio::select! {
                result = &mut taking => match result {
                    Ok(done) => break done,
                    Err(e) => return failed(e.to_string(), e.is_auth(), was_live, silent_since),
                },
                Some(frame) = frames.recv() => held.push(frame),
                ended = &mut reader => return failed(reader_error(ended).to_string(), false, was_live, silent_since),
            }
        };
        tracing::info!(requests = stats.requests(), "snapshot taken");
        if events.send(Input::Snapshot(data).into()).await.is_err() {
            return Ended::AppGone;
        }
        for frame in held {
            if events.send(Input::Frame(frame).into()).await.is_err() {
                return Ended::AppGone;
            }
        }
        // Only the first snapshot makes the connection live; a silent socket stays stale
        // through a resync until it is heard again (below).
        if !was_live {
            was_live = true;
            let live = ConnectionState::Live {
                since: chrono::Utc::now(),
            };
            if events.send(Inbound::Connection(live)).await.is_err() {
                return Ended::AppGone;
            }
        }
        let resync = async {
            match options.resync_every {
                Some(every) => tokio::time::sleep(every).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(resync);
        loop {
            tokio::select! {
                Some(frame) = frames.recv() => {
                    if events.send(Input::Frame(frame).into()).await.is_err() {
                        return Ended::AppGone;
                    }
                }
                _ = silence_check.tick() => {
                    let silent_for = heard.borrow().elapsed();
                    let silent = silent_for >= options.stale_after;
                    if silent != stale {
                        stale = silent;
                        let now = chrono::Utc::now();
                        let state = if silent {
                            let since = now
                                - chrono::TimeDelta::from_std(silent_for).unwrap_or_default();
                            silent_since = Some(since);
                            ConnectionState::Stale { since }
                        } else {
                            silent_since = None;
                            ConnectionState::Live { since: now }
                        };
                        if events.send(Inbound::Connection(state)).await.is_err() {
                            return Ended::AppGone;
                        }
                    }
                }
                ended = &mut reader => {
                    // Forward what was read before the end, then report it.
                    while let Ok(frame) = frames.try_recv() {
                        if events.send(Input::Frame(frame).into()).await.is_err() {
                            return Ended::AppGone;
                        }
                    }
                    return failed(reader_error(ended).to_string(), false, was_live, silent_since);
                }
                _ = &mut resync => break,
            }
        }
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
