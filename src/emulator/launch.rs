//! Starting an emulator: demo platform + REST/WS router on a TCP port. Used by
//! `bridgetop serve` and by in-process tests (bind `127.0.0.1:0`).

use std::net::SocketAddr;
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
    let app = rest::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    Ok(RunningEmulator {
        addr,
        account,
        platform,
        state,
        shutdown: Some(tx),
        task,
    })
}
