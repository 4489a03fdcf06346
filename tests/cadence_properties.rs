//! Property tests for the cadence engine over generated calendars, anchors and ranges.
//!
//! Every cadence in [`CADENCES`] is paired with an independent description of what it means
//! ([`Spec`]), which a brute-force oracle checks day by day using its own calendar arithmetic
//! (days since 1970-01-01, leap years, weekdays), not socctl's or jiff's.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday, date};
use jiff::tz::{AmbiguousOffset, TimeZone};
use proptest::prelude::*;
use proptest::test_runner::Config;
use socctl::cadence::{Occurrence, Schedule, parse};
use socctl::calendar::{Calendar, Shift, WeekdaySet};

// ---------------------------------------------------------------------------------------
// Independent civil calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days)
// ---------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `n` days after 1970-01-01, as (year, month, day).
fn civil_from_days(n: i64) -> (i64, i64, i64) {
    let z = n + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A day of the oracle's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day {
    n: i64,
    year: i64,
    month: i64,
    /// Day of the month.
    mday: i64,
}

impl Day {
    fn from_n(n: i64) -> Self {
        let (year, month, mday) = civil_from_days(n);
        Self {
            n,
            year,
            month,
            mday,
        }
    }

    fn from_date(d: Date) -> Self {
        Self::from_n(days_from_civil(
            i64::from(d.year()),
            i64::from(d.month()),
            i64::from(d.day()),
        ))
    }

    fn to_date(self) -> Date {
        date(
            i16::try_from(self.year).unwrap(),
            i8::try_from(self.month).unwrap(),
            i8::try_from(self.mday).unwrap(),
        )
    }

    /// Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday).
    fn weekday(self) -> i64 {
        (self.n + 3).rem_euclid(7)
    }

    fn dim(self) -> i64 {
        days_in_month(self.year, self.month)
    }

    fn month_index(self) -> i64 {
        self.year * 12 + self.month - 1
    }
}

// ---------------------------------------------------------------------------------------
// What each cadence means, written independently of socctl's parser
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Dom {
    /// Day n, or the month's last day when it is shorter.
    Day(i64),
    Last,
    /// The nth given weekday (Monday = 0).
    Nth(i64, i64),
    /// The last given weekday.
    LastWeekday(i64),
    FirstWorkday,
    LastWorkday,
}

#[derive(Debug, Clone, Copy)]
enum Spec {
    Daily,
    Workdays,
    /// Every n days counted from the start.
    EveryDays(i64),
    /// Given weekdays (Monday = 0; empty = the calendar's week start) of every
    /// `interval`-th week counted from the week containing the start.
    Weekly {
        interval: i64,
        days: &'static [i64],
    },
    /// A day of every `interval`-th month, counted from `first_month` (or the start's month).
    Monthly {
        interval: i64,
        first_month: Option<i64>,
        day: Dom,
    },
    /// A crontab expression's days, as a predicate.
    Cron(fn(Day) -> bool),
}

impl Spec {
    fn needs_start(self) -> bool {
        match self {
            Spec::EveryDays(n) => n > 1,
            Spec::Weekly { interval, .. } => interval > 1,
            Spec::Monthly {
                interval,
                first_month,
                ..
            } => interval > 1 && first_month.is_none(),
            _ => false,
        }
    }
}

/// A cadence, what it means, and the wall-clock time it is written with.
struct Entry {
    text: &'static str,
    spec: Spec,
    time: Option<(i64, i64, i64)>,
}

const fn entry(text: &'static str, spec: Spec, time: Option<(i64, i64, i64)>) -> Entry {
    Entry { text, spec, time }
}

const fn monthly(interval: i64, first_month: Option<i64>, day: Dom) -> Spec {
    Spec::Monthly {
        interval,
        first_month,
        day,
    }
}

fn nearest_weekday_to_15th(d: Day) -> bool {
    let fifteenth = Day::from_n(days_from_civil(d.year, d.month, 15));
    let target = match fifteenth.weekday() {
        5 => 14,
        6 => 16,
        _ => 15,
    };
    d.mday == target
}

