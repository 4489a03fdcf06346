//! Table-driven checks of cadences against real calendar dates.
//!
//! Every expected date and time below was worked out with Python 3 (`datetime`, `calendar`,
//! `zoneinfo` and `dateutil.rrule`), independently of socctl; the comment above each table
//! says how.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time, Weekday, date, time};
use jiff::tz::TimeZone;
use socctl::cadence::{Occurrence, Schedule, parse};
use socctl::calendar::{Calendar, Shift};

fn d(year: i16, month: i8, day: i8) -> Date {
    date(year, month, day)
}

fn hm(hour: i8, minute: i8) -> Time {
    time(hour, minute, 0, 0)
}

/// A Monday-to-Friday calendar in `zone`.
fn calendar(zone: &str, week_start: Weekday, holidays: &[Date]) -> Calendar {
    Calendar {
        time_zone: TimeZone::get(zone).unwrap_or_else(|e| panic!("{zone}: {e}")),
        week_start,
        holidays: holidays.iter().copied().collect::<BTreeSet<_>>(),
        ..Calendar::default()
    }
}

fn utc() -> Calendar {
    Calendar::default()
}

/// The occurrences of `cadence` in `[from, to]`.
fn occurrences(
    cadence: &str,
    calendar: &Calendar,
    start: Option<Date>,
    shift: Shift,
    from: Date,
    to: Date,
) -> Vec<Occurrence> {
    let parsed = parse(cadence, calendar.week_start).unwrap_or_else(|e| panic!("{cadence}: {e}"));
    let rule = parsed.rule.as_ref().expect("a scheduled cadence");
    let schedule = Schedule {
        rule,
        at: parsed.at,
        start,
        shift,
        calendar,
    };
    schedule
        .occurrences_from(from)
        .take_while(|o| o.date <= to)
        .collect()
}

/// The dates of `cadence` in `[from, to]`.
fn dates(
    cadence: &str,
    calendar: &Calendar,
    start: Option<Date>,
    shift: Shift,
    from: Date,
    to: Date,
) -> Vec<Date> {
    occurrences(cadence, calendar, start, shift, from, to)
        .into_iter()
        .map(|o| o.date)
        .collect()
}

/// One row of a date table: a cadence without anchor or shift and its dates in a range.
type Row<'a> = (&'a str, Date, Date, &'a [Date]);

