//! iCalendar (RFC 5545): one `VEVENT` per scheduled task, its recurrence written as an
//! `RRULE` with `EXDATE`/`RDATE` exceptions, for Outlook, Google Calendar and friends.
//!
//! The file states the occurrences of a horizon (`from` to `until`, both inclusive) and
//! nothing outside it: every `RRULE` ends with `UNTIL`, and expanding the file gives exactly
//! the occurrences `socctl plan` lists for the same range. How:
//!
//! 1. The occurrences come from [`crate::plan::plan`], shifts and holidays included.
//! 2. The task's rule is written as an `RRULE` (see [`rrule`]); its instances are worked out
//!    with socctl's own [`Rule`] in the catalog's calendar *without holidays* (an `RRULE`
//!    knows weekdays, not holidays) and without shifting.
//! 3. Rule instances that are not occurrences become `EXDATE`s; occurrences the rule does
//!    not produce (shifted ones, work days moved by holidays) become `RDATE`s.
//!
//! Crontab rules, which an `RRULE` cannot express in general, are written as an `RDATE`
//! list over the horizon. Tasks with no occurrence in the horizon (and purely "as needed"
//! tasks) have no event.
//!
//! Occurrences without a time are all-day events (`VALUE=DATE`); timed ones are at their
//! wall-clock time in the catalog's zone (`TZID`, with a `VTIMEZONE` built from the time
//! zone database), or in UTC (`Z`) for a UTC catalog. `DTSTAMP` is `from` at midnight UTC,
//! so the same export is the same file, byte for byte, and a later export is a newer one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

use super::RenderOptions;
use crate::cadence::{MonthDay, Ordinal, Rule};
use crate::calendar::{Calendar, Shift, WeekdaySet, add_days, days_between};
use crate::catalog::{Catalog, Task};
use crate::plan::View;

/// The longest line, in octets, before it is folded (RFC 5545 section 3.1).
const MAX_LINE_OCTETS: usize = 75;

/// How far back (in days) socctl looks for a rule instance to anchor an `RRULE` on, when
/// the first occurrence in the horizon comes before the rule's first instance in it.
const MAX_ANCHOR_SEARCH_DAYS: i64 = 40_000;

