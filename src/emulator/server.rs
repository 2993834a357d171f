//! `bridgetop serve`: an emulator with its traffic or scenario running, announced by one
//! JSON line that tools and tests read for the URLs and credentials.

use std::io::Write;
use std::time::Duration;

use anyhow::Context;
use serde::Serialize;
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::director::{generate_traffic, play_scenario};
use super::faults::FaultPlan;
use super::launch::{spawn, EmulatorConfig, RunningEmulator};
use super::load::{run_load, LoadConfig};
use super::platform::DemoAgent;
use super::ratelimit::{Rate, RateLimitConfig};
use super::scenario::Scenario;
use super::traffic::TrafficConfig;

/// What runs on top of the platform.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    pub scenario: Option<Scenario>,
    pub traffic: Option<TrafficConfig>,
    pub load: Option<LoadConfig>,
}

/// An emulator plus its traffic and scenario tasks; dropping it stops the activity.
#[derive(Debug)]
pub struct LiveEmulator {
    pub emulator: RunningEmulator,
    activity: AbortOnDrop,
}

/// Background tasks that end with their owner.
#[derive(Debug)]
struct AbortOnDrop(Vec<JoinHandle<()>>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}

/// The first line `bridgetop serve` prints.
#[derive(Debug, Serialize)]
pub struct Banner<'a> {
    pub api_url: String,
    pub ws_url: String,
    pub accesskey: &'a str,
    pub customer_id: Uuid,
    pub agents: &'a [DemoAgent],
}

impl LiveEmulator {
    pub fn banner(&self) -> Banner<'_> {
        let account = &self.emulator.account;
        Banner {
            api_url: format!("{}/v1.0", self.emulator.base_url()),
            ws_url: self.emulator.ws_url(),
            accesskey: &account.accesskey,
            customer_id: account.customer_id,
            agents: &account.agents,
        }
    }

    /// Stops the traffic and the scenario; the platform and its server keep running, so
    /// what they hold can be compared with a client's picture.
    pub fn stop_activity(&mut self) {
        self.activity = AbortOnDrop(Vec::new());
    }

    /// Stops the traffic, then the server.
    pub async fn shutdown(self) -> std::io::Result<()> {
        drop(self.activity);
        self.emulator.shutdown().await
    }
}

/// Starts an emulator with the given activity for its demo customer.
pub async fn start(config: EmulatorConfig, activity: Activity) -> std::io::Result<LiveEmulator> {
    let emulator = spawn(config).await?;
    let platform = emulator.platform.clone();
    let customer = emulator.account.customer_id;
    let mut tasks = Vec::new();
    if let Some(scenario) = activity.scenario {
        tasks.push(tokio::spawn(play_scenario(
            platform.clone(),
            customer,
            scenario,
        )));
    }
    if let Some(traffic) = activity.traffic {
        tasks.push(tokio::spawn(generate_traffic(
            platform.clone(),
            customer,
            traffic,
        )));
    }
    if let Some(load) = activity.load {
        tasks.push(tokio::spawn(run_load(platform, customer, load)));
    }
    Ok(LiveEmulator {
        emulator,
        activity: AbortOnDrop(tasks),
    })
}

/// Refuses a scenario that names agents the demo team does not have.
async fn check_scenario_agents(config: &EmulatorConfig, scenario: &Scenario) -> anyhow::Result<()> {
    let bus = super::bus::EventBus::new(16);
    let (platform, account) = super::platform::Platform::demo(config.platform.clone(), bus);
    let names: Vec<&str> = account.agents.iter().map(|a| a.username.as_str()).collect();
    super::director::Director::new(platform, account.customer_id)
        .check_agents(scenario)
        .with_context(|| format!("scenario agents must be one of: {}", names.join(", ")))
}

/// How `bridgetop serve` runs: the emulator's own settings, whatever front end fills them.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: std::net::SocketAddr,
    pub seed: u64,
    pub scenario: Option<std::path::PathBuf>,
    pub no_traffic: bool,
    pub calls_per_minute: f64,
    /// A fault plan in the `--faults` syntax (see `faults`).
    pub faults: Option<String>,
    pub no_rate_limit: bool,
    pub customer_rate: f64,
    pub customer_burst: u32,
    /// `ROOMSxLEGS`: rooms filled with callers at start, for scale figures.
    pub floor: Option<String>,
    /// Mute changes per second across the floor.
    pub load_rate: u32,
}

/// Runs `bridgetop serve` until Ctrl-C.
pub async fn run(args: ServeOptions) -> anyhow::Result<()> {
    let faults: FaultPlan = match &args.faults {
        Some(spec) => spec.parse().context("--faults")?,
        None => FaultPlan::default(),
    };
    let scenario = match &args.scenario {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading scenario {}", path.display()))?;
            Some(Scenario::parse(&text).with_context(|| format!("scenario {}", path.display()))?)
        }
        None => None,
    };
    if !(args.calls_per_minute.is_finite() && args.calls_per_minute >= 0.0) {
        anyhow::bail!("--calls-per-minute must be a number of calls per minute, 0 or more");
    }
    let rate_limit = if args.no_rate_limit {
        RateLimitConfig::disabled()
    } else {
        if !(args.customer_rate.is_finite() && args.customer_rate > 0.0 && args.customer_burst > 0)
        {
            anyhow::bail!("--customer-rate and --customer-burst must be greater than 0");
        }
        RateLimitConfig {
            customer: Rate::new(args.customer_rate, f64::from(args.customer_burst)),
            ..RateLimitConfig::default()
        }
    };
    let mut config = EmulatorConfig {
        bind: args.listen,
        faults,
        rate_limit,
        ..EmulatorConfig::default()
    };
    config.platform.seed = args.seed;
    let traffic = (!args.no_traffic).then(|| TrafficConfig {
        seed: args.seed,
        calls_per_minute: args.calls_per_minute,
        ..TrafficConfig::default()
    });
    if let Some(scenario) = &scenario {
        check_scenario_agents(&config, scenario).await?;
    }
    let load = match &args.floor {
        Some(floor) => {
            let (rooms, legs_per_room) =
                LoadConfig::parse_floor(floor).map_err(|e| anyhow::anyhow!("--floor {e}"))?;
            Some(LoadConfig {
                rooms,
                legs_per_room,
                updates_per_second: args.load_rate,
                seed: args.seed,
            })
        }
        None if args.load_rate > 0 => anyhow::bail!("--load-rate needs --floor ROOMSxLEGS"),
        None => None,
    };
    let live = start(
        config,
        Activity {
            scenario,
            traffic,
            load,
        },
    )
    .await
    .with_context(|| format!("listening on {}", args.listen))?;

    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &live.banner())?;
    writeln!(out)?;
    out.flush()?;
    // The rest is for people; a reader that took only the banner may have gone away.
    let _ = writeln!(
        out,
        "bridgetop emulator: VoIPbin API at {}/v1.0, WebSocket at {}\ncustomer {} with {} agents; traffic {}; scenario {}; Ctrl-C stops",
        live.emulator.base_url(),
        live.emulator.ws_url(),
        live.emulator.account.customer_id,
        live.emulator.account.agents.len(),
        if args.no_traffic {
            "off".to_owned()
        } else {
            format!("{} calls/min", args.calls_per_minute)
        },
        args.scenario
            .as_ref()
            .map_or("none".to_owned(), |p| p.display().to_string()),
    )
    .and_then(|()| out.flush());
    drop(out);

    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    tokio::time::timeout(Duration::from_secs(5), live.shutdown())
        .await
        .ok();
    Ok(())
}