fn check_rows(calendar: &Calendar, rows: &[Row<'_>]) {
    for &(cadence, from, to, expected) in rows {
        assert_eq!(
            dates(cadence, calendar, None, Shift::None, from, to),
            expected,
            "{cadence} from {from} to {to}"
        );
    }
}

/// One row of a timed table: a cadence and the (date, wall-clock time) pairs it yields.
type TimedRow<'a> = (&'a str, Date, Date, &'a [(Date, Time)]);

fn check_timed_rows(calendar: &Calendar, rows: &[TimedRow<'_>]) {
    for &(cadence, from, to, expected) in rows {
        let got: Vec<(Date, Option<Time>)> =
            occurrences(cadence, calendar, None, Shift::None, from, to)
                .into_iter()
                .map(|o| (o.date, o.time))
                .collect();
        let expected: Vec<(Date, Option<Time>)> =
            expected.iter().map(|&(day, at)| (day, Some(at))).collect();
        assert_eq!(
            got,
            expected,
            "{cadence} in {} from {from} to {to}",
            calendar.time_zone.iana_name().unwrap_or("?")
        );
    }
}

// ---------------------------------------------------------------------------------------
// Daylight saving time
// ---------------------------------------------------------------------------------------

// Europe/Copenhagen 2026: zoneinfo shows the offset going +01:00 -> +02:00 at 2026-03-29
// 01:00 UTC (the last Sunday of March: local 02:00 becomes 03:00, so 02:00-02:59 does not
// exist) and +02:00 -> +01:00 at 2026-10-25 01:00 UTC (the last Sunday of October: local
// 02:00-02:59 happens twice). A gap time resolved the way Python resolves `fold=0` (offset
// from before the transition) moves forward by the gap's length: 02:30 -> 03:30,
// 02:00 -> 03:00, 02:15 -> 03:15; times in the repeated hour keep their wall-clock value.
#[test]
fn copenhagen_cron_across_both_transitions() {
    let cph = calendar("Europe/Copenhagen", Weekday::Monday, &[]);
    check_timed_rows(
        &cph,
        &[
            (
                "cron: 30 2 * * *",
                d(2026, 3, 27),
                d(2026, 3, 31),
                &[
                    (d(2026, 3, 27), hm(2, 30)),
                    (d(2026, 3, 28), hm(2, 30)),
                    (d(2026, 3, 29), hm(3, 30)),
                    (d(2026, 3, 30), hm(2, 30)),
                    (d(2026, 3, 31), hm(2, 30)),
                ],
            ),
            (
                "cron: 30 2 * * *",
                d(2026, 10, 24),
                d(2026, 10, 26),
                &[
                    (d(2026, 10, 24), hm(2, 30)),
                    (d(2026, 10, 25), hm(2, 30)),
                    (d(2026, 10, 26), hm(2, 30)),
                ],
            ),
            // 02:00 is the first minute of the repeated hour on 2026-10-25: one firing.
            (
                "cron: 0 2 * * *",
                d(2026, 10, 24),
                d(2026, 10, 26),
                &[
                    (d(2026, 10, 24), hm(2, 0)),
                    (d(2026, 10, 25), hm(2, 0)),
                    (d(2026, 10, 26), hm(2, 0)),
                ],
            ),
            // 01:00 and 03:00 are outside the gap: unchanged on the transition day.
            (
                "cron: 0 1,3 29 3 *",
                d(2026, 3, 1),
                d(2026, 3, 31),
                &[(d(2026, 3, 29), hm(1, 0))],
            ),
            (
                "cron: 0 3 29 3 *",
                d(2026, 3, 1),
                d(2026, 3, 31),
                &[(d(2026, 3, 29), hm(3, 0))],
            ),
            // Every 20 minutes from 02:00: the first firing of the day (02:00) is in the gap.
            (
                "cron: */20 2 29 3 *",
                d(2026, 3, 1),
                d(2026, 3, 31),
                &[(d(2026, 3, 29), hm(3, 0))],
            ),
        ],
    );
}

// America/New_York 2026: zoneinfo shows -05:00 -> -04:00 at 2026-03-08 07:00 UTC (second
// Sunday of March: local 02:00-02:59 does not exist) and -04:00 -> -05:00 at 2026-11-01
// 06:00 UTC (first Sunday of November: local 01:00-01:59 happens twice; 01:00 with fold=0
// is 05:00 UTC, with fold=1 06:00 UTC). Gap times move forward by one hour as above.
#[test]
fn new_york_cron_across_both_transitions() {
    let ny = calendar("America/New_York", Weekday::Monday, &[]);
    check_timed_rows(
        &ny,
        &[
            (
                "cron: 30 2 * * *",
                d(2026, 3, 7),
                d(2026, 3, 9),
                &[
                    (d(2026, 3, 7), hm(2, 30)),
                    (d(2026, 3, 8), hm(3, 30)),
                    (d(2026, 3, 9), hm(2, 30)),
                ],
            ),
            (
                "cron: 30 2 * * *",
                d(2026, 10, 31),
                d(2026, 11, 2),
                &[
                    (d(2026, 10, 31), hm(2, 30)),
                    (d(2026, 11, 1), hm(2, 30)),
                    (d(2026, 11, 2), hm(2, 30)),
                ],
            ),
            // 01:00 on 2026-11-01 happens twice (05:00 and 06:00 UTC): one occurrence.
            (
                "cron: 0 1 * * *",
                d(2026, 10, 31),
                d(2026, 11, 2),
                &[
                    (d(2026, 10, 31), hm(1, 0)),
                    (d(2026, 11, 1), hm(1, 0)),
                    (d(2026, 11, 2), hm(1, 0)),
                ],
            ),
            (
                "cron: 59 2 8 3 *",
                d(2026, 3, 1),
                d(2026, 3, 31),
                &[(d(2026, 3, 8), hm(3, 59))],
            ),
        ],
    );
}

// Same zoneinfo transitions as above. The last Sunday of March and of October 2026
// (dateutil rrule MONTHLY byweekday=SU(-1)) are 2026-03-29 and 2026-10-25, Copenhagen's
// transition days; the second Sunday of March (SU(+2)) is 2026-03-08 and the first Sunday
// of November (SU(+1)) 2026-11-01, New York's. Gap times move forward by the gap (1 hour).
#[test]
fn at_times_follow_the_gap_rule() {
    let cph = calendar("Europe/Copenhagen", Weekday::Monday, &[]);
    check_timed_rows(
        &cph,
        &[
            (
                "daily at 02:30",
                d(2026, 3, 28),
                d(2026, 3, 30),
                &[
                    (d(2026, 3, 28), hm(2, 30)),
                    (d(2026, 3, 29), hm(3, 30)),
                    (d(2026, 3, 30), hm(2, 30)),
                ],
            ),
            (
                "daily at 02:30",
                d(2026, 10, 25),
                d(2026, 10, 25),
                &[(d(2026, 10, 25), hm(2, 30))],
            ),
            (
                "monthly on the last sunday at 02:15",
                d(2026, 2, 1),
                d(2026, 4, 30),
                &[
                    (d(2026, 2, 22), hm(2, 15)),
                    (d(2026, 3, 29), hm(3, 15)),
                    (d(2026, 4, 26), hm(2, 15)),
                ],
            ),
            (
                "monthly on the last sunday at 02:15",
                d(2026, 10, 1),
                d(2026, 10, 31),
                &[(d(2026, 10, 25), hm(2, 15))],
            ),
            (
                "weekly on sunday at 02:00",
                d(2026, 3, 22),
                d(2026, 4, 5),
                &[
                    (d(2026, 3, 22), hm(2, 0)),
                    (d(2026, 3, 29), hm(3, 0)),
                    (d(2026, 4, 5), hm(2, 0)),
                ],
            ),
        ],
    );
    let ny = calendar("America/New_York", Weekday::Monday, &[]);
    check_timed_rows(
        &ny,
        &[
            (
                "monthly on the second sunday at 02:30",
                d(2026, 2, 1),
                d(2026, 4, 30),
                &[
                    (d(2026, 2, 8), hm(2, 30)),
                    (d(2026, 3, 8), hm(3, 30)),
                    (d(2026, 4, 12), hm(2, 30)),
                ],
            ),
            (
                "monthly on the first sunday at 01:30",
                d(2026, 11, 1),
                d(2026, 11, 30),
                &[(d(2026, 11, 1), hm(1, 30))],
            ),
            (
                "daily at 02:59",
                d(2026, 3, 8),
                d(2026, 3, 8),
                &[(d(2026, 3, 8), hm(3, 59))],
            ),
        ],
    );
    // In UTC there is no transition: the written time stands.
    check_timed_rows(
        &utc(),
        &[(
            "daily at 02:30",
            d(2026, 3, 29),
            d(2026, 3, 29),
            &[(d(2026, 3, 29), hm(2, 30))],
        )],
    );
}

// A structured rule written without `at` carries no time, even on a transition day.
#[test]
fn structured_rules_without_at_have_no_time() {
    let cph = calendar("Europe/Copenhagen", Weekday::Monday, &[]);
    let got = occurrences(
        "daily",
        &cph,
        None,
        Shift::None,
        d(2026, 3, 29),
        d(2026, 3, 29),
    );
    assert_eq!(
        got,
        vec![Occurrence {
            date: d(2026, 3, 29),
            time: None
        }]
    );
}

// ---------------------------------------------------------------------------------------
// 29 February and month ends
// ---------------------------------------------------------------------------------------

// calendar.isleap: 2024, 2028, 2096 and 2104 are leap years; 2023, 2025-2027, 2029, 2099,
// 2100 (divisible by 100, not by 400) and 2101 are not. `yearly on 02-29` falls on
// min(29, calendar.monthrange(y, 2)[1]); a crontab day-of-month 29 in February exists only
// in leap years.
#[test]
fn twenty_ninth_of_february() {
    check_rows(
        &utc(),
        &[
            (
                "yearly on 02-29",
                d(2023, 1, 1),
                d(2029, 12, 31),
                &[
                    d(2023, 2, 28),
                    d(2024, 2, 29),
                    d(2025, 2, 28),
                    d(2026, 2, 28),
                    d(2027, 2, 28),
                    d(2028, 2, 29),
                    d(2029, 2, 28),
                ],
            ),
            (
                "yearly on 02-29",
                d(2099, 1, 1),
                d(2101, 12, 31),
                &[d(2099, 2, 28), d(2100, 2, 28), d(2101, 2, 28)],
            ),
            (
                "cron: 0 9 29 2 *",
                d(2096, 1, 1),
                d(2104, 12, 31),
                &[d(2096, 2, 29), d(2104, 2, 29)],
            ),
            (
                "daily",
                d(2024, 2, 28),
                d(2024, 3, 1),
                &[d(2024, 2, 28), d(2024, 2, 29), d(2024, 3, 1)],
            ),
            (
                "daily",
                d(2100, 2, 27),
                d(2100, 3, 1),
                &[d(2100, 2, 27), d(2100, 2, 28), d(2100, 3, 1)],
            ),
            (
                "monthly on the last day",
                d(2028, 2, 1),
                d(2028, 3, 1),
                &[d(2028, 2, 29)],
            ),
            (
                "monthly on the last day",
                d(2100, 2, 1),
                d(2100, 3, 1),
                &[d(2100, 2, 28)],
            ),
            (
                "monthly on day 29",
                d(2100, 1, 1),
                d(2100, 3, 31),
                &[d(2100, 1, 29), d(2100, 2, 28), d(2100, 3, 29)],
            ),
        ],
    );
}

// For each month m of 2026: day 31 -> min(31, monthrange(2026, m)[1]), day 30 -> min(30, …),
// last day -> monthrange(2026, m)[1]; 2026 is not a leap year (February has 28 days), 2024
// is (min(30, 29) = 29). A crontab day-of-month 31 only fires in the seven 31-day months.
#[test]
fn month_ends_across_a_year() {
    const DAY_31: &[Date] = &[
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 9, 30),
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
    ];
    check_rows(
        &utc(),
        &[
            ("monthly on day 31", d(2026, 1, 1), d(2026, 12, 31), DAY_31),
            (
                "monthly on the 31st",
                d(2026, 1, 1),
                d(2026, 12, 31),
                DAY_31,
            ),
            (
                "monthly on the last day",
                d(2026, 1, 1),
                d(2026, 12, 31),
                DAY_31,
            ),
            (
                "monthly on day 30",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 30),
                    d(2026, 2, 28),
                    d(2026, 3, 30),
                    d(2026, 4, 30),
                    d(2026, 5, 30),
                    d(2026, 6, 30),
                    d(2026, 7, 30),
                    d(2026, 8, 30),
                    d(2026, 9, 30),
                    d(2026, 10, 30),
                    d(2026, 11, 30),
                    d(2026, 12, 30),
                ],
            ),
            (
                "monthly on day 30",
                d(2024, 1, 1),
                d(2024, 3, 31),
                &[d(2024, 1, 30), d(2024, 2, 29), d(2024, 3, 30)],
            ),
            (
                "cron: 0 9 31 * *",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 31),
                    d(2026, 3, 31),
                    d(2026, 5, 31),
                    d(2026, 7, 31),
                    d(2026, 8, 31),
                    d(2026, 10, 31),
                    d(2026, 12, 31),
                ],
            ),
            // Starting mid-month: the first date is this month's clamped day.
            (
                "monthly on day 31",
                d(2026, 2, 15),
                d(2026, 4, 30),
                &[d(2026, 2, 28), d(2026, 3, 31), d(2026, 4, 30)],
            ),
            ("monthly on day 31", d(2026, 3, 1), d(2026, 3, 30), &[]),
        ],
    );
}