const CADENCES: &[Entry] = &[
    entry("daily", Spec::Daily, None),
    entry("workdays", Spec::Workdays, None),
    entry("every 3 days", Spec::EveryDays(3), None),
    entry("every 10 days", Spec::EveryDays(10), None),
    entry(
        "weekly",
        Spec::Weekly {
            interval: 1,
            days: &[],
        },
        None,
    ),
    entry(
        "weekly on friday",
        Spec::Weekly {
            interval: 1,
            days: &[4],
        },
        None,
    ),
    entry(
        "weekly on mon, thu",
        Spec::Weekly {
            interval: 1,
            days: &[0, 3],
        },
        None,
    ),
    entry(
        "every 2 weeks on thursday",
        Spec::Weekly {
            interval: 2,
            days: &[3],
        },
        None,
    ),
    entry(
        "every 3 weeks on sunday, wednesday",
        Spec::Weekly {
            interval: 3,
            days: &[6, 2],
        },
        None,
    ),
    entry("monthly", monthly(1, None, Dom::Day(1)), None),
    entry("monthly on day 31", monthly(1, None, Dom::Day(31)), None),
    entry("monthly on day 30", monthly(1, None, Dom::Day(30)), None),
    entry("monthly on the last day", monthly(1, None, Dom::Last), None),
    entry(
        "monthly on the first monday",
        monthly(1, None, Dom::Nth(1, 0)),
        None,
    ),
    entry(
        "monthly on the last friday",
        monthly(1, None, Dom::LastWeekday(4)),
        None,
    ),
    entry(
        "monthly on the fifth monday",
        monthly(1, None, Dom::Nth(5, 0)),
        None,
    ),
    entry(
        "monthly on the first workday",
        monthly(1, None, Dom::FirstWorkday),
        None,
    ),
    entry(
        "monthly on the last workday",
        monthly(1, None, Dom::LastWorkday),
        None,
    ),
    entry("quarterly", monthly(3, Some(1), Dom::Day(1)), None),
    entry(
        "quarterly on day 31",
        monthly(3, Some(1), Dom::Day(31)),
        None,
    ),
    entry("yearly on 02-29", monthly(12, Some(2), Dom::Day(29)), None),
    entry(
        "every 2 months on day 15",
        monthly(2, None, Dom::Day(15)),
        None,
    ),
    entry(
        "every 6 months on the last day",
        monthly(6, None, Dom::Last),
        None,
    ),
    // Everyday spellings, checked against the oracle as written.
    entry(
        "every weekday",
        Spec::Weekly {
            interval: 1,
            days: &[0, 1, 2, 3, 4],
        },
        None,
    ),
    entry(
        "fortnightly on friday",
        Spec::Weekly {
            interval: 2,
            days: &[4],
        },
        None,
    ),
    entry(
        "the last friday of every month",
        monthly(1, None, Dom::LastWeekday(4)),
        None,
    ),
    entry("semiannually", monthly(6, None, Dom::Day(1)), None),
    entry(
        "every tuesday at 9:30 pm",
        Spec::Weekly {
            interval: 1,
            days: &[1],
        },
        Some((21, 30, 0)),
    ),
    entry("daily at 02:30", Spec::Daily, Some((2, 30, 0))),
    entry(
        "weekly on sunday at 02:00",
        Spec::Weekly {
            interval: 1,
            days: &[6],
        },
        Some((2, 0, 0)),
    ),
    entry("cron: 30 2 * * *", Spec::Cron(|_| true), Some((2, 30, 0))),
    entry(
        "cron: 0 9 * * 1-5",
        Spec::Cron(|d| d.weekday() < 5),
        Some((9, 0, 0)),
    ),
    entry(
        "cron: 0 1 * * 7",
        Spec::Cron(|d| d.weekday() == 6),
        Some((1, 0, 0)),
    ),
    entry(
        "cron: 0 9 L * *",
        Spec::Cron(|d| d.mday == d.dim()),
        Some((9, 0, 0)),
    ),
    entry(
        "cron: 0 9 15W * *",
        Spec::Cron(nearest_weekday_to_15th),
        Some((9, 0, 0)),
    ),
    entry(
        "cron: 0 9 * * 1#2",
        Spec::Cron(|d| d.weekday() == 0 && (d.mday - 1) / 7 == 1),
        Some((9, 0, 0)),
    ),
    entry(
        "cron: 0 9 13 * 5",
        Spec::Cron(|d| d.mday == 13 || d.weekday() == 4),
        Some((9, 0, 0)),
    ),
    entry(
        "cron: 30 15 2 * * 0",
        Spec::Cron(|d| d.weekday() == 6),
        Some((2, 15, 30)),
    ),
    entry(
        "cron: 0 0 9 1 * * 2030-2040",
        Spec::Cron(|d| (2030..=2040).contains(&d.year) && d.mday == 1),
        Some((9, 0, 0)),
    ),
];

