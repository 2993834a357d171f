//! The event loop: terminal keys, inputs from the sync engine and a 1 Hz tick go in; the
//! update step runs; effects go out to the command task; frames are drawn when something
//! changed, at most `max_fps` times a second.

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

    while !app.quit {
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
        for action in actions {
            if let Action::Inbound(input) = &action {
                fetches.note(input);
            }
            let now = Utc::now();
            for effect in app.update(action, now) {
                match effect {
                    Effect::Command(request) => {
                        // A full queue means the command task is gone; the store keeps the
                        // command pending and the audit pane shows it.
                        if commands.try_send(request).is_err() {
                            tracing::warn!("command queue unavailable");
                        }
                    }
                    Effect::SaveHoldLedger => {
                        if let Some(path) = &config.ledger_path {
                            if let Err(error) = ledger_file::save(path, app.store.ledger()) {
                                tracing::warn!(%error, "could not save the hold ledger");
                            }
                        }
                    }
                    Effect::Quit => {}
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