// dateutil rrule(MONTHLY, byweekday=MO(+1) / FR(-1) / MO(+5)) over 2026. Only March, June,
// August and November 2026 have a fifth Monday; the last Friday of December 2026 is the
// 25th.
#[test]
fn nth_weekday_of_month() {
    check_rows(
        &utc(),
        &[
            (
                "monthly on the first monday",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 5),
                    d(2026, 2, 2),
                    d(2026, 3, 2),
                    d(2026, 4, 6),
                    d(2026, 5, 4),
                    d(2026, 6, 1),
                    d(2026, 7, 6),
                    d(2026, 8, 3),
                    d(2026, 9, 7),
                    d(2026, 10, 5),
                    d(2026, 11, 2),
                    d(2026, 12, 7),
                ],
            ),
            (
                "monthly on the last friday",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 30),
                    d(2026, 2, 27),
                    d(2026, 3, 27),
                    d(2026, 4, 24),
                    d(2026, 5, 29),
                    d(2026, 6, 26),
                    d(2026, 7, 31),
                    d(2026, 8, 28),
                    d(2026, 9, 25),
                    d(2026, 10, 30),
                    d(2026, 11, 27),
                    d(2026, 12, 25),
                ],
            ),
            (
                "monthly on the fifth monday",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 3, 30),
                    d(2026, 6, 29),
                    d(2026, 8, 31),
                    d(2026, 11, 30),
                ],
            ),
        ],
    );
}

// Last work day of each month of 2026 (Mon-Fri), stepping back from monthrange's last day
// over weekends and the holidays 2026-07-31 (a Friday) and 2026-12-31 (a Thursday). First
// work day with Danish holidays: 2027-01-01 is a holiday Friday, so January 2027's is
// Monday 2027-01-04.
#[test]
fn last_and_first_workday_honour_holidays() {
    let cal = calendar(
        "Europe/Copenhagen",
        Weekday::Monday,
        &[d(2026, 7, 31), d(2026, 12, 31)],
    );
    check_rows(
        &cal,
        &[(
            "monthly on the last workday",
            d(2026, 1, 1),
            d(2026, 12, 31),
            &[
                d(2026, 1, 30),
                d(2026, 2, 27),
                d(2026, 3, 31),
                d(2026, 4, 30),
                d(2026, 5, 29),
                d(2026, 6, 30),
                d(2026, 7, 30),
                d(2026, 8, 31),
                d(2026, 9, 30),
                d(2026, 10, 30),
                d(2026, 11, 30),
                d(2026, 12, 30),
            ],
        )],
    );
    let danish = danish_holidays();
    check_rows(
        &danish,
        &[(
            "monthly on the first workday",
            d(2026, 12, 1),
            d(2027, 3, 31),
            &[d(2026, 12, 1), d(2027, 1, 4), d(2027, 2, 1), d(2027, 3, 1)],
        )],
    );
}