// ---------------------------------------------------------------------------------------
// Generated cases
// ---------------------------------------------------------------------------------------

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Copenhagen",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
];

/// Work weeks, Monday = 0.
const WORK_WEEKS: &[&[i64]] = &[
    &[0, 1, 2, 3, 4],
    &[6, 0, 1, 2, 3],
    &[0, 1, 2, 3, 4, 5],
    &[0, 2, 4, 5],
];

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// How far the listed range runs past `from`: two years.
const RANGE_DAYS: i64 = 730;

#[derive(Debug, Clone)]
struct Case {
    cadence: usize,
    /// Days since 1970-01-01.
    start: Option<i64>,
    from: i64,
    shift: usize,
    week_start: usize,
    work_week: usize,
    zone: usize,
    /// Days since 1970-01-01.
    holidays: Vec<i64>,
}

fn cases() -> impl Strategy<Value = Case> {
    let first = days_from_civil(1990, 1, 1);
    let last = days_from_civil(2060, 12, 31);
    (
        0..CADENCES.len(),
        first..=last,
        0..4u8,
        // Often start listing just before the start: the anchor boundary is where bugs hide.
        prop_oneof![3 => -400..=400i64, 1 => -10..=3i64],
        0..3usize,
        0..7usize,
        0..WORK_WEEKS.len(),
        0..ZONES.len(),
        proptest::collection::vec(-60..RANGE_DAYS + 60, 0..20),
    )
        .prop_map(
            |(cadence, anchor, no_start, offset, shift, week_start, work_week, zone, holidays)| {
                // A quarter of the rules that need no anchor run without a start.
                let start = if no_start == 0 && !CADENCES[cadence].spec.needs_start() {
                    None
                } else {
                    Some(anchor)
                };
                let from = anchor + offset;
                Case {
                    cadence,
                    start,
                    from,
                    shift,
                    week_start,
                    work_week,
                    zone,
                    holidays: holidays.into_iter().map(|h| from + h).collect(),
                }
            },
        )
}

