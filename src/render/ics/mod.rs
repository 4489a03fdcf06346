//! iCalendar (RFC 5545): one `VEVENT` per scheduled task, its recurrence written as an
//! `RRULE` with `EXDATE`/`RDATE` exceptions, for Outlook, Google Calendar and friends.
//!
//! The file states the occurrences of a horizon (`from` to `until`, both inclusive) and
//! nothing outside it: every `RRULE` ends with `UNTIL`, and expanding the file gives exactly
//! the occurrences `socctl plan` lists for the same range. How:
//!
//! 1. The occurrences come from [`crate::plan::plan`], shifts and holidays included.
//! 2. The task's rule is written as an `RRULE` (see [`rrule::rrule`]); its instances are worked out
//!    with socctl's own [`Rule`] in the catalog's calendar *without holidays* (an `RRULE`
//!    knows weekdays, not holidays) and without shifting.
//! 3. Rule instances that are not occurrences become `EXDATE`s; occurrences the rule does
//!    not produce (shifted ones, work days moved by holidays) become `RDATE`s.
//!
//! Crontab rules with plain days become the weekly, daily or monthly rule they are (see
//! [`rrule::cron_as_rule`]). What no `RRULE` states is one `VEVENT` per occurrence: Outlook
//! (MS-OXCICAL) takes an `RDATE` only beside an `RRULE`. An occurrence at another time than
//! its rule instance (a daylight-saving gap) is an `EXDATE` and an event of its own. Tasks
//! with no occurrence in the horizon (and purely "as needed" tasks) have no event.
//!
//! Occurrences without a time are all-day events (`VALUE=DATE`); timed ones are at their
//! wall-clock time in the catalog's zone (`TZID`, with a `VTIMEZONE` built from the time
//! zone database), or in UTC (`Z`) for a UTC catalog, and last the task's `estimate` or
//! [`DEFAULT_DURATION`]. docs/formats.md lists the MS-OXCICAL rules the file follows. `DTSTAMP` is `from` at midnight UTC,
//! so the same export is the same file, byte for byte, and a later export is a newer one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{self, Write};

use jiff::civil::{Date, Time};

use super::RenderOptions;
use crate::calendar::{Calendar, add_days};
use crate::catalog::{Catalog, Task};
use crate::plan::View;

mod fold;
mod rrule;
mod value;
mod vtimezone;

use self::fold::{Lines, write_date_list};
use self::rrule::{candidates, cron_as_rule, fit, rrule};
use self::value::{date_value, duration_value, escape_text};
use self::vtimezone::{ZoneStyle, write_vtimezone};

