//! Commands over loopback: pending until confirmed, rolled back with the envelope's
//! reason and request id on failure, the all-zero recording reply treated as failure, and
//! a 429 answered by waiting for `Retry-After` rather than hammering.

mod client_common;

use client_common::*;

use bridgetop::client::commands::{self, Outcome};
use bridgetop::client::execute::outcome_inputs;
use bridgetop::command::Command;
use bridgetop::emulator::launch::{spawn, EmulatorConfig};
use bridgetop::emulator::ratelimit::{Rate, RateLimitConfig};
use bridgetop::headless::snapshot_sync_once;
use bridgetop::store::{CommandId, ConferencesState, Input, StoreConfig};

fn issued(id: CommandId, command: &Command) -> Input {
    Input::CommandIssued {
        id,
        command: command.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_confirm_or_roll_back() {
    let emu = emulator(9, "", 10.0).await;
    let customer = emu.account.customer_id;
    let (conference, _leg, call) = room_with_customer(&emu, "commands").await;
    let rest = rest_client(&emu, 100.0);

    // Recording: the second start gets the platform's all-zero reply, which is a failure.
    let start = Command::RecordingStart {
        conference_id: conference,
    };
    let first = commands::send(&rest, &start).await;
    assert!(first.accepted(), "{first:?}");
    let second = commands::send(&rest, &start).await;
    assert!(
        matches!(&second, Outcome::Failed { reason, .. } if reason == "ZERO_REPLY"),
        "{second:?}"
    );
    let stop = Command::RecordingStop {
        conference_id: conference,
    };
    assert!(commands::send(&rest, &stop).await.accepted());
    let again = commands::send(&rest, &stop).await;
    match &again {
        Outcome::Failed {
            reason,
            request_id,
            status,
            ..
        } => {
            assert_eq!(reason, "INVALID_ARGUMENT");
            assert_eq!(*status, Some(400));
            assert!(request_id.is_some(), "the request id is kept");
        }
        other => panic!("stopping twice must fail: {other:?}"),
    }

    // Hold through the store: pending, then confirmed by the reply, then in the ledger.
    let (mut follower, _) = snapshot_sync_once(
        &rest,
        ConferencesState::new(StoreConfig::default()),
        bridgetop::headless::FetchErrors::Fail,
    )
    .await
    .unwrap();
    let now = chrono::Utc::now;
    let hold = Command::Hold { call_id: call };
    follower.store.apply(issued(CommandId(1), &hold), now());
    let pending = |f: &bridgetop::client::follow::Follower| {
        f.store
            .conference(conference)
            .and_then(|c| c.participants.iter().find(|p| p.call_id == Some(call)))
            .map(|p| (p.pending.is_some(), p.on_hold, p.last_error.clone()))
            .unwrap()
    };
    assert_eq!(pending(&follower), (true, false, None));
    let outcome = commands::send(&rest, &hold).await;
    assert!(outcome.accepted());
    for input in outcome_inputs(CommandId(1), &hold, &outcome) {
        follower.store.apply(input, now());
    }
    assert_eq!(pending(&follower), (false, true, None));
    assert!(follower.store.ledger().get(call).is_some());

    // Mute on a call that has hung up: the platform refuses; the store rolls back and
    // keeps the reason and request id.
    emu.platform.remote_hangup(customer, call).unwrap();
    let mute = Command::Mute {
        call_id: call,
        direction: bridgetop::voipbin::MuteDirection::Both,
    };
    follower.store.apply(issued(CommandId(2), &mute), now());
    let outcome = commands::send(&rest, &mute).await;
    assert!(!outcome.accepted(), "muting a dead call fails: {outcome:?}");
    for input in outcome_inputs(CommandId(2), &mute, &outcome) {
        follower.store.apply(input, now());
    }
    let (is_pending, _, error) = pending(&follower);
    assert!(!is_pending);
    let error = error.expect("the failure is kept");
    assert_eq!(
        Some(error.reason.as_str()),
        match &outcome {
            Outcome::Failed { reason, .. } => Some(reason.as_str()),
            _ => None,
        }
    );
    assert!(error.request_id.is_some());
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_reads_wait_for_retry_after() {
    let mut config = EmulatorConfig::for_tests();
    config.rate_limit = RateLimitConfig {
        enabled: true,
        customer: Rate::new(5.0, 2.0),
        ..RateLimitConfig::default()
    };
    let emu = spawn(config).await.unwrap();
    // A client budget far above the platform's: the platform's 429s must pace it.
    let rest = rest_client(&emu, 1000.0);
    for _ in 0..6 {
        bridgetop::client::api::customer(&rest)
            .await
            .expect("reads succeed after waiting out 429s");
    }
    assert!(
        rest.request_count() > 6,
        "some requests were refused and retried"
    );
    emu.shutdown().await.unwrap();
}
