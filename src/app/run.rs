//! The event loop: terminal keys, what the link brings in (store inputs, connection
//! changes, failed writes) and a 1 Hz tick go in; the update step runs; effects go out
//! through the link; frames are drawn when something changed, at most `max_fps` a second.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, KeyEventKind};
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::config_watch::ConfigWatch;
use super::terminal::TerminalGuard;
use super::{Action, App, Effect, Key};
use crate::client::connection::FirstLive;
use crate::client::follow::AskedFetches;
use crate::client::link::{Inbound, Link};
use crate::store::ledger_file::LedgerFile;
use crate::store::{CommandFailure, Input};

impl From<Inbound> for Action {
    fn from(inbound: Inbound) -> Action {
        match inbound {
            Inbound::Input(input) => Action::Inbound(input),
            Inbound::Connection(state) => Action::Connection(state),
            Inbound::WriteFailed(what) => Action::WriteFailed(what),
            Inbound::Session(session) => Action::Session(session),
        }
    }
}

#[derive(Debug)]
pub struct LoopConfig {
    pub max_fps: u32,
    /// Where the hold ledger is saved when it changes (`None`: not persisted).
    pub ledger_file: Option<LedgerFile>,
    /// The config file to reload when it changes (`None`: no hot reload).
    pub config_watch: Option<ConfigWatch>,
}

impl Default for LoopConfig {
    fn default() -> Self {
        LoopConfig {
            max_fps: 30,
            ledger_file: None,
            config_watch: None,
        }
    }
}

/// How the loop ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The user quit, or the terminal went away.
    Quit,
    /// The platform refused the credentials before anything was shown: nothing to watch.
    AuthFailed(String),
}

/// Inputs taken per wake-up before drawing again, so a flood cannot starve the keyboard.
const FEED_BATCH: usize = 512;

pub async fn run(
    guard: &mut TerminalGuard,
    mut app: App,
    link: Link,
    mut config: LoopConfig,
) -> anyhow::Result<Ended> {
    let Link {
        inbound: mut feed,
        commands,
        source,
    } = link;
    let mut fetches = AskedFetches::default();
    let mut focused = None;
    let mut keys = spawn_terminal_reader();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let frame_period = Duration::from_secs_f64(1.0 / f64::from(config.max_fps.max(1)));
    let mut frame_timer = tokio::time::interval(frame_period);
    frame_timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut feed_open = true;
    let mut first_live = FirstLive::default();
    let terminated = termination();
    tokio::pin!(terminated);
    let mut stop_requests = outside_stop_requests();

    while !app.quit {
        if super::terminal::panicked() {
            anyhow::bail!(
                "an internal task failed (the panic message is above); see bridgetop.log"
            );
        }
        let mut actions = Vec::new();
        tokio::select! {
            event = keys.recv() => match event {
                Some(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    actions.extend(app.action_for_key(Key::from(key)));
                }
                Some(Event::Resize(..)) => actions.push(Action::Resize),
                Some(Event::Mouse(mouse)) => {
                    if let (Some(pointer), Ok(size)) = (pointer(mouse.kind), guard.terminal.size()) {
                        actions.push(Action::Pointer {
                            pointer,
                            at: ratatui::layout::Position::new(mouse.column, mouse.row),
                            screen: ratatui::layout::Rect::new(0, 0, size.width, size.height),
                        });
                    }
                }
                Some(_) => {}
                None => break,
            },
            message = feed.recv(), if feed_open => match message {
                Some(first) => {
                    actions.push(first.into());
                    while actions.len() < FEED_BATCH {
                        match feed.try_recv() {
                            Ok(next) => actions.push(next.into()),
                            Err(_) => break,
                        }
                    }
                }
                None => feed_open = false,
            },
            _ = tick.tick() => {
                actions.push(Action::Tick);
                if let Some(reloaded) = config.config_watch.as_mut().and_then(ConfigWatch::poll) {
                    app.reload_settings(reloaded, Utc::now());
                }
            }
            // A kill or a closed terminal ends the loop normally, so the terminal is restored.
            _ = &mut terminated => break,
            // An outside SIGTSTP suspends as Ctrl-Z does, with the terminal restored first.
            Some(()) = next_stop(&mut stop_requests) => suspend(guard, &mut app)?,
            _ = frame_timer.tick() => {
                if app.dirty {
                    draw(&mut guard.terminal, &mut app)?;
                }
            }
        }
        let fed = !actions.is_empty()
            && actions
                .iter()
                .any(|a| matches!(a, Action::Inbound(_) | Action::Tick));
        let mut save_ledger = false;
        let mut save = |app: &mut App, now| {
            if let Some(file) = config.ledger_file.as_mut() {
                if let Err(error) = file.save(app.store.ledger()) {
                    tracing::warn!(%error, "could not save the hold ledger");
                    app.update(Action::WriteFailed(error.to_string()), now);
                }
            }
        };
        for action in actions {
            if let Action::Connection(state) = &action {
                if let Some(message) = first_live.refusal(state) {
                    return Ok(Ended::AuthFailed(message.to_owned()));
                }
            }
            if let Action::Inbound(input) = &action {
                fetches.note(input);
            }
            let now = Utc::now();
            let mut effects: VecDeque<Effect> = app.update(action, now).into();
            while let Some(effect) = effects.pop_front() {
                match effect {
                    Effect::Command(request) => {
                        // Intent before action: a hold's ledger entry is on disk first.
                        if std::mem::take(&mut save_ledger) {
                            save(&mut app, now);
                        }
                        let queued = match &commands {
                            Some(commands) => commands
                                .try_send(request)
                                .map_err(tokio::sync::mpsc::error::TrySendError::into_inner),
                            None => Err(request),
                        };
                        if let Err(request) = queued {
                            // Never leave a command pending for ever: the store rolls it
                            // back and the audit pane shows why.
                            tracing::warn!("command queue unavailable");
                            let failed = Input::CommandFailed {
                                id: request.id,
                                failure: CommandFailure {
                                    reason: "LOCAL_QUEUE_UNAVAILABLE".into(),
                                    message: "the command could not be queued; nothing was sent"
                                        .into(),
                                    request_id: None,
                                    status: Some(0),
                                },
                            };
                            effects.extend(app.update(Action::Inbound(Box::new(failed)), now));
                        }
                    }
                    Effect::SaveHoldLedger => save_ledger = true,
                    Effect::Suspend => suspend(guard, &mut app)?,
                    Effect::RetryNow => source.retry_now(),
                    Effect::Notify(notification) => announce(&notification),
                    Effect::Quit => {}
                }
            }
        }
        // Once per batch, not once per input: a resync can release many holds at once.
        if save_ledger {
            save(&mut app, Utc::now());
        }
        if fed {
            source.want(fetches.wanted(&app.store, std::time::Instant::now()));
        }
        if focused != app.view.selected_conference {
            focused = app.view.selected_conference;
            source.focus(focused);
        }
    }
    Ok(Ended::Quit)
}

