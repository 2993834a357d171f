pub mod cli;
pub mod emulator;
pub mod voipbin;