// ---------------------------------------------------------------------------------------
// Weeks and year ends
// ---------------------------------------------------------------------------------------

// 2020 and 2026 have 53 ISO weeks (date(y, 12, 28).isocalendar().week == 53). Weeks counted
// from the Monday-started week containing `start` (week 0), every second week, Thursdays
// only, dates >= start. ISO weeks of the results: 51, 53, 2, 4 — the parity of the ISO week
// number flips at the year end, the count from the anchor does not. A start on Friday
// 2026-12-18 excludes that week's Thursday (12-17 < start); a start on Monday 2026-12-21
// puts week 0 one week later.
#[test]
fn every_two_weeks_across_53_week_years() {
    let cal = utc();
    let cases: &[(Date, Date, Date, &[Date])] = &[
        (
            d(2020, 12, 17),
            d(2020, 12, 1),
            d(2021, 2, 28),
            &[
                d(2020, 12, 17),
                d(2020, 12, 31),
                d(2021, 1, 14),
                d(2021, 1, 28),
                d(2021, 2, 11),
                d(2021, 2, 25),
            ],
        ),
        (
            d(2026, 12, 17),
            d(2026, 12, 1),
            d(2027, 2, 28),
            &[
                d(2026, 12, 17),
                d(2026, 12, 31),
                d(2027, 1, 14),
                d(2027, 1, 28),
                d(2027, 2, 11),
                d(2027, 2, 25),
            ],
        ),
        (
            d(2026, 12, 21),
            d(2026, 12, 1),
            d(2027, 2, 28),
            &[
                d(2026, 12, 24),
                d(2027, 1, 7),
                d(2027, 1, 21),
                d(2027, 2, 4),
                d(2027, 2, 18),
            ],
        ),
        (
            d(2026, 12, 18),
            d(2026, 12, 1),
            d(2027, 2, 28),
            &[
                d(2026, 12, 31),
                d(2027, 1, 14),
                d(2027, 1, 28),
                d(2027, 2, 11),
                d(2027, 2, 25),
            ],
        ),
        // Listing from a later date keeps the anchor's parity.
        (
            d(2020, 12, 17),
            d(2021, 1, 1),
            d(2021, 1, 31),
            &[d(2021, 1, 14), d(2021, 1, 28)],
        ),
    ];
    for &(start, from, to, expected) in cases {
        assert_eq!(
            dates(
                "every 2 weeks on thursday",
                &cal,
                Some(start),
                Shift::None,
                from,
                to
            ),
            expected,
            "start {start}, from {from}"
        );
    }
}

// Consecutive days and weekdays across 2026-12-31 -> 2027-01-01 (datetime.weekday():
// 2026-12-31 is a Thursday, 2027-01-01 a Friday); quarter starts are the 1st of months
// 1, 4, 7, 10; `quarterly on day 31` clamps to monthrange (April has 30 days); `yearly` is
// January 1.
#[test]
fn year_ends() {
    check_rows(
        &utc(),
        &[
            (
                "daily",
                d(2026, 12, 30),
                d(2027, 1, 2),
                &[
                    d(2026, 12, 30),
                    d(2026, 12, 31),
                    d(2027, 1, 1),
                    d(2027, 1, 2),
                ],
            ),
            (
                "weekly",
                d(2026, 12, 20),
                d(2027, 1, 10),
                &[d(2026, 12, 21), d(2026, 12, 28), d(2027, 1, 4)],
            ),
            (
                "weekly on thursday",
                d(2026, 12, 20),
                d(2027, 1, 10),
                &[d(2026, 12, 24), d(2026, 12, 31), d(2027, 1, 7)],
            ),
            (
                "weekly on friday",
                d(2026, 12, 20),
                d(2027, 1, 10),
                &[d(2026, 12, 25), d(2027, 1, 1), d(2027, 1, 8)],
            ),
            (
                "quarterly",
                d(2026, 1, 1),
                d(2027, 1, 1),
                &[
                    d(2026, 1, 1),
                    d(2026, 4, 1),
                    d(2026, 7, 1),
                    d(2026, 10, 1),
                    d(2027, 1, 1),
                ],
            ),
            (
                "quarterly",
                d(2026, 10, 2),
                d(2027, 3, 31),
                &[d(2027, 1, 1)],
            ),
            (
                "quarterly on day 31",
                d(2026, 1, 1),
                d(2027, 12, 31),
                &[
                    d(2026, 1, 31),
                    d(2026, 4, 30),
                    d(2026, 7, 31),
                    d(2026, 10, 31),
                    d(2027, 1, 31),
                    d(2027, 4, 30),
                    d(2027, 7, 31),
                    d(2027, 10, 31),
                ],
            ),
            (
                "yearly",
                d(2026, 6, 1),
                d(2028, 12, 31),
                &[d(2027, 1, 1), d(2028, 1, 1)],
            ),
        ],
    );
}

// Week start Sunday: weeks run Sunday-Saturday. Start 2026-11-22 is a Sunday. With Sunday
// weeks, week 0 is Nov 22-28 and week 2 Dec 6-12; with Monday weeks, week 0 is Nov 16-22
// (Monday the 16th and Saturday the 21st are before start) and week 2 Nov 30 - Dec 6.
// Derived by filtering days with ((week_start(d) - week_start(start)).days // 7) % 2 == 0.
// `weekly` falls on the week start: the Sundays of November 2026 are 1, 8, 15, 22, 29.
#[test]
fn weeks_starting_on_sunday() {
    let sunday = calendar("UTC", Weekday::Sunday, &[]);
    let monday = calendar("UTC", Weekday::Monday, &[]);
    let start = Some(d(2026, 11, 22));
    let cases: &[(&Calendar, &str, &[Date])] = &[
        (
            &sunday,
            "every 2 weeks on monday, saturday",
            &[
                d(2026, 11, 23),
                d(2026, 11, 28),
                d(2026, 12, 7),
                d(2026, 12, 12),
            ],
        ),
        (
            &monday,
            "every 2 weeks on monday, saturday",
            &[
                d(2026, 11, 30),
                d(2026, 12, 5),
                d(2026, 12, 14),
                d(2026, 12, 19),
            ],
        ),
        (
            &sunday,
            "every 2 weeks on sunday, monday",
            &[
                d(2026, 11, 22),
                d(2026, 11, 23),
                d(2026, 12, 6),
                d(2026, 12, 7),
                d(2026, 12, 20),
            ],
        ),
        (
            &monday,
            "every 2 weeks on sunday, monday",
            &[
                d(2026, 11, 22),
                d(2026, 11, 30),
                d(2026, 12, 6),
                d(2026, 12, 14),
                d(2026, 12, 20),
            ],
        ),
    ];
    for &(cal, cadence, expected) in cases {
        assert_eq!(
            dates(
                cadence,
                cal,
                start,
                Shift::None,
                d(2026, 11, 1),
                d(2026, 12, 20)
            ),
            expected,
            "{cadence}, week start {:?}",
            cal.week_start
        );
    }
    check_rows(
        &sunday,
        &[(
            "weekly",
            d(2026, 11, 1),
            d(2026, 11, 30),
            &[
                d(2026, 11, 1),
                d(2026, 11, 8),
                d(2026, 11, 15),
                d(2026, 11, 22),
                d(2026, 11, 29),
            ],
        )],
    );
}