fn pointer(kind: crossterm::event::MouseEventKind) -> Option<super::mouse::Pointer> {
    use super::mouse::Pointer;
    use crossterm::event::{MouseButton, MouseEventKind};
    match kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Pointer::Click),
        MouseEventKind::ScrollUp => Some(Pointer::WheelUp),
        MouseEventKind::ScrollDown => Some(Pointer::WheelDown),
        _ => None,
    }
}

/// Best effort: a terminal that cannot take the bytes loses a notification, never the loop.
fn announce(notification: &super::notify::Notification) {
    use std::io::Write as _;
    let in_tmux = std::env::var_os("TMUX").is_some();
    let bytes = super::notify::notification_bytes(notification, in_tmux);
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(&bytes).and_then(|()| out.flush()) {
        tracing::debug!(%error, "could not write a notification to the terminal");
    }
}

fn suspend(guard: &mut TerminalGuard, app: &mut App) -> anyhow::Result<()> {
    guard.suspend()?;
    app.dirty = true;
    Ok(())
}

#[cfg(unix)]
type StopRequests = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type StopRequests = Option<()>;

fn outside_stop_requests() -> StopRequests {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        signal(SignalKind::from_raw(libc::SIGTSTP)).ok()
    }
    #[cfg(not(unix))]
    None
}

/// The next outside SIGTSTP; never, where the handler could not be installed.
async fn next_stop(requests: &mut StopRequests) -> Option<()> {
    match requests {
        #[cfg(unix)]
        Some(signals) => signals.recv().await,
        _ => std::future::pending().await,
    }
}

fn draw(terminal: &mut DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let area = terminal.size()?;
    app.prepare(crate::ui::table_rows(area.into()));
    if let Some(end) = crate::ui::overlay_max_scroll(app, area.into(), Utc::now()) {
        app.view.overlay_max_scroll = end;
    }
    let now = Utc::now();
    terminal.draw(|frame| crate::ui::draw(frame, app, now))?;
    app.dirty = false;
    Ok(())
}

/// Terminal input is blocking, so it gets its own thread.
fn spawn_terminal_reader() -> mpsc::UnboundedReceiver<Event> {
    let (sender, receiver) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if sender.send(event).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Resolves on SIGTERM, SIGHUP, SIGINT or SIGQUIT from outside (in raw mode the keyboard
/// sends none of them): the loop then ends normally and the terminal is restored. Never
/// resolves elsewhere, or if the handlers cannot be installed.
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut term), Ok(mut hup), Ok(mut int), Ok(mut quit)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
            signal(SignalKind::quit()),
        ) {
            tokio::select! {
                _ = term.recv() => return,
                _ = hup.recv() => return,
                _ = int.recv() => return,
                _ = quit.recv() => return,
            }
        }
    }
    std::future::pending::<()>().await;
}
