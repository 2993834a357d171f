//! Shared state of a running emulator, handed to every axum handler.

use std::sync::Arc;

use super::bus::EventBus;
use super::faults::Faults;
use super::platform::Platform;
use super::ws::WsConfig;

#[derive(Clone)]
pub struct AppState {
    pub platform: Arc<Platform>,
    pub bus: EventBus,
    pub faults: Arc<Faults>,
    pub ws: WsConfig,
}
