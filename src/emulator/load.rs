//! A measured load for scale figures: a floor of rooms filled with callers, then a steady
//! stream of mute and unmute on random callers. Each change is one `call_updated` frame
//! that moves what a dashboard shows (the room's muted count, the participant's state), so
//! a figure taken under this load measures real work, never a cached frame.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use uuid::Uuid;

use super::platform::{ConferenceSpec, Platform};
use crate::voipbin::MuteDirection;

/// `--floor ROOMSxLEGS` and `--load-rate N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadConfig {
    pub rooms: usize,
    pub legs_per_room: usize,
    /// Mute changes per second across the floor once it is filled; 0 leaves it still.
    pub updates_per_second: u32,
    pub seed: u64,
}

impl LoadConfig {
    /// Reads `ROOMSxLEGS`, e.g. `10000x4`.
    pub fn parse_floor(text: &str) -> Result<(usize, usize), String> {
        let bad = || format!("{text:?}: expected ROOMSxLEGS, e.g. 10000x4");
        let (rooms, legs) = text.split_once(['x', 'X']).ok_or_else(bad)?;
        let rooms: usize = rooms.trim().parse().map_err(|_| bad())?;
        let legs: usize = legs.trim().parse().map_err(|_| bad())?;
        if rooms == 0 || legs == 0 || rooms > 100_000 || legs > 50 {
            return Err(format!(
                "{text:?}: rooms must be 1 to 100000 and legs per room 1 to 50"
            ));
        }
        Ok((rooms, legs))
    }
}

/// How often the load says what it achieved (stderr), so a bench reads the real rate.
const REPORT_EVERY: Duration = Duration::from_secs(5);
/// Mute changes are released in small batches this often; finer ticks only cost wakeups.
const TICK: Duration = Duration::from_millis(10);

/// Fills the floor, waits until every caller is in its room, then keeps changing mutes.
pub async fn run_load(platform: Arc<Platform>, customer_id: Uuid, config: LoadConfig) {
    let started = Instant::now();
    let callers = fill_floor(&platform, customer_id, config).await;
    eprintln!(
        "load: floor of {} rooms x {} callers ready in {:.1}s",
        config.rooms,
        config.legs_per_room,
        started.elapsed().as_secs_f64()
    );
    if config.updates_per_second == 0 || callers.is_empty() {
        return;
    }
    let mut muted = vec![false; callers.len()];
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x10ad);
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let load_start = Instant::now();
    let mut sent: u64 = 0;
    let mut report_at = load_start + REPORT_EVERY;
    let mut reported = (load_start, 0u64);
    loop {
        tick.tick().await;
        // Pace by the clock, not by ticks, so a late tick catches up instead of losing rate.
        let due =
            (load_start.elapsed().as_secs_f64() * f64::from(config.updates_per_second)) as u64;
        while sent < due {
            let n = rng.gen_range(0..callers.len());
            let changed = if muted[n] {
                platform.unmute(customer_id, callers[n], MuteDirection::In)
            } else {
                platform.mute(customer_id, callers[n], MuteDirection::In)
            };
            if changed.is_ok() {
                muted[n] = !muted[n];
            }
            sent += 1;
        }
        let now = Instant::now();
        if now >= report_at {
            let (since, base) = reported;
            let rate = (sent - base) as f64 / now.duration_since(since).as_secs_f64();
            eprintln!("load: {rate:.0} call updates/s");
            reported = (now, sent);
            report_at = now + REPORT_EVERY;
        }
    }
}

/// Creates the rooms and dials the callers in; returns the callers' call ids once every
/// one of them has joined its room.
async fn fill_floor(platform: &Platform, customer_id: Uuid, config: LoadConfig) -> Vec<Uuid> {
    let mut callers = Vec::with_capacity(config.rooms * config.legs_per_room);
    let mut rooms = Vec::with_capacity(config.rooms);
    let mut phone = 0u64;
    for n in 0..config.rooms {
        let spec = ConferenceSpec {
            kind: "conference".into(),
            name: format!("Floor {n:05}"),
            ..ConferenceSpec::default()
        };
        let room = match platform.create_conference(customer_id, spec) {
            Ok(room) => {
                rooms.push(room.id);
                room.id
            }
            Err(e) => {
                eprintln!("load: could not create room {n}: {e}");
                continue;
            }
        };
        for _ in 0..config.legs_per_room {
            phone += 1;
            let from = format!("+1555{phone:07}");
            callers.push(
                platform
                    .customer_joins_conference(customer_id, &from, room)
                    .id,
            );
        }
        // Let the platform's timers (ringing, answer, join) run between rooms.
        if n % 100 == 99 {
            tokio::task::yield_now().await;
        }
    }
    loop {
        let joined: usize = rooms
            .iter()
            .filter_map(|room| platform.conference(customer_id, *room).ok())
            .map(|c| c.conferencecall_ids.len())
            .sum();
        if joined >= callers.len() {
            return callers;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::LoadConfig;

    #[test]
    fn a_floor_reads_as_rooms_by_legs_and_nonsense_is_refused() {
        assert_eq!(LoadConfig::parse_floor("10000x4"), Ok((10_000, 4)));
        assert_eq!(LoadConfig::parse_floor("3X2"), Ok((3, 2)));
        for bad in ["", "10000", "x4", "0x4", "4x0", "axb", "200000x4", "-1x4"] {
            let err = LoadConfig::parse_floor(bad).unwrap_err();
            assert!(err.contains(bad), "{bad:?}: {err}");
        }
    }
}
