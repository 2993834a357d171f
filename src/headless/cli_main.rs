//! The client subcommands from the command line: flags to overrides, logging to a file in
//! the data directory, a runtime, and one line on stderr with a distinct exit code on failure.

use std::process::ExitCode;

use crate::client::sync::SyncOptions;
use crate::command::Command;
use crate::config::Overrides;
use crate::headless::{self, Failure};
use crate::startup::init_logging;
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
        ClientCommand::Defaults { keymap } => {
            print!(
                "{}",
                if keymap {
                    crate::app::keymap::DEFAULT_KEYMAP_TOML
                } else {
                    crate::config::DEFAULT_CONFIG
                }
            );
            return Ok(());
        }
        ClientCommand::Info => {
            print!("{}", headless::info(overrides)?);
            return Ok(());
        }
        ClientCommand::Snapshot(args) => {
            let out = &mut std::io::stdout().lock();
            return headless::snapshot(overrides, args.timeout, out).await;
        }
        ClientCommand::Watch(_) => {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            let mut out = std::io::stdout();
            return headless::watch(overrides, SyncOptions::default(), &mut out, stop).await;
        }
        // The id as typed; `run_command` finds out whether it names a leg or a call.
        ClientCommand::Kick(t) => Command::Kick {
            conferencecall_id: t.id,
        },
        ClientCommand::Hangup(t) => Command::Hangup { call_id: t.id },
        ClientCommand::Hold(t) => Command::Hold { call_id: t.id },
        ClientCommand::Unhold(t) => Command::Unhold { call_id: t.id },
        ClientCommand::Mute(m) => Command::Mute {
            call_id: m.id,
            direction: direction(&m.direction),
        },
        ClientCommand::Unmute(m) => Command::Unmute {
            call_id: m.id,
            direction: direction(&m.direction),
        },
        ClientCommand::End(e) => Command::End {
            conference_id: e.conference_id,
        },
    };
    let line = headless::run_command(overrides, one_shot).await?;
    println!("{line}");
    Ok(())
}
