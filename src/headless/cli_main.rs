//! The client subcommands from the command line: flags to overrides, logging to a file in
//! the data directory, a runtime, and one line on stderr with a distinct exit code on failure.

use std::process::ExitCode;

use crate::client::sync::SyncOptions;
use crate::config::Overrides;
use crate::headless::{self, Failure, OneShot};
use crate::voipbin::MuteDirection;

use crate::cli::{ClientCommand, GlobalArgs};

pub fn overrides(global: GlobalArgs) -> Overrides {
    Overrides {
        config: global.config,
        profile: global.profile,
        url: global.url,
        data_dir: global.data_dir,
        ca_cert: global.ca_cert,
        readonly: global.readonly,
    }
}

const QUIET_TRANSPORT_LOGS: [&str; 6] = [
    "tungstenite=info",
    "tokio_tungstenite=info",
    "reqwest=info",
    "hyper=info",
    "hyper_util=info",
    "h2=info",
];

/// Logs go to a file in the data directory (owner-only), never to the terminal.
pub fn init_logging(overrides: &Overrides) {
    let Ok(resolved) = headless::Context::resolve(overrides) else {
        return;
    };
    if std::fs::create_dir_all(&resolved.data_dir).is_err() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let Ok(file) = options.open(resolved.data_dir.join("bridgetop.log")) else {
        return;
    };
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Transport crates log request lines and headers (access key in the WebSocket URL, the
    // bearer token) at debug and trace: whatever RUST_LOG says, they stop at info.
    for quiet in QUIET_TRANSPORT_LOGS {
        if let Ok(directive) = quiet.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

pub fn run(global: GlobalArgs, command: ClientCommand) -> ExitCode {
    let overrides = overrides(global);
    init_logging(&overrides);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(headless::exit::USAGE);
        }
    };
    let result = runtime.block_on(dispatch(&overrides, command));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.reason);
            ExitCode::from(failure.code)
        }
    }
}

async fn dispatch(overrides: &Overrides, command: ClientCommand) -> Result<(), Failure> {
    let direction = |d: &str| MuteDirection::from(d);
    let one_shot = match command {
        ClientCommand::Login => {
            let (username, password) = headless::prompt_credentials()
                .map_err(|e| Failure::new(headless::exit::USAGE, format!("prompt: {e}")))?;
            let line = headless::login(overrides, &username, &password).await?;
            println!("{line}");
            return Ok(());
        }
        ClientCommand::Snapshot(_) => {
            return headless::snapshot(overrides, &mut std::io::stdout().lock()).await;
        }
        ClientCommand::Watch(_) => {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let mut out = std::io::stdout();
            return headless::watch(overrides, SyncOptions::default(), &mut out, stop).await;
        }
        ClientCommand::Kick(t) => OneShot::Kick(t.id),
        ClientCommand::Hangup(t) => OneShot::Hangup(t.id),
        ClientCommand::Hold(t) => OneShot::Hold(t.id),
        ClientCommand::Unhold(t) => OneShot::Unhold(t.id),
        ClientCommand::Mute(m) => OneShot::Mute(m.id, direction(&m.direction)),
        ClientCommand::Unmute(m) => OneShot::Unmute(m.id, direction(&m.direction)),
        ClientCommand::End(e) => OneShot::End(e.conference_id),
    };
    let line = headless::run_command(overrides, one_shot).await?;
    println!("{line}");
    Ok(())
}