// Days d >= start with (d - start).days % 3 == 0. 2026 is not a leap year (Feb 26 + 3 days
// = Mar 1); 2024 is (Feb 26 + 3 days = Feb 29).
#[test]
fn every_three_days_from_the_start() {
    let cal = utc();
    let cases: &[(Date, Date, Date, &[Date])] = &[
        (
            d(2026, 2, 26),
            d(2026, 2, 1),
            d(2026, 3, 15),
            &[
                d(2026, 2, 26),
                d(2026, 3, 1),
                d(2026, 3, 4),
                d(2026, 3, 7),
                d(2026, 3, 10),
                d(2026, 3, 13),
            ],
        ),
        (
            d(2024, 2, 26),
            d(2024, 2, 1),
            d(2024, 3, 15),
            &[
                d(2024, 2, 26),
                d(2024, 2, 29),
                d(2024, 3, 3),
                d(2024, 3, 6),
                d(2024, 3, 9),
                d(2024, 3, 12),
                d(2024, 3, 15),
            ],
        ),
        (
            d(2026, 2, 26),
            d(2026, 3, 2),
            d(2026, 3, 15),
            &[d(2026, 3, 4), d(2026, 3, 7), d(2026, 3, 10), d(2026, 3, 13)],
        ),
    ];
    for &(start, from, to, expected) in cases {
        assert_eq!(
            dates("every 3 days", &cal, Some(start), Shift::None, from, to),
            expected,
            "start {start}, from {from}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Holidays and shifts
// ---------------------------------------------------------------------------------------

/// Danish holidays around the 2026 year end: Christmas Eve (Thursday), Christmas Day
/// (Friday), Boxing Day (Saturday), New Year's Eve (Thursday), New Year's Day 2027 (Friday).
fn danish_holidays() -> Calendar {
    calendar(
        "Europe/Copenhagen",
        Weekday::Monday,
        &[
            d(2026, 12, 24),
            d(2026, 12, 25),
            d(2026, 12, 26),
            d(2026, 12, 31),
            d(2027, 1, 1),
        ],
    )
}

// Work day = Mon-Fri and not one of the five holidays. next-workday moves a date forward to
// the first work day, previous-workday back to the last one; the results are de-duplicated
// (a Python set): daily Dec 24-27 all land on Monday Dec 28, Dec 31 - Jan 3 on Monday Jan 4.
// Saturdays Dec 26 and Jan 2 step back over two holidays each (to Dec 23 and Dec 30).
#[test]
fn danish_year_end_with_shifts() {
    let cal = danish_holidays();
    let after_christmas: &[Date] = &[
        d(2026, 12, 21),
        d(2026, 12, 22),
        d(2026, 12, 23),
        d(2026, 12, 28),
        d(2026, 12, 29),
        d(2026, 12, 30),
        d(2027, 1, 4),
        d(2027, 1, 5),
        d(2027, 1, 6),
        d(2027, 1, 7),
        d(2027, 1, 8),
    ];
    let cases: &[(&str, Shift, Date, Date, &[Date])] = &[
        (
            "daily",
            Shift::NextWorkday,
            d(2026, 12, 21),
            d(2027, 1, 8),
            after_christmas,
        ),
        (
            "workdays",
            Shift::None,
            d(2026, 12, 21),
            d(2027, 1, 8),
            after_christmas,
        ),
        (
            "weekly on saturday",
            Shift::PreviousWorkday,
            d(2026, 12, 14),
            d(2027, 1, 10),
            &[
                d(2026, 12, 18),
                d(2026, 12, 23),
                d(2026, 12, 30),
                d(2027, 1, 8),
            ],
        ),
        (
            "weekly on friday",
            Shift::NextWorkday,
            d(2026, 12, 14),
            d(2027, 1, 10),
            &[
                d(2026, 12, 18),
                d(2026, 12, 28),
                d(2027, 1, 4),
                d(2027, 1, 8),
            ],
        ),
        // Listing from the Monday that Dec 24-27 merge into still yields it, once.
        (
            "daily",
            Shift::NextWorkday,
            d(2026, 12, 28),
            d(2026, 12, 29),
            &[d(2026, 12, 28), d(2026, 12, 29)],
        ),
        // ... and from a holiday, the next work day.
        (
            "daily",
            Shift::NextWorkday,
            d(2026, 12, 31),
            d(2027, 1, 4),
            &[d(2027, 1, 4)],
        ),
        // Without a shift the holidays stay where the rule puts them.
        (
            "daily",
            Shift::None,
            d(2026, 12, 24),
            d(2026, 12, 26),
            &[d(2026, 12, 24), d(2026, 12, 25), d(2026, 12, 26)],
        ),
    ];
    for &(cadence, shift, from, to, expected) in cases {
        assert_eq!(
            dates(cadence, &cal, None, shift, from, to),
            expected,
            "{cadence}, shift {shift}, from {from}"
        );
    }
}

// "No occurrence is ever before start": weekly on saturday from start 2026-12-26 (a
// Saturday and a holiday). Its first raw date is the start itself, which previous-workday
// would move back to 2026-12-23, before start; the next Saturday, 2027-01-02, moves back to
// 2026-12-30 (12-31 and 01-01 are holidays), which is on or after start.
#[test]
fn previous_workday_never_moves_before_start() {
    let cal = danish_holidays();
    let start = d(2026, 12, 26);
    let got = dates(
        "weekly on saturday",
        &cal,
        Some(start),
        Shift::PreviousWorkday,
        d(2026, 12, 1),
        d(2027, 1, 10),
    );
    assert!(
        got.iter().all(|day| *day >= start),
        "dates before start {start}: {got:?}"
    );
    assert!(got.contains(&d(2026, 12, 30)), "{got:?}");
}

// ---------------------------------------------------------------------------------------
// Crontab features
// ---------------------------------------------------------------------------------------

// Crontab semantics checked day by day in Python: datetime.weekday() for weekdays,
// calendar.monthrange for `L`, nearest weekday for `15W` (a Saturday 15th moves to Friday
// the 14th, a Sunday 15th to Monday the 16th: 2026-02-15, 03-15 and 11-15 are Sundays,
// 08-15 a Saturday), `1W` never leaves the month (Saturday 2026-08-01 -> Monday 08-03,
// Sunday 02-01 -> Monday 02-02), rrule MO(+2) for `1#2`, and day-of-month OR day-of-week
// for `13 * 5` (2026-01-13 is a Tuesday, 2026-02-13 a Friday). Crontab weekdays 0 and 7
// are both Sunday.
#[test]
fn crontab_features() {
    let cal = utc();
    check_rows(
        &cal,
        &[
            (
                "cron: 0 9 L * *",
                d(2024, 1, 1),
                d(2024, 12, 31),
                &[
                    d(2024, 1, 31),
                    d(2024, 2, 29),
                    d(2024, 3, 31),
                    d(2024, 4, 30),
                    d(2024, 5, 31),
                    d(2024, 6, 30),
                    d(2024, 7, 31),
                    d(2024, 8, 31),
                    d(2024, 9, 30),
                    d(2024, 10, 31),
                    d(2024, 11, 30),
                    d(2024, 12, 31),
                ],
            ),
            (
                "cron: 0 9 15W * *",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 15),
                    d(2026, 2, 16),
                    d(2026, 3, 16),
                    d(2026, 4, 15),
                    d(2026, 5, 15),
                    d(2026, 6, 15),
                    d(2026, 7, 15),
                    d(2026, 8, 14),
                    d(2026, 9, 15),
                    d(2026, 10, 15),
                    d(2026, 11, 16),
                    d(2026, 12, 15),
                ],
            ),
            (
                "cron: 0 9 1W * *",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 1),
                    d(2026, 2, 2),
                    d(2026, 3, 2),
                    d(2026, 4, 1),
                    d(2026, 5, 1),
                    d(2026, 6, 1),
                    d(2026, 7, 1),
                    d(2026, 8, 3),
                    d(2026, 9, 1),
                    d(2026, 10, 1),
                    d(2026, 11, 2),
                    d(2026, 12, 1),
                ],
            ),
            (
                "cron: 0 9 * * 1#2",
                d(2026, 1, 1),
                d(2026, 12, 31),
                &[
                    d(2026, 1, 12),
                    d(2026, 2, 9),
                    d(2026, 3, 9),
                    d(2026, 4, 13),
                    d(2026, 5, 11),
                    d(2026, 6, 8),
                    d(2026, 7, 13),
                    d(2026, 8, 10),
                    d(2026, 9, 14),
                    d(2026, 10, 12),
                    d(2026, 11, 9),
                    d(2026, 12, 14),
                ],
            ),
            (
                "cron: 0 9 * * 7",
                d(2026, 2, 1),
                d(2026, 2, 28),
                &[d(2026, 2, 1), d(2026, 2, 8), d(2026, 2, 15), d(2026, 2, 22)],
            ),
            (
                "cron: 0 9 * * 0",
                d(2026, 2, 1),
                d(2026, 2, 28),
                &[d(2026, 2, 1), d(2026, 2, 8), d(2026, 2, 15), d(2026, 2, 22)],
            ),
            (
                "cron: 0 9 13 * 5",
                d(2026, 1, 1),
                d(2026, 2, 28),
                &[
                    d(2026, 1, 2),
                    d(2026, 1, 9),
                    d(2026, 1, 13),
                    d(2026, 1, 16),
                    d(2026, 1, 23),
                    d(2026, 1, 30),
                    d(2026, 2, 6),
                    d(2026, 2, 13),
                    d(2026, 2, 20),
                    d(2026, 2, 27),
                ],
            ),
        ],
    );
}