impl Case {
    fn entry(&self) -> &'static Entry {
        &CADENCES[self.cadence]
    }

    fn shift(&self) -> Shift {
        [Shift::None, Shift::NextWorkday, Shift::PreviousWorkday][self.shift]
    }

    fn calendar(&self) -> Calendar {
        let mut workdays = WeekdaySet::empty();
        for &day in WORK_WEEKS[self.work_week] {
            workdays.insert(WEEKDAYS[usize::try_from(day).unwrap()]);
        }
        Calendar {
            time_zone: TimeZone::get(ZONES[self.zone]).unwrap(),
            week_start: WEEKDAYS[self.week_start],
            workdays,
            holidays: self
                .holidays
                .iter()
                .map(|&n| Day::from_n(n).to_date())
                .collect(),
            annual: Vec::new(),
        }
    }

    fn from(&self) -> Date {
        Day::from_n(self.from).to_date()
    }

    fn to(&self) -> Date {
        Day::from_n(self.from + RANGE_DAYS).to_date()
    }

    fn start(&self) -> Option<Date> {
        self.start.map(|n| Day::from_n(n).to_date())
    }

    // --- the oracle ---

    fn is_workday(&self, d: Day) -> bool {
        WORK_WEEKS[self.work_week].contains(&d.weekday()) && !self.holidays.contains(&d.n)
    }

    fn month_day_matches(&self, d: Day, dom: Dom) -> bool {
        match dom {
            Dom::Day(n) => d.mday == n.min(d.dim()),
            Dom::Last => d.mday == d.dim(),
            Dom::Nth(n, weekday) => d.weekday() == weekday && (d.mday - 1) / 7 + 1 == n,
            Dom::LastWeekday(weekday) => d.weekday() == weekday && d.mday + 7 > d.dim(),
            Dom::FirstWorkday => {
                self.is_workday(d) && (1..d.mday).all(|k| !self.is_workday(Day::from_n(d.n - k)))
            }
            Dom::LastWorkday => {
                self.is_workday(d)
                    && (1..=d.dim() - d.mday).all(|k| !self.is_workday(Day::from_n(d.n + k)))
            }
        }
    }

    /// Whether the rule (before any shift) falls on `d`.
    fn rule_matches(&self, d: Day) -> bool {
        if self.start.is_some_and(|start| d.n < start) {
            return false;
        }
        // Without a start, the rules that need one are never generated.
        let anchor = self.start.map(Day::from_n);
        match self.entry().spec {
            Spec::Daily => true,
            Spec::Workdays => self.is_workday(d),
            Spec::EveryDays(n) => (d.n - anchor.unwrap().n).rem_euclid(n) == 0,
            Spec::Weekly { interval, days } => {
                let week_start = i64::try_from(self.week_start).unwrap();
                let day_ok = if days.is_empty() {
                    d.weekday() == week_start
                } else {
                    days.contains(&d.weekday())
                };
                let week_of = |x: Day| x.n - (x.weekday() - week_start).rem_euclid(7);
                let in_cycle = interval == 1
                    || ((week_of(d) - week_of(anchor.unwrap())) / 7).rem_euclid(interval) == 0;
                day_ok && in_cycle
            }
            Spec::Monthly {
                interval,
                first_month,
                day,
            } => {
                let in_cycle = match first_month {
                    Some(first) => (d.month - first).rem_euclid(interval) == 0,
                    None if interval == 1 => true,
                    None => {
                        (d.month_index() - anchor.unwrap().month_index()).rem_euclid(interval) == 0
                    }
                };
                in_cycle && self.month_day_matches(d, day)
            }
            Spec::Cron(matches) => matches(d),
        }
    }

    fn shifted(&self, d: Day) -> Day {
        let step = match self.shift() {
            Shift::None => return d,
            Shift::NextWorkday => 1,
            Shift::PreviousWorkday => -1,
        };
        let mut day = d;
        while !self.is_workday(day) {
            day = Day::from_n(day.n + step);
        }
        day
    }

    /// The wall-clock time a written time resolves to on `d`: moved forward by the length
    /// of a daylight-saving gap it falls in.
    fn expected_time(&self, d: Day) -> Option<Time> {
        let (h, m, s) = self.entry().time?;
        let clock = |seconds: i64| {
            let part = |x: i64| i8::try_from(x).unwrap();
            Time::new(
                part(seconds / 3600),
                part(seconds / 60 % 60),
                part(seconds % 60),
                0,
            )
            .unwrap()
        };
        let written = h * 3600 + m * 60 + s;
        let civil = d.to_date().to_datetime(clock(written));
        let zone = TimeZone::get(ZONES[self.zone]).unwrap();
        let moved = match zone.to_ambiguous_zoned(civil).offset() {
            AmbiguousOffset::Gap { before, after } => {
                written + i64::from(after.seconds() - before.seconds())
            }
            _ => written,
        };
        Some(clock(moved))
    }

    /// The occurrences in `[from, to]` worked out day by day.
    fn oracle(&self) -> Vec<Occurrence> {
        // Shifts in these calendars travel a few days at most: look 70 days either side.
        let dates: BTreeSet<Day> = (self.from - 70..=self.from + RANGE_DAYS + 70)
            .map(Day::from_n)
            .filter(|d| self.rule_matches(*d))
            .map(|d| self.shifted(d))
            .filter(|d| (self.from..=self.from + RANGE_DAYS).contains(&d.n))
            .filter(|d| self.start.is_none_or(|start| d.n >= start))
            .collect();
        dates
            .into_iter()
            .map(|d| Occurrence {
                date: d.to_date(),
                time: self.expected_time(d),
            })
            .collect()
    }
}

/// Runs socctl for a case.
struct Run {
    rule: socctl::cadence::Rule,
    at: Option<Time>,
    calendar: Calendar,
}

impl Run {
    fn new(case: &Case) -> Self {
        let calendar = case.calendar();
        let parsed = parse(case.entry().text, calendar.week_start).unwrap();
        Self {
            rule: parsed.rule.unwrap(),
            at: parsed.at,
            calendar,
        }
    }

