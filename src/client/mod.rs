//! The REST and WebSocket client: credentials, transport, snapshot, fetch scheduler, the
//! sync engine, commands and the audit trail. One job per file.

pub mod api;
pub mod audit;
pub mod backoff;
pub mod commands;
pub mod connection;
pub mod credentials;
pub mod execute;
pub mod find_agent;
pub mod follow;
pub mod link;
pub mod rest;
pub mod scheduler;
pub mod session;
pub mod snapshot;
pub mod sync;
pub mod ws;