/// Writes the occurrences of the tasks of `teams` from `from` to `until` (inclusive) as an
/// iCalendar object.
///
/// Fails with [`io::ErrorKind::InvalidInput`] when the range is reversed or longer than
/// `plan` allows.
pub fn write_calendar(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    teams: &[usize],
    from: Date,
    until: Date,
    options: &RenderOptions,
) -> io::Result<()> {
    let plan = crate::plan::plan(catalog, from, until, teams, View::Range)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let zone = ZoneStyle::of(catalog);
    let mut per_task: Vec<Vec<(Date, Option<Time>)>> = vec![Vec::new(); catalog.tasks.len()];
    // The plan is sorted by date, so each task's list is too.
    for occurrence in &plan.occurrences {
        per_task[occurrence.task].push((occurrence.date, occurrence.time));
    }
    let events: Vec<Event<'_>> = catalog
        .tasks
        .iter()
        .zip(&per_task)
        .filter_map(|(task, actual)| Event::new(task, &catalog.calendar, from, until, actual))
        .collect();

    let mut lines = Lines::default();
    lines.push("BEGIN:VCALENDAR");
    lines.push("VERSION:2.0");
    lines.push(&format!(
        "PRODID:-//socctl//socctl {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    lines.push("CALSCALE:GREGORIAN");
    lines.push("METHOD:PUBLISH");
    lines.push(&format!(
        "X-WR-CALNAME:{}",
        escape_text(&calendar_name(catalog, teams, options))
    ));
    // Subscribed calendars: refresh daily (RFC 7986, and Outlook's older property).
    lines.push("REFRESH-INTERVAL;VALUE=DURATION:P1D");
    lines.push("X-PUBLISHED-TTL:P1D");
    if let ZoneStyle::Named { zone, tzid } = &zone {
        let first = events
            .iter()
            .map(|e| e.start.0)
            .min()
            .map_or(from, |d| d.min(from));
        write_vtimezone(&mut lines, zone, tzid, first, until);
    }
    let stamp = format!("DTSTAMP:{}T000000Z", date_value(from));
    for event in &events {
        event.write(&mut lines, catalog, &zone, &stamp, until, options);
    }
    lines.push("END:VCALENDAR");
    out.write_all(&lines.bytes)
}

/// The calendar's display name (`X-WR-CALNAME`): "socctl", and the teams when filtered.
fn calendar_name(catalog: &Catalog, teams: &[usize], options: &RenderOptions) -> String {
    if teams.len() == catalog.teams.len() {
        return "socctl".to_owned();
    }
    let names: Vec<&str> = teams
        .iter()
        .map(|&t| catalog.teams[t].name_in(options.language()))
        .collect();
    format!("socctl: {}", names.join(", "))
}

/// How times of day are written.
enum ZoneStyle {
    /// In UTC, with `Z`.
    Utc,
    /// As wall-clock times with a `TZID` and a `VTIMEZONE`.
    Named { zone: TimeZone, tzid: String },
}

impl ZoneStyle {
    fn of(catalog: &Catalog) -> Self {
        let zone = &catalog.calendar.time_zone;
        let name = zone
            .iana_name()
            .unwrap_or(&catalog.time_zone_name)
            .to_owned();
        if ["UTC", "Etc/UTC"]
            .iter()
            .any(|u| name.eq_ignore_ascii_case(u))
        {
            Self::Utc
        } else {
            Self::Named {
                zone: zone.clone(),
                tzid: name,
            }
        }
    }

    /// The parameters and value of a date-time property: `;TZID=…:local` or `:utcZ`.
    fn date_time(&self, date: Date, time: Time) -> String {
        let value = date_time_value(date.to_datetime(time));
        match self {
            Self::Utc => format!(":{value}Z"),
            Self::Named { tzid, .. } => format!(";TZID={}:{value}", param_value(tzid)),
        }
    }

    /// The instant at the end of `date` in this zone, in UTC, as an `RRULE` `UNTIL` value.
    fn end_of_day_utc(&self, date: Date) -> String {
        let last = date.to_datetime(Time::constant(23, 59, 59, 0));
        let utc = match self {
            Self::Utc => Some(last),
            Self::Named { zone, .. } => zone
                .to_ambiguous_timestamp(last)
                .later()
                .ok()
                .map(|ts| Offset::UTC.to_datetime(ts)),
        };
        format!("{}Z", date_time_value(utc.unwrap_or(last)))
    }
}

/// One task's recurrence set.
struct Event<'a> {
    task: &'a Task,
    /// Whether occurrences have a time of day.
    timed: bool,
    /// `DTSTART`: the first instance (date, and time when timed).
    start: (Date, Option<Time>),
    /// The `RRULE` without `UNTIL`, when the recurrence has one.
    rule: Option<String>,
    /// Rule instances that are not occurrences (time when timed).
    exdates: Vec<(Date, Option<Time>)>,
    /// Occurrences besides the rule's instances.
    rdates: Vec<(Date, Option<Time>)>,
}

impl<'a> Event<'a> {
    /// The event of a task whose occurrences in the horizon are `actual`; `None` when
    /// there are none.
    fn new(
        task: &'a Task,
        calendar: &Calendar,
        from: Date,
        until: Date,
        actual: &[(Date, Option<Time>)],
    ) -> Option<Self> {
        let (&first, rest) = actual.split_first()?;
        let own_rule = task.cadence.rule.as_ref()?;
        let timed = first.1.is_some();
        let as_list = || Self {
            task,
            timed,
            start: first,
            rule: None,
            exdates: Vec::new(),
            rdates: rest.to_vec(),
        };
        if matches!(own_rule, Rule::Cron(_)) {
            return Some(as_list());
        }
        let raw_calendar = Calendar {
            holidays: BTreeSet::new(),
            ..calendar.clone()
        };
        // The anchor `Schedule::occurrences_from` uses.
        let anchor = task.start.or(own_rule.needs_anchor().then_some(from));
        let actual_dates: BTreeSet<Date> = actual.iter().map(|o| o.0).collect();
        let at = task.cadence.at;
        let best = candidates(own_rule, task.shift, calendar)
            .into_iter()
            .filter_map(|candidate| {
                let fit = fit(
                    &candidate,
                    anchor,
                    &raw_calendar,
                    from,
                    until,
                    &actual_dates,
                )?;
                let text = rrule(&candidate, &raw_calendar, fit.start)?;
                Some((fit, text))
            })
            // The first of the cheapest: the task's own rule wins ties.
            .min_by_key(|(fit, _)| fit.exdates.len() + fit.rdates.len());
        let Some((fit, text)) = best else {
            return Some(as_list());
        };
        let actual_times: BTreeMap<Date, Option<Time>> = actual.iter().copied().collect();
        let time_of = |date: Date| actual_times.get(&date).copied().flatten();
        Some(Self {
            task,
            timed,
            start: (fit.start, at),
            rule: Some(text),
            exdates: fit.exdates.into_iter().map(|d| (d, at)).collect(),
            rdates: fit
                .rdates
                .into_iter()
                .map(|d| (d, time_of(d).or(at)))
                .collect(),
        })
    }

    fn write(
        &self,
        lines: &mut Lines,
        catalog: &Catalog,
        zone: &ZoneStyle,
        stamp: &str,
        until: Date,
        options: &RenderOptions,
    ) {
        let task = self.task;
        let language = options.language();
        let locale = &options.locale;
        let team_names: Vec<&str> = task
            .teams
            .iter()
            .map(|&t| catalog.teams[t].name_in(language))
            .collect();
        let value = |(date, time): (Date, Option<Time>)| match time {
            Some(time) if self.timed => zone.date_time(date, time),
            _ => format!(";VALUE=DATE:{}", date_value(date)),
        };

        lines.push("BEGIN:VEVENT");
        lines.push(&format!(
            "UID:{}",
            escape_text(&format!("{}@socctl", task.id))
        ));
        lines.push(stamp);
        lines.push(&format!("SUMMARY:{}", escape_text(task.title_in(language))));
        let mut description = task.description_in(language).trim().to_owned();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        let _ = write!(
            description,
            "{}: {}\n{}: {}",
            locale.text("column_cadence"),
            task.cadence_in(language),
            locale.text("column_team"),
            team_names.join(", ")
        );
        lines.push(&format!("DESCRIPTION:{}", escape_text(&description)));
        let categories: Vec<String> = team_names.iter().map(|n| escape_text(n)).collect();
        lines.push(&format!("CATEGORIES:{}", categories.join(",")));
        lines.push(&format!("DTSTART{}", value(self.start)));
        if self.timed {
            if let Some(duration) = task.estimate.as_deref().and_then(duration_value) {
                lines.push(&format!("DURATION:{duration}"));
            }
        } else if let Some(end) = add_days(self.start.0, 1) {
            lines.push(&format!("DTEND;VALUE=DATE:{}", date_value(end)));
        }
        if let Some(rule) = &self.rule {
            let until = if self.timed {
                zone.end_of_day_utc(until)
            } else {
                date_value(until)
            };
            lines.push(&format!("RRULE:{rule};UNTIL={until}"));
        }
        for (name, dates) in [("EXDATE", &self.exdates), ("RDATE", &self.rdates)] {
            write_date_list(lines, name, dates.iter().map(|&d| value(d)));
        }
        lines.push("TRANSP:TRANSPARENT");
        lines.push("END:VEVENT");
    }
}

/// Writes `NAME;params:v1,v2,…` properties, as many values to a line as fit in 75 octets
/// (at least one), so long lists need no folding. `values` are `;params:value` strings;
/// consecutive ones with the same parameters share a line.
fn write_date_list(lines: &mut Lines, name: &str, values: impl Iterator<Item = String>) {
    let mut line = String::new();
    let mut params = String::new();
    for item in values {
        let (item_params, item_value) = item.split_at(item.rfind(':').unwrap_or(0));
        let item_value = &item_value[1..];
        let same = !line.is_empty() && item_params == params;
        if same && line.len() + 1 + item_value.len() <= MAX_LINE_OCTETS {
            line.push(',');
            line.push_str(item_value);
            continue;
        }
        if !line.is_empty() {
            lines.push(&line);
        }
        item_params.clone_into(&mut params);
        line = format!("{name}{item_params}:{item_value}");
    }
    if !line.is_empty() {
        lines.push(&line);
    }
}

/// The rules tried for a task: its own, and for shifted tasks, the rule the shift turns it
/// into on ordinary weeks (a daily task shifted to work days is a work-day task; a Saturday
/// one shifted forward is a Monday one), which usually needs far fewer exceptions.
fn candidates(rule: &Rule, shift: Shift, calendar: &Calendar) -> Vec<Rule> {
    let mut rules = vec![rule.clone()];
    if shift == Shift::None || calendar.workdays.is_empty() {
        return rules;
    }
    match rule {
        Rule::Daily => rules.push(Rule::Workdays),
        Rule::Weekly { interval, days } => {
            let mut shifted = WeekdaySet::empty();
            for day in days.iter_from(jiff::civil::Weekday::Monday) {
                let mut target = day;
                while !calendar.workdays.contains(target) {
                    target = match shift {
                        Shift::PreviousWorkday => target.wrapping_sub(1),
                        Shift::NextWorkday | Shift::None => target.wrapping_add(1),
                    };
                }
                shifted.insert(target);
            }
            if shifted != *days {
                rules.push(Rule::Weekly {
                    interval: *interval,
                    days: shifted,
                });
            }
        }
        _ => {}
    }
    rules
}

/// A rule fitted to a task's occurrences: where its `RRULE` starts and the exceptions.
struct Fit {
    start: Date,
    exdates: Vec<Date>,
    rdates: Vec<Date>,
}

/// Fits `rule` (evaluated in `calendar`, which has no holidays) to the occurrences
/// `actual`: `DTSTART` is the rule's first instance in the horizon, or, when an occurrence
/// comes before that (a shift moved it there), the rule's last instance on or before that
/// occurrence, so that `DTSTART` is never after an `RDATE`.
fn fit(
    rule: &Rule,
    anchor: Option<Date>,
    calendar: &Calendar,
    from: Date,
    until: Date,
    actual: &BTreeSet<Date>,
) -> Option<Fit> {
    let first_actual = *actual.first()?;
    let first_raw = rule
        .first_on_or_after(from, anchor, calendar)
        .map(|(d, _)| d)
        .filter(|&d| d <= first_actual);
    let start = match first_raw {
        Some(date) => date,
        None => last_instance_on_or_before(rule, anchor, calendar, first_actual)?,
    };
    let grid = grid_anchor(rule, anchor, start)?;
    let mut raw = BTreeSet::new();
    let mut cursor = Some(start);
    while let Some(day) = cursor {
        match rule.first_on_or_after(day, Some(grid), calendar) {
            Some((date, _)) if date <= until => {
                raw.insert(date);
                cursor = add_days(date, 1);
            }
            _ => break,
        }
    }
    if raw.first() != Some(&start) {
        // The rule does not produce its own DTSTART again: it cannot be written as an RRULE.
        return None;
    }
    Some(Fit {
        start,
        exdates: raw.difference(actual).copied().collect(),
        rdates: actual.difference(&raw).copied().collect(),
    })
}

/// The rule's last instance on or before `date`, ignoring the task's `start` (an `RRULE`
/// repeats its pattern from `DTSTART` whatever the task's start was).
fn last_instance_on_or_before(
    rule: &Rule,
    anchor: Option<Date>,
    calendar: &Calendar,
    date: Date,
) -> Option<Date> {
    let mut window = 8;
    while window <= MAX_ANCHOR_SEARCH_DAYS {
        let low = add_days(date, -window)?;
        let grid = grid_anchor(rule, anchor, low)?;
        let mut found = None;
        let mut cursor = Some(low);
        while let Some(day) = cursor {
            match rule.first_on_or_after(day, Some(grid), calendar) {
                Some((instance, _)) if instance <= date => {
                    found = Some(instance);
                    cursor = add_days(instance, 1);
                }
                _ => break,
            }
        }
        if found.is_some() {
            return found;
        }
        window *= 2;
    }
    None
}

/// An anchor on or before `low` that gives `rule` the same instances on and after `low`
/// as `anchor` gives on and after `anchor`: `anchor` moved back by whole periods of the
/// rule, or `low` itself when the rule has no periods to keep in step with (without an
/// anchor, or for rules whose anchor is only a lower bound). `None` when moving back leaves
/// the engine's range.
fn grid_anchor(rule: &Rule, anchor: Option<Date>, low: Date) -> Option<Date> {
    let Some(anchor) = anchor else {
        return Some(low);
    };
    if anchor <= low {
        return Some(anchor);
    }
    let period_days = match rule {
        Rule::EveryDays(n) => i64::from(*n),
        Rule::Weekly { interval, .. } => 7 * i64::from(*interval),
        Rule::Monthly { interval, .. } => {
            // Whole multiples of both the interval and a year keep month and year counts
            // in step.
            let months = 12 * i64::from(*interval);
            let behind_years = i64::from(anchor.year()) - i64::from(low.year()) + 1;
            let periods = (behind_years * 12 + months - 1) / months;
            let span = jiff::Span::new().try_months(periods * months).ok()?;
            let moved = anchor.checked_sub(span).ok()?;
            return (moved <= low).then_some(moved);
        }
        Rule::Daily | Rule::Workdays | Rule::Cron(_) => return Some(low),
    };
    let periods = days_between(low, anchor).div_euclid(period_days) + 1;
    add_days(anchor, -periods * period_days)
}

/// The `RRULE` of a rule, without `UNTIL`, for a recurrence starting on `start` (an
/// instance of the rule); `None` for rules an `RRULE` cannot state.
///
/// Weekdays come from the catalog's `workdays` and `week_start`; holidays are not part of
/// an `RRULE` and are the caller's exceptions.
fn rrule(rule: &Rule, calendar: &Calendar, start: Date) -> Option<String> {
    let days = |set: WeekdaySet| -> Option<String> {
        let codes: Vec<&str> = set.iter_from(calendar.week_start).map(day_code).collect();
        (!codes.is_empty()).then(|| codes.join(","))
    };
    let week_start = day_code(calendar.week_start);
    let interval = |n: u32| {
        if n > 1 {
            format!(";INTERVAL={n}")
        } else {
            String::new()
        }
    };
    Some(match rule {
        Rule::Daily => "FREQ=DAILY".to_owned(),
        Rule::Workdays => format!(
            "FREQ=WEEKLY;BYDAY={};WKST={week_start}",
            days(calendar.workdays)?
        ),
        Rule::EveryDays(n) => format!("FREQ=DAILY{}", interval(*n)),
        Rule::Weekly {
            interval: n,
            days: set,
        } => format!(
            "FREQ=WEEKLY{};BYDAY={};WKST={week_start}",
            interval(*n),
            days(*set)?
        ),
        Rule::Monthly {
            interval: n, day, ..
        } => {
            let frequency = if n % 12 == 0 {
                format!("FREQ=YEARLY{};BYMONTH={}", interval(n / 12), start.month())
            } else {
                format!("FREQ=MONTHLY{}", interval(*n))
            };
            let by_day = match day {
                MonthDay::Day(d) if *d <= 28 => format!("BYMONTHDAY={d}"),
                // Day 29 to 31 falls on the last day of shorter months: the last of the
                // days 28 to d that the month has.
                MonthDay::Day(d) => {
                    let list: Vec<String> = (28..=*d).map(|d| d.to_string()).collect();
                    format!("BYMONTHDAY={};BYSETPOS=-1", list.join(","))
                }
                MonthDay::LastDay => "BYMONTHDAY=-1".to_owned(),
                MonthDay::Weekday(Ordinal::Nth(k), weekday) => {
                    format!("BYDAY={k}{}", day_code(*weekday))
                }
                MonthDay::Weekday(Ordinal::Last, weekday) => {
                    format!("BYDAY=-1{}", day_code(*weekday))
                }
                MonthDay::FirstWorkday => {
                    format!("BYDAY={};BYSETPOS=1", days(calendar.workdays)?)
                }
                MonthDay::LastWorkday => {
                    format!("BYDAY={};BYSETPOS=-1", days(calendar.workdays)?)
                }
            };
            format!("{frequency};{by_day}")
        }
        Rule::Cron(_) => return None,
    })
}

fn day_code(day: jiff::civil::Weekday) -> &'static str {
    use jiff::civil::Weekday;
    match day {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// `YYYYMMDD`.
fn date_value(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// `YYYYMMDDTHHMMSS`.
fn date_time_value(date_time: DateTime) -> String {
    date_time.strftime("%Y%m%dT%H%M%S").to_string()
}

/// `+HHMM` or `+HHMMSS`.
fn offset_value(offset: Offset) -> String {
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
fn duration_value(estimate: &str) -> Option<String> {
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

/// A `VTIMEZONE` for `zone` that covers `first` to `last`: the transition in force on
/// `first` and every one up to `last`, each as its own `STANDARD` or `DAYLIGHT`
/// sub-component.
fn write_vtimezone(lines: &mut Lines, zone: &TimeZone, tzid: &str, first: Date, last: Date) {
    // Near the ends of the engine's range the margins shrink, and an instant may be out of
    // jiff's range: then the range's own ends do.
    let instant = |date: Date, fallback: jiff::Timestamp| {
        zone.to_ambiguous_timestamp(date.to_datetime(Time::midnight()))
            .compatible()
            .unwrap_or(fallback)
    };
    let begin = instant(add_days(first, -1).unwrap_or(first), jiff::Timestamp::MIN);
    let end = instant(add_days(last, 2).unwrap_or(last), jiff::Timestamp::MAX);
    lines.push("BEGIN:VTIMEZONE");
    lines.push(&format!("TZID:{}", escape_text(tzid)));
    let mut transitions: Vec<_> = zone.preceding(begin).take(1).collect();
    transitions.extend(zone.following(begin).take_while(|t| t.timestamp() <= end));
    if transitions.is_empty() {
        let info = zone.to_offset_info(begin);
        let offset = offset_value(info.offset());
        lines.push("BEGIN:STANDARD");
        lines.push(&format!(
            "DTSTART:{}",
            date_time_value(info.offset().to_datetime(begin))
        ));
        lines.push(&format!("TZOFFSETFROM:{offset}"));
        lines.push(&format!("TZOFFSETTO:{offset}"));
        lines.push(&format!("TZNAME:{}", escape_text(info.abbreviation())));
        lines.push("END:STANDARD");
    }
    for transition in &transitions {
        let at = transition.timestamp();
        let before = at
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map_or(transition.offset(), |ts| zone.to_offset(ts));
        let kind = if transition.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        lines.push(&format!("BEGIN:{kind}"));
        lines.push(&format!(
            "DTSTART:{}",
            date_time_value(before.to_datetime(at))
        ));
        lines.push(&format!("TZOFFSETFROM:{}", offset_value(before)));
        lines.push(&format!("TZOFFSETTO:{}", offset_value(transition.offset())));
        lines.push(&format!(
            "TZNAME:{}",
            escape_text(transition.abbreviation())
        ));
        lines.push(&format!("END:{kind}"));
    }
    lines.push("END:VTIMEZONE");
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11): backslash, semicolon and comma get a
/// backslash, every line break (CRLF, LF or CR) becomes `\n`, and other control characters
/// (which TEXT may not hold) become spaces. The result is one line whatever the input,
/// so catalog text cannot end a component or start another.
fn escape_text(text: &str) -> String {
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
fn param_value(text: &str) -> String {
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

/// Folds one content line (RFC 5545 section 3.1): physical lines of at most 75 octets,
/// each ending in CRLF, continuation lines starting with a space, never splitting a UTF-8
/// character.
fn fold_line(line: &str, out: &mut Vec<u8>) {
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.extend_from_slice(rest.as_bytes());
            out.extend_from_slice(b"\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.extend_from_slice(&rest.as_bytes()[..cut]);
        out.extend_from_slice(b"\r\n ");
        rest = &rest[cut..];
        // The leading space counts towards the 75 octets.
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Content lines, folded and CRLF-terminated as they are added.
#[derive(Default)]
struct Lines {
    bytes: Vec<u8>,
}

impl Lines {
    fn push(&mut self, line: &str) {
        fold_line(line, &mut self.bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn folded(line: &str) -> String {
        let mut out = Vec::new();
        fold_line(line, &mut out);
        String::from_utf8(out).expect("folding keeps UTF-8 whole")
    }

    fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
            .trim_end_matches("\r\n")
            .to_owned()
    }

    #[test]
    fn short_lines_are_not_folded() {
        assert_eq!(folded("UID:a@socctl"), "UID:a@socctl\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let line = format!("DESCRIPTION:{}", "a".repeat(200));
        let text = folded(&line);
        for physical in text.split_terminator("\r\n") {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let physical: Vec<&str> = text.split_terminator("\r\n").collect();
        assert_eq!(physical[0].len(), 75);
        assert_eq!(physical[1].len(), 75);
        assert!(physical[1].starts_with(' '));
        assert_eq!(unfold(&text), line);
    }

    #[test]
    fn japanese_titles_fold_between_characters() {
        // Three octets a character: 75 octets would fall inside one with a 4-byte prefix.
        let title = "フィッシング対策とデータ損失防止キャンペーンを更新する".repeat(3);
        let line = format!("SUMMARY:{}", escape_text(&title));
        let text = folded(&line);
        for physical in text.split_terminator("\r\n") {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
            // Each physical line is valid UTF-8 on its own.
            assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
        }
        assert!(text.lines().count() > 2);
        assert_eq!(unfold(&text), line);
    }

    #[test]
    fn four_octet_characters_are_never_split() {
        for prefix in 0..4 {
            let line = format!("SUMMARY:{}{}", "x".repeat(prefix), "🛡".repeat(40));
            let text = folded(&line);
            assert!(
                text.split_terminator("\r\n").all(|l| l.len() <= 75),
                "{text}"
            );
            assert_eq!(unfold(&text), line);
        }
    }

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
    fn hostile_text_stays_inside_its_property() {
        let title = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:x\nSUMMARY:forged";
        let mut lines = Lines::default();
        lines.push(&format!("SUMMARY:{}", escape_text(title)));
        let text = String::from_utf8(lines.bytes).unwrap();
        // One content line: no CRLF except the final one and fold breaks.
        let unfolded = unfold(&text);
        assert!(!unfolded.contains(['\r', '\n']), "{unfolded:?}");
        assert!(
            text.split_terminator("\r\n")
                .all(|l| !l.starts_with("END:") && !l.starts_with("BEGIN:")),
            "{text:?}"
        );
        assert_eq!(
            unfolded,
            "SUMMARY:Evil\\nEND:VEVENT\\nBEGIN:VEVENT\\nUID:x\\nSUMMARY:forged"
        );
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

    fn rule(text: &str) -> Rule {
        crate::cadence::parse(text, jiff::civil::Weekday::Monday)
            .unwrap()
            .rule
            .unwrap()
    }

    #[test]
    fn rules_become_rrules() {
        let calendar = Calendar::default();
        let start = date(2027, 2, 28);
        let cases = [
            ("daily", "FREQ=DAILY"),
            ("workdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;WKST=MO"),
            ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
            (
                "every 2 weeks on thursday, monday",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=MO",
            ),
            ("monthly on day 15", "FREQ=MONTHLY;BYMONTHDAY=15"),
            (
                "monthly on day 31",
                "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
            ),
            ("monthly on the last day", "FREQ=MONTHLY;BYMONTHDAY=-1"),
            ("monthly on the fifth monday", "FREQ=MONTHLY;BYDAY=5MO"),
            ("monthly on the last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
            (
                "monthly on the first workday",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
            ),
            (
                "monthly on the last workday",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            ),
            (
                "quarterly on day 15",
                "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15",
            ),
            (
                "yearly on 02-29",
                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
            ),
            (
                "every 24 months on the last day",
                "FREQ=YEARLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=-1",
            ),
        ];
        for (cadence, expected) in cases {
            assert_eq!(
                rrule(&rule(cadence), &calendar, start).as_deref(),
                Some(expected),
                "{cadence}"
            );
        }
        assert_eq!(rrule(&rule("cron: 0 9 * * 1"), &calendar, start), None);
    }

    #[test]
    fn shifted_rules_try_their_shifted_form() {
        let calendar = Calendar::default();
        let saturday = rule("every 2 weeks on saturday");
        let tried = candidates(&saturday, Shift::NextWorkday, &calendar);
        assert_eq!(tried.len(), 2);
        assert_eq!(tried[1].to_string(), "every 2 weeks on monday");
        let tried = candidates(&saturday, Shift::PreviousWorkday, &calendar);
        assert_eq!(tried[1].to_string(), "every 2 weeks on friday");
        assert_eq!(candidates(&saturday, Shift::None, &calendar).len(), 1);
        let tried = candidates(&rule("daily"), Shift::NextWorkday, &calendar);
        assert_eq!(tried[1].to_string(), "workdays");
    }

    #[test]
    fn grid_anchors_keep_the_cycle() {
        let weekly = rule("every 2 weeks on monday");
        let anchor = date(2026, 11, 16);
        let moved = grid_anchor(&weekly, Some(anchor), date(2026, 11, 1)).unwrap();
        assert!(moved <= date(2026, 11, 1));
        assert_eq!(days_between(moved, anchor) % 14, 0);
        let monthly = rule("every 5 months on day 31");
        let moved = grid_anchor(&monthly, Some(anchor), date(2026, 1, 1)).unwrap();
        assert!(moved <= date(2026, 1, 1));
        assert_eq!(moved.month(), anchor.month());
        assert_eq!((anchor.year() - moved.year()) % 5, 0);
        // A daily rule has no cycle: the anchor is only a lower bound, moved down to `low`.
        assert_eq!(
            grid_anchor(&rule("daily"), Some(anchor), date(2026, 1, 1)),
            Some(date(2026, 1, 1))
        );
    }
}
