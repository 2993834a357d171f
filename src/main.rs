//! bridgetop: parse the command line and dispatch: the dashboard (no subcommand), the
//! emulator (`serve`), or the client's headless modes and one-shot commands.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use bridgetop::cli::{Cli, Mode};
use bridgetop::headless::cli_main;

/// glibc's allocator slows down as a 10,000-room store fragments its heap: a redraw there
/// cost 1.6× one at 10 rooms with it, 1.1× with mimalloc (`cargo bench --bench render`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.mode {
        Some(Mode::Serve(args)) if args.help => {
            print!("{}", bridgetop::cli::serve_help());
            ExitCode::SUCCESS
        }
        Some(Mode::Serve(args)) => match client_only_flag(&cli.global) {
            Some(flag) => {
                eprintln!("bridgetop serve: {flag} is a client flag; the emulator does not use it");
                ExitCode::from(bridgetop::startup::exit::USAGE)
            }
            None => serve_main::run(args),
        },
        Some(Mode::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "bridgetop", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Some(Mode::Man) => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("bridgetop man: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(Mode::Client(command)) => cli_main::run(cli.global, command),
        None => dashboard_main::run(cli.global, cli.dashboard),
    }
}

/// A client flag given to a mode that ignores it (`--data-dir` may come from the
/// environment, so it is not counted).
fn client_only_flag(global: &bridgetop::cli::GlobalArgs) -> Option<&'static str> {
    [
        (global.url.is_some(), "--url"),
        (global.profile.is_some(), "--profile"),
        (global.config.is_some(), "--config"),
        (global.ca_cert.is_some(), "--ca-cert"),
        (global.readonly, "--readonly"),
    ]
    .into_iter()
    .find_map(|(given, flag)| given.then_some(flag))
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
            colours: args.color.colours(std::env::var_os("NO_COLOR").as_deref()),
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
