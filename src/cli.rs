//! Command-line definitions.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bridgetop",
    version,
    about = "Live VoIPbin contact-center conferences in your terminal",
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the VoIPbin emulator: a simulated contact center on a loopback address.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the first output line shows it).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Seed for ids, credentials, traffic and faults: the same seed replays the same run.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Play a scripted scenario (TOML timeline; see assets/scenarios/).
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Do not generate live contact-center traffic.
    #[arg(long)]
    pub no_traffic: bool,
    /// Traffic intensity: new customer calls per minute.
    #[arg(long, default_value_t = 6.0)]
    pub calls_per_minute: f64,
    /// Faults to inject, e.g. `ws_dup=0.2,ws_reorder=0.1,ws_drop=every:30s,rest_error=5%`.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<String>,
    /// Turn off the platform's rate limits (on by default, as on VoIPbin).
    #[arg(long)]
    pub no_rate_limit: bool,
    /// Per-customer request rate (requests per second) when rate limiting is on.
    #[arg(long, default_value_t = 16.7)]
    pub customer_rate: f64,
    /// Per-customer burst when rate limiting is on.
    #[arg(long, default_value_t = 33)]
    pub customer_burst: u32,
}
