pub mod client;
pub mod config;
pub mod emulator;
pub mod store;
pub mod voipbin;
