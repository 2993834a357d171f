//! Ingest figures, printed (`cargo bench --bench ingest`): what taking in the platform's
//! frames costs against the cheapest thing one can do with the same bytes, and what the
//! store holds at contact-center scale.
//!
//! - ingest speed ÷ `serde_json::Value` parse speed, over the same fresh frames (decode,
//!   dedupe and apply against 100 and 10,000 rooms × 4 legs), for unique frames and for
//!   each frame arriving four times (as the platform sends them, §11.5), in a console's
//!   store, and once in `watch`'s (which also describes every change as a record);
//! - apply cost per frame at 10,000 rooms ÷ at 100;
//! - apply cost per frame in a room 5,000 callers have passed through ÷ in a fresh room;
//! - the store's live heap at 10,000 rooms × 4 legs (a counting allocator) and the bench
//!   process's peak resident size.
//!
//! Each figure is the median of several rounds, every round with frames never seen before.

#[path = "support/floor.rs"]
mod floor;

use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bridgetop::store::{ConferencesState, Input};
use chrono::TimeDelta;
use floor::{base, Templates, LEGS};

/// Counts the bytes held on the heap, to weigh the store, over the binary's allocator.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(new_size, Ordering::Relaxed);
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FRAMES_PER_ROUND: u64 = 20_000;
const ROUNDS: usize = 7;
/// How many times the platform delivers one event at worst.
const COPIES: usize = 4;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

struct Round {
    parse: Duration,
    ingest: Duration,
}

/// Frames parsed and then ingested together, so both see the machine in the same state
/// (a shared machine's load comes and goes within a round).
const CHUNK: usize = 500;

/// One round: fresh frames (each `copies` times in a row), a chunk at a time parsed as
/// `Value` and then ingested by the store.
fn round(
    templates: &Templates,
    state: &mut ConferencesState,
    rooms: usize,
    counter: &mut u64,
    copies: usize,
) -> Round {
    let mut frames = Vec::new();
    for _ in 0..FRAMES_PER_ROUND {
        *counter += 1;
        let text = templates.nth_frame(rooms, *counter);
        frames.extend(std::iter::repeat_n(text, copies));
    }
    let now = base() + TimeDelta::milliseconds(*counter as i64);
    let (mut parse, mut ingest) = (Duration::ZERO, Duration::ZERO);
    let mut frames = frames.into_iter().peekable();
    while frames.peek().is_some() {
        let chunk: Vec<String> = frames.by_ref().take(CHUNK).collect();
        let started = Instant::now();
        for text in &chunk {
            black_box(serde_json::from_str::<serde_json::Value>(text).unwrap());
        }
        parse += started.elapsed();
        let started = Instant::now();
        for text in chunk {
            black_box(state.apply(Input::Frame(text), now));
        }
        ingest += started.elapsed();
    }
    Round { parse, ingest }
}

struct Figures {
    /// Ingest speed ÷ parse speed.
    ratio: f64,
    /// Median ingest time per distinct frame.
    per_frame: Duration,
}

fn measure(templates: &Templates, rooms: usize, copies: usize, watch: bool) -> Figures {
    let mut state = if watch {
        templates.loaded_for_watch(rooms)
    } else {
        templates.loaded(rooms)
    };
    let mut counter = 0;
    // One round to warm the caches and the maps, not counted.
    round(templates, &mut state, rooms, &mut counter, copies);
    let rounds: Vec<Round> = (0..ROUNDS)
        .map(|_| round(templates, &mut state, rooms, &mut counter, copies))
        .collect();
    let mut ratios: Vec<f64> = rounds
        .iter()
        .map(|r| r.parse.as_secs_f64() / r.ingest.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let ingest = median(rounds.iter().map(|r| r.ingest).collect());
    Figures {
        ratio: ratios[ratios.len() / 2],
        per_frame: ingest / FRAMES_PER_ROUND as u32,
    }
}

/// Median time per call frame in a room `legs` callers have passed through (the last one
/// still in it), on a floor of 100 rooms.
fn churned_room_cost(templates: &Templates, legs: usize) -> Duration {
    const ROOM: usize = 0;
    let mut state = templates.loaded(100);
    let now = base() + TimeDelta::seconds(1);
    for text in templates.churn(ROOM, legs) {
        state.apply(Input::Frame(text), now);
    }
    let stale_before = state.stats().stale_snapshots;
    let mut n = 0;
    let rounds: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let frames: Vec<String> = (0..FRAMES_PER_ROUND / 4)
                .map(|_| {
                    n += 1;
                    templates.churned_call_frame(ROOM, legs, n)
                })
                .collect();
            let started = Instant::now();
            for text in frames {
                black_box(state.apply(Input::Frame(text), now));
            }
            started.elapsed()
        })
        .collect();
    assert_eq!(
        state.stats().stale_snapshots,
        stale_before,
        "every measured frame was newer than what the store held"
    );
    median(rounds) / (FRAMES_PER_ROUND / 4) as u32
}

fn peak_resident_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo test --benches` runs bench targets with `--bench` absent: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let templates = Templates::default();
    let sample = templates.nth_frame(100, 1);
    println!(
        "frames: {} bytes each (call_updated / conference_updated shapes), {FRAMES_PER_ROUND} a round, median of {ROUNDS} rounds",
        sample.len()
    );

    let mut per_frame = Vec::new();
    for rooms in [100, 10_000] {
        for (label, copies) in [("unique frames", 1), ("each frame 4 times", COPIES)] {
            let figures = measure(&templates, rooms, copies, false);
            println!(
                "ingest ÷ Value parse, {rooms:>6} rooms × {LEGS}, {label:<18}: {:.2}  ({:.2} µs per distinct frame)",
                figures.ratio,
                figures.per_frame.as_secs_f64() * 1e6
            );
            if copies == 1 {
                per_frame.push(figures.per_frame);
            }
        }
    }
    let watch = measure(&templates, 10_000, 1, true);
    println!(
        "ingest ÷ Value parse,  10000 rooms × {LEGS}, unique, with watch's change records: {:.2}  ({:.2} µs per frame)",
        watch.ratio,
        watch.per_frame.as_secs_f64() * 1e6
    );
    println!(
        "apply cost, 10,000 ÷ 100 rooms: {:.2}",
        per_frame[1].as_secs_f64() / per_frame[0].as_secs_f64()
    );

    let fresh = churned_room_cost(&templates, 1);
    let churned = churned_room_cost(&templates, 5_000);
    println!(
        "apply cost in a room 5,000 callers passed through ÷ a fresh room: {:.2}",
        churned.as_secs_f64() / fresh.as_secs_f64()
    );

    let before = HELD.load(Ordering::Relaxed);
    let state = templates.loaded(10_000);
    let held = HELD.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "store heap at 10,000 rooms × {LEGS}: {:.1} MB ({} conferences, {} legs, {} calls)",
        held as f64 / 1e6,
        state.footprint().conferences,
        state.footprint().conferencecalls,
        state.footprint().calls
    );
    if let Some(kb) = peak_resident_kb() {
        println!("bench process peak resident: {:.1} MB", kb as f64 / 1e3);
    }
}
