//! Store throughput: WebSocket frames applied per second with many live conferences, and
//! the cost of one apply at 100 versus 10,000 conferences (it should not depend on it).
//!
//! Frames are the platform's shapes (`support/floor.rs`), fresh text (new `tm_update`) so neither dedupe nor the version check
//! short-circuits them; building the text is kept out of the measured time.

#[path = "support/floor.rs"]
mod floor;

/// The binary's allocator (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

use bridgetop::store::{ConferencesState, Input};
use bridgetop::voipbin::Timestamp;
use chrono::TimeDelta;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use floor::{base, Templates};

/// Applies `iters` fresh frames, timing only `apply`.
fn run(
    templates: &Templates,
    state: &mut ConferencesState,
    rooms: usize,
    iters: u64,
    counter: &mut u64,
    conf: bool,
) -> Duration {
    let mut spent = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let chunk = left.min(1024);
        let frames: Vec<(String, Timestamp)> = (0..chunk)
            .map(|_| {
                *counter += 1;
                let now = base() + TimeDelta::milliseconds(*counter as i64);
                let text = if conf {
                    templates.conference_frame(rooms, *counter)
                } else {
                    templates.call_frame(rooms, *counter)
                };
                (text, now)
            })
            .collect();
        let start = Instant::now();
        for (text, now) in frames {
            std::hint::black_box(state.apply(Input::Frame(text), now));
        }
        spent += start.elapsed();
        left -= chunk;
    }
    spent
}

fn apply_frames(c: &mut Criterion) {
    let templates = Templates::default();
    for (name, conf) in [("call_frame", false), ("conference_frame", true)] {
        let mut group = c.benchmark_group(format!("apply_{name}"));
        group.throughput(Throughput::Elements(1));
        // (conferences loaded, conferences the frames touch): the last case separates the
        // cost of a larger working set (cache misses) from any cost of the count itself.
        for (rooms, touched) in [(100usize, 100usize), (10_000, 10_000), (10_000, 100)] {
            let mut state = templates.loaded(rooms);
            let mut counter = 0u64;
            let id = BenchmarkId::from_parameter(format!("{rooms}_touching_{touched}"));
            group.bench_function(id, |b| {
                b.iter_custom(|iters| {
                    run(&templates, &mut state, touched, iters, &mut counter, conf)
                });
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
        .sample_size(20);
    targets = apply_frames
}
criterion_main!(benches);
