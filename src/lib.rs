pub mod emulator;
pub mod store;
pub mod voipbin;
