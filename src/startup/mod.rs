//! What every mode (dashboard, `watch`, `snapshot`, one-shot commands) starts from: the
//! resolved profile and a REST client (`Context`), the store built the same way for all
//! (thresholds from the config, the hold ledger from the data directory), logging, and
//! failures with exit codes.

mod context;
pub mod exit;
mod logging;

pub(crate) use context::exit_for_status;
pub use context::{Context, Failure};
pub use logging::init_logging;

use uuid::Uuid;

use crate::config::Config;
use crate::store::ledger_file::{self, LedgerFile};
use crate::store::ConferencesState;

/// The store every mode runs, and the hold-ledger file it saves to.
#[derive(Debug)]
pub struct OpenStore {
    pub store: ConferencesState,
    pub ledger_file: LedgerFile,
    /// A ledger that could not be read (it was set aside): for the user to see.
    pub warning: Option<String>,
}

/// The store every mode runs: the config's thresholds, `me`, and the shared hold ledger.
pub fn open_store(config: &Config, context: &Context, me: Option<Uuid>) -> OpenStore {
    let path = ledger_file::ledger_path(&context.resolved.data_dir);
    let (ledger, warning) = ledger_file::open(&path, chrono::Utc::now());
    if let Some(warning) = &warning {
        tracing::warn!("{warning}");
    }
    let ledger_file = LedgerFile::new(path, ledger.clone());
    let store = ConferencesState::new(config.store_config(me)).with_ledger(ledger);
    OpenStore {
        store,
        ledger_file,
        warning,
    }
}
