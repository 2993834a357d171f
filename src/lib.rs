pub mod app;
pub mod client;
pub mod config;
pub mod emulator;
pub mod headless;
pub mod store;
pub mod ui;
pub mod voipbin;
