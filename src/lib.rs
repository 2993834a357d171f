pub mod app;
pub mod emulator;
pub mod store;
pub mod ui;
pub mod voipbin;
