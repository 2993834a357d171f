//! `bridgetop snapshot --json`: one REST sync, then the store's JSON document on stdout.

use std::io::Write;

use crate::client::follow::Follower;
use crate::client::rest::{RestClient, RestError};
use crate::client::scheduler::fetch_one;
use crate::client::snapshot::{self, SnapshotStats};
use crate::client::sync::SyncEvent;
use crate::config::Overrides;
use crate::store::StoreConfig;

use super::{exit, Context, Failure};

/// Rounds of per-id fetches after the snapshot (each round may reveal new needs).
const FETCH_ROUNDS: usize = 4;

/// Takes a snapshot into a fresh store and fetches what it still misses.
pub async fn sync_once(
    rest: &RestClient,
    config: StoreConfig,
) -> Result<(Follower, SnapshotStats), RestError> {
    let mut follower = Follower::new(config);
    let (data, stats) = snapshot::take(rest).await?;
    follower.apply(
        SyncEvent::Snapshot {
            data: Box::new(data),
            stats,
        },
        chrono::Utc::now(),
    );
    for _ in 0..FETCH_ROUNDS {
        let wanted = follower.wanted(std::time::Instant::now());
        if wanted.is_empty() {
            break;
        }
        for w in wanted {
            let event = match fetch_one(rest, w.kind, w.id).await {
                Ok(resource) => SyncEvent::Fetched(Box::new(resource)),
                Err(e) if e.is_not_found() => SyncEvent::NotFound {
                    kind: w.kind,
                    id: w.id,
                },
                Err(e) => return Err(e),
            };
            follower.apply(event, chrono::Utc::now());
        }
    }
    Ok((follower, stats))
}

pub async fn snapshot(overrides: &Overrides, out: &mut impl Write) -> Result<(), Failure> {
    let context = Context::open(overrides)?;
    let session = context.session().await?;
    let config = StoreConfig {
        myself: session.agent_id,
        ..StoreConfig::default()
    };
    let (follower, _) = sync_once(&context.rest, config)
        .await
        .map_err(|e| Failure::from_rest(&e))?;
    let document = follower.store.to_json(chrono::Utc::now());
    let text = serde_json::to_string_pretty(&document).expect("the document serialises");
    writeln!(out, "{text}").map_err(|e| Failure::new(exit::NETWORK, format!("stdout: {e}")))
}
