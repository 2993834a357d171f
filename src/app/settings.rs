//! Dashboard settings from the config file: alert thresholds (the keymap has its own file).

use chrono::TimeDelta;
use serde::Deserialize;

use crate::store::AlertThresholds;

/// `[alerts]` in the config file, in seconds; unset keys keep the defaults.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AlertSettings {
    pub customer_alone_grace: Option<u64>,
    pub hold_warning: Option<u64>,
    pub hold_critical: Option<u64>,
    pub stuck_connecting: Option<u64>,
    pub stuck_terminating: Option<u64>,
}

impl AlertSettings {
    pub fn overlay(&mut self, user: AlertSettings) {
        let pick = |mine: &mut Option<u64>, theirs: Option<u64>| {
            if theirs.is_some() {
                *mine = theirs;
            }
        };
        pick(&mut self.customer_alone_grace, user.customer_alone_grace);
        pick(&mut self.hold_warning, user.hold_warning);
        pick(&mut self.hold_critical, user.hold_critical);
        pick(&mut self.stuck_connecting, user.stuck_connecting);
        pick(&mut self.stuck_terminating, user.stuck_terminating);
    }

    pub fn thresholds(&self) -> AlertThresholds {
        let defaults = AlertThresholds::default();
        let secs = |value: Option<u64>, default: TimeDelta| {
            value.map_or(default, |s| {
                TimeDelta::seconds(s.min(i64::MAX as u64) as i64)
            })
        };
        AlertThresholds {
            customer_alone_grace: secs(self.customer_alone_grace, defaults.customer_alone_grace),
            hold_warning: secs(self.hold_warning, defaults.hold_warning),
            hold_critical: secs(self.hold_critical, defaults.hold_critical),
            stuck_connecting: secs(self.stuck_connecting, defaults.stuck_connecting),
            stuck_terminating: secs(self.stuck_terminating, defaults.stuck_terminating),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_keys_keep_the_defaults() {
        let mut settings = AlertSettings::default();
        settings.overlay(AlertSettings {
            hold_warning: Some(30),
            ..AlertSettings::default()
        });
        let thresholds = settings.thresholds();
        assert_eq!(thresholds.hold_warning, TimeDelta::seconds(30));
        assert_eq!(
            thresholds.hold_critical,
            AlertThresholds::default().hold_critical
        );
    }
}
