//! A crontab rule compiled down to the one question socctl asks of it: the first day on or
//! after a date with a firing, and the first firing time that day.
//!
//! croner parses the expression (fields, ranges, steps, names, `L`, `W`, `#`), and what it
//! parsed is copied here into a few bit masks. Parsing costs about 200,000 instructions
//! (most of it setting the year field's 5,000 bits), which a command reading the compiled
//! catalog would pay for every distinct expression on every run; the cache stores this
//! form instead, and croner parses again only when its pattern itself is wanted (iCalendar
//! export). The day test is croner 4's `CronPattern::day_match` over these masks, and the
//! search finds what croner's `find_next_occurrence` finds from the day's midnight, its
//! search limit included; the tests below compare the two on random expressions and dates.

use jiff::civil::{Date, Time, Weekday};

// croner 4's per-value flags (`component.rs`, not exported by croner).
const ALL_BIT: u8 = 1;
const NTH_BITS: [u8; 5] = [1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5];
const LAST_BIT: u8 = 1 << 6;
const CLOSEST_WEEKDAY_BIT: u8 = 1 << 7;

/// croner searches no further than this year: a step of the search that would leave a
/// moment in it ends the search instead.
const YEAR_LIMIT: i16 = 5000;

/// The days a crontab expression fires on, and its first firing time on each.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
// croner's switches, one field each, so that `matches` reads like croner's `day_match`.
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct CronDays {
    /// The earliest second, minute and hour the expression names: its first firing on a
    /// day that has one.
    #[serde(with = "hour_minute_second")]
    first_time: Time,
    /// Months 1 to 12, as bits 1 to 12.
    months: u16,
    /// Days of the month named as numbers (bits 1 to 31).
    days: u32,
    /// Days of the month written with `W` (the work day nearest them).
    nearest_weekday: u32,
    /// The day-of-month field's `L` (the last day) and `W` switches; both together are `LW`.
    last: bool,
    weekday_flag: bool,
    /// For each weekday, Sunday first: croner's flags (every week, the first to fifth, last).
    weekdays: [u8; 7],
    /// Whether the day-of-month field, and the day-of-week field, are `*`.
    star_dom: bool,
    star_dow: bool,
    /// Whether a day must match both day fields (croner's `+` prefix).
    dom_and_dow: bool,
    /// The years it fires in, as inclusive ranges in order; `None` for every year croner
    /// searches (no year field, or `*`), which needs no allocation when read.
    years: Option<Vec<(i16, i16)>>,
}

/// Every year croner searches, as [`CronDays::years`] ranges.
const EVERY_YEAR: &[(i16, i16)] = &[(1, YEAR_LIMIT)];

/// A time of day as three integers: jiff's own form is text, which costs a parse.
mod hour_minute_second {
    use jiff::civil::Time;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    #[allow(clippy::trivially_copy_pass_by_ref)] // the signature serde's `with` calls
    pub(super) fn serialize<S: Serializer>(time: &Time, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&(time.hour(), time.minute(), time.second()), s)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let (hour, minute, second) = <(i8, i8, i8)>::deserialize(d)?;
        Time::new(hour, minute, second, 0).map_err(D::Error::custom)
    }
}

impl CronDays {
    /// The compiled form of what croner parsed.
    pub(crate) fn of(cron: &croner::Cron) -> Self {
        let pattern = &cron.pattern;
        let bit = |component: &croner::CronComponent, value: u16, flag: u8| {
            component.is_bit_set(value, flag).unwrap_or(false)
        };
        let first = |component: &croner::CronComponent| {
            (component.min..=component.max)
                .find(|&v| bit(component, v, ALL_BIT))
                .and_then(|v| i8::try_from(v).ok())
                .unwrap_or(0)
        };
        // A field without values never fires; parsing refuses such rules, and `years`
        // below is then empty as well, so this time is never used.
        let first_time = Time::new(
            first(&pattern.hours),
            first(&pattern.minutes),
            first(&pattern.seconds),
            0,
        )
        .unwrap_or(Time::midnight());
        let mask = |component: &croner::CronComponent, flag: u8| {
            (1..=31u16)
                .filter(|&v| bit(component, v, flag))
                .fold(0u32, |mask, v| mask | 1 << v)
        };
        let months = (1..=12u16)
            .filter(|&m| bit(&pattern.months, m, ALL_BIT))
            .fold(0u16, |mask, m| mask | 1 << m);
        let mut weekdays = [0u8; 7];
        for (n, flags) in (0u16..).zip(weekdays.iter_mut()) {
            for flag in [ALL_BIT, LAST_BIT].into_iter().chain(NTH_BITS) {
                if bit(&pattern.days_of_week, n, flag) {
                    *flags |= flag;
                }
            }
        }
        let mut years: Vec<(i16, i16)> = Vec::new();
        let hours_fire = (0..=23).any(|v| bit(&pattern.hours, v, ALL_BIT))
            && (0..=59).any(|v| bit(&pattern.minutes, v, ALL_BIT))
            && (0..=59).any(|v| bit(&pattern.seconds, v, ALL_BIT));
        if hours_fire {
            for year in 1..=YEAR_LIMIT {
                if !bit(&pattern.years, year.unsigned_abs(), ALL_BIT) {
                    continue;
                }
                match years.last_mut() {
                    Some((_, last)) if *last + 1 == year => *last = year,
                    _ => years.push((year, year)),
                }
            }
        }
        Self {
            first_time,
            months,
            days: mask(&pattern.days, ALL_BIT),
            nearest_weekday: mask(&pattern.days, CLOSEST_WEEKDAY_BIT),
            last: pattern.days.is_feature_enabled(LAST_BIT),
            weekday_flag: pattern.days.is_feature_enabled(CLOSEST_WEEKDAY_BIT),
            weekdays,
            star_dom: pattern.is_dom_wildcard(),
            star_dow: pattern.is_dow_wildcard(),
            dom_and_dow: pattern.matches_dom_and_dow(),
            years: (years != EVERY_YEAR).then_some(years),
        }
    }

