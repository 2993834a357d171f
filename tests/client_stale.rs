//! The engine itself says when a live socket has gone silent (`stale`), and when it is
//! heard again (`live`): the platform pings every 10 s, so a quiet platform stays live.

mod client_common;

use std::time::Duration;

use client_common::*;
use tokio::sync::mpsc;

use bridgetop::client::connection::ConnectionState;
use bridgetop::client::link::Inbound;
use bridgetop::client::session;
use bridgetop::client::sync::{self, SyncOptions};
use bridgetop::store::Input;

async fn next_state(inbound: &mut mpsc::Receiver<Inbound>) -> ConnectionState {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(20), inbound.recv())
            .await
            .expect("the engine reports in time")
            .expect("the engine runs");
        if let Inbound::Connection(state) = message {
            return state;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silence_on_a_live_socket_is_stale_until_heard_again() {
    let emu = emulator(41, "", 1.0).await;
    let rest = rest_client(&emu, 100.0);
    let session = session::establish(&rest).await.unwrap();
    let (tx, mut inbound) = mpsc::channel(1000);
    let options = SyncOptions {
        stale_after: Duration::from_millis(500),
        resync_every: None,
        ..SyncOptions::default()
    };
    let _source = sync::start(rest, Some(session), options, tx);
    assert_eq!(
        next_state(&mut inbound).await,
        ConnectionState::first_attempt()
    );
    assert!(next_state(&mut inbound).await.is_live());
    // Nothing happens on the platform: after 500 ms of silence the data is stale.
    let stale = next_state(&mut inbound).await;
    assert!(matches!(stale, ConnectionState::Stale { .. }), "{stale:?}");
    // Something happens: a frame arrives and the console is live again.
    emu.platform
        .create_conference(emu.account.customer_id, conference_spec("wake"))
        .unwrap();
    assert!(next_state(&mut inbound).await.is_live());
    emu.shutdown().await.unwrap();
}

/// The periodic resync says it is under way (`live · resyncing`) until its snapshot is in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_periodic_resync_is_announced() {
    let emu = emulator(42, "", 1.0).await;
    let rest = rest_client(&emu, 100.0);
    let session = session::establish(&rest).await.unwrap();
    let (tx, mut inbound) = mpsc::channel(1000);
    let options = SyncOptions {
        resync_every: Some(Duration::from_secs(1)),
        ..SyncOptions::default()
    };
    let _source = sync::start(rest, Some(session), options, tx);
    assert_eq!(
        next_state(&mut inbound).await,
        ConnectionState::first_attempt()
    );
    assert!(matches!(
        next_state(&mut inbound).await,
        ConnectionState::Live {
            resyncing: false,
            ..
        }
    ));
    assert!(matches!(
        next_state(&mut inbound).await,
        ConnectionState::Live {
            resyncing: true,
            ..
        }
    ));
    // Between "resyncing" and "live" again, exactly one snapshot comes in.
    let mut snapshots = 0;
    let state = loop {
        let message = tokio::time::timeout(Duration::from_secs(20), inbound.recv())
            .await
            .expect("the engine reports in time")
            .expect("the engine runs");
        match message {
            Inbound::Connection(state) => break state,
            Inbound::Input(input) if matches!(*input, Input::Snapshot(_)) => snapshots += 1,
            _ => {}
        }
    };
    assert!(
        matches!(
            state,
            ConnectionState::Live {
                resyncing: false,
                ..
            }
        ),
        "{state:?}"
    );
    assert_eq!(snapshots, 1);
    emu.shutdown().await.unwrap();
}
