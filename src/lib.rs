pub mod cli;
pub mod emulator;
pub mod store;
pub mod voipbin;