    /// Whether the expression fires in every year croner searches (no year field, or `*`).
    pub(crate) fn every_year(&self) -> bool {
        self.years.is_none()
    }

    /// The years it fires in, as inclusive ranges in order.
    fn years(&self) -> &[(i16, i16)] {
        self.years.as_deref().unwrap_or(EVERY_YEAR)
    }

    /// The first day on or after `from` with a firing, and the first firing time that day:
    /// what croner's `find_next_occurrence` gives from `from`'s midnight, inclusive.
    pub(crate) fn first_on_or_after(&self, from: Date) -> Option<(Date, Time)> {
        // Before the year 1 croner steps a year at a time to its first day.
        let (mut year, mut month, mut day) = if from.year() < 1 {
            (1, 1, 1)
        } else {
            (from.year(), from.month(), from.day())
        };
        loop {
            if year >= YEAR_LIMIT {
                // In its last year croner takes a firing only on the day its search is at
                // (`from`, or the year's first day): a step to another day ends the search.
                let date = Date::new(year, month, day).ok()?;
                return (year == YEAR_LIMIT
                    && self.in_year(year)
                    && self.in_month(month)
                    && self.day_matches(date))
                .then_some((date, self.first_time));
            }
            if !self.in_year(year) {
                let next = self.years().iter().find(|&&(first, _)| first > year)?.0;
                (year, month, day) = (next, 1, 1);
                continue;
            }
            if self.in_month(month) {
                let first = Date::new(year, month, 1).ok()?;
                let length = first.days_in_month();
                let mut weekday = first.weekday().wrapping_add(day - 1);
                for d in day..=length {
                    if self.matches(d, length, weekday) {
                        return Some((first.with().day(d).build().ok()?, self.first_time));
                    }
                    weekday = weekday.wrapping_add(1);
                }
            }
            day = 1;
            if month == 12 {
                (year, month) = (year + 1, 1);
            } else {
                month += 1;
            }
        }
    }

    fn in_year(&self, year: i16) -> bool {
        self.years()
            .iter()
            .any(|&(first, last)| first <= year && year <= last)
    }

    fn in_month(&self, month: i8) -> bool {
        self.months & 1 << month != 0
    }

    fn day_matches(&self, date: Date) -> bool {
        self.matches(date.day(), date.days_in_month(), date.weekday())
    }

    /// croner's `CronPattern::day_match` for day `day` (a `weekday`) of a month of `length`.
    fn matches(&self, day: i8, length: i8, weekday: Weekday) -> bool {
        let bit = |mask: u32, d: i8| mask & 1 << d != 0;
        let mut day_matches = bit(self.days, day);
        if !day_matches && self.last && self.weekday_flag {
            // `LW`: the last work day (Monday to Friday) of the month.
            let last_weekday = weekday.wrapping_add(length - day);
            let last_workday = match last_weekday {
                Weekday::Saturday => length - 1,
                Weekday::Sunday => length - 2,
                _ => length,
            };
            day_matches = day == last_workday;
        } else if !day_matches && self.last && !self.weekday_flag {
            day_matches = day == length;
        }
        if !day_matches && self.nearest_weekday != 0 {
            day_matches = self.nearest_weekday_is(day, length, weekday);
        }
        let flags = self.weekdays[usize::from(weekday.to_sunday_zero_offset().unsigned_abs())];
        let nth = usize::try_from((day - 1) / 7).ok();
        let dow_matches = nth
            .and_then(|n| NTH_BITS.get(n))
            .is_some_and(|&nth| flags & nth != 0)
            || (flags & LAST_BIT != 0 && day + 7 > length)
            || flags & ALL_BIT != 0;
        if (day_matches && self.star_dow) || (dow_matches && self.star_dom) {
            true
        } else if !self.star_dom && !self.star_dow {
            if self.dom_and_dow {
                day_matches && dow_matches
            } else {
                day_matches || dow_matches
            }
        } else {
            false
        }
    }

