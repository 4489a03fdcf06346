//! A task's deadline rule: by when an occurrence must be done to count as on time.

use std::fmt;

use crate::cadence::Cadence;

/// By when an occurrence must be done to be on time (`deadline:` in `tasks.yaml`, or the
/// default its cadence implies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Deadline {
    /// By the end of the due day.
    DueDay,
    /// Before the next occurrence is due (the end of the occurrence's window).
    EndOfWindow,
    /// This many seconds after the due time (a cadence's `at HH:MM`), else after the end
    /// of the due day.
    Grace(i64),
}

/// The longest grace `deadline:` accepts, in days: a year.
const MAX_GRACE_DAYS: i64 = 366;

impl Deadline {
    /// The rule a cadence implies: a cadence that names a day or a time (`weekly on
    /// friday`, `at 09:00`, cron) is due that day; one that names only a period (`weekly`,
    /// `monthly`) may be done any time in its window.
    pub fn default_for(cadence: &Cadence) -> Self {
        if cadence.names_day {
            Self::DueDay
        } else {
            Self::EndOfWindow
        }
    }

    /// Parses the value of `deadline:`: `due day`, `end of window`, or a grace such as
    /// `2 days`, `4 hours`, `1 day 12 hours` or `90 minutes`. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let phrase = crate::cadence::normalize_phrase(text);
        match phrase.as_str() {
            "due day" | "end of due day" | "end of the due day" => return Ok(Self::DueDay),
            "end of window" | "end of the window" | "window" => return Ok(Self::EndOfWindow),
            _ => {}
        }
        let seconds = seconds_of(text, &phrase, "a deadline")?;
        if seconds <= 0 {
            return Err(format!("`{text}` is not a grace after the due day"));
        }
        if seconds > MAX_GRACE_DAYS * 86_400 {
            return Err(format!("`{text}` is longer than {MAX_GRACE_DAYS} days"));
        }
        Ok(Self::Grace(seconds))
    }

    /// What `check` suggests when `deadline:` cannot be read.
    pub const HINT: &'static str = "write `due day`, `end of window`, or a grace such as `2 days`, `4 hours` or `1 day 12 hours`";
}

/// The spelling `deadline:` accepts: `due day`, `end of window`, `2 days`, `4 hours 30 minutes`.
impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::DueDay => f.write_str("due day"),
            Self::EndOfWindow => f.write_str("end of window"),
            Self::Grace(seconds) => f.write_str(&spelled_duration(seconds)),
        }
    }
}

/// The length of time `phrase` (the normalized `text`) spells, in seconds, days counted
/// as 24 hours; an error naming `text` when it is not `what` (`a deadline`) or counts months
/// or years, which differ in length.
pub(super) fn seconds_of(text: &str, phrase: &str, what: &str) -> Result<i64, String> {
    let span: jiff::Span = phrase
        .parse()
        .map_err(|_| format!("`{text}` is not {what}"))?;
    if span.get_years() != 0 || span.get_months() != 0 {
        return Err(format!(
            "`{text}` counts months or years, which differ in length"
        ));
    }
    Ok(span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|_| format!("`{text}` is not {what}"))?
        .as_secs())
}

/// A length of time in words, largest unit first: `1 day 12 hours`, `1 hour 30 minutes`.
pub(super) fn spelled_duration(seconds: i64) -> String {
    let days = seconds / 86_400;
    let hours = seconds % 86_400 / 3_600;
    let minutes = seconds % 3_600 / 60;
    let secs = seconds % 60;
    let mut parts = Vec::new();
    for (count, one, many) in [
        (days, "day", "days"),
        (hours, "hour", "hours"),
        (minutes, "minute", "minutes"),
        (secs, "second", "seconds"),
    ] {
        if count != 0 {
            parts.push(format!("{count} {}", if count == 1 { one } else { many }));
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_parse_and_print_back() {
        let cases = [
            ("due day", Deadline::DueDay, "due day"),
            ("Due  Day", Deadline::DueDay, "due day"),
            ("end of window", Deadline::EndOfWindow, "end of window"),
            ("2 days", Deadline::Grace(2 * 86_400), "2 days"),
            ("4 hours", Deadline::Grace(4 * 3_600), "4 hours"),
            (
                "1 day 12 hours",
                Deadline::Grace(86_400 + 12 * 3_600),
                "1 day 12 hours",
            ),
            ("90 minutes", Deadline::Grace(90 * 60), "1 hour 30 minutes"),
            ("1 week", Deadline::Grace(7 * 86_400), "7 days"),
        ];
        for (text, deadline, spelled) in cases {
            assert_eq!(Deadline::parse(text), Ok(deadline), "{text}");
            assert_eq!(deadline.to_string(), spelled, "{text}");
            assert_eq!(Deadline::parse(spelled), Ok(deadline), "{spelled}");
        }
    }

    #[test]
    fn bad_deadlines_say_what_is_wrong() {
        for (text, wanted) in [
            ("tomorrow", "is not a deadline"),
            ("2 months", "months or years"),
            ("0 hours", "is not a grace"),
            ("-2 days", "is not a grace"),
            ("400 days", "longer than 366 days"),
        ] {
            let error = Deadline::parse(text).unwrap_err();
            assert!(error.contains(wanted), "{text}: {error}");
        }
    }
}
