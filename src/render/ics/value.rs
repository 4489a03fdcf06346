//! Property and parameter values: dates, times, offsets, durations, escaped text.

use std::fmt::Write as _;

use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

/// `YYYYMMDD`.
pub(super) fn date_value(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// `YYYYMMDDTHHMMSS`.
pub(super) fn date_time_value(date_time: DateTime) -> String {
    date_time.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `+HHMM` or `+HHMMSS`.
pub(super) fn offset_value(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if rest == 0 {
        format!("{sign}{hours:02}{minutes:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}{rest:02}")
    }
}

/// An RFC 5545 `DURATION` for a task's `estimate` (`30m` → `PT30M`), when it is a plain
/// positive length of days, hours, minutes and seconds.
pub(super) fn duration_value(estimate: &str) -> Option<String> {
    let span: jiff::Span = estimate.trim().parse().ok()?;
    if span.is_negative()
        || span.is_zero()
        || span.get_years() != 0
        || span.get_months() != 0
        || span.get_weeks() != 0
    {
        return None;
    }
    let mut text = String::from("P");
    if span.get_days() != 0 {
        let _ = write!(text, "{}D", span.get_days());
    }
    let time = [
        (i64::from(span.get_hours()), 'H'),
        (span.get_minutes(), 'M'),
        (span.get_seconds(), 'S'),
    ];
    if time.iter().any(|(n, _)| *n != 0) {
        text.push('T');
        for (n, unit) in time {
            if n != 0 {
                let _ = write!(text, "{n}{unit}");
            }
        }
    }
    (text.len() > 1).then_some(text)
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma get a
/// backslash, every line break (CRLF, LF or CR) becomes `\n`, and other control characters
/// (which TEXT may not hold) become spaces. The result is one line whatever the input,
/// so catalog text cannot end a component or start another.
pub(super) fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {
                chars.next_if_eq(&'\n');
                escaped.push_str("\\n");
            }
            '\t' => escaped.push('\t'),
            c if c.is_control() => escaped.push(' '),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A parameter value: as is when it is plain, else quoted (quotes and control characters,
/// which a parameter cannot hold, removed).
pub(super) fn param_value(text: &str) -> String {
    let clean: String = text
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    if clean.contains([';', ':', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::Offset;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a\\b; c, d\ne\r\nf\rg\th"),
            "a\\\\b\\; c\\, d\\ne\\nf\\ng\th"
        );
        assert_eq!(escape_text("bell\u{7}nul\u{0}"), "bell nul ");
        assert_eq!(escape_text("監視: 日次"), "監視: 日次");
    }

    #[test]
    fn parameter_values_are_quoted_when_needed() {
        assert_eq!(param_value("Europe/Copenhagen"), "Europe/Copenhagen");
        assert_eq!(param_value("a;b\"c"), "\"a;bc\"");
    }

    #[test]
    fn durations_come_from_estimates() {
        assert_eq!(duration_value("30m").as_deref(), Some("PT30M"));
        assert_eq!(duration_value("1h 30m").as_deref(), Some("PT1H30M"));
        assert_eq!(duration_value("2d").as_deref(), Some("P2D"));
        assert_eq!(duration_value("1 month"), None);
        assert_eq!(duration_value("0s"), None);
        assert_eq!(duration_value("nonsense"), None);
    }

    #[test]
    fn offsets_are_written_as_rfc_5545_utc_offsets() {
        assert_eq!(offset_value(Offset::constant(1)), "+0100");
        assert_eq!(offset_value(Offset::constant(-5)), "-0500");
        assert_eq!(
            offset_value(Offset::from_seconds(5 * 3600 + 30 * 60).unwrap()),
            "+0530"
        );
        assert_eq!(
            offset_value(Offset::from_seconds(-(3600 + 7)).unwrap()),
            "-010007"
        );
    }
}
