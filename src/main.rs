//! bridgetop: parse the command line and dispatch: the dashboard (no subcommand), the
//! emulator (`serve`), or the client's headless modes and one-shot commands.

use std::process::ExitCode;

use clap::Parser;

use bridgetop::cli::{Cli, Command, GlobalArgs};
use bridgetop::config::Overrides;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Serve(args)) => serve_main::run(args),
        Some(Command::Client(command)) => client_main::run(cli.global, command),
        None => dashboard_main::run(cli.global, cli.dashboard),
    }
}

fn overrides(global: GlobalArgs) -> Overrides {
    Overrides {
        config: global.config,
        profile: global.profile,
        url: global.url,
        data_dir: global.data_dir,
        ca_cert: global.ca_cert,
        readonly: global.readonly,
    }
}

fn runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Runtime::new() {
        Ok(rt) => Some(rt),
        Err(e) => {
            eprintln!("bridgetop: cannot start the async runtime: {e}");
            None
        }
    }
}

/// Logs go to a file in the data directory, never to the terminal.
fn init_file_logging(overrides: &Overrides) {
    let Ok(resolved) = bridgetop::headless::Context::resolve(overrides) else {
        return;
    };
    if std::fs::create_dir_all(&resolved.data_dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(resolved.data_dir.join("bridgetop.log"))
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

mod dashboard_main {
    use std::process::ExitCode;

    use bridgetop::app::launch::{run_dashboard, DashboardOptions};
    use bridgetop::cli::{DashboardArgs, GlobalArgs};

    pub fn run(global: GlobalArgs, args: DashboardArgs) -> ExitCode {
        let overrides = super::overrides(global);
        super::init_file_logging(&overrides);
        let Some(runtime) = super::runtime() else {
            return ExitCode::FAILURE;
        };
        let options = DashboardOptions {
            overrides,
            demo: args.demo,
            me: args.me,
            max_fps: args.fps,
        };
        match runtime.block_on(run_dashboard(options)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(failure) => {
                eprintln!("bridgetop: {}", failure.reason);
                ExitCode::from(failure.code)
            }
        }
    }
}

mod serve_main {
    use std::process::ExitCode;

    use bridgetop::cli::ServeArgs;

    pub fn run(args: ServeArgs) -> ExitCode {
        init_stderr_logging();
        let Some(runtime) = super::runtime() else {
            return ExitCode::FAILURE;
        };
        match runtime.block_on(bridgetop::emulator::server::run(args)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("bridgetop: {e:#}");
                ExitCode::FAILURE
            }
        }
    }

    /// The emulator is a server: its logs go to stderr, filtered by RUST_LOG (default warn).
    fn init_stderr_logging() {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
    }
}

/// The client's subcommands: the headless modes and one-shot commands.
mod client_main {
    use std::process::ExitCode;

    use bridgetop::cli::{ClientCommand, GlobalArgs};
    use bridgetop::client::sync::SyncOptions;
    use bridgetop::config::Overrides;
    use bridgetop::headless::{self, Failure, OneShot};
    use bridgetop::voipbin::MuteDirection;

    pub fn run(global: GlobalArgs, command: ClientCommand) -> ExitCode {
        let overrides = super::overrides(global);
        super::init_file_logging(&overrides);
        let Some(runtime) = super::runtime() else {
            return ExitCode::from(headless::exit::USAGE);
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
}
