//! Starting an emulator: demo platform + REST/WS router on a TCP port. Used by
//! `bridgetop serve` and by in-process tests (bind `127.0.0.1:0`).

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::bus::EventBus;
use super::faults::{FaultPlan, Faults};
use super::platform::{DemoAccount, Platform, PlatformConfig};
use super::ratelimit::RateLimitConfig;
use super::rest;
use super::state::AppState;
use super::ws::WsConfig;

#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    pub bind: SocketAddr,
    pub platform: PlatformConfig,
    pub rate_limit: RateLimitConfig,
    pub faults: FaultPlan,
    pub ws: WsConfig,
    /// Capacity of the event bus's broadcast channel.
    pub bus_capacity: usize,
    /// A client that has not sent a whole request head this long after connecting, or
    /// after its previous request on a kept-alive connection, is disconnected, so
    /// slow-header and idle sockets cannot pile up. (Upgraded WebSockets have their own
    /// ping and pong deadline.)
    pub header_read_timeout: Duration,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            platform: PlatformConfig::default(),
            rate_limit: RateLimitConfig::default(),
            faults: FaultPlan::default(),
            ws: WsConfig::default(),
            bus_capacity: 4096,
            header_read_timeout: Duration::from_secs(10),
        }
    }
}

impl EmulatorConfig {
    /// Loopback on a free port, rate limits off: what most tests want.
    pub fn for_tests() -> Self {
        EmulatorConfig {
            rate_limit: RateLimitConfig::disabled(),
            ..Self::default()
        }
    }
}

/// A running emulator. Dropping it without [`RunningEmulator::shutdown`] leaves the
/// server task running until the runtime ends.
#[derive(Debug)]
pub struct RunningEmulator {
    pub addr: SocketAddr,
    pub account: DemoAccount,
    pub platform: Arc<Platform>,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:<port>` (append `/v1.0/...`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://127.0.0.1:<port>/v1.0/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1.0/ws", self.addr)
    }

    /// Stops accepting, lets open requests finish, and waits for the server task.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.unwrap_or(Ok(()))
    }

    /// Runs until the server stops (e.g. on an I/O error).
    pub async fn wait(self) -> std::io::Result<()> {
        let _keep_open = self.shutdown;
        self.task.await.unwrap_or(Ok(()))
    }
}

/// Builds the demo platform and serves it on `config.bind`.
pub async fn spawn(config: EmulatorConfig) -> std::io::Result<RunningEmulator> {
    let bus = EventBus::new(config.bus_capacity);
    let (platform, account) = Platform::demo(config.platform.clone(), bus.clone());
    let state = AppState::new(
        platform.clone(),
        bus,
        Arc::new(Faults::new(config.faults.clone(), config.platform.seed)),
        config.rate_limit.clone(),
        config.ws.clone(),
    );
    let listener = tokio::net::TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let router = rest::router(state.clone());
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, router, config.header_read_timeout, rx));
    Ok(RunningEmulator {
        addr,
        account,
        platform,
        state,
        shutdown: Some(tx),
        task,
    })
}

/// How long a shutdown waits for open requests to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Accepts connections until `stop`, each served by hyper with the header-read timeout and
/// WebSocket upgrades; the peer address goes to the handlers as `ConnectInfo`.
async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    header_read_timeout: Duration,
    mut stop: oneshot::Receiver<()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, never stop serving.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            tower_service::Service::call(&mut router.clone(), request)
        });
        let builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // hyper's header timer starts with the HTTP/1 parser, after it has read the
            // first bytes: a socket that sends nothing at all is closed here.
            // (`readable()` may report a fresh socket ready; a peek waits for a byte.)
            let mut first = [0u8; 1];
            if !matches!(
                tokio::time::timeout(header_read_timeout, stream.peek(&mut first)).await,
                Ok(Ok(1..))
            ) {
                return;
            }
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            if let Err(e) = watcher.watch(connection).await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}
