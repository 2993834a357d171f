//! One full frame at 10 and at 10,000 conferences: only the visible rows cost, so the two
//! should be about equal. Also the cost of applying a burst of frames (traffic).

use bridgetop::app::{App, Keymap};
use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::ui;
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
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
