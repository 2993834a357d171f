//! `bridgetop snapshot --json`: one REST sync, then the store's JSON document on stdout.

use std::io::Write;
use std::time::Duration;

use rand::SeedableRng;

use crate::client::backoff::Backoff;

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
    let (data, stats) = snapshot::take(rest, None).await?;
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

/// One sync and the document on stdout. A transient failure (no answer, 5xx, 429) is
/// retried with backoff for up to `timeout`, then exit 4 with the last reason; a refusal
/// or bad credentials end it at once.
pub async fn snapshot(
    overrides: &Overrides,
    timeout: Duration,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let config =
        Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
    let context = Context::open(overrides)?;
    let deadline = tokio::time::Instant::now() + timeout;
    let mut backoff = Backoff::default();
    let mut rng = rand_chacha::ChaCha8Rng::from_entropy();
    let mut last = None;
    let document = loop {
        let attempt = tokio::time::timeout_at(deadline, document(&config, &context)).await;
        let failure = match attempt {
            Ok(Ok(document)) => break document,
            Ok(Err(failure)) if failure.code != exit::NETWORK => return Err(failure),
            Ok(Err(failure)) => failure,
            Err(_elapsed) => return Err(gave_up(timeout, last.as_ref())),
        };
        // A 429 pauses every request: the next try cannot start sooner than that.
        let delay = backoff
            .next_delay(&mut rng)
            .max(context.rest.pause_remaining());
        // The last try starts a second before the deadline, not a backoff step short of it.
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let delay = delay
            .min(left.saturating_sub(Duration::from_secs(1)))
            .max(Duration::from_millis(100));
        if delay >= left {
            return Err(gave_up(timeout, Some(&failure)));
        }
        eprintln!(
            "bridgetop snapshot: {failure}; trying again in {:.1}s",
            delay.as_secs_f64()
        );
        last = Some(failure);
        tokio::time::sleep(delay).await;
    };
    let text = serde_json::to_string_pretty(&document).expect("the document serialises");
    writeln!(out, "{text}").map_err(|e| Failure::new(exit::NETWORK, format!("stdout: {e}")))
}

fn gave_up(timeout: Duration, last: Option<&Failure>) -> Failure {
    let reason = last.map_or_else(|| "no answer".to_string(), ToString::to_string);
    Failure::new(
        exit::NETWORK,
        format!(
            "gave up after {:.0}s (--timeout): {reason}",
            timeout.as_secs_f64()
        ),
    )
}

/// One attempt: the session, a full sync, the document with the skipped-record count.
async fn document(config: &Config, context: &Context) -> Result<serde_json::Value, Failure> {
    // Counted for this attempt only: an earlier failed one may have skipped some too.
    let skipped_before = context.rest.skipped_records();
    let session = context.session().await?;
    let opened = startup::open_store(config, context, session.agent_id);
    if let Some(warning) = opened.warning {
        eprintln!("warning: {warning}");
    }
    let (follower, _) = sync_once(&context.rest, opened.store, FetchErrors::Fail)
        .await
        .map_err(|e| Failure::from_rest(&e))?;
    let mut document = follower.store.to_json(chrono::Utc::now());
    // Records of a list page that did not decode were skipped, not fatal: say how many.
    if let Some(object) = document.as_object_mut() {
        object.insert(
            "skipped_records".into(),
            (context.rest.skipped_records() - skipped_before).into(),
        );
    }
    Ok(document)
}
