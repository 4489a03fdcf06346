//! Fitting a task's rule to its occurrences: the `RRULE` that states the most of them and
//! the `EXDATE`/`RDATE` exceptions that make up the rest.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday};

use crate::cadence::{MonthDay, Ordinal, Rule};
use crate::calendar::{Calendar, Shift, WeekdaySet, add_days, days_between};

/// How far back (in days) socctl looks for a rule instance to anchor an `RRULE` on, when
/// the first occurrence in the horizon comes before the rule's first instance in it.
pub(super) const MAX_ANCHOR_SEARCH_DAYS: i64 = 40_000;

/// The rules tried for a task: its own, and for shifted tasks, the rule the shift turns it
/// into on ordinary weeks (a daily task shifted to work days is a work-day task; a Saturday
/// one shifted forward is a Monday one), which usually needs far fewer exceptions.
pub(super) fn candidates(rule: &Rule, shift: Shift, calendar: &Calendar) -> Vec<Rule> {
    let mut rules = vec![rule.clone()];
    if matches!(rule, Rule::Cron(_)) {
        return cron_as_rule(rule)
            .map(|(rule, _)| rule)
            .into_iter()
            .collect();
    }
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

/// The structured rule a crontab rule is, with the time of day it fires at, when its days
/// are a plain weekday set (day of month `*`) or one plain day of the month (weekday `*`),
/// every month, every year, with no `L`, `W` or `#`: `30 8 * * 1-5` is workdays Monday to
/// Friday at 08:30 (`Weekly`), `0 6 15 * *` the 15th at 06:00 (`Monthly`), `0 7 * * *`
/// `Daily`. socctl schedules a crontab task once a day, at its first firing time that day,
/// so the time is the smallest hour, minute and second. `None` for every other rule.
pub(super) fn cron_as_rule(rule: &Rule) -> Option<(Rule, Time)> {
    let Rule::Cron(cron) = rule else {
        return None;
    };
    let pattern = &cron.cron()?.pattern;
    let fields: Vec<&str> = cron.expression.split(' ').collect();
    if fields.len() == 7 && fields[6] != "*" {
        return None;
    }
    if pattern.days.has_modifiers()
        || pattern.days_of_week.has_modifiers()
        || pattern.months.has_modifiers()
        || pattern.months.values().len() != 12
    {
        return None;
    }
    let first = |values: Vec<u16>| values.first().copied();
    let hour = i8::try_from(first(pattern.hours.values())?).ok()?;
    let minute = i8::try_from(first(pattern.minutes.values())?).ok()?;
    let second = i8::try_from(first(pattern.seconds.values()).unwrap_or(0)).ok()?;
    let time = Time::new(hour, minute, second, 0).ok()?;
    let rule = match (pattern.is_dom_wildcard(), pattern.is_dow_wildcard()) {
        (true, true) => Rule::Daily,
        (true, false) => {
            let mut days = WeekdaySet::empty();
            for n in pattern.days_of_week.values() {
                let n = i8::try_from(n % 7).ok()?;
                days.insert(Weekday::from_sunday_zero_offset(n).ok()?);
            }
            if days.is_empty() {
                return None;
            }
            if days.iter_from(Weekday::Monday).count() == 7 {
                Rule::Daily
            } else {
                Rule::Weekly { interval: 1, days }
            }
        }
        (false, true) => match pattern.days.values()[..] {
            [day] => Rule::Monthly {
                interval: 1,
                first_month: None,
                day: MonthDay::Day(i8::try_from(day).ok()?),
            },
            _ => return None,
        },
        (false, false) => return None,
    };
    Some((rule, time))
}

/// Whether a date `rule` gives is an instance of its `RRULE`: a rule on day 29 or 30 of
/// the month is `BYMONTHDAY=29` (or 30), which has no instance in shorter months, where
/// socctl's rule falls on the last day; those dates are `RDATE`s instead. (Day 31 falls on
/// every month's last day, which is `BYMONTHDAY=-1` exactly.)
pub(super) fn in_rrule(rule: &Rule, date: Date) -> bool {
    match rule {
        Rule::Monthly {
            day: MonthDay::Day(d @ 29..=30),
            ..
        } => date.day() == *d,
        _ => true,
    }
}

/// The first instance of `rule`'s `RRULE` on or after `from` (see [`in_rrule`]).
fn next_instance(
    rule: &Rule,
    from: Date,
    anchor: Option<Date>,
    calendar: &Calendar,
) -> Option<Date> {
    let mut cursor = from;
    // A day 29 or 30 is in the next month or, for a February rule, within four years.
    for _ in 0..8 {
        let (date, _) = rule.first_on_or_after(cursor, anchor, calendar)?;
        if in_rrule(rule, date) {
            return Some(date);
        }
        cursor = add_days(date, 1)?;
    }
    None
}

/// A rule fitted to a task's occurrences: where its `RRULE` starts and the exceptions.
pub(super) struct Fit {
    /// The `DTSTART` date.
    pub(super) start: Date,
    /// Rule instances that are not occurrences.
    pub(super) exdates: Vec<Date>,
    /// Occurrences the rule does not produce.
    pub(super) rdates: Vec<Date>,
}

/// Fits `rule` (evaluated in `calendar`, which has no holidays) to the occurrences
/// `actual`: `DTSTART` is the rule's first instance in the horizon, or, when an occurrence
/// comes before that (a shift moved it there), the rule's last instance on or before that
/// occurrence, so that `DTSTART` is never after an `RDATE`.
pub(super) fn fit(
    rule: &Rule,
    anchor: Option<Date>,
    calendar: &Calendar,
    from: Date,
    until: Date,
    actual: &BTreeSet<Date>,
) -> Option<Fit> {
    let first_actual = *actual.first()?;
    let first_raw = next_instance(rule, from, anchor, calendar).filter(|&d| d <= first_actual);
    let start = match first_raw {
        Some(date) => date,
        None => last_instance_on_or_before(rule, anchor, calendar, first_actual)?,
    };
    let grid = grid_anchor(rule, anchor, start)?;
    let mut raw = BTreeSet::new();
    let mut cursor = Some(start);
    while let Some(day) = cursor {
        match next_instance(rule, day, Some(grid), calendar) {
            Some(date) if date <= until => {
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
pub(super) fn last_instance_on_or_before(
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
            match next_instance(rule, day, Some(grid), calendar) {
                Some(instance) if instance <= date => {
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
pub(super) fn grid_anchor(rule: &Rule, anchor: Option<Date>, low: Date) -> Option<Date> {
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
pub(super) fn rrule(rule: &Rule, calendar: &Calendar, start: Date) -> Option<String> {
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
                // One day of the month (MS-OXCICAL): day 31, which falls on the last day
                // of shorter months, is every month's last day; day 29 and 30 are that
                // day, and the shorter months' last days are RDATEs (see `in_rrule`).
                MonthDay::Day(31) | MonthDay::LastDay => "BYMONTHDAY=-1".to_owned(),
                MonthDay::Day(d) => format!("BYMONTHDAY={d}"),
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

pub(super) fn day_code(day: jiff::civil::Weekday) -> &'static str {
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

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
            ("monthly on day 31", "FREQ=MONTHLY;BYMONTHDAY=-1"),
            ("monthly on day 30", "FREQ=MONTHLY;BYMONTHDAY=30"),
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
            ("yearly on 02-29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
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
    fn plain_crontab_rules_are_structured_rules() {
        let cases = [
            ("cron: 30 8 * * 1-5", Some(("workdays", "08:30:00"))),
            ("cron: 0 9,17 * * 1-5", Some(("workdays", "09:00:00"))),
            ("cron: 30 2 * * 0", Some(("weekly on sunday", "02:30:00"))),
            ("cron: 0 7 * * *", Some(("daily", "07:00:00"))),
            ("cron: 0 7 * * 0-6", Some(("daily", "07:00:00"))),
            ("cron: 0 6 15 * *", Some(("monthly on day 15", "06:00:00"))),
            (
                "cron: 30 15 6 * * 3",
                Some(("weekly on wednesday", "06:15:30")),
            ),
            // Both day fields, two days of the month, some months, `L`, a year.
            ("cron: 0 7 1 * 1", None),
            ("cron: 0 7 1,15 * *", None),
            ("cron: 0 7 * 1-6 1", None),
            ("cron: 0 7 L * *", None),
            ("cron: 0 0 7 * * 1 2030", None),
        ];
        for (cadence, expected) in cases {
            let got = cron_as_rule(&rule(cadence));
            let got = got.map(|(rule, time)| (rule.to_string(), time.to_string()));
            let expected = expected.map(|(r, t)| {
                // Weekly rules print their days; `workdays` here is Monday to Friday.
                let r = if r == "workdays" {
                    "weekly on monday, tuesday, wednesday, thursday, friday"
                } else {
                    r
                };
                (r.to_owned(), t.to_owned())
            });
            assert_eq!(got, expected, "{cadence}");
        }
        assert!(cron_as_rule(&rule("daily")).is_none());
    }

    #[test]
    fn days_29_and_30_are_instances_only_where_the_month_has_them() {
        let calendar = Calendar::default();
        let day30 = rule("monthly on day 30");
        let fitted = fit(
            &day30,
            None,
            &calendar,
            date(2027, 1, 1),
            date(2027, 4, 30),
            &[
                date(2027, 1, 30),
                date(2027, 2, 28),
                date(2027, 3, 30),
                date(2027, 4, 30),
            ]
            .into_iter()
            .collect(),
        )
        .unwrap();
        assert_eq!(fitted.start, date(2027, 1, 30));
        assert!(fitted.exdates.is_empty());
        assert_eq!(fitted.rdates, [date(2027, 2, 28)]);
        // A horizon that starts on a clamped day starts the rule on the month before.
        let fitted = fit(
            &day30,
            None,
            &calendar,
            date(2027, 2, 1),
            date(2027, 3, 31),
            &[date(2027, 2, 28), date(2027, 3, 30)].into_iter().collect(),
        )
        .unwrap();
        assert_eq!(fitted.start, date(2027, 1, 30));
        assert_eq!(fitted.exdates, [date(2027, 1, 30)]);
        assert_eq!(fitted.rdates, [date(2027, 2, 28)]);
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
