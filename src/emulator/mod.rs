//! A faithful VoIPbin emulator: REST under `/v1.0`, `/auth/login`, and the WebSocket, over
//! an in-memory platform model. It shares only the `voipbin` wire types with the client.

pub mod api_error;
pub mod auth;
pub mod bus;
pub mod director;
pub mod faults;
pub mod identity;
pub mod launch;
pub mod load;
pub mod platform;
pub mod ratelimit;
pub mod rest;
pub mod scenario;
pub mod server;
pub mod state;
pub mod tally;
pub mod traffic;
pub mod ws;
