//! A task's `estimate`: how long its work usually takes.

use std::fmt;

use super::deadline::{seconds_of, spelled_duration};

/// How long a task's work usually takes (`estimate:` in `tasks.yaml`), in seconds: more
/// than none, at most [`MAX_ESTIMATE_DAYS`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Estimate(i64);

/// The longest estimate accepted, in days: a year.
const MAX_ESTIMATE_DAYS: i64 = 366;

impl Estimate {
    /// What `check` suggests when `estimate:` cannot be read.
    pub const HINT: &'static str =
        "write a length of time such as `30m`, `2h`, `1h30m`, `2 hours`, `90 minutes` or `1 day`";

    /// Parses the value of `estimate:`: a length of time such as `30m`, `2h`, `1h30m`,
    /// `1h 30m`, `2 hours`, `90 minutes` or `1 day`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let phrase = crate::cadence::normalize_phrase(text);
        let seconds = seconds_of(text, &phrase, "a length of time")?;
        if seconds < 0 {
            return Err(format!("`{text}` is negative"));
        }
        if seconds == 0 {
            return Err(format!("`{text}` is no time at all"));
        }
        if seconds > MAX_ESTIMATE_DAYS * 86_400 {
            return Err(format!("`{text}` is longer than {MAX_ESTIMATE_DAYS} days"));
        }
        Ok(Self(seconds))
    }

    /// The length in seconds.
    pub fn seconds(self) -> i64 {
        self.0
    }
}

/// The canonical spelling, which `estimate:` also accepts: `30 minutes`, `1 hour 30 minutes`.
impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&spelled_duration(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_parse_to_their_canonical_form() {
        // Seconds worked out by hand; the canonical form reads back the same.
        for (text, seconds, spelled) in [
            ("30m", 1_800, "30 minutes"),
            ("2h", 7_200, "2 hours"),
            ("2 hours", 7_200, "2 hours"),
            ("2 Hours", 7_200, "2 hours"),
            ("1h30m", 5_400, "1 hour 30 minutes"),
            ("1h 30m", 5_400, "1 hour 30 minutes"),
            ("90 minutes", 5_400, "1 hour 30 minutes"),
            ("1 day", 86_400, "1 day"),
            ("45s", 45, "45 seconds"),
            ("1 week", 604_800, "7 days"),
        ] {
            let estimate = Estimate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(estimate.seconds(), seconds, "{text}");
            assert_eq!(estimate.to_string(), spelled, "{text}");
            assert_eq!(Estimate::parse(spelled), Ok(estimate), "{spelled}");
        }
    }

    #[test]
    fn bad_estimates_say_what_is_wrong() {
        for (text, wanted) in [
            ("soon", "`soon` is not a length of time"),
            ("0", "`0` is not a length of time"),
            ("", "is not a length of time"),
            ("0m", "`0m` is no time at all"),
            ("-2h", "`-2h` is negative"),
            ("2h ago", "`2h ago` is negative"),
            ("2 months", "months or years"),
            ("1 year", "months or years"),
            ("400 days", "longer than 366 days"),
        ] {
            let error = Estimate::parse(text).unwrap_err();
            assert!(error.contains(wanted), "{text}: {error}");
        }
    }
}
