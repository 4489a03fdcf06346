//! `holidays_ics:`: holidays read from an iCalendar file (RFC 5545), as national holiday
//! calendars are published for Outlook and Google Calendar.
//!
//! The file is untrusted input, read by a small parser of its own: at most
//! [`MAX_ICS_BYTES`], every problem a diagnostic with its line, nothing that panics. What it
//! takes from the file:
//!
//! - every all-day `VEVENT` (`DTSTART;VALUE=DATE:YYYYMMDD`, or a bare eight-digit date) is a
//!   holiday, over the days up to its `DTEND` (exclusive) or `DURATION` (`PnD`, `PnW`);
//! - a yearly `RRULE` (`FREQ=YEARLY`, with `INTERVAL`, `COUNT`, `UNTIL`, and `BYMONTH` /
//!   `BYMONTHDAY` only when they repeat `DTSTART`'s) repeats it on the same day every year:
//!   up to its `UNTIL` or `COUNT`, or, without either, every year from `DTSTART` on
//!   ([`Annual`]). Any other rule (`BYDAY` holidays such as Thanksgiving, monthly rules) is
//!   refused: the fix is to list those dates as events of their own, as published holiday
//!   calendars do;
//! - `EXDATE`s of a rule with an end remove dates; a rule without an end takes none;
//! - timed events are not holidays: each is a warning and is ignored; `STATUS:CANCELLED`
//!   events are ignored silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::diagnostic::{Diagnostic, Severity};
use crate::calendar::{Annual, add_days, days_between};

/// The largest holiday file socctl reads (a national calendar for a decade is about 50 kB).
pub const MAX_ICS_BYTES: u64 = 4 * 1024 * 1024;

/// The most holiday dates one file may give (a century of daily holidays is 36,525).
const MAX_DATES: usize = 100_000;

/// The longest one all-day event may last, in days.
const MAX_EVENT_DAYS: i64 = 366;

/// The holidays of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IcsHolidays {
    /// Single dates.
    pub dates: BTreeSet<Date>,
    /// Open-ended yearly holidays.
    pub annual: Vec<Annual>,
}

/// One problem, at a 1-based line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsProblem {
    /// Error or warning.
    pub severity: Severity,
    /// The line (of the first physical line of a folded property).
    pub line: u64,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Reads the holiday file at `path`: its holidays, and every problem as a diagnostic in
/// that file. A file that cannot be read at all is one diagnostic (the caller says where
/// it is named).
pub(super) fn read_holidays_ics(path: &Path) -> Result<(IcsHolidays, Vec<Diagnostic>), String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !metadata.is_file() {
        return Err("is not a regular file".to_owned());
    }
    if metadata.len() > MAX_ICS_BYTES {
        return Err(format!(
            "is {} kB; socctl reads holiday files up to {} kB",
            metadata.len() >> 10,
            MAX_ICS_BYTES >> 10
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "is not UTF-8 text (byte {}), so not an iCalendar file",
            e.utf8_error().valid_up_to()
        )
    })?;
    let (holidays, problems) = parse_holidays(&text);
    let diagnostics = problems
        .into_iter()
        .map(|p| Diagnostic {
            severity: p.severity,
            file: path.to_owned(),
            line: p.line,
            column: 1,
            message: p.message,
            hint: p.hint,
        })
        .collect();
    Ok((holidays, diagnostics))
}

/// One unfolded content line: name (uppercase), parameters (`NAME=value`, name
/// uppercase), value, and the line it starts on.
struct Property<'a> {
    name: String,
    params: Vec<(String, &'a str)>,
    value: String,
    line: u64,
}

impl Property<'_> {
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim_matches('"'))
    }
}

/// Splits `text` into unfolded content lines (RFC 5545 §3.1), keeping each one's line.
fn content_lines(text: &str) -> Vec<(u64, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<(u64, String)> = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        match (raw.strip_prefix([' ', '\t']), lines.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ if raw.trim().is_empty() => {}
            _ => lines.push((index as u64 + 1, raw.to_owned())),
        }
    }
    lines
}