    fn schedule<'a>(&'a self, case: &Case) -> Schedule<'a> {
        Schedule {
            rule: &self.rule,
            at: self.at,
            start: case.start(),
            shift: case.shift(),
            calendar: &self.calendar,
        }
    }

    fn list(&self, case: &Case, from: Date, to: Date) -> Vec<Occurrence> {
        self.schedule(case)
            .occurrences_from(from)
            .take_while(|o| o.date <= to)
            .collect()
    }
}

/// Everyday spellings and the canonical form each prints as (issue 13 §4).
const SYNONYMS: &[(&str, &str)] = &[
    ("every monday", "weekly on monday"),
    ("every mon, thu", "weekly on monday, thursday"),
    (
        "every weekday",
        "weekly on monday, tuesday, wednesday, thursday, friday",
    ),
    ("biweekly on friday", "every 2 weeks on friday"),
    ("every other week on friday", "every 2 weeks on friday"),
    ("fortnightly on friday", "every 2 weeks on friday"),
    ("every other sunday", "every 2 weeks on sunday"),
    ("first monday of the month", "monthly on the first monday"),
    (
        "the last friday of every month",
        "monthly on the last friday",
    ),
    (
        "the last workday of each month",
        "monthly on the last workday",
    ),
    ("daily at 9am", "daily at 09:00"),
    ("every monday at 2:30 am", "weekly on monday at 02:30"),
    ("daily at 12am", "daily at 00:00"),
    ("daily at 12:30pm", "daily at 12:30"),
    ("annually on 03-31", "yearly on 03-31"),
    ("annually on 02-29", "yearly on 02-29"),
    ("semiannually", "every 6 months on day 1"),
    (
        "semiannually on the last day",
        "every 6 months on the last day",
    ),
    ("every 6 months", "every 6 months on day 1"),
];

/// 256 cases, or `SOCCTL_PROPTEST_CASES` of them for a long run (see README, Development).
fn config() -> Config {
    Config {
        cases: std::env::var("SOCCTL_PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(256),
        // Keep the test tree clean: no regression files next to this source.
        failure_persistence: None,
        ..Config::default()
    }
}

fn describe(case: &Case) -> String {
    format!(
        "`{}` start {:?} shift {} from {} to {} week start {:?} zone {} workdays {:?} holidays {:?}",
        case.entry().text,
        case.start(),
        case.shift(),
        case.from(),
        case.to(),
        WEEKDAYS[case.week_start],
        ZONES[case.zone],
        WORK_WEEKS[case.work_week],
        {
            let mut h: Vec<Date> = case
                .holidays
                .iter()
                .map(|&n| Day::from_n(n).to_date())
                .collect();
            h.sort();
            h
        },
    )
}

#[test]
fn oracle_calendar_arithmetic_agrees_with_known_dates() {
    // Fixed points: 1970-01-01 is day 0 (a Thursday), 2000-03-01 follows 2000-02-29,
    // 2100-03-01 follows 2100-02-28, 2026-12-31 is a Thursday.
    assert_eq!(days_from_civil(1970, 1, 1), 0);
    assert_eq!(Day::from_n(0).weekday(), 3);
    assert_eq!(
        days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 29),
        1
    );
    assert_eq!(
        civil_from_days(days_from_civil(2100, 3, 1) - 1),
        (2100, 2, 28)
    );
    assert_eq!(Day::from_n(days_from_civil(2026, 12, 31)).weekday(), 3);
    for n in days_from_civil(1899, 12, 1)..days_from_civil(2101, 2, 1) {
        let (y, m, d) = civil_from_days(n);
        assert_eq!(days_from_civil(y, m, d), n);
        assert!((1..=days_in_month(y, m)).contains(&d));
    }
}

