//! Command-line definitions.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bridgetop",
    version,
    about = "Live VoIPbin contact-center conferences in your terminal",
    after_help = "Without a subcommand, opens the dashboard. Try `bridgetop --demo`.\n\n\
Exit codes: 0 ok; 1 refused by the platform; 2 usage or config; 3 authentication; \
4 network or transient (no answer, 5xx, 429); 5 accepted but not recorded (the audit trail or hold ledger could not be written)."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(flatten)]
    pub dashboard: DashboardArgs,
    #[command(subcommand)]
    pub mode: Option<Mode>,
}

/// The dashboard's own flags (used when no subcommand is given).
#[derive(Debug, Clone, Default, Args)]
pub struct DashboardArgs {
    /// Start the emulator in-process with live traffic and open the dashboard on it.
    #[arg(long)]
    pub demo: bool,
    /// Agent mode: this agent's conference first, their own leg marked. An agent's id,
    /// name or username (a name is looked up on the platform at start).
    #[arg(long, value_name = "AGENT")]
    pub me: Option<String>,
    /// Most frames drawn per second.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=240))]
    pub fps: u32,
    /// Colours: `auto` draws them unless NO_COLOR is set; `never` keeps bold, reverse and
    /// the symbols only.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to draw colours, given the value of `NO_COLOR` (no-color.org: set and
    /// not empty means no colour; an explicit `--color always` wins).
    pub fn colours(self, no_color: Option<&std::ffi::OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(std::ffi::OsStr::is_empty),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Mode {
    /// Run the VoIPbin emulator: a simulated contact center on a loopback address.
    #[command(disable_help_flag = true)]
    Serve(ServeArgs),
    #[command(flatten)]
    Client(ClientCommand),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  bridgetop completions bash > ~/.local/share/bash-completion/completions/bridgetop\n  bridgetop completions zsh > \"${fpath[1]}/_bridgetop\"\n  bridgetop completions fish > ~/.config/fish/completions/bridgetop.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  bridgetop man > bridgetop.1 && man ./bridgetop.1")]
    Man,
}

/// `serve --help`: the emulator's own flags only, without the client's global ones
/// (which `serve` refuses).
pub fn serve_help() -> String {
    use clap::Args as _;
    let command = clap::Command::new("bridgetop serve")
        .disable_help_flag(true)
        .about("Run the VoIPbin emulator: a simulated contact center on a loopback address")
        .after_help(SERVE_EXAMPLES);
    ServeArgs::augment_args(command)
        .render_long_help()
        .to_string()
}

const SERVE_EXAMPLES: &str = "Examples:
  bridgetop serve --listen 127.0.0.1:8088              a demo contact center on a fixed port
  bridgetop serve --faults ws_drop=every:30s,rest_error=5%
  bridgetop serve --scenario my-timeline.toml --no-traffic      a scripted story, no random traffic
  bridgetop serve --floor 10000x4 --load-rate 1000     scale figures (see scripts/bench-dashboard.py)";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Print help (the emulator's flags; the client's global flags do not apply).
    #[arg(short, long, action = clap::ArgAction::SetTrue)]
    pub help: bool,
    /// Address to listen on; port 0 picks a free port (the first output line shows it).
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Seed for ids, credentials, traffic and faults: the same seed replays the same run.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Play a scripted scenario (a TOML timeline; the README shows the format).
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
    /// Fill the floor at start with ROOMSxLEGS rooms of callers (e.g. 10000x4), for scale
    /// figures; progress goes to stderr.
    #[arg(long, value_name = "ROOMSxLEGS")]
    pub floor: Option<String>,
    /// With --floor: mute changes per second on random callers once the floor is full,
    /// each one a call_updated frame that changes what dashboards show.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub load_rate: u32,
}

impl From<ServeArgs> for crate::emulator::server::ServeOptions {
    fn from(args: ServeArgs) -> Self {
        crate::emulator::server::ServeOptions {
            listen: args.listen,
            seed: args.seed,
            scenario: args.scenario,
            no_traffic: args.no_traffic,
            calls_per_minute: args.calls_per_minute,
            faults: args.faults,
            no_rate_limit: args.no_rate_limit,
            customer_rate: args.customer_rate,
            customer_burst: args.customer_burst,
            floor: args.floor,
            load_rate: args.load_rate,
        }
    }
}

