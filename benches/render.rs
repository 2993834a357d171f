//! What a supervisor's screen costs under change, at 10 and at 10,000 conferences (120x40):
//!
//! - `redraw_after_change_120x40`: one fresh WebSocket frame that toggles the mute of a leg
//!   in the selected, visible room (so the screen really differs each time), applied through
//!   the app's update step, then the overview prepared and a frame drawn. Only the visible
//!   rows should cost, so the two sizes should be about equal.
//! - `one_second_of_traffic_at_10000`: 2,000 frames, each toggling the mute of the next leg
//!   on the floor relative to its last state (every frame changes the state; no state
//!   repeats between iterations), through the update step, plus 30 redraws.
//!
//! Nothing is cached between iterations that a real change would not invalidate.

use std::time::{Duration, Instant};

use bridgetop::app::{Action, App, Keymap};
use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::ui;
use bridgetop::voipbin::{Call, MuteDirection};
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

#[path = "../tests/ui_support/mod.rs"]
mod ui_support;

fn rows() -> usize {
    ui::table_rows(Rect::new(0, 0, 120, 40))
}

/// The app on a floor of `conferences` rooms, the first row selected.
fn app_with(conferences: usize) -> (App, Vec<Call>) {
    let floor = ui_support::big_floor(conferences);
    let calls = floor.calls.clone();
    let mut store = ConferencesState::new(StoreConfig::default());
    store.apply(Input::Snapshot(floor), ui_support::now());
    let mut app = App::new(store, Keymap::default(), ui_support::session(None), false);
    app.prepare(rows());
    app.view.selected_conference = app.overview().rows.first().copied();
    (app, calls)
}

/// Flips a call's mute with a newer stamp and returns the frame for it.
struct Toggler {
    calls: Vec<Call>,
    muted: Vec<bool>,
    stamp: i64,
}

impl Toggler {
    fn new(calls: Vec<Call>) -> Self {
        let muted = vec![false; calls.len()];
        Toggler {
            calls,
            muted,
            stamp: 0,
        }
    }

    fn frame(&mut self, index: usize) -> String {
        self.stamp += 1;
        self.muted[index] = !self.muted[index];
        let mut call = self.calls[index].clone();
        call.tm_update = Some(ui_support::now() + TimeDelta::microseconds(self.stamp));
        call.mute_direction = self.muted[index].then_some(MuteDirection::Both);
        serde_json::to_string(&call).unwrap()
    }
}

fn redraw_after_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("redraw_after_change_120x40");
    for conferences in [10, 10_000] {
        let (mut app, calls) = app_with(conferences);
        let selected = app.view.selected_conference.expect("a room is selected");
        // The selected room's legs: their mute shows in the participants pane.
        let visible: Vec<usize> = calls
            .iter()
            .enumerate()
            .filter(|(_, call)| {
                app.store.conference(selected).is_some_and(|view| {
                    view.participants.iter().any(|p| p.call_id == Some(call.id))
                })
            })
            .map(|(i, _)| i)
            .collect();
        assert!(!visible.is_empty(), "the selected room has legs");
        let mut toggler = Toggler::new(calls);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut n = 0;
        let now = ui_support::now() + TimeDelta::seconds(1);
        group.bench_with_input(
            BenchmarkId::from_parameter(conferences),
            &conferences,
            |b, _| {
                b.iter_custom(|iterations| {
                    let frames: Vec<String> = (0..iterations)
                        .map(|_| {
                            n += 1;
                            toggler.frame(visible[n % visible.len()])
                        })
                        .collect();
                    let started = Instant::now();
                    for text in frames {
                        app.update(Action::Inbound(Box::new(Input::Frame(text))), now);
                        assert!(app.dirty, "the frame changed nothing on screen");
                        app.prepare(rows());
                        terminal.draw(|f| ui::draw(f, &app, now)).unwrap();
                        app.dirty = false;
                    }
                    started.elapsed()
                });
            },
        );
    }
    group.finish();
}

fn traffic_second(c: &mut Criterion) {
    const FRAMES_PER_SECOND: usize = 2_000;
    const REDRAWS_PER_SECOND: usize = 30;
    let (mut app, calls) = app_with(10_000);
    let floor_legs = calls.len();
    let mut toggler = Toggler::new(calls);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut next = 0usize;
    let now = ui_support::now() + TimeDelta::seconds(1);
    let mut group = c.benchmark_group("one_second_of_traffic_at_10000");
    group.sample_size(10);
    group.bench_function("2000_frames_and_30_redraws", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let frames: Vec<String> = (0..FRAMES_PER_SECOND)
                    .map(|_| {
                        next = (next + 1) % floor_legs;
                        toggler.frame(next)
                    })
                    .collect();
                let started = Instant::now();
                for (i, text) in frames.into_iter().enumerate() {
                    app.update(Action::Inbound(Box::new(Input::Frame(text))), now);
                    if i % (FRAMES_PER_SECOND / REDRAWS_PER_SECOND) == 0 {
                        app.prepare(rows());
                        terminal.draw(|f| ui::draw(f, &app, now)).unwrap();
                        app.dirty = false;
                    }
                }
                spent += started.elapsed();
            }
            spent
        });
    });
    group.finish();
}

criterion_group!(benches, redraw_after_change, traffic_second);
criterion_main!(benches);