proptest! {
    #![proptest_config(config())]

    /// Listed dates are strictly increasing, inside the range and never before the start.
    #[test]
    fn listing_is_sorted_in_range_and_not_before_start(case in cases()) {
        let run = Run::new(&case);
        let (from, to) = (case.from(), case.to());
        let got = run.list(&case, from, to);
        let why = describe(&case);
        for pair in got.windows(2) {
            prop_assert!(pair[0].date < pair[1].date, "not increasing: {:?} in {}", pair, why);
        }
        for o in &got {
            prop_assert!(from <= o.date && o.date <= to, "{} outside the range: {}", o.date, why);
            if let Some(start) = case.start() {
                prop_assert!(o.date >= start, "{} before start {}: {}", o.date, start, why);
            }
        }
    }

    /// socctl agrees with the day-by-day oracle over two years, dates and times, for every
    /// cadence (structured and cron) and every shift.
    #[test]
    fn listing_matches_the_brute_force_oracle(case in cases()) {
        let run = Run::new(&case);
        let got = run.list(&case, case.from(), case.to());
        let expected = case.oracle();
        prop_assert_eq!(got, expected, "{}", describe(&case));
    }

    /// Listing from a later day gives the suffix of the earlier listing.
    #[test]
    fn later_from_yields_a_suffix(case in cases(), later in 0..RANGE_DAYS) {
        let run = Run::new(&case);
        let to = case.to();
        let all = run.list(&case, case.from(), to);
        let from2 = Day::from_n(case.from + later).to_date();
        let suffix: Vec<Occurrence> = all.iter().copied().filter(|o| o.date >= from2).collect();
        prop_assert_eq!(run.list(&case, from2, to), suffix, "from {}: {}", from2, describe(&case));
    }

    /// Each occurrence's window runs to the next: from the day after one occurrence, a day in
    /// the middle, and the next occurrence's own day, `first_on_or_after` is that next
    /// occurrence; and over a
    /// shorter window, the days d with `first_on_or_after(d).date == d` are exactly the
    /// listed dates.
    #[test]
    fn windows_tile(case in cases()) {
        let run = Run::new(&case);
        let schedule = run.schedule(&case);
        let (from, to) = (case.from(), case.to());
        let all = run.list(&case, from, to);
        let why = describe(&case);
        if let Some(first) = all.first() {
            prop_assert_eq!(schedule.first_on_or_after(from), Some(*first), "{}", why);
        }
        for pair in all.windows(2) {
            let (a, b) = (Day::from_date(pair[0].date), Day::from_date(pair[1].date));
            for n in [a.n + 1, (a.n + b.n).div_euclid(2).max(a.n + 1), b.n] {
                let d = Day::from_n(n).to_date();
                prop_assert_eq!(schedule.first_on_or_after(d), Some(pair[1]), "from {}: {}", d, why);
            }
        }
        let window_end = case.from + 120;
        let fixed_points: Vec<Date> = (case.from..=window_end)
            .map(|n| Day::from_n(n).to_date())
            .filter(|d| schedule.first_on_or_after(*d).is_some_and(|o| o.date == *d))
            .collect();
        let listed: Vec<Date> = all
            .iter()
            .map(|o| o.date)
            .filter(|d| Day::from_date(*d).n <= window_end)
            .collect();
        prop_assert_eq!(fixed_points, listed, "{}", why);
    }

    /// Every shifted occurrence is a work day, and every unshifted occurrence of a weekly
    /// rule is on one of its weekdays.
    #[test]
    fn shifted_dates_are_workdays(case in cases()) {
        let run = Run::new(&case);
        let got = run.list(&case, case.from(), case.to());
        let why = describe(&case);
        for o in &got {
            let d = Day::from_date(o.date);
            if case.shift() != Shift::None {
                prop_assert!(case.is_workday(d), "{} is not a work day: {}", o.date, why);
            } else if let Spec::Weekly { days, .. } = case.entry().spec
                && !days.is_empty()
            {
                prop_assert!(days.contains(&d.weekday()), "{} has the wrong weekday: {}", o.date, why);
            }
        }
    }

    /// An everyday spelling prints as its canonical form and lists the same occurrences
    /// (dates and times) as that form, over random calendars, anchors, shifts and ranges.
    #[test]
    fn synonyms_agree_with_their_canonical_form(case in cases(), synonym in 0..SYNONYMS.len()) {
        let (text, canonical) = SYNONYMS[synonym];
        let calendar = case.calendar();
        let written = parse(text, calendar.week_start).unwrap();
        let spelled = parse(canonical, calendar.week_start).unwrap();
        prop_assert_eq!(written.to_string(), canonical);
        let list = |cadence: &socctl::cadence::Cadence| -> Vec<Occurrence> {
            Schedule {
                rule: cadence.rule.as_ref().unwrap(),
                at: cadence.at,
                start: case.start(),
                shift: case.shift(),
                calendar: &calendar,
            }
            .occurrences_from(case.from())
            .take_while(|o| o.date <= case.to())
            .collect()
        };
        prop_assert_eq!(list(&written), list(&spelled), "`{}`: {}", text, describe(&case));
    }
}
