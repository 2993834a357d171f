//! Durations as people type them on the command line and in scenario files.

use std::time::Duration;

/// `250ms`, `2s`, `1.5s`, `1m`; never negative, never larger than a `Duration` holds.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let bad = || format!("bad duration {text:?}: use a number with ms, s or m (250ms, 2s, 1m)");
    let (number, unit_ms) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1_000.0)
    } else if let Some(n) = text.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        return Err(bad());
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    Duration::try_from_secs_f64(value * unit_ms / 1_000.0).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_nonsense() {
        assert_eq!(parse("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse(" 1.5s"), Ok(Duration::from_millis(1_500)));
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        for bad in ["", "5", "-1s", "NaNs", "infs", "1e300s", "soon"] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