    /// Whether a `W` day of the pattern resolves to `day` (a `weekday`) in a month of
    /// `length` days: a Saturday moves to the Friday before, a Sunday to the Monday after,
    /// never out of the month.
    fn nearest_weekday_is(&self, day: i8, length: i8, weekday: Weekday) -> bool {
        let first = (day - 2).max(1);
        let last = (day + 2).min(length);
        (first..=last).any(|pattern_day| {
            if self.nearest_weekday & 1 << pattern_day == 0 {
                return false;
            }
            let target = match weekday.wrapping_add(pattern_day - day) {
                Weekday::Saturday if pattern_day > 1 => pattern_day - 1,
                Weekday::Saturday => pattern_day + 2,
                Weekday::Sunday if pattern_day < length => pattern_day + 1,
                Weekday::Sunday => pattern_day - 2,
                _ => pattern_day,
            };
            target == day
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn croner(expression: &str) -> croner::Cron {
        croner::parser::CronParser::builder()
            .seconds(croner::parser::Seconds::Optional)
            .year(croner::parser::Year::Optional)
            .build()
            .parse(expression)
            .unwrap()
    }

    /// What croner's own search gives from `from`'s midnight.
    fn croner_next(cron: &croner::Cron, from: Date) -> Option<(Date, Time)> {
        cron.find_next_occurrence(&from.to_datetime(Time::midnight()), true)
            .ok()
            .map(|next| (next.date(), next.time()))
    }

    fn same_as_croner(expression: &str, from: Date) {
        let cron = croner(expression);
        let days = CronDays::of(&cron);
        assert_eq!(
            days.first_on_or_after(from),
            croner_next(&cron, from),
            "`{expression}` from {from}"
        );
    }

    #[test]
    fn examples_fall_where_croner_says() {
        // Worked out by hand first: 2026-06-01 is a Monday; May 2026 ends on a Sunday.
        type Case = (&'static str, Date, Option<(Date, Time)>);
        let cases: &[Case] = &[
            (
                "30 8 * * 1-5",
                date(2026, 5, 30),
                Some((date(2026, 6, 1), Time::constant(8, 30, 0, 0))),
            ),
            (
                "0 9 L * *",
                date(2026, 2, 3),
                Some((date(2026, 2, 28), Time::constant(9, 0, 0, 0))),
            ),
            // The last work day of May 2026 is Friday the 29th.
            (
                "0 6 LW * *",
                date(2026, 5, 1),
                Some((date(2026, 5, 29), Time::constant(6, 0, 0, 0))),
            ),
            // The second Tuesday of June 2026 is the 9th.
            (
                "15 7 * * 2#2",
                date(2026, 6, 2),
                Some((date(2026, 6, 9), Time::constant(7, 15, 0, 0))),
            ),
            // 2026-08-15 is a Saturday: `15W` is Friday the 14th.
            (
                "0 9 15W * *",
                date(2026, 8, 1),
                Some((date(2026, 8, 14), Time::constant(9, 0, 0, 0))),
            ),
            // Day 13 or a Friday, the first of which on or after 2026-02-01 is the 6th.
            (
                "0 0 13 * 5",
                date(2026, 2, 1),
                Some((date(2026, 2, 6), Time::midnight())),
            ),
            ("0 0 30 2 *", date(2026, 1, 1), None),
            (
                "0 0 0 1 1 * 2030",
                date(2026, 1, 1),
                Some((date(2030, 1, 1), Time::midnight())),
            ),
        ];
        for &(expression, from, expected) in cases {
            let days = CronDays::of(&croner(expression));
            assert_eq!(
                days.first_on_or_after(from),
                expected,
                "`{expression}` from {from}"
            );
            same_as_croner(expression, from);
        }
    }

    #[test]
    fn the_search_limit_is_croners() {
        for expression in [
            "0 0 0 * * * 5000",
            "0 0 9 * * * 5000",
            "0 0 0 2 1 * 4999-5000",
            "0 0 0 * * * 4999",
            "0 0 0 31 12 * 4999",
            "0 0 0 1 1 * 5000",
        ] {
            for from in [
                date(4999, 12, 30),
                date(4999, 12, 31),
                date(5000, 1, 1),
                date(5000, 1, 2),
                date(5000, 6, 1),
                date(5001, 1, 1),
                date(9999, 12, 31),
            ] {
                same_as_croner(expression, from);
            }
        }
    }

    #[test]
    fn the_compiled_form_reads_back_as_written() {
        for expression in [
            "30 8 * * 1-5",
            "15 30 7 L * ? 2026-2030,2040",
            "0 0 9 * * +1#2 *",
        ] {
            let days = CronDays::of(&croner(expression));
            let bytes = postcard::to_stdvec(&days).unwrap();
            assert_eq!(postcard::from_bytes::<CronDays>(&bytes).unwrap(), days);
        }
        // Every year takes no list; a year field does.
        assert!(CronDays::of(&croner("0 0 9 * * * *")).every_year());
        assert!(!CronDays::of(&croner("0 0 9 * * * 2026")).every_year());
    }

    /// A crontab field of the forms catalogs use: `*`, numbers, ranges, steps and lists.
    fn field(low: u16, high: u16) -> impl Strategy<Value = String> {
        let one = (low..=high).prop_map(|n| n.to_string());
        let range =
            (low..=high, low..=high).prop_map(|(a, b)| format!("{}-{}", a.min(b), a.max(b)));
        let step = (low..=high, low..=high, 1..=(high - low).max(1))
            .prop_map(|(a, b, s)| format!("{}-{}/{s}", a.min(b), a.max(b)));
        let item = prop_oneof![
            one,
            range,
            step,
            (1..=high - low + 1).prop_map(|s| format!("*/{s}"))
        ];
        prop_oneof![
            2 => Just("*".to_owned()),
            3 => prop::collection::vec(item, 1..3).prop_map(|items| items.join(",")),
        ]
    }

    fn day_of_month() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => field(1, 31),
            1 => Just("L".to_owned()),
            1 => Just("LW".to_owned()),
            1 => (1..=31u16).prop_map(|d| format!("{d}W")),
            1 => Just("?".to_owned()),
        ]
    }

    fn day_of_week() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => field(0, 7),
            1 => (0..=6u16, 1..=5u16).prop_map(|(d, n)| format!("{d}#{n}")),
            1 => (0..=6u16).prop_map(|d| format!("{d}L")),
            1 => Just("?".to_owned()),
        ]
    }

