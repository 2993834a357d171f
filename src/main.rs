//! bridgetop: parse the command line and dispatch.

use clap::Parser;

use bridgetop::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Client(command) = cli.command {
        return bridgetop::headless::cli_main::run(cli.global, command);
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bridgetop: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Command::Serve(args) => {
            init_stderr_logging();
            runtime.block_on(bridgetop::emulator::server::run(args))
        }
        Command::Client(_) => unreachable!("dispatched above"),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridgetop: {e:#}");
            std::process::ExitCode::FAILURE
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
