//! The event loop: terminal keys, inputs from the sync engine and a 1 Hz tick go in; the
//! update step runs; effects go out to the command task; frames are drawn when something
//! changed, at most `max_fps` times a second.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, KeyEventKind};
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::{Action, App, CommandRequest, ConnectionState, Effect, Key};
use crate::client::follow::AskedFetches;
use crate::client::sync::SyncHandle;
use crate::store::{ledger_file, Input};

/// What the sync engine sends the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Feed {
    /// Boxed: a snapshot input is large, a connection change small.
    Input(Box<Input>),
    Connection(ConnectionState),
}

impl From<Feed> for Action {
    fn from(feed: Feed) -> Action {
        match feed {
            Feed::Input(input) => Action::Inbound(input),
            Feed::Connection(state) => Action::Connection(state),
        }
    }
}

pub struct LoopConfig {
    pub max_fps: u32,
    /// Where the hold ledger is saved when it changes (`None`: not persisted).
    pub ledger_path: Option<PathBuf>,
}

impl Default for LoopConfig {
    fn default() -> Self {
        LoopConfig {
            max_fps: 30,
            ledger_path: None,
        }
    }
}

/// Inputs taken per wake-up before drawing again, so a flood cannot starve the keyboard.
const FEED_BATCH: usize = 512;

pub async fn run(
    terminal: &mut DefaultTerminal,
    mut app: App,
    mut feed: mpsc::Receiver<Feed>,
    commands: mpsc::Sender<CommandRequest>,
    engine: SyncHandle,
    config: LoopConfig,
) -> anyhow::Result<()> {
    let mut fetches = AskedFetches::default();
    let mut focused = None;
    let mut keys = spawn_terminal_reader();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let frame_period = Duration::from_secs_f64(1.0 / f64::from(config.max_fps.max(1)));
    let mut frame_timer = tokio::time::interval(frame_period);
    frame_timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut feed_open = true;
    let terminated = termination();
    tokio::pin!(terminated);

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
            _ = tick.tick() => actions.push(Action::Tick),
            // A kill or a closed terminal ends the loop normally, so the terminal is restored.
            _ = &mut terminated => break,
            _ = frame_timer.tick() => {
                if app.dirty {
                    draw(terminal, &mut app)?;
                }
            }
        }
        let fed = !actions.is_empty()
            && actions
                .iter()
                .any(|a| matches!(a, Action::Inbound(_) | Action::Tick));
        let mut save_ledger = false;
        for action in actions {
            if let Action::Inbound(input) = &action {
                fetches.note(input);
            }
            let now = Utc::now();
            let mut effects: VecDeque<Effect> = app.update(action, now).into();
            while let Some(effect) = effects.pop_front() {
                match effect {
                    Effect::Command(request) => {
                        if let Err(refused) = commands.try_send(request) {
                            // Never leave a command pending for ever: the store rolls it
                            // back and the audit pane shows why.
                            let request = refused.into_inner();
                            tracing::warn!("command queue unavailable");
                            let failed = Input::CommandFailed {
                                id: request.id,
                                reason: "LOCAL_QUEUE_UNAVAILABLE".into(),
                                message: "the command could not be queued; nothing was sent".into(),
                                request_id: None,
                            };
                            effects.extend(app.update(Action::Inbound(Box::new(failed)), now));
                        }
                    }
                    Effect::SaveHoldLedger => save_ledger = true,
                    Effect::Quit => {}
                }
            }
        }
        // Once per batch, not once per input: a resync can release many holds at once.
        if save_ledger {
            if let Some(path) = &config.ledger_path {
                if let Err(error) = ledger_file::save(path, app.store.ledger()) {
                    tracing::warn!(%error, "could not save the hold ledger");
                }
            }
        }
        if fed {
            engine.want(fetches.wanted(&app.store, std::time::Instant::now()));
        }
        if focused != app.view.selected_conference {
            focused = app.view.selected_conference;
            engine.focus(focused);
        }
    }
    Ok(())
}

fn draw(terminal: &mut DefaultTerminal, app: &mut App) -> anyhow::Result<()> {
    let area = terminal.size()?;
    app.prepare(crate::ui::table_rows(area.into()));
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

/// Resolves on SIGTERM or SIGHUP (never elsewhere, or if the handlers cannot be installed).
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            tokio::select! {
                _ = term.recv() => return,
                _ = hup.recv() => return,
            }
        }
    }
    std::future::pending::<()>().await
}