    fn expression() -> impl Strategy<Value = String> {
        let year = prop_oneof![
            3 => Just(None),
            1 => Just(Some("*".to_owned())),
            1 => (1990..=2040u16, 0..=20u16).prop_map(|(y, n)| Some(format!("{y}-{}", y + n))),
            1 => (4990..=5000u16).prop_map(|y| Some(format!("{y}-5000"))),
        ];
        (
            prop::option::of(0..=59u16),
            field(0, 59),
            field(0, 23),
            day_of_month(),
            field(1, 12),
            day_of_week(),
            any::<bool>(),
            year,
        )
            .prop_map(|(second, minute, hour, dom, month, dow, plus, year)| {
                let dow = if plus { format!("+{dow}") } else { dow };
                let mut fields = Vec::new();
                if second.is_some() || year.is_some() {
                    fields.push(second.unwrap_or(0).to_string());
                }
                fields.extend([minute, hour, dom, month, dow]);
                fields.extend(year);
                fields.join(" ")
            })
    }

    fn day() -> impl Strategy<Value = Date> {
        prop_oneof![
            8 => (1990..=2040i16, 1..=12i8, 1..=31i8),
            1 => (4990..=5001i16, 1..=12i8, 1..=31i8),
            1 => (-5..=3i16, 1..=12i8, 1..=31i8),
        ]
        .prop_map(|(y, m, d)| Date::new(y, m, d.min(date(y, m, 1).days_in_month())).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(
            std::env::var("SOCCTL_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
        ))]

        #[test]
        fn the_first_day_is_croners(expression in expression(), from in day()) {
            // Expressions croner refuses (`?` in both day fields, `+` before `?`) say nothing here.
            let parsed = croner::parser::CronParser::builder()
                .seconds(croner::parser::Seconds::Optional)
                .year(croner::parser::Year::Optional)
                .build()
                .parse(&expression);
            prop_assume!(parsed.is_ok());
            let cron = parsed.unwrap();
            let days = CronDays::of(&cron);
            prop_assert_eq!(days.first_on_or_after(from), croner_next(&cron, from), "`{}` from {}", expression, from);
            // And the days after it, as a listing walks them.
            let mut cursor = from;
            for _ in 0..4 {
                let Some((next, _)) = days.first_on_or_after(cursor) else { break };
                let Some(after) = next.tomorrow().ok() else { break };
                cursor = after;
                prop_assert_eq!(days.first_on_or_after(cursor), croner_next(&cron, cursor), "`{}` from {}", expression, cursor);
            }
        }
    }
}