// Six fields put seconds first: `30 15 9 * * 1` is 09:15:30 on Mondays (the Mondays of
// March 2026 are 2, 9, 16, 23, 30). Seven fields add a year: `0 0 9 1 1 * 2027` is
// 2027-01-01 09:00 only. `0 9,17 * * *` fires twice a day: one occurrence, at the first.
#[test]
fn crontab_seconds_years_and_first_firing() {
    let cal = utc();
    let mondays = [
        d(2026, 3, 2),
        d(2026, 3, 9),
        d(2026, 3, 16),
        d(2026, 3, 23),
        d(2026, 3, 30),
    ];
    let got = occurrences(
        "cron: 30 15 9 * * 1",
        &cal,
        None,
        Shift::None,
        d(2026, 3, 1),
        d(2026, 3, 31),
    );
    let expected: Vec<Occurrence> = mondays
        .iter()
        .map(|&day| Occurrence {
            date: day,
            time: Some(time(9, 15, 30, 0)),
        })
        .collect();
    assert_eq!(got, expected);

    let got = occurrences(
        "cron: 0 0 9 1 1 * 2027",
        &cal,
        None,
        Shift::None,
        d(2025, 1, 1),
        d(2030, 12, 31),
    );
    assert_eq!(
        got,
        vec![Occurrence {
            date: d(2027, 1, 1),
            time: Some(hm(9, 0))
        }]
    );

    check_timed_rows(
        &cal,
        &[(
            "cron: 0 9,17 * * *",
            d(2026, 3, 1),
            d(2026, 3, 2),
            &[(d(2026, 3, 1), hm(9, 0)), (d(2026, 3, 2), hm(9, 0))],
        )],
    );
}

// A cron rule never yields a date before the task's start: `0 9 * * 1` with start Wednesday
// 2026-03-04 listed from 2026-03-01 begins on Monday 2026-03-09.
#[test]
fn cron_respects_start() {
    let got = dates(
        "cron: 0 9 * * 1",
        &utc(),
        Some(d(2026, 3, 4)),
        Shift::None,
        d(2026, 3, 1),
        d(2026, 3, 20),
    );
    assert_eq!(got, vec![d(2026, 3, 9), d(2026, 3, 16)]);
}

