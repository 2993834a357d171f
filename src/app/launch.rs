//! Starting the dashboard: on the configured profile, or with `--demo` on an in-process
//! emulator with live traffic. Resolves config, credentials and the session, starts the
//! sync engine and the command task, and runs the loop in the terminal.

use std::net::SocketAddr;
use std::path::PathBuf;

use tokio::sync::mpsc;

use super::config_watch::{ConfigWatch, ReloadSource};
use super::run::{self, LoopConfig};
use super::settings::{Settings, SettingsSource};
use super::terminal::TerminalGuard;
use super::view::MessageLevel;
use super::{App, Viewer};
use crate::client::audit::Actor;
use crate::client::credentials::{Credential, Secret};
use crate::client::execute::Executor;
use crate::client::find_agent::find_agent;
use crate::client::link::Link;
use crate::client::sync::{self, SyncOptions};
use crate::config::{Config, Overrides};
use crate::emulator::launch::EmulatorConfig;
use crate::emulator::server::{self, Activity, LiveEmulator};
use crate::emulator::traffic::TrafficConfig;
use crate::startup::{self, exit, Context, Failure};

#[derive(Debug)]
pub struct DashboardOptions {
    pub overrides: Overrides,
    pub demo: bool,
    /// Agent mode for this agent, by id, name or username (else the agent in a login
    /// token, if any).
    pub me: Option<String>,
    pub max_fps: u32,
    /// False for `NO_COLOR` or `--color never`.
    pub colours: bool,
}

const HOW_TO_CONFIGURE: &str = "\
To watch your VoIPbin contact center, give bridgetop an access key:
    export BRIDGETOP_ACCESSKEY=...        (or VOIPBIN_API_KEY, or `bridgetop login`)
    bridgetop [--url https://api.voipbin.net/v1.0] [--profile NAME]
Profiles live in the config file: `bridgetop info` shows where, and
`bridgetop defaults` prints one with every key explained.
Or try it without an account:
    bridgetop --demo";

pub async fn run_dashboard(options: DashboardOptions) -> Result<(), Failure> {
    let config = Config::load(options.overrides.config.as_deref())
        .map_err(|e| Failure::new(exit::USAGE, e))?;
    // The demo emulator lives as long as the dashboard.
    let (context, _emulator) = if options.demo {
        let (context, emulator) = demo_context(&options.overrides).await?;
        (context, Some(emulator))
    } else {
        let context = Context::open(&options.overrides)
            .map_err(|failure| failure.with_instructions(HOW_TO_CONFIGURE))?;
        (context, None)
    };
    // A login token names the customer itself; an access key's customer is learned by the
    // sync engine, so the dashboard opens at once even while the platform cannot answer.
    let session = context.local_session()?;
    let me = match options.me.as_deref() {
        Some(query) => Some(
            find_agent(&context.rest, query)
                .await
                .map_err(|e| Failure::new(exit::USAGE, e))?,
        ),
        None => session.as_ref().and_then(|s| s.agent_id),
    };
    let resolved = &context.resolved;
    let settings_source = SettingsSource {
        profile: &resolved.profile_name,
        config_file: options.overrides.config.as_deref(),
        colours: options.colours,
    };
    let settings = Settings::from_config(&config, settings_source)
        .map_err(|e| Failure::new(exit::USAGE, e))?;

    let opened = startup::open_store(&config, &context, me);
    let (store, ledger_warning) = (opened.store.without_change_records(), opened.warning);
    let shown = Viewer {
        profile: if options.demo {
            "demo".into()
        } else {
            resolved.profile_name.clone()
        },
        customer: session
            .as_ref()
            .map_or_else(|| "…".to_string(), |s| super::short_id(s.customer_id)),
        me,
    };
    let conflicts = settings.keymap.conflicts.clone();
    let mut app = App::new(store, settings.keymap.clone(), shown, resolved.readonly);
    app.apply_settings(settings, chrono::Utc::now());
    if !conflicts.is_empty() {
        for conflict in &conflicts {
            tracing::warn!("{conflict}");
        }
        app.say(
            MessageLevel::Warning,
            conflicts.join(" · "),
            chrono::Utc::now(),
        );
    }
    if let Some(warning) = ledger_warning {
        app.say(MessageLevel::Error, warning, chrono::Utc::now());
    }

    let (inbound_tx, inbound) = mpsc::channel(8192);
    let source = sync::start(
        context.rest.clone(),
        session.clone(),
        SyncOptions {
            show_first_pages: true,
            ..SyncOptions::default()
        },
        inbound_tx.clone(),
    );
    let (command_tx, command_rx) = mpsc::channel(256);
    Executor {
        rest: context.rest.clone(),
        actor: Actor {
            profile: resolved.profile_name.clone(),
            agent: session.as_ref().and_then(|s| s.agent_name.clone()),
        },
        data_dir: resolved.data_dir.clone(),
    }
    .spawn(command_rx, inbound_tx);
    let link = Link {
        inbound,
        commands: Some(command_tx),
        source,
    };

    let loop_config = LoopConfig {
        max_fps: options.max_fps,
        ledger_file: Some(opened.ledger_file),
        config_watch: Some(ConfigWatch::new(ReloadSource {
            explicit: options.overrides.config.clone(),
            profile: resolved.profile_name.clone(),
            colours: options.colours,
        })),
    };
    let mut guard = TerminalGuard::enter(config.mouse.unwrap_or(false))
        .map_err(|e| Failure::new(exit::USAGE, format!("terminal: {e}")))?;
    let result = run::run(&mut guard, app, link, loop_config).await;
    drop(guard);
    match result {
        Ok(run::Ended::Quit) => Ok(()),
        Ok(run::Ended::AuthFailed(message)) => Err(Failure::new(exit::AUTH, message)),
        Err(e) => Err(Failure::new(exit::NETWORK, format!("{e:#}"))),
    }
}

/// Starts the emulator on a free loopback port with live traffic, and a context for its
/// demo customer. Its audit trail and hold ledger go to a data directory of its own.
async fn demo_context(overrides: &Overrides) -> Result<(Context, LiveEmulator), Failure> {
    let emulator_config = EmulatorConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..EmulatorConfig::default()
    };
    let traffic = TrafficConfig {
        seed: rand::random(),
        ..TrafficConfig::default()
    };
    let activity = Activity {
        scenario: None,
        traffic: Some(traffic),
        ..Activity::default()
    };
    let live = server::start(emulator_config, activity)
        .await
        .map_err(|e| Failure::new(exit::NETWORK, format!("demo emulator: {e}")))?;
    let banner = live.banner();
    let data_dir = overrides.data_dir.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("bridgetop-demo-{}", std::process::id()))
    });
    let demo_overrides = Overrides {
        url: Some(banner.api_url.clone()),
        data_dir: Some(PathBuf::from(&data_dir)),
        ..overrides.clone()
    };
    let credential = Credential::AccessKey(Secret::new(banner.accesskey));
    let resolved = Context::resolve(&demo_overrides)?;
    let context = Context::with_credential(resolved, credential)?;
    Ok((context, live))
}
