//! Headless modes: `snapshot`, `watch`, `login` and the one-shot commands. Each prints a
//! result for scripts and fails with a one-line reason and a distinct exit code.

mod context;
mod login;
mod oneshot;
mod snapshot;
mod watch;

pub use context::{Context, Failure};
pub use login::{login, prompt_credentials};
pub use oneshot::{run_command, OneShot};
pub use snapshot::snapshot;
pub use watch::watch;

/// Exit codes scripts can tell apart.
pub mod exit {
    pub const OK: u8 = 0;
    /// The platform refused the command (error envelope printed).
    pub const REJECTED: u8 = 1;
    /// Bad config, flags or credentials source.
    pub const USAGE: u8 = 2;
    /// The platform refused the credentials or their permission.
    pub const AUTH: u8 = 3;
    /// The platform could not be reached or answered nonsense.
    pub const NETWORK: u8 = 4;
}