/// Flags every subcommand accepts. Secrets are never flags: see `bridgetop login` and the
/// BRIDGETOP_ACCESSKEY / VOIPBIN_API_KEY / BRIDGETOP_TOKEN environment variables.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalArgs {
    /// API base URL including /v1.0 (default https://api.voipbin.net/v1.0).
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// Where the audit trail, hold ledger, login token and logs live.
    #[arg(long, global = true, value_name = "DIR", env = "BRIDGETOP_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Profile from the config file.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Config file (default: the platform config directory's bridgetop/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Trust this PEM CA certificate too (a private CA, e.g. the VoIPbin sandbox).
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Refuse every command that changes something on the platform.
    #[arg(long, global = true)]
    pub readonly: bool,
}

/// The client's subcommands (headless modes and one-shot commands).
#[derive(Debug, Subcommand)]
pub enum ClientCommand {
    /// Log in as an agent (prompts; the password is not echoed) and store the token.
    #[command(
        after_help = "Example:\n  bridgetop login --profile prod      prompts for username and password"
    )]
    Login,
    /// Sync once and print the state.
    #[command(
        after_help = "Examples:\n  bridgetop snapshot | jq '.conferences | length'\n  bridgetop snapshot --timeout 10s --profile prod > floor.json"
    )]
    Snapshot(SnapshotArgs),
    /// Follow the platform and print one JSON line per change until interrupted.
    #[command(
        after_help = "Example:\n  bridgetop watch | jq -c 'select(.change == \"alert_raised\")'"
    )]
    Watch(WatchArgs),
    /// Remove a participant from its conference (the call continues its flow).
    #[command(
        after_help = "Example:\n  bridgetop kick 5f0c…   a conferencecall id or a call id (see `bridgetop snapshot`)"
    )]
    Kick(TargetArgs),
    /// Hang up a participant's call.
    #[command(after_help = "Example:\n  bridgetop hangup 5f0c…")]
    Hangup(TargetArgs),
    /// Put a participant on hold (remembered in the hold ledger; the platform keeps no trace).
    #[command(
        after_help = "Example:\n  bridgetop hold 5f0c… && sleep 30 && bridgetop unhold 5f0c…"
    )]
    Hold(TargetArgs),
    /// Take a participant off hold.
    #[command(after_help = "Example:\n  bridgetop unhold 5f0c…")]
    Unhold(TargetArgs),
    /// Mute a participant.
    #[command(
        after_help = "Examples:\n  bridgetop mute 5f0c…                  both directions\n  bridgetop mute 5f0c… --direction in   others cannot hear them"
    )]
    Mute(MuteArgs),
    /// Unmute a participant.
    #[command(after_help = "Example:\n  bridgetop unmute 5f0c… --direction both")]
    Unmute(MuteArgs),
    /// End a conference: everyone is removed and the room closes.
    #[command(
        after_help = "Example:\n  bridgetop end 9a1e…   a conference id; everyone in it is removed"
    )]
    End(EndArgs),
    /// Print the default config file, every key explained (or the default keymap).
    #[command(
        after_help = "Example (`bridgetop info` shows where the config file goes here):\n  bridgetop defaults > ~/.config/bridgetop/config.toml\n  bridgetop defaults --keymap"
    )]
    Defaults {
        /// The default keymap instead: every command and its keys.
        #[arg(long)]
        keymap: bool,
    },
    /// Print every path bridgetop uses (config, data, log, audit, ledger, themes) and the
    /// profile in effect.
    #[command(after_help = "Example:\n  bridgetop info --profile prod")]
    Info,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Print the store's JSON document (the only format so far).
    #[arg(long, default_value_t = true)]
    pub json: bool,
    /// How long to keep trying while the platform cannot answer (5xx, 429, no answer)
    /// before giving up with exit 4 and the last reason: 250ms, 30s, 2m.
    #[arg(long, default_value = "60s", value_parser = crate::duration::parse)]
    pub timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// One JSON object per line (the only format so far).
    #[arg(long, default_value_t = true)]
    pub jsonl: bool,
}

#[derive(Debug, Args)]
pub struct TargetArgs {
    /// A conferencecall id or a call id.
    pub id: uuid::Uuid,
}

#[derive(Debug, Args)]
pub struct MuteArgs {
    /// A conferencecall id or a call id.
    pub id: uuid::Uuid,
    /// in: others cannot hear them; out: they cannot hear others; both.
    #[arg(long, default_value = "both", value_parser = ["in", "out", "both"])]
    pub direction: String,
}

#[derive(Debug, Args)]
pub struct EndArgs {
    /// The conference id.
    pub conference_id: uuid::Uuid,
}