/// Parses one content line, or `None` when it has no `:`.
fn property(line: u64, text: &str) -> Option<Property<'_>> {
    // The first `:` outside a quoted parameter value ends the name and parameters.
    let mut quoted = false;
    let colon = text.char_indices().find_map(|(i, c)| match c {
        '"' => {
            quoted = !quoted;
            None
        }
        ':' if !quoted => Some(i),
        _ => None,
    })?;
    let (head, value) = (&text[..colon], &text[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    let params = parts
        .map(|part| match part.split_once('=') {
            Some((n, v)) => (n.trim().to_ascii_uppercase(), v),
            None => (part.trim().to_ascii_uppercase(), ""),
        })
        .collect();
    Some(Property {
        name,
        params,
        value: value.to_owned(),
        line,
    })
}

/// A `YYYYMMDD` date (the first eight characters of a `DATE` or `DATE-TIME` value).
fn ics_date(value: &str) -> Option<Date> {
    let digits = value.get(..8)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    crate::calendar::parse_date(&format!(
        "{}-{}-{}",
        &digits[..4],
        &digits[4..6],
        &digits[6..8]
    ))
}

/// Whether a `DTSTART`/`DTEND` value is a plain date (all day).
fn is_date_value(property: &Property<'_>) -> bool {
    property
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        || (property.value.trim().len() == 8 && !property.value.contains('T'))
}

/// What one `VEVENT` held.
#[derive(Default)]
struct Event<'a> {
    line: u64,
    start: Option<Property<'a>>,
    end: Option<Property<'a>>,
    duration: Option<Property<'a>>,
    rule: Option<Property<'a>>,
    exdates: Vec<Property<'a>>,
    summary: Option<String>,
    cancelled: bool,
}

