//! Platform timestamps.
//!
//! The platform writes RFC 3339 in UTC with 0–6 fraction digits (trailing zeros trimmed),
//! `null` or an absent key for "not yet", and older data may still carry the legacy
//! `YYYY-MM-DD HH:MM:SS.ffffff` form or a year-9999 "never" sentinel. All of them decode
//! to `Option<Timestamp>`; the sentinel and `null` become `None`.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, SecondsFormat, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// A platform instant: UTC, microsecond precision.
pub type Timestamp = DateTime<Utc>;

/// Why a timestamp string could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unrecognised timestamp {0:?}")]
pub struct TimestampError(pub String);

/// Parses any timestamp form the platform has used. `Ok(None)` means "never" (empty
/// string or a year-9999 sentinel).
pub fn parse(text: &str) -> Result<Option<Timestamp>, TimestampError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parsed = match parse_platform_form(text) {
        Some(t) => t,
        None => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| parse_legacy(text))
            .map_err(|_| TimestampError(text.to_owned()))?,
    };
    if parsed.year() == 9999 {
        return Ok(None);
    }
    Ok(Some(truncate_to_micros(parsed)))
}

/// The form the platform writes today, `2026-08-21T14:00:03.20417Z` (0–6 fraction digits),
/// read directly: every frame carries several, and the general RFC 3339 parser costs more
/// than the rest of decoding a field. Anything else is left to the general parsers.
fn parse_platform_form(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    if b.len() < 20 || b[b.len() - 1] != b'Z' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, c)| b[at] != c) {
        return None;
    }
    let micros = match &b[19..b.len() - 1] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=6).contains(&fraction.len()) => {
            let value = digits(20..b.len() - 1)?;
            value * 10u32.pow(6 - fraction.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
    let time = date.and_hms_micro_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, micros)?;
    Some(time.and_utc())
}

/// `2006-01-02 15:04:05.000000` and `2006-01-02T15:04:05.000000` (no zone, UTC).
fn parse_legacy(text: &str) -> Result<Timestamp, chrono::ParseError> {
    let normalised = text.trim_end_matches('Z');
    NaiveDateTime::parse_from_str(normalised, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(normalised, "%Y-%m-%dT%H:%M:%S%.f"))
        .map(|naive| naive.and_utc())
}

/// The platform stores microseconds; finer digits would not survive a round trip.
pub fn truncate_to_micros(t: Timestamp) -> Timestamp {
    let nanos = t.nanosecond();
    t.with_nanosecond(nanos - nanos % 1_000).unwrap_or(t)
}

/// Formats as the platform does: RFC 3339, `Z`, fraction trimmed of trailing zeros.
pub fn format(t: &Timestamp) -> String {
    let full = t.to_rfc3339_opts(SecondsFormat::Micros, true);
    // "2026-08-21T14:00:03.204170Z" -> "2026-08-21T14:00:03.20417Z"; ".000000" goes entirely.
    let body = &full[..full.len() - 1];
    let trimmed = body.trim_end_matches('0').trim_end_matches('.');
    format!("{trimmed}Z")
}

/// The page-token form: always six fraction digits.
pub fn format_page_token(t: &Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// serde adapter for `Option<Timestamp>` fields. Combine with `#[serde(default)]` so an
/// absent key decodes as `None`; add `skip_serializing_if = "Option::is_none"` for the
/// fields the platform omits rather than nulls.
pub mod optional {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
        let raw: Option<std::borrow::Cow<'de, str>> = Option::deserialize(d)?;
        match raw {
            None => Ok(None),
            Some(text) => parse(&text).map_err(serde::de::Error::custom),
        }
    }

    pub fn serialize<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format(t)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The direct reader agrees with chrono's RFC 3339 parser wherever it answers, and
        /// answers for every well-formed platform stamp.
        #[test]
        fn the_direct_reader_agrees_with_chrono(
            date in (1970i32..2100, 1u32..13, 1u32..32),
            clock in (0u32..24, 0u32..60, 0u32..60),
            fraction in "[0-9]{0,7}",
            noise in proptest::option::of("[0-9TZ:.\\- ]{1,3}"),
        ) {
            let (y, mo, d) = date;
            let (h, mi, sec) = clock;
            let dot = if fraction.is_empty() { "" } else { "." };
            let mut text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{sec:02}{dot}{fraction}Z");
            if let Some(noise) = &noise {
                text.insert_str(10, noise);
            }
            let chrono = DateTime::parse_from_rfc3339(&text).ok().map(|t| t.with_timezone(&Utc));
            let direct = parse_platform_form(&text);
            if direct.is_some() {
                prop_assert_eq!(direct, chrono);
            }
            let well_formed = noise.is_none() && fraction.len() <= 6 && chrono.is_some();
            prop_assert_eq!(direct.is_some(), well_formed, "{}", text);
        }
    }

    fn round(text: &str) -> String {
        format(&parse(text).unwrap().unwrap())
    }

    #[test]
    fn accepts_zero_to_six_fraction_digits() {
        assert_eq!(round("2026-08-21T14:15:02Z"), "2026-08-21T14:15:02Z");
        assert_eq!(round("2026-08-21T14:15:02.7Z"), "2026-08-21T14:15:02.7Z");
        assert_eq!(
            round("2026-08-21T14:00:03.20417Z"),
            "2026-08-21T14:00:03.20417Z"
        );
        assert_eq!(
            round("2026-08-21T14:00:03.204171Z"),
            "2026-08-21T14:00:03.204171Z"
        );
    }

    #[test]
    fn trims_trailing_zeros_like_the_platform() {
        assert_eq!(
            round("2026-08-21T14:00:03.204100Z"),
            "2026-08-21T14:00:03.2041Z"
        );
        assert_eq!(round("2026-08-21T14:00:03.000000Z"), "2026-08-21T14:00:03Z");
    }

    #[test]
    fn accepts_legacy_forms_as_utc() {
        let t = parse("2022-02-03 06:08:56.672025").unwrap().unwrap();
        assert_eq!(format(&t), "2022-02-03T06:08:56.672025Z");
        let t = parse("2022-02-03T06:08:56.672025").unwrap().unwrap();
        assert_eq!(format(&t), "2022-02-03T06:08:56.672025Z");
    }

    #[test]
    fn year_9999_and_empty_mean_never() {
        assert_eq!(parse("9999-01-01 00:00:00.000000").unwrap(), None);
        assert_eq!(parse("9999-01-01T00:00:00Z").unwrap(), None);
        assert_eq!(parse("").unwrap(), None);
    }

    #[test]
    fn rejects_garbage_with_the_text() {
        let err = parse("yesterday").unwrap_err();
        assert!(err.to_string().contains("yesterday"));
    }

    #[test]
    fn drops_sub_microsecond_digits() {
        let t = parse("2026-08-21T14:00:03.123456789Z").unwrap().unwrap();
        assert_eq!(format(&t), "2026-08-21T14:00:03.123456Z");
    }

    #[test]
    fn page_token_keeps_six_digits() {
        let t = parse("2026-08-21T13:40:11.093Z").unwrap().unwrap();
        assert_eq!(format_page_token(&t), "2026-08-21T13:40:11.093000Z");
    }
}
