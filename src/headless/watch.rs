//! `bridgetop watch --jsonl`: follow the platform and print one JSON line per change
//! (conference added/updated/ended, participant joined/updated/left, alert raised/cleared,
//! plus connection changes) until interrupted. Network errors are lines, never the end.

use std::future::Future;
use std::io::Write;
use std::time::Duration;

use serde_json::json;
use tokio::sync::mpsc;

use crate::client::connection::{ConnectionState, FirstLive};
use crate::client::follow::Follower;
use crate::client::link::Inbound;
use crate::client::sync::{self, SyncOptions};
use crate::config::{Config, Overrides};
use crate::startup::{self, exit, Context, Failure};
use crate::store::Input;

pub async fn watch(
    overrides: &Overrides,
    options: SyncOptions,
    out: &mut impl Write,
    stop: impl Future<Output = ()>,
) -> Result<(), Failure> {
    let config =
        Config::load(overrides.config.as_deref()).map_err(|e| Failure::new(exit::USAGE, e))?;
    let context = Context::open(overrides)?;
    // An access key's customer is learned by the engine, retrying while the platform
    // cannot answer: `watch` never ends on a transient failure.
    let session = context.local_session()?;
    let opened = startup::open_store(&config, &context, session.as_ref().and_then(|s| s.agent_id));
    let (store, mut ledger_file) = (opened.store, opened.ledger_file);
    if let Some(warning) = opened.warning {
        eprintln!("warning: {warning}");
    }
    let mut follower = Follower::new(store);

    let (tx, mut inbound) = mpsc::channel(4096);
    let source = sync::start(context.rest.clone(), session, options, tx);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tokio::pin!(stop);
    let write_failed = |e: std::io::Error| Failure::new(exit::NETWORK, format!("stdout: {e}"));
    // Every line carries `seq` (monotonic in this process) and `at` (when it was written).
    let mut seq: u64 = 0;
    let mut first_live = FirstLive::default();
    let mut line = |mut value: serde_json::Value| {
        seq += 1;
        if let Some(object) = value.as_object_mut() {
            object.insert("seq".into(), seq.into());
            let at = crate::voipbin::time::format(&chrono::Utc::now());
            object.insert("at".into(), at.into());
        }
        value.to_string()
    };
    loop {
        let changes = tokio::select! {
            _ = &mut stop => return Ok(()),
            message = inbound.recv() => {
                let Some(message) = message else { return Ok(()) };
                if let Inbound::Connection(state) = &message {
                    let text = line(json!({"change": "connection", "connection": state}));
                    writeln!(out, "{text}").map_err(write_failed)?;
                    report_on_stderr(state);
                    if let Some(message) = first_live.refusal(state) {
                        out.flush().map_err(write_failed)?;
                        return Err(Failure::new(exit::AUTH, message));
                    }
                }
                let changes = follower.apply(message, chrono::Utc::now());
                source.want(follower.wanted(std::time::Instant::now()));
                changes
            }
            _ = tick.tick() => follower.store.apply(Input::Tick, chrono::Utc::now()),
        };
        for change in changes.iter() {
            let text = line(serde_json::to_value(change).expect("a change serialises"));
            writeln!(out, "{text}").map_err(write_failed)?;
        }
        out.flush().map_err(write_failed)?;
        if changes.ledger_changed {
            if let Err(e) = ledger_file.save(follower.store.ledger()) {
                tracing::warn!(error = %e, "cannot save the hold ledger");
                eprintln!("warning: {e}");
            }
        }
    }
}

/// A person running `watch` sees the connection on stderr (stdout is for the JSON lines).
fn report_on_stderr(state: &ConnectionState) {
    let now = chrono::Utc::now();
    match state.last_error() {
        Some(reason) => eprintln!("bridgetop watch: {} ({reason})", state.describe(now)),
        None => eprintln!("bridgetop watch: {}", state.describe(now)),
    }
}