/// Writes the occurrences of the tasks of `teams` from `from` to `until` (inclusive) as an
/// iCalendar object; with a `person` (a member id), only those assigned to them.
///
/// Fails with [`io::ErrorKind::InvalidInput`] when the range is reversed or longer than
/// `plan` allows.
pub fn write_calendar(
    out: &mut (impl Write + ?Sized),
    catalog: &Catalog,
    (teams, person): (&[usize], Option<&str>),
    from: Date,
    until: Date,
    options: &RenderOptions,
) -> io::Result<()> {
    let mut plan = crate::plan::plan(catalog, from, until, teams, View::Range)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    if let Some(person) = person {
        crate::people::keep_assigned(catalog, &mut plan, &options.cover, person);
    }
    let zone = ZoneStyle::of(catalog);
    // One recurrence per task, and per team for a task whose teams keep calendars of
    // their own (`team` set in the plan): each in its team's calendar and time zone.
    let mut per_task: BTreeMap<(usize, Option<usize>), Vec<Due>> = BTreeMap::new();
    // The plan is sorted by date, so each task's list is too.
    for occurrence in &plan.occurrences {
        let dates = per_task
            .entry((occurrence.task, occurrence.team))
            .or_default();
        // A person in two teams of a task has its date once per team: one occurrence.
        if dates.last() != Some(&(occurrence.date, occurrence.time)) {
            dates.push((occurrence.date, occurrence.time));
        }
    }
    let mut zones: Vec<ZoneStyle> = vec![zone.clone()];
    let events: Vec<Event<'_>> = per_task
        .iter()
        .flat_map(|(&(index, team), actual)| {
            let task = &catalog.tasks[index];
            let calendar = catalog.task_calendar(task, team);
            let style = ZoneStyle::of_zone(&calendar.time_zone, &catalog.time_zone_name);
            let position = zones
                .iter()
                .position(|z| z.tzid() == style.tzid())
                .unwrap_or_else(|| {
                    zones.push(style);
                    zones.len() - 1
                });
            let mut events = Event::new(task, calendar, from, until, actual);
            for event in &mut events {
                event.zone = position;
                if let Some(team) = team {
                    // Each team's recurrence is an event of its own.
                    event.uid = event.uid.replacen(
                        "@socctl",
                        &format!(".{}@socctl", catalog.teams[team].id),
                        1,
                    );
                    event.team = Some(team);
                }
            }
            events
        })
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
    let first = events
        .iter()
        .map(|e| e.start.0)
        .min()
        .map_or(from, |d| d.min(from));
    // The catalog's zone as always; a team's own zone when one of its events has a time.
    for (position, style) in zones.iter().enumerate() {
        if let ZoneStyle::Named { zone, tzid } = style
            && (position == 0 || events.iter().any(|e| e.zone == position && e.timed))
        {
            write_vtimezone(&mut lines, zone, tzid, first, until);
        }
    }
    let stamp = format!("DTSTAMP:{}T000000Z", date_value(from));
    for event in &events {
        event.write(
            &mut lines,
            catalog,
            &zones[event.zone],
            &stamp,
            until,
            options,
        );
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

/// A due date, and time when timed.
type Due = (Date, Option<Time>);

/// How long a timed event lasts when its task has no `estimate` (or one that is not a plain
/// length): Outlook wants every timed event to have an end.
const DEFAULT_DURATION: &str = "PT30M";

/// One task's recurrence set, or one date of it.
struct Event<'a> {
    task: &'a Task,
    /// `<task-id>@socctl` for a recurrence, `<task-id>@socctl-YYYYMMDD` for a single date of
    /// a task whose occurrences no `RRULE` states.
    uid: String,
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
    /// Which of the calendar's zones its times are in (0: the catalog's).
    zone: usize,
    /// The one team it is for, when its task's teams keep calendars of their own.
    team: Option<usize>,
}

impl<'a> Event<'a> {
    /// The events of a task whose occurrences in the horizon are `actual`: one with an
    /// `RRULE` and its exceptions, or, when no `RRULE` states them, one per occurrence
    /// (an `RDATE` needs an `RRULE` in the same `VEVENT` for Outlook, MS-OXCICAL).
    /// None when there are no occurrences.
    fn new(
        task: &'a Task,
        calendar: &Calendar,
        from: Date,
        until: Date,
        actual: &[(Date, Option<Time>)],
    ) -> Vec<Self> {
        let (Some(&first), Some(own_rule)) = (actual.first(), task.cadence.rule.as_ref()) else {
            return Vec::new();
        };
        let timed = first.1.is_some();
        let single = |occurrence: (Date, Option<Time>)| Self {
            task,
            uid: format!("{}@socctl-{}", task.id, date_value(occurrence.0)),
            timed,
            start: occurrence,
            rule: None,
            exdates: Vec::new(),
            rdates: Vec::new(),
            zone: 0,
            team: None,
        };
        let as_list = || actual.iter().copied().map(single).collect();
        let raw_calendar = calendar.without_holidays();
        // The anchor `Schedule::occurrences_from` uses.
        let anchor = task.start.or(own_rule.needs_anchor().then_some(from));
        let actual_dates: BTreeSet<Date> = actual.iter().map(|o| o.0).collect();
        // A crontab rule fires at its own time.
        let at = task
            .cadence
            .at
            .or_else(|| cron_as_rule(own_rule).map(|(_, time)| time));
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
            return as_list();
        };
        let actual_times: BTreeMap<Date, Option<Time>> = actual.iter().copied().collect();
        let time_of = |date: Date| actual_times.get(&date).copied().flatten();
        let rdates: BTreeSet<Date> = fit.rdates.iter().copied().collect();
        let mut exdates: Vec<Date> = fit.exdates;
        // A rule instance whose occurrence is at another time (02:30 on a spring-forward
        // night is due at 03:30) is excluded and made an event of its own: clients read
        // a time that does not exist differently (RFC 5545 moves it forward, ical.js
        // back), and an `RDATE` at the instant RFC 5545 gives the rule's time would be
        // excluded with it.
        let moved: Vec<(Date, Option<Time>)> = actual
            .iter()
            .copied()
            .filter(|&(date, time)| timed && time != at && !rdates.contains(&date))
            .collect();
        exdates.extend(moved.iter().map(|&(date, _)| date));
        exdates.sort_unstable();
        let mut events = vec![Self {
            task,
            uid: format!("{}@socctl", task.id),
            timed,
            start: (fit.start, at),
            rule: Some(text),
            exdates: exdates.into_iter().map(|d| (d, at)).collect(),
            rdates: fit
                .rdates
                .into_iter()
                .map(|d| (d, time_of(d).or(at)))
                .collect(),
            zone: 0,
            team: None,
        }];
        events.extend(moved.into_iter().map(single));
        events
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
            .filter(|&&t| self.team.is_none_or(|own| own == t))
            .map(|&t| catalog.teams[t].name_in(language))
            .collect();
        let value = |(date, time): (Date, Option<Time>)| match time {
            Some(time) if self.timed => zone.date_time(date, time),
            _ => format!(";VALUE=DATE:{}", date_value(date)),
        };

        lines.push("BEGIN:VEVENT");
        lines.push(&format!("UID:{}", escape_text(&self.uid)));
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
            let duration = task
                .estimate
                .map(|estimate| estimate.to_string())
                .as_deref()
                .and_then(duration_value);
            lines.push(&format!(
                "DURATION:{}",
                duration.as_deref().unwrap_or(DEFAULT_DURATION)
            ));
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
