//! One full frame at 10 and at 10,000 conferences: only the visible rows cost, so the two
//! should be about equal. And one second of heavy traffic at 10,000 conferences: 2,000
//! WebSocket frames through the app's update step plus 30 redraws, which must take far
//! less than a second for the dashboard to stay responsive.

use std::time::{Duration, Instant};

use bridgetop::app::{Action, App, Keymap};
use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::ui;
use bridgetop::voipbin::MuteDirection;
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

#[path = "../tests/ui_support/mod.rs"]
mod ui_support;

fn app_with(conferences: usize) -> App {
    let mut store = ConferencesState::new(StoreConfig::default());
    store.apply(
        Input::Snapshot(ui_support::big_floor(conferences)),
        ui_support::now(),
    );
    let mut app = App::new(store, Keymap::default(), ui_support::session(None), false);
    app.prepare(ui::table_rows(Rect::new(0, 0, 120, 40)));
    app
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame_120x40");
    for conferences in [10, 10_000] {
        let mut app = app_with(conferences);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let rows = ui::table_rows(Rect::new(0, 0, 120, 40));
        group.bench_with_input(
            BenchmarkId::from_parameter(conferences),
            &conferences,
            |b, _| {
                b.iter(|| {
                    app.prepare(rows);
                    terminal
                        .draw(|f| ui::draw(f, &app, ui_support::now()))
                        .unwrap();
                });
            },
        );
    }
    group.finish();
}

/// Fresh (newer) call frames: each toggles a leg's mute, so every one changes the state.
fn traffic_frames(
    calls: &[bridgetop::voipbin::Call],
    count: usize,
    round: &mut i64,
) -> Vec<String> {
    (0..count)
        .map(|i| {
            *round += 1;
            let mut call = calls[i % calls.len()].clone();
            call.tm_update = Some(ui_support::now() + TimeDelta::microseconds(*round));
            call.mute_direction = (*round % 2 == 0).then_some(MuteDirection::Both);
            serde_json::to_string(&call).unwrap()
        })
        .collect()
}

fn traffic_second(c: &mut Criterion) {
    const FRAMES_PER_SECOND: usize = 2_000;
    const REDRAWS_PER_SECOND: usize = 30;
    let conferences = 10_000;
    let calls = ui_support::big_floor(conferences).calls;
    let mut app = app_with(conferences);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let rows = ui::table_rows(Rect::new(0, 0, 120, 40));
    let mut round = 0;
    let now = ui_support::now() + TimeDelta::seconds(1);
    let mut group = c.benchmark_group("one_second_of_traffic_at_10000");
    group.sample_size(10);
    group.bench_function("2000_frames_and_30_redraws", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                let frames = traffic_frames(&calls, FRAMES_PER_SECOND, &mut round);
                let started = Instant::now();
                for (i, text) in frames.into_iter().enumerate() {
                    app.update(Action::Inbound(Box::new(Input::Frame(text))), now);
                    if i % (FRAMES_PER_SECOND / REDRAWS_PER_SECOND) == 0 {
                        app.prepare(rows);
                        terminal.draw(|f| ui::draw(f, &app, now)).unwrap();
                    }
                }
                spent += started.elapsed();
            }
            spent
        });
    });
    group.finish();
}

criterion_group!(benches, frame, traffic_second);
criterion_main!(benches);
