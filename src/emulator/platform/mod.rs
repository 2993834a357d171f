//! The in-memory platform model (placeholder until the platform lands).

pub struct Platform {}
