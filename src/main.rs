//! bridgetop: parse the command line and dispatch: the dashboard (no subcommand), the
//! emulator (`serve`), or the client's headless modes and one-shot commands.

use std::process::ExitCode;

use clap::Parser;

use bridgetop::cli::{Cli, Mode};
use bridgetop::headless::cli_main;

/// glibc's allocator slows down as a 10,000-room store fragments its heap: a redraw there
/// cost 1.6× one at 10 rooms with it, 1.1× with mimalloc (`cargo bench --bench render`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.mode {
        Some(Mode::Serve(args)) => serve_main::run(args),
        Some(Mode::Client(command)) => cli_main::run(cli.global, command),
        None => dashboard_main::run(cli.global, cli.dashboard),
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

mod dashboard_main {
    use std::process::ExitCode;

    use bridgetop::app::launch::{run_dashboard, DashboardOptions};
    use bridgetop::cli::{DashboardArgs, GlobalArgs};
    use bridgetop::headless::cli_main;

    pub(crate) fn run(global: GlobalArgs, args: DashboardArgs) -> ExitCode {
        let overrides = cli_main::overrides(global);
        // The terminal belongs to the dashboard: logs go to the data directory.
        bridgetop::startup::init_logging(&overrides);
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

    pub(crate) fn run(args: ServeArgs) -> ExitCode {
        init_stderr_logging();
        let Some(runtime) = super::runtime() else {
            return ExitCode::FAILURE;
        };
        match runtime.block_on(bridgetop::emulator::server::run(args.into())) {
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
