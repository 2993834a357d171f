pub mod voipbin;