// `first_on_or_after` agrees with the first listed occurrence: the first Monday on or after
// Tuesday 2026-12-29 (weekday() == 1) is 2027-01-04; a fifth Monday after 2026-11-30 is
// 2027-03-29 (rrule MO(+5): none in December 2026 or January/February 2027); the next
// `yearly on 02-29` after 2026-03-01 is 2027-02-28 (2027 is not a leap year).
#[test]
fn first_on_or_after_examples() {
    let cal = utc();
    let cases = [
        ("weekly on monday", d(2026, 12, 29), d(2027, 1, 4)),
        (
            "monthly on the fifth monday",
            d(2026, 12, 1),
            d(2027, 3, 29),
        ),
        ("yearly on 02-29", d(2026, 3, 1), d(2027, 2, 28)),
    ];
    for (cadence, from, expected) in cases {
        let parsed = parse(cadence, cal.week_start).unwrap();
        let schedule = Schedule {
            rule: parsed.rule.as_ref().unwrap(),
            at: parsed.at,
            start: None,
            shift: Shift::None,
            calendar: &cal,
        };
        assert_eq!(
            schedule.first_on_or_after(from).map(|o| o.date),
            Some(expected),
            "{cadence} from {from}"
        );
    }
}

// Crontab rules after the year 5000, where croner's own calendar ends (socctl looks them up
// 400·k years earlier: the Gregorian calendar repeats exactly every 400 years). Expected
// dates from Python's datetime, independently: the Mondays of December 9999 are the 6th,
// 13th, 20th and 27th; the leap days of 9990–9999 are 9992-02-29 and 9996-02-29; the first
// Monday of 7000 is 7000-01-06; the last days of January–March 7000 are the 31st, 28th
// (7000 is not a leap year: divisible by 100, not by 400) and 31st; the third Fridays of
// January–March 6000 are the 21st, 18th and 17th; the weekday nearest the 15th in
// January–April 8000 is Friday 14 January (the 15th is a Saturday), 15 February (a
// Tuesday), 15 March (a Wednesday) and Friday 14 April (the 15th is a Saturday).
#[test]
fn crontab_after_the_year_5000() {
    let cal = utc();
    check_rows(
        &cal,
        &[
            (
                "cron: 0 9 * * 1",
                d(9999, 12, 1),
                d(9999, 12, 31),
                &[
                    d(9999, 12, 6),
                    d(9999, 12, 13),
                    d(9999, 12, 20),
                    d(9999, 12, 27),
                ],
            ),
            (
                "cron: 0 9 29 2 *",
                d(9990, 1, 1),
                d(9999, 12, 31),
                &[d(9992, 2, 29), d(9996, 2, 29)],
            ),
            (
                "cron: 0 9 * * 1",
                d(7000, 1, 1),
                d(7000, 1, 7),
                &[d(7000, 1, 6)],
            ),
            (
                "cron: 0 9 L * *",
                d(7000, 1, 1),
                d(7000, 3, 31),
                &[d(7000, 1, 31), d(7000, 2, 28), d(7000, 3, 31)],
            ),
            (
                "cron: 0 9 * * 5#3",
                d(6000, 1, 1),
                d(6000, 3, 31),
                &[d(6000, 1, 21), d(6000, 2, 18), d(6000, 3, 17)],
            ),
            (
                "cron: 0 9 15W * *",
                d(8000, 1, 1),
                d(8000, 4, 30),
                &[
                    d(8000, 1, 14),
                    d(8000, 2, 15),
                    d(8000, 3, 15),
                    d(8000, 4, 14),
                ],
            ),
        ],
    );
    // Across the year 5000 itself, where the lookup changes method: every day.
    let days = dates(
        "cron: 0 9 * * *",
        &cal,
        None,
        Shift::None,
        d(3999, 12, 30),
        d(4000, 1, 2),
    );
    assert_eq!(
        days,
        vec![
            d(3999, 12, 30),
            d(3999, 12, 31),
            d(4000, 1, 1),
            d(4000, 1, 2)
        ]
    );
    let days = dates(
        "cron: 0 9 * * *",
        &cal,
        None,
        Shift::None,
        d(5000, 12, 30),
        d(5001, 1, 2),
    );
    assert_eq!(
        days,
        vec![
            d(5000, 12, 30),
            d(5000, 12, 31),
            d(5001, 1, 1),
            d(5001, 1, 2)
        ]
    );
    // The last firing of the calendar, and nothing after it.
    let last = dates(
        "cron: 59 23 31 12 *",
        &cal,
        None,
        Shift::None,
        d(9998, 1, 1),
        d(9999, 12, 31),
    );
    assert_eq!(last, vec![d(9998, 12, 31), d(9999, 12, 31)]);
}

// ---------------------------------------------------------------------------------------
// Everyday spellings (issue 13 §4)
// ---------------------------------------------------------------------------------------

// 2027 from a wall calendar: 1 January 2027 is a Friday, so the Mondays of January are the
// 4th, 11th, 18th and 25th and its last Friday is the 29th. The first Monday of each month:
// Jan 4, Feb 1, Mar 1, Apr 5, May 3, Jun 7, Jul 5, Aug 2, Sep 6, Oct 4, Nov 1, Dec 6. The
// last Friday: Jan 29, Feb 26, Mar 26, Apr 30, May 28, Jun 25, Jul 30, Aug 27, Sep 24,
// Oct 29, Nov 26, Dec 31. 31 March 2027 is a Wednesday, 31 March 2028 a Friday.
#[test]
fn everyday_spellings_fall_on_the_calendar_dates() {
    let first_mondays = [
        d(2027, 1, 4),
        d(2027, 2, 1),
        d(2027, 3, 1),
        d(2027, 4, 5),
        d(2027, 5, 3),
        d(2027, 6, 7),
        d(2027, 7, 5),
        d(2027, 8, 2),
        d(2027, 9, 6),
        d(2027, 10, 4),
        d(2027, 11, 1),
        d(2027, 12, 6),
    ];
    let last_fridays = [
        d(2027, 1, 29),
        d(2027, 2, 26),
        d(2027, 3, 26),
        d(2027, 4, 30),
        d(2027, 5, 28),
        d(2027, 6, 25),
        d(2027, 7, 30),
        d(2027, 8, 27),
        d(2027, 9, 24),
        d(2027, 10, 29),
        d(2027, 11, 26),
        d(2027, 12, 31),
    ];
    let year = (d(2027, 1, 1), d(2027, 12, 31));
    check_rows(
        &utc(),
        &[
            (
                "every monday",
                d(2027, 1, 1),
                d(2027, 1, 31),
                &[
                    d(2027, 1, 4),
                    d(2027, 1, 11),
                    d(2027, 1, 18),
                    d(2027, 1, 25),
                ],
            ),
            ("first monday of the month", year.0, year.1, &first_mondays),
            (
                "the first monday of every month",
                year.0,
                year.1,
                &first_mondays,
            ),
            (
                "the last friday of every month",
                year.0,
                year.1,
                &last_fridays,
            ),
            ("last friday of the month", year.0, year.1, &last_fridays),
            (
                "annually on 03-31",
                d(2027, 1, 1),
                d(2028, 12, 31),
                &[d(2027, 3, 31), d(2028, 3, 31)],
            ),
        ],
    );
}

