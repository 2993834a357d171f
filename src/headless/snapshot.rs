//! `bridgetop snapshot --json`: one REST sync, then the store's JSON document on stdout.

use std::io::Write;

use crate::client::follow::Follower;
use crate::client::rest::{RestClient, RestError};
use crate::client::scheduler::fetch_one;
use crate::client::snapshot::{self, SnapshotStats};
use crate::config::{Config, Overrides};
use crate::startup::{self, exit, Context, Failure};
use crate::store::{ConferencesState, Input};

/// Rounds of per-id fetches after the snapshot (each round may reveal new needs).
const FETCH_ROUNDS: usize = 4;

/// What a failed per-id fetch after the snapshot means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchErrors {
    /// The sync fails (`snapshot` must not print a partial document as complete).
    Fail,
    /// The resource stays unresolved and the sync goes on.
    Skip,
}

/// Takes a snapshot into `store` and fetches what it still misses.
pub async fn sync_once(
    rest: &RestClient,
    store: ConferencesState,
    errors: FetchErrors,
) -> Result<(Follower, SnapshotStats), RestError> {
    let mut follower = Follower::new(store);
    let (data, stats) = snapshot::take(rest).await?;
    follower.apply_input(Input::Snapshot(data), chrono::Utc::now());
    for _ in 0..FETCH_ROUNDS {
        let wanted = follower.wanted(std::time::Instant::now());
        if wanted.is_empty() {
            break;
        }
        for w in wanted {
            let input = match fetch_one(rest, w.kind, w.id).await {
                Ok(resource) => Input::Fetched(resource),
                Err(e) if e.is_not_found() => Input::NotFound {
                    kind: w.kind,
                    id: w.id,
                },
                Err(e) if errors == FetchErrors::Fail => return Err(e),
                Err(e) => {
                    tracing::warn!(kind = %w.kind, id = %w.id, error = %e, "fetch skipped");
                    continue;
                }
            };
            follower.apply_input(input, chrono::Utc::now());
        }
    }
    Ok((follower, stats))
}

pub async fn snapshot(overrides: &Overrides, out: &mut impl Write) -> Result<(), Failure> {
    let config =
        Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
    let context = Context::open(overrides)?;
    let session = context.session().await?;
    let opened = startup::open_store(&config, &context, session.agent_id);
    let store = opened.store;
    if let Some(warning) = opened.warning {
        eprintln!("warning: {warning}");
    }
    let (follower, _) = sync_once(&context.rest, store, FetchErrors::Fail)
        .await
        .map_err(|e| Failure::from_rest(&e))?;
    let mut document = follower.store.to_json(chrono::Utc::now());
    // Records of a list page that did not decode were skipped, not fatal: say how many.
    if let Some(object) = document.as_object_mut() {
        object.insert(
            "skipped_records".into(),
            context.rest.skipped_records().into(),
        );
    }
    let text = serde_json::to_string_pretty(&document).expect("the document serialises");
    writeln!(out, "{text}").map_err(|e| Failure::new(exit::NETWORK, format!("stdout: {e}")))
}
