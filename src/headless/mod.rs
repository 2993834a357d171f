//! Headless modes: `snapshot`, `watch`, `login` and the one-shot commands. Each prints a
//! result for scripts and fails with a one-line reason and a distinct exit code.

pub mod cli_main;
mod info;
mod login;
mod oneshot;
mod snapshot;
mod watch;

pub use crate::startup::{exit, Context, Failure};
pub use info::info;
pub use login::{login, prompt_credentials};
pub use oneshot::run_command;
pub use snapshot::{snapshot, sync_once as snapshot_sync_once, FetchErrors};
pub use watch::watch;
