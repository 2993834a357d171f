pub mod emulator;
pub mod voipbin;