/// The holidays of an iCalendar text, and every problem found (errors make the file
/// unusable; the caller decides).
pub fn parse_holidays(text: &str) -> (IcsHolidays, Vec<IcsProblem>) {
    let mut holidays = IcsHolidays::default();
    let mut problems = Vec::new();
    let mut problem = |severity, line, message: String, hint: Option<&str>| {
        problems.push(IcsProblem {
            severity,
            line,
            message,
            hint: hint.map(str::to_owned),
        });
    };
    let lines = content_lines(text);
    let begins = lines.first().and_then(|(line, text)| property(*line, text));
    if !begins
        .as_ref()
        .is_some_and(|p| p.name == "BEGIN" && p.value.trim().eq_ignore_ascii_case("VCALENDAR"))
    {
        problem(
            Severity::Error,
            lines.first().map_or(1, |(line, _)| *line),
            "is not an iCalendar file: it does not begin with BEGIN:VCALENDAR".to_owned(),
            Some(
                "point holidays_ics at an .ics file, as holiday calendars are published for Outlook and Google Calendar",
            ),
        );
        return (holidays, problems);
    }
    let mut stack: Vec<String> = Vec::new();
    let mut event: Option<Event<'_>> = None;
    let mut events = 0_usize;
    let mut ended = false;
    for (line, raw) in &lines {
        let Some(prop) = property(*line, raw) else {
            problem(
                Severity::Error,
                *line,
                format!(
                    "`{}` is not an iCalendar content line (NAME:value)",
                    shorten(raw)
                ),
                None,
            );
            continue;
        };
        if ended {
            problem(
                Severity::Error,
                *line,
                "text after END:VCALENDAR".to_owned(),
                Some("one holiday file holds one calendar"),
            );
            break;
        }
        match prop.name.as_str() {
            "BEGIN" => {
                let component = prop.value.trim().to_ascii_uppercase();
                if component == "VEVENT" && stack.last().map(String::as_str) == Some("VCALENDAR") {
                    event = Some(Event {
                        line: *line,
                        ..Event::default()
                    });
                }
                stack.push(component);
            }
            "END" => {
                let component = prop.value.trim().to_ascii_uppercase();
                if stack.last() != Some(&component) {
                    problem(
                        Severity::Error,
                        *line,
                        format!(
                            "END:{component} does not close {}",
                            stack.last().map_or_else(
                                || "anything".to_owned(),
                                |open| format!("BEGIN:{open}")
                            )
                        ),
                        None,
                    );
                    return (holidays, problems);
                }
                stack.pop();
                if component == "VEVENT"
                    && stack.last().map(String::as_str) == Some("VCALENDAR")
                    && let Some(done) = event.take()
                {
                    events += 1;
                    add_event(&done, &mut holidays, &mut problem);
                    if holidays.dates.len() > MAX_DATES {
                        problem(
                            Severity::Error,
                            done.line,
                            format!("the file gives more than {MAX_DATES} holiday dates"),
                            Some("a holiday file lists holidays, not every day of a century"),
                        );
                        return (holidays, problems);
                    }
                }
                if stack.is_empty() {
                    ended = true;
                }
            }
            // Properties of the event itself (not of an alarm inside it).
            name if stack.last().map(String::as_str) == Some("VEVENT") => {
                if let Some(current) = event.as_mut() {
                    match name {
                        "DTSTART" => current.start = Some(prop),
                        "DTEND" => current.end = Some(prop),
                        "DURATION" => current.duration = Some(prop),
                        "RRULE" => current.rule = Some(prop),
                        "EXDATE" => current.exdates.push(prop),
                        "SUMMARY" => current.summary = Some(prop.value),
                        "STATUS" => {
                            current.cancelled = prop.value.trim().eq_ignore_ascii_case("CANCELLED");
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    if !ended {
        problem(
            Severity::Error,
            lines.last().map_or(1, |(line, _)| *line),
            "the file ends without END:VCALENDAR (cut short?)".to_owned(),
            None,
        );
    } else if events == 0 {
        problem(
            Severity::Warning,
            1,
            "the calendar has no events, so no holidays".to_owned(),
            None,
        );
    }
    (holidays, problems)
}

/// A value shortened for a message.
fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    crate::catalog::escape_controls(&short)
}

/// Adds one event's holidays, or says why it gives none.
fn add_event(
    event: &Event<'_>,
    holidays: &mut IcsHolidays,
    problem: &mut impl FnMut(Severity, u64, String, Option<&str>),
) {
    if event.cancelled {
        return;
    }
    let what = event.summary.as_deref().map_or_else(
        || format!("the event at line {}", event.line),
        |s| format!("`{}`", shorten(s.trim())),
    );
    let Some(start) = &event.start else {
        problem(
            Severity::Error,
            event.line,
            format!("{what} has no DTSTART"),
            Some("a holiday is `DTSTART;VALUE=DATE:YYYYMMDD`"),
        );
        return;
    };
    if !is_date_value(start) {
        problem(
            Severity::Warning,
            start.line,
            format!(
                "{what} is a timed event ({}), not a holiday; ignored",
                shorten(start.value.trim())
            ),
            Some("holidays are all-day events: DTSTART;VALUE=DATE:YYYYMMDD"),
        );
        return;
    }
    let Some(first) = ics_date(start.value.trim()).filter(|_| start.value.trim().len() == 8) else {
        problem(
            Severity::Error,
            start.line,
            format!(
                "`{}` in DTSTART of {what} is not a date (YYYYMMDD, years 0001 to 9999)",
                shorten(start.value.trim())
            ),
            None,
        );
        return;
    };
    let Some(days) = event_days(event, first, &what, problem) else {
        return;
    };
    let exdates = exdates(event, &what, problem);
    let Some(rule) = &event.rule else {
        add_span(holidays, first, days, &exdates);
        return;
    };
    let Some(yearly) = yearly_rule(rule, first, &what, problem) else {
        return;
    };
    if days != 1 {
        problem(
            Severity::Error,
            rule.line,
            format!("{what} repeats an event of {days} days; socctl repeats one-day holidays only"),
            Some("list each year's days as events of their own"),
        );
        return;
    }
    match yearly.end {
        None if !exdates.is_empty() => problem(
            Severity::Error,
            rule.line,
            format!("{what} has EXDATEs on a yearly rule without an end"),
            Some("give the RRULE an UNTIL or COUNT, or list the years as events of their own"),
        ),
        None => holidays.annual.push(Annual {
            first,
            interval: yearly.interval,
        }),
        Some(end) => {
            let mut count = 0;
            for year in (i32::from(first.year())..=9999).step_by(usize::from(yearly.interval)) {
                let Ok(date) = Date::new(year as i16, first.month(), first.day()) else {
                    // 29 February in a year without one: no instance (RFC 5545 §3.3.10).
                    continue;
                };
                match end {
                    RuleEnd::Until(until) if date > until => break,
                    RuleEnd::Count(n) if count >= n => break,
                    _ => {}
                }
                count += 1;
                if !exdates.contains(&date) {
                    holidays.dates.insert(date);
                }
            }
        }
    }
}

/// How many days an all-day event lasts (`DTEND` exclusive, or `DURATION`), or `None` after
/// saying what is wrong.
fn event_days(
    event: &Event<'_>,
    first: Date,
    what: &str,
    problem: &mut impl FnMut(Severity, u64, String, Option<&str>),
) -> Option<i64> {
    let days = if let Some(end) = &event.end {
        let Some(last) = ics_date(end.value.trim()).filter(|_| is_date_value(end)) else {
            problem(
                Severity::Error,
                end.line,
                format!(
                    "`{}` in DTEND of {what} is not a date (YYYYMMDD)",
                    shorten(end.value.trim())
                ),
                None,
            );
            return None;
        };
        (end.line, days_between(first, last))
    } else if let Some(duration) = &event.duration {
        let text = duration.value.trim().to_ascii_uppercase();
        let parsed = text
            .strip_prefix('P')
            .and_then(|rest| match rest.strip_suffix('D') {
                Some(n) => n.parse::<i64>().ok(),
                None => rest
                    .strip_suffix('W')
                    .and_then(|n| n.parse::<i64>().ok())
                    .map(|w| w.saturating_mul(7)),
            });
        let Some(days) = parsed else {
            problem(
                Severity::Error,
                duration.line,
                format!(
                    "`{}` in DURATION of {what} is not a whole number of days (P1D, P2W)",
                    shorten(&text)
                ),
                None,
            );
            return None;
        };
        (duration.line, days)
    } else {
        return Some(1);
    };
    if !(1..=MAX_EVENT_DAYS).contains(&days.1) {
        problem(
            Severity::Error,
            days.0,
            format!(
                "{what} lasts {} days; an all-day holiday lasts 1 to {MAX_EVENT_DAYS}",
                days.1
            ),
            Some("DTEND is the day after the last day of the holiday"),
        );
        return None;
    }
    Some(days.1)
}

/// The dates of the event's `EXDATE`s (unreadable ones are errors).
fn exdates(
    event: &Event<'_>,
    what: &str,
    problem: &mut impl FnMut(Severity, u64, String, Option<&str>),
) -> BTreeSet<Date> {
    let mut dates = BTreeSet::new();
    for exdate in &event.exdates {
        for value in exdate.value.split(',') {
            match ics_date(value.trim()) {
                Some(date) => {
                    dates.insert(date);
                }
                None => problem(
                    Severity::Error,
                    exdate.line,
                    format!(
                        "`{}` in EXDATE of {what} is not a date (YYYYMMDD)",
                        shorten(value.trim())
                    ),
                    None,
                ),
            }
        }
    }
    dates
}

/// Adds `days` days from `first`, leaving out `except`.
fn add_span(holidays: &mut IcsHolidays, first: Date, days: i64, except: &BTreeSet<Date>) {
    for offset in 0..days {
        if let Some(date) = add_days(first, offset)
            && !except.contains(&date)
        {
            holidays.dates.insert(date);
        }
    }
}

/// Where a yearly rule ends.
#[derive(Clone, Copy)]
enum RuleEnd {
    Until(Date),
    Count(u32),
}

/// A yearly rule: every `interval` years, up to `end` (none: for ever).
struct Yearly {
    interval: u16,
    end: Option<RuleEnd>,
}

/// Reads an `RRULE` socctl can repeat a holiday by, or says why not.
fn yearly_rule(
    rule: &Property<'_>,
    first: Date,
    what: &str,
    problem: &mut impl FnMut(Severity, u64, String, Option<&str>),
) -> Option<Yearly> {
    const HINT: &str = "socctl repeats a holiday on the same day every year (FREQ=YEARLY); list \
                        other dates (Easter, the fourth Thursday) as events of their own, as \
                        published holiday calendars do";
    let mut refuse = |message: String| {
        problem(Severity::Error, rule.line, message, Some(HINT));
        None
    };
    let mut yearly = Yearly {
        interval: 1,
        end: None,
    };
    let mut frequency = None;
    for part in rule.value.trim().split(';').filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let name = name.trim().to_ascii_uppercase();
        let value = value.trim();
        match name.as_str() {
            "FREQ" => frequency = Some(value.to_ascii_uppercase()),
            "INTERVAL" => match value.parse::<u16>() {
                Ok(n @ 1..=1000) => yearly.interval = n,
                _ => {
                    return refuse(format!(
                        "`INTERVAL={value}` in the RRULE of {what} is not 1 to 1000"
                    ));
                }
            },
            "COUNT" => match value.parse::<u32>() {
                Ok(n @ 1..=10_000) => yearly.end = Some(RuleEnd::Count(n)),
                _ => {
                    return refuse(format!(
                        "`COUNT={value}` in the RRULE of {what} is not 1 to 10000"
                    ));
                }
            },
            "UNTIL" => match ics_date(value) {
                Some(until) => yearly.end = Some(RuleEnd::Until(until)),
                None => {
                    return refuse(format!(
                        "`UNTIL={value}` in the RRULE of {what} is not a date"
                    ));
                }
            },
            "BYMONTH" if value.parse::<i8>().ok() == Some(first.month()) => {}
            "BYMONTHDAY" if value.parse::<i8>().ok() == Some(first.day()) => {}
            "WKST" => {}
            _ => {
                return refuse(format!(
                    "`{}` in the RRULE of {what} is not a rule socctl reads",
                    shorten(part)
                ));
            }
        }
    }
    if frequency.as_deref() != Some("YEARLY") {
        return refuse(format!(
            "the RRULE of {what} is `{}`; socctl reads only yearly rules",
            shorten(rule.value.trim())
        ));
    }
    Some(yearly)
}

/// The holiday files (`holidays_ics`, of the catalog and of its teams) that the catalog
/// files at `files` name as they are now, valid or not, resolved as loading resolves them
/// (relative to the file that names them): what a server watches for edits besides the
/// YAML files themselves. A file that cannot be read or parsed names none.
pub fn holiday_files(files: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for file in files {
        let Ok(source) = super::read_file(file) else {
            continue;
        };
        // Most catalogs name none: no parse for them.
        if !source.contains("holidays_ics") {
            continue;
        }
        let mut doc = super::yaml::Document::new(file, &source);
        let Some(root) = doc.parse() else {
            continue;
        };
        let directory = file.parent().unwrap_or_else(|| Path::new(""));
        named_in(&doc, &root.value, directory, 0, &mut found);
    }
    found
}

/// The `holidays_ics` values of `node` and of the mappings in it (the catalog's own at the
/// top of tasks.yaml, the teams' a list of mappings down in roles.yaml).
fn named_in(
    doc: &super::yaml::Document<'_>,
    node: &super::yaml::Node<'_>,
    directory: &Path,
    depth: usize,
    found: &mut Vec<PathBuf>,
) {
    use super::yaml::Node;
    if depth > 3 {
        return;
    }
    match node {
        Node::Map(entries) => {
            for (key, value) in entries {
                if key.value == "holidays_ics" {
                    if let Some(name) = doc.scalar_text(value) {
                        let path = directory.join(name.trim());
                        if !found.contains(&path) {
                            found.push(path);
                        }
                    }
                } else {
                    named_in(doc, &value.value, directory, depth + 1, found);
                }
            }
        }
        Node::Seq(items) => {
            for item in items {
                named_in(doc, &item.value, directory, depth + 1, found);
            }
        }
        Node::Text(_) | Node::Plain | Node::Null => {}
    }
}

/// Reads `holidays: [dates]` and `holidays_ics: path` (relative to the YAML file) of one
/// mapping, reporting every problem in the YAML file or the iCalendar file.
pub(super) fn read_holiday_fields(
    doc: &mut super::yaml::Document<'_>,
    list: Option<&super::yaml::Spanned<super::yaml::Node<'_>>>,
    file: Option<&super::yaml::Spanned<super::yaml::Node<'_>>>,
) -> (BTreeSet<Date>, Vec<Annual>) {
    let mut dates = BTreeSet::new();
    let mut annual = Vec::new();
    if let Some(node) = list {
        let items: Vec<_> = match &node.value {
            super::yaml::Node::Seq(items) => items.iter().collect(),
            _ => {
                doc.error(
                    &node.referenced,
                    "`holidays` must be a list of dates",
                    Some("e.g. `holidays: [2026-12-24, 2026-12-25]`".to_owned()),
                );
                Vec::new()
            }
        };
        dates.extend(
            items
                .into_iter()
                .filter_map(|item| super::fields::parse_date(doc, item, "holidays")),
        );
    }
    if let Some(node) = file
        && let Some(name) = doc.text(node, "holidays_ics")
    {
        let path = doc
            .path
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(name.trim());
        match read_holidays_ics(&path) {
            Err(why) => doc.error(
                &node.referenced,
                format!("the holiday file `{}` {why}", path.display()),
                Some(
                    "holidays_ics names an iCalendar file, relative to the file that names it"
                        .to_owned(),
                ),
            ),
            Ok((holidays, diagnostics)) => {
                let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
                doc.diagnostics.extend(diagnostics);
                if !failed {
                    dates.extend(holidays.dates);
                    annual.extend(holidays.annual);
                }
            }
        }
    }
    (dates, annual)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_holiday_files_named_are_found_relative_to_their_catalog_file() {
        let dir = tempfile::tempdir().unwrap();
        let tasks = dir.path().join("tasks.yaml");
        let roles = dir.path().join("conf/roles.yaml");
        std::fs::create_dir_all(roles.parent().unwrap()).unwrap();
        std::fs::write(
            &tasks,
            "version: 1\nholidays_ics: dk.ics\ntasks:\n  - id: a\n    title: holidays_ics\n",
        )
        .unwrap();
        std::fs::write(
            &roles,
            "version: 1\nteams:\n  - id: a\n    name: A\n    holidays_ics: ' ../dk.ics '\n  - id: b\n    name: B\n    holidays_ics: us/holidays.ics\n  - id: c\n    name: C\n",
        )
        .unwrap();
        assert_eq!(
            holiday_files(&[tasks.clone(), roles.clone()]),
            [
                dir.path().join("dk.ics"),
                dir.path().join("conf/../dk.ics"),
                dir.path().join("conf/us/holidays.ics"),
            ]
        );
        // Files that name none, or cannot be read or parsed, name none.
        std::fs::write(&tasks, "version: 1\ntasks: []\n").unwrap();
        std::fs::write(&roles, "holidays_ics: [unclosed\n").unwrap();
        let missing = dir.path().join("missing.yaml");
        assert_eq!(
            holiday_files(&[tasks, roles, missing]),
            Vec::<PathBuf>::new()
        );
    }

    fn wrap(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
    }

    fn errors(problems: &[IcsProblem]) -> Vec<(u64, &str)> {
        problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.line, p.message.as_str()))
            .collect()
    }

    #[test]
    fn all_day_events_are_holidays_over_their_days() {
        // DTEND is exclusive: 24 to 27 December is the 24th, 25th and 26th.
        let text = wrap(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20271227\r\nSUMMARY:Jul\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART:20270101\r\nSUMMARY:Nytår\r\nBEGIN:VALARM\r\nTRIGGER:-PT1H\r\nDTSTART:20270505\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        );
        let (holidays, problems) = parse_holidays(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            holidays.dates.into_iter().collect::<Vec<_>>(),
            [
                date(2027, 1, 1),
                date(2027, 12, 24),
                date(2027, 12, 25),
                date(2027, 12, 26)
            ]
        );
    }

    #[test]
    fn timed_events_are_ignored_with_a_warning() {
        let text = wrap(
            "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Copenhagen:20270105T090000\r\nSUMMARY:Meeting\r\nEND:VEVENT\r\n",
        );
        let (holidays, problems) = parse_holidays(&text);
        assert!(holidays.dates.is_empty());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].severity, Severity::Warning);
        assert_eq!(problems[0].line, 5);
        assert!(problems[0].message.contains("`Meeting` is a timed event"));
    }

    #[test]
    fn yearly_rules_repeat_on_the_same_day() {
        let text = wrap(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;COUNT=2\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261225\r\nRRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260605\r\nRRULE:FREQ=YEARLY;UNTIL=20280101\r\nEXDATE;VALUE=DATE:20270605\r\nEND:VEVENT\r\n",
        );
        let (holidays, problems) = parse_holidays(&text);
        assert!(problems.is_empty(), "{problems:?}");
        // COUNT counts instances that exist: 29 February 2024 and 2028.
        assert_eq!(
            holidays.dates.into_iter().collect::<Vec<_>>(),
            [date(2024, 2, 29), date(2026, 6, 5), date(2028, 2, 29)]
        );
        assert_eq!(
            holidays.annual,
            [Annual {
                first: date(2026, 12, 25),
                interval: 1
            }]
        );
        assert!(holidays.annual[0].falls_on(date(2999, 12, 25)));
        assert!(!holidays.annual[0].falls_on(date(2025, 12, 25)));
    }

    #[test]
    fn other_rules_and_bad_dates_are_errors_with_their_line() {
        let text = wrap(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271125\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH\r\nSUMMARY:Thanksgiving\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270230\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270301\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nSUMMARY:nothing\r\nEND:VEVENT\r\n",
        );
        let (_, problems) = parse_holidays(&text);
        let found = errors(&problems);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, 6);
        assert!(found[0].1.contains("`BYDAY=4TH`"), "{}", found[0].1);
        assert_eq!(found[1].0, 10);
        assert!(
            found[1].1.contains("`20270230` in DTSTART"),
            "{}",
            found[1].1
        );
        assert_eq!(found[2].0, 14);
        assert!(found[2].1.contains("only yearly"), "{}", found[2].1);
        assert_eq!(found[3].0, 16);
        assert!(found[3].1.contains("has no DTSTART"), "{}", found[3].1);
    }

    #[test]
    fn what_is_not_a_calendar_says_so() {
        for (text, line, words) in [
            ("", 1, "does not begin with BEGIN:VCALENDAR"),
            (
                "date,name\n2027-01-01,New Year\n",
                1,
                "does not begin with BEGIN:VCALENDAR",
            ),
            (
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270101\n",
                3,
                "without END:VCALENDAR",
            ),
            (
                "BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n",
                3,
                "does not close BEGIN:VEVENT",
            ),
            (
                "BEGIN:VCALENDAR\njunk\nEND:VCALENDAR\n",
                2,
                "not an iCalendar content line",
            ),
        ] {
            let (_, problems) = parse_holidays(text);
            let found = errors(&problems);
            assert!(
                found.iter().any(|(l, m)| *l == line && m.contains(words)),
                "{text:?}: {found:?}"
            );
        }
    }

    #[test]
    fn folded_lines_unfold_and_keep_their_first_line() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DA\n TE:2027\n 0101\nEND:VEVENT\nEND:VCALENDAR";
        let (holidays, problems) = parse_holidays(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            holidays.dates.into_iter().collect::<Vec<_>>(),
            [date(2027, 1, 1)]
        );
    }

    #[test]
    fn hostile_text_never_panics() {
        // Cut a valid file at every byte boundary, and feed odd bytes: no panic, ever.
        let text = wrap(
            "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20271224\r\nDTEND;VALUE=DATE:20271227\r\nRRULE:FREQ=YEARLY;COUNT=3\r\nSUMMARY:\"Jul:æ\"\r\nEND:VEVENT\r\n",
        );
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = parse_holidays(&text[..end]);
        }
        for odd in [
            ":\n:\n",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:99991231\nRRULE:FREQ=YEARLY;INTERVAL=1000\nDURATION:P999999999999999999999D\nEND:VEVENT\nEND:VCALENDAR",
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:99991231\nDTEND;VALUE=DATE:99991231T\nEND:VEVENT\nEND:VCALENDAR",
            "BEGIN:VCALENDAR\nEND:VCALENDAR\nEND:VCALENDAR",
            "\u{feff}BEGIN:VCALENDAR\n\t\n END:X\nEND:VCALENDAR",
        ] {
            let _ = parse_holidays(odd);
        }
    }
}