// `every weekday` is Monday to Friday, holidays or not: 31 December 2027 is a Friday and
// here a holiday, so `workdays` leaves it out and `every weekday` keeps it. 1 January 2028
// is a Saturday, so the next weekdays are Monday 3 to Friday 7 January.
#[test]
fn every_weekday_is_monday_to_friday_and_ignores_holidays() {
    let cal = calendar("UTC", Weekday::Monday, &[d(2027, 12, 31)]);
    let every_weekday = dates(
        "every weekday",
        &cal,
        None,
        Shift::None,
        d(2027, 12, 27),
        d(2028, 1, 9),
    );
    assert_eq!(
        every_weekday,
        [
            d(2027, 12, 27),
            d(2027, 12, 28),
            d(2027, 12, 29),
            d(2027, 12, 30),
            d(2027, 12, 31),
            d(2028, 1, 3),
            d(2028, 1, 4),
            d(2028, 1, 5),
            d(2028, 1, 6),
            d(2028, 1, 7),
        ]
    );
    let workdays = dates(
        "workdays",
        &cal,
        None,
        Shift::None,
        d(2027, 12, 27),
        d(2027, 12, 31),
    );
    assert_eq!(
        workdays,
        [
            d(2027, 12, 27),
            d(2027, 12, 28),
            d(2027, 12, 29),
            d(2027, 12, 30)
        ]
    );
}

// An every-other-week rule counts from the week that holds the task's `start`: a start on
// Wednesday 6 January 2027 makes the week of Monday 4 January the first, so the Fridays
// are 8 and 22 January, 5 and 19 February, 5 March (14 days apart). With weeks starting on
// Sunday the start's week begins Sunday 3 January and holds the same Friday 8 January.
// `semiannually` counts its months from the month of `start`: March 2027 (its 1st is before
// the start, so left out), then September, March 2028, September 2028, March 2029.
#[test]
fn fortnights_and_half_years_count_from_the_start() {
    let start = Some(d(2027, 1, 6));
    let fridays = [
        d(2027, 1, 8),
        d(2027, 1, 22),
        d(2027, 2, 5),
        d(2027, 2, 19),
        d(2027, 3, 5),
    ];
    for week_start in [Weekday::Monday, Weekday::Sunday] {
        let cal = calendar("UTC", week_start, &[]);
        for cadence in [
            "biweekly on friday",
            "every other week on friday",
            "fortnightly on friday",
            "every other friday",
        ] {
            // Listing from before the start and from a later week keeps the same parity.
            for from in [d(2026, 12, 1), d(2027, 1, 6)] {
                assert_eq!(
                    dates(cadence, &cal, start, Shift::None, from, d(2027, 3, 10)),
                    fridays,
                    "{cadence}, weeks from {week_start:?}, from {from}"
                );
            }
            assert_eq!(
                dates(
                    cadence,
                    &cal,
                    start,
                    Shift::None,
                    d(2027, 1, 9),
                    d(2027, 3, 10)
                ),
                fridays[1..],
                "{cadence} from 2027-01-09"
            );
        }
    }
    for cadence in ["semiannually", "every 6 months"] {
        assert_eq!(
            dates(
                cadence,
                &utc(),
                Some(d(2027, 3, 10)),
                Shift::None,
                d(2027, 1, 1),
                d(2029, 12, 31)
            ),
            [
                d(2027, 9, 1),
                d(2028, 3, 1),
                d(2028, 9, 1),
                d(2029, 3, 1),
                d(2029, 9, 1),
            ],
            "{cadence}"
        );
    }
}

// 12-hour times: 12am is 00:00 and 12pm 12:00; 9:30 pm is 21:30. In Europe/Copenhagen the
// clocks go forward on Sunday 28 March 2027 (the last Sunday of March) at 02:00, so
// `at 2:30am` that night is due at 03:30, exactly as `at 02:30` is (see the gap rule
// above). 4 January 2027 is a Monday.
#[test]
fn twelve_hour_times_are_the_24_hour_times() {
    check_timed_rows(
        &utc(),
        &[
            (
                "every monday at 9:30 pm",
                d(2027, 1, 1),
                d(2027, 1, 14),
                &[(d(2027, 1, 4), hm(21, 30)), (d(2027, 1, 11), hm(21, 30))],
            ),
            (
                "daily at 12am",
                d(2027, 1, 1),
                d(2027, 1, 2),
                &[(d(2027, 1, 1), hm(0, 0)), (d(2027, 1, 2), hm(0, 0))],
            ),
            (
                "daily at 12pm",
                d(2027, 1, 1),
                d(2027, 1, 1),
                &[(d(2027, 1, 1), hm(12, 0))],
            ),
        ],
    );
    let copenhagen = calendar("Europe/Copenhagen", Weekday::Monday, &[]);
    for cadence in ["daily at 2:30am", "daily at 02:30"] {
        check_timed_rows(
            &copenhagen,
            &[(
                cadence,
                d(2027, 3, 27),
                d(2027, 3, 29),
                &[
                    (d(2027, 3, 27), hm(2, 30)),
                    (d(2027, 3, 28), hm(3, 30)),
                    (d(2027, 3, 29), hm(2, 30)),
                ],
            )],
        );
    }
}
