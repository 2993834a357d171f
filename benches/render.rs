//! What a supervisor's screen costs under change, at 10 and at 10,000 conferences (120x40),
//! on two floors: rooms of an agent and a caller (no alerts), and rooms of four callers
//! left alone (four alerts a room: 40,000 at 10,000 rooms).
//!
//! - `redraw_after_change_120x40`: one fresh WebSocket frame, applied through the app's
//!   update step, then the overview prepared and a frame drawn. The frames take turns: a
//!   visible room loses a leg or gets it back (its row's counts move; on the alone floor an
//!   alert clears or is raised), and the selected room's leg is muted or unmuted (the
//!   participants pane). Only what changed and what is visible should cost, so the two
//!   sizes should be about equal.
//! - `one_second_of_traffic_at_10000`: 2,000 frames, each toggling the mute of the next leg
//!   on the floor relative to its last state (every frame changes the state; no state
//!   repeats between iterations), through the update step, plus 30 redraws.
//!
//! Nothing is cached between iterations that a real change would not invalidate.

use std::time::{Duration, Instant};

use bridgetop::app::{Action, App, Keymap};
use bridgetop::store::{ConferencesState, Input, Snapshot, StoreConfig};
use bridgetop::ui;
use bridgetop::voipbin::{Call, Conference, MuteDirection, Timestamp};
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use uuid::Uuid;

/// The binary's allocator (see `src/main.rs`): what the screen costs depends on it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/ui_support/mod.rs"]
mod ui_support;

fn rows() -> usize {
    ui::table_rows(Rect::new(0, 0, 120, 40))
}

/// Builds a floor of `n` rooms.
type FloorOf = fn(usize) -> Snapshot;

/// The two floors, by the name the bench prints.
const FLOORS: [(&str, FloorOf); 2] = [
    ("agent_and_caller", ui_support::big_floor),
    ("four_callers_alone", ui_support::alone_floor),
];

/// The app on a floor, the first row selected, and the floor's resources.
fn app_on(floor: Snapshot) -> (App, Changer) {
    let changer = Changer::new(&floor);
    // The dashboard's store: no change records, the redraw decided by `views_changed`.
    let mut store = ConferencesState::new(StoreConfig::default()).without_change_records();
    store.apply(Input::Snapshot(floor), ui_support::now());
    let mut app = App::new(store, Keymap::default(), ui_support::session(None), false);
    app.prepare(rows());
    app.view.selected_conference = app.overview().row(0);
    (app, changer)
}

/// Makes frames that change the floor, each with a newer stamp than the last.
struct Changer {
    conferences: Vec<Conference>,
    calls: Vec<Call>,
    muted: Vec<bool>,
    /// The leg each room has given up, until it comes back.
    away: Vec<Option<Uuid>>,
    stamp: i64,
}

impl Changer {
    fn new(floor: &Snapshot) -> Self {
        Changer {
            conferences: floor.conferences.clone(),
            calls: floor.calls.clone(),
            muted: vec![false; floor.calls.len()],
            away: vec![None; floor.conferences.len()],
            stamp: 0,
        }
    }

    fn next_stamp(&mut self) -> Option<Timestamp> {
        self.stamp += 1;
        Some(ui_support::now() + TimeDelta::microseconds(self.stamp))
    }

    fn toggle_mute(&mut self, index: usize) -> String {
        let stamp = self.next_stamp();
        self.muted[index] = !self.muted[index];
        let call = &mut self.calls[index];
        call.tm_update = stamp;
        call.mute_direction = self.muted[index].then_some(MuteDirection::Both);
        serde_json::to_string(call).unwrap()
    }

    /// The room's last leg leaves, or the leg that left comes back.
    fn toggle_leg(&mut self, room: usize) -> String {
        let stamp = self.next_stamp();
        let conference = &mut self.conferences[room];
        match self.away[room].take() {
            Some(leg) => conference.conferencecall_ids.push(leg),
            None => self.away[room] = conference.conferencecall_ids.pop(),
        }
        conference.tm_update = stamp;
        serde_json::to_string(conference).unwrap()
    }

    fn room_index(&self, id: Uuid) -> usize {
        self.conferences.iter().position(|c| c.id == id).unwrap()
    }

    fn calls_in(&self, app: &App, room: Uuid) -> Vec<usize> {
        let view = app.store.conference(room).unwrap();
        (0..self.calls.len())
            .filter(|&i| {
                view.participants
                    .iter()
                    .any(|p| p.call_id == Some(self.calls[i].id))
            })
            .collect()
    }
}

fn redraw_after_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("redraw_after_change_120x40");
    for (floor_name, floor) in FLOORS {
        for conferences in [10, 10_000] {
            let (mut app, mut changer) = app_on(floor(conferences));
            let selected = app.view.selected_conference.expect("a room is selected");
            let selected_calls = changer.calls_in(&app, selected);
            let visible_rooms: Vec<usize> = app
                .overview()
                .rows_from(0)
                .take(rows())
                .map(|id| changer.room_index(id))
                .collect();
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
            let mut n = 0;
            let now = ui_support::now() + TimeDelta::seconds(1);
            let id = BenchmarkId::new(floor_name, conferences);
            group.bench_with_input(id, &conferences, |b, _| {
                b.iter_custom(|iterations| {
                    let frames: Vec<String> = (0..iterations)
                        .map(|_| {
                            n += 1;
                            if n % 2 == 0 {
                                changer.toggle_leg(visible_rooms[n / 2 % visible_rooms.len()])
                            } else {
                                changer.toggle_mute(selected_calls[n / 2 % selected_calls.len()])
                            }
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
            });
        }
    }
    group.finish();
}

fn traffic_second(c: &mut Criterion) {
    const FRAMES_PER_SECOND: usize = 2_000;
    const REDRAWS_PER_SECOND: usize = 30;
    let (mut app, mut changer) = app_on(ui_support::alone_floor(10_000));
    let floor_legs = changer.calls.len();
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
                        changer.toggle_mute(next)
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
