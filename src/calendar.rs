//! Work days, holidays, shifting and week arithmetic: the calendar every cadence is evaluated in.

use std::collections::BTreeSet;
use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

/// How far a shift may travel looking for a work day before giving up (a catalog whose
/// holidays cover more than a year has no work day to shift to).
const MAX_SHIFT_DAYS: i32 = 400;

/// The first date the engine works with (year 1) and the last (year 9999).
pub const FIRST_DATE: Date = jiff::civil::date(1, 1, 1);
/// The last date the engine works with.
pub const LAST_DATE: Date = jiff::civil::date(9999, 12, 31);

/// What to do with an occurrence that falls on a day that is not a work day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Shift {
    /// Keep it where the rule put it.
    #[default]
    None,
    /// Move it to the next work day.
    NextWorkday,
    /// Move it to the previous work day.
    PreviousWorkday,
}

impl Shift {
    /// Every spelling accepted in a catalog, canonical first.
    pub const NAMES: [&'static str; 3] = ["none", "next-workday", "previous-workday"];

    /// Parses the catalog spelling (`none`, `next-workday`, `previous-workday`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        // Compared in place, case aside: a large catalog has a shift per task.
        [Self::None, Self::NextWorkday, Self::PreviousWorkday]
            .into_iter()
            .zip(Self::NAMES)
            .find_map(|(shift, name)| text.eq_ignore_ascii_case(name).then_some(shift))
    }
}

impl fmt::Display for Shift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::None => "none",
            Self::NextWorkday => "next-workday",
            Self::PreviousWorkday => "previous-workday",
        })
    }
}

/// A set of weekdays, stored as seven bits (Monday = bit 0).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct WeekdaySet(u8);

impl WeekdaySet {
    /// Monday to Friday.
    pub const MONDAY_TO_FRIDAY: Self = Self(0b001_1111);

    /// The empty set.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// A set holding one day.
    pub fn single(day: Weekday) -> Self {
        Self(1 << day.to_monday_zero_offset())
    }

    /// Adds a day to the set.
    pub fn insert(&mut self, day: Weekday) {
        self.0 |= 1 << day.to_monday_zero_offset();
    }

    /// Whether the set holds `day`.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.to_monday_zero_offset()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The days in the set, in week order starting at `first`.
    pub fn iter_from(self, first: Weekday) -> impl Iterator<Item = Weekday> {
        (0..7)
            .map(move |offset| first.wrapping_add(offset))
            .filter(move |day| self.contains(*day))
    }
}

/// The English lowercase name of a weekday, as the cadence language writes it.
pub fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

/// Parses a weekday name or its three-letter abbreviation, case-insensitively.
pub fn parse_weekday(text: &str) -> Option<Weekday> {
    let lower = text.trim().to_ascii_lowercase();
    let day = match lower.as_str() {
        "mon" | "monday" | "mondays" => Weekday::Monday,
        "tue" | "tues" | "tuesday" | "tuesdays" => Weekday::Tuesday,
        "wed" | "wednesday" | "wednesdays" => Weekday::Wednesday,
        "thu" | "thur" | "thurs" | "thursday" | "thursdays" => Weekday::Thursday,
        "fri" | "friday" | "fridays" => Weekday::Friday,
        "sat" | "saturday" | "saturdays" => Weekday::Saturday,
        "sun" | "sunday" | "sundays" => Weekday::Sunday,
        _ => return None,
    };
    Some(day)
}

/// Parses `YYYY-MM-DD` strictly: four-digit years 0001 to 9999, no sign, no other form.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    // The digits by hand: a first run reads a date per task, and jiff's general `strptime`
    // costs several times more (a test checks both agree).
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0_i16, |n, b| n * 10 + i16::from(b - b'0'))
    };
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?)
        .ok()
        .filter(|date| (FIRST_DATE..=LAST_DATE).contains(date))
}

/// Adds `days` to a date, or `None` past the engine's range (years 1 to 9999).
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    // Plain day-number arithmetic: the engine adds days in its innermost loops, where a
    // general `Span` addition costs several times more.
    // day_number(FIRST_DATE) and day_number(LAST_DATE) (checked by a test).
    const FIRST: i64 = -719_162;
    const LAST: i64 = 2_932_896;
    // Most steps stay inside the month: no calendar arithmetic needed.
    if (0..28).contains(&days) && i64::from(date.day()) + days <= 28 {
        return Date::new(date.year(), date.month(), date.day() + days as i8).ok();
    }
    let target = i64::from(day_number(date)).checked_add(days)?;
    if !(FIRST..=LAST).contains(&target) {
        return None;
    }
    Some(date_from_day_number(target as i32))
}

/// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`), the inverse
/// of [`day_number`]; only called for day numbers within years 1 to 9999.
fn date_from_day_number(days: i32) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    Date::new(year as i16, month as i8, day as i8).unwrap_or(FIRST_DATE)
}

/// Whole days from `earlier` to `later` (negative when `later` is before `earlier`).
pub fn days_between(earlier: Date, later: Date) -> i64 {
    i64::from(day_number(later)) - i64::from(day_number(earlier))
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`): plain arithmetic, cheap enough for sort keys.
pub fn day_number(date: Date) -> i32 {
    let month = i32::from(date.month());
    let year = i32::from(date.year()) - i32::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year =
        (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i32::from(date.day()) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The calendar a catalog's cadences are evaluated in.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Calendar {
    /// The catalog's time zone: decides what "today" is and where a timed occurrence lands.
    #[serde(with = "serde_time_zone")]
    pub time_zone: TimeZone,
    /// The first day of a week (`weekly` falls on it; `week` lists from it).
    #[serde(with = "crate::codec::weekday")]
    pub week_start: Weekday,
    /// The days of the week that are work days.
    pub workdays: WeekdaySet,
    /// Dates that are never work days.
    pub holidays: BTreeSet<Date>,
    /// Holidays on the same day every year (an iCalendar file's open-ended yearly `RRULE`).
    #[serde(default)]
    pub annual: Vec<Annual>,
}

/// A holiday that recurs on the same month and day, every `interval` years from `first`
/// (a 29 February only in leap years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Annual {
    /// The first date it falls on.
    pub first: Date,
    /// Every how many years.
    pub interval: u16,
}

impl Annual {
    /// Whether the holiday falls on `date`.
    pub fn falls_on(self, date: Date) -> bool {
        date.month() == self.first.month()
            && date.day() == self.first.day()
            && date >= self.first
            && (i32::from(date.year()) - i32::from(self.first.year()))
                % i32::from(self.interval.max(1))
                == 0
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Self {
            time_zone: TimeZone::UTC,
            week_start: Weekday::Monday,
            workdays: WeekdaySet::MONDAY_TO_FRIDAY,
            holidays: BTreeSet::new(),
            annual: Vec::new(),
        }
    }
}

impl Calendar {
    /// Whether `date` is a work day: a work weekday that is not a holiday.
    pub fn is_workday(&self, date: Date) -> bool {
        self.workdays.contains(date.weekday()) && !self.is_holiday(date)
    }

    /// Whether `date` is one of the calendar's holidays.
    pub fn is_holiday(&self, date: Date) -> bool {
        self.holidays.contains(&date) || self.annual.iter().any(|a| a.falls_on(date))
    }

    /// The same calendar without holidays (what an `RRULE` can state).
    #[must_use]
    pub fn without_holidays(&self) -> Self {
        Self {
            time_zone: self.time_zone.clone(),
            week_start: self.week_start,
            workdays: self.workdays,
            holidays: BTreeSet::new(),
            annual: Vec::new(),
        }
    }

    /// The first work day on or after `date`, if one exists within reach.
    pub fn workday_on_or_after(&self, date: Date) -> Option<Date> {
        let mut day = date;
        for _ in 0..MAX_SHIFT_DAYS {
            if self.is_workday(day) {
                return Some(day);
            }
            day = add_days(day, 1)?;
        }
        None
    }

    /// The last work day on or before `date`, if one exists within reach.
    pub fn workday_on_or_before(&self, date: Date) -> Option<Date> {
        let mut day = date;
        for _ in 0..MAX_SHIFT_DAYS {
            if self.is_workday(day) {
                return Some(day);
            }
            day = add_days(day, -1)?;
        }
        None
    }

    /// Applies a shift to a date; `None` when no work day is within reach.
    pub fn shift(&self, date: Date, shift: Shift) -> Option<Date> {
        match shift {
            Shift::None => Some(date),
            Shift::NextWorkday => self.workday_on_or_after(date),
            Shift::PreviousWorkday => self.workday_on_or_before(date),
        }
    }

    /// Number of consecutive non-work days that end the day before `date`
    /// (how far back a next-workday shift can reach into `date`).
    pub fn non_workdays_before(&self, date: Date) -> i64 {
        let mut count = 0;
        let mut day = date;
        while count < i64::from(MAX_SHIFT_DAYS) {
            match add_days(day, -1) {
                Some(previous) if !self.is_workday(previous) => {
                    count += 1;
                    day = previous;
                }
                _ => break,
            }
        }
        count
    }

    /// Number of consecutive non-work days that start the day after `date`.
    pub fn non_workdays_after(&self, date: Date) -> i64 {
        let mut count = 0;
        let mut day = date;
        while count < i64::from(MAX_SHIFT_DAYS) {
            match add_days(day, 1) {
                Some(next) if !self.is_workday(next) => {
                    count += 1;
                    day = next;
                }
                _ => break,
            }
        }
        count
    }

    /// The first day of the week that contains `date`.
    pub fn start_of_week(&self, date: Date) -> Date {
        let back = i64::from(date.weekday().since(self.week_start));
        add_days(date, -back).unwrap_or(FIRST_DATE)
    }
}

/// The time-zone database socctl uses: the copy of the IANA database built into the binary,
/// so every machine (and CI) computes the same dates, and a lookup does not scan
/// `/usr/share/zoneinfo` on every start.
pub fn time_zone_database() -> &'static jiff::tz::TimeZoneDatabase {
    static DATABASE: std::sync::OnceLock<jiff::tz::TimeZoneDatabase> = std::sync::OnceLock::new();
    DATABASE.get_or_init(jiff::tz::TimeZoneDatabase::bundled)
}

/// Looks up an IANA time zone by name (`UTC`, `Europe/Copenhagen`, …).
pub fn time_zone(name: &str) -> Option<TimeZone> {
    if name.eq_ignore_ascii_case("utc") {
        return Some(TimeZone::UTC);
    }
    time_zone_database().get(name).ok()
}

/// Serde for `jiff::tz::TimeZone` as its IANA name, looked up in socctl's bundled database
/// with [`time_zone`].
mod serde_time_zone {
    use jiff::tz::TimeZone;
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};

    pub(super) fn serialize<S: Serializer>(zone: &TimeZone, s: S) -> Result<S::Ok, S::Error> {
        let name = zone
            .iana_name()
            .ok_or_else(|| S::Error::custom("a time zone without an IANA name"))?;
        s.serialize_str(name)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeZone, D::Error> {
        let name = <&str>::deserialize(d)?;
        super::time_zone(name).ok_or_else(|| D::Error::custom(format!("unknown time zone {name}")))
    }
}

/// `now`, a wall-clock reading in `from`, as the wall clock reads in `to` at the same
/// instant: how one clock reading becomes each team's own "now". A reading in a gap or a
/// fold of `from` is taken as RFC 5545 and `java.time` do (the later offset for a gap, the
/// earlier for a fold).
pub fn civil_in(
    now: jiff::civil::DateTime,
    from: &TimeZone,
    to: &TimeZone,
) -> jiff::civil::DateTime {
    if from == to {
        return now;
    }
    from.to_ambiguous_zoned(now)
        .compatible()
        .map_or(now, |zoned| {
            zoned.timestamp().to_zoned(to.clone()).datetime()
        })
}

/// The ISO 8601 week of a date, as `(year, week)`.
pub fn iso_week(date: Date) -> (i16, i8) {
    let week = date.iso_week_date();
    (week.year(), week.week())
}

/// A time of day as `HH:MM`, the form every output shows due times in.
pub fn format_time(time: jiff::civil::Time) -> String {
    time.strftime("%H:%M").to_string()
}

/// An instant as messages show it: to the second, in `zone`, with the zone's abbreviation
/// (`2026-11-23 09:12:05 CET`), not the journal's nanoseconds in UTC.
pub fn format_instant(instant: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> String {
    instant
        .to_zoned(zone.clone())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn calendar_with_holidays(holidays: &[Date]) -> Calendar {
        Calendar {
            holidays: holidays.iter().copied().collect(),
            ..Calendar::default()
        }
    }

    #[test]
    fn adding_days_agrees_with_jiff_across_the_whole_range() {
        // jiff's own calendar arithmetic is the oracle: every 97th day from year 1 to 9999,
        // each moved by a spread of offsets, lands where jiff says (or out of range where
        // jiff's date leaves years 1 to 9999).
        let offsets = [
            -400_000, -36_525, -366, -365, -31, -7, -1, 0, 1, 2, 28, 59, 365, 1_461, 146_097,
        ];
        let mut day = FIRST_DATE;
        loop {
            for offset in offsets {
                let expected = day
                    .checked_add(jiff::Span::new().days(offset))
                    .ok()
                    .filter(|d| (FIRST_DATE..=LAST_DATE).contains(d));
                assert_eq!(add_days(day, offset), expected, "{day} + {offset} days");
            }
            match day.checked_add(jiff::Span::new().days(97)) {
                Ok(next) if next <= LAST_DATE => day = next,
                _ => break,
            }
        }
        assert_eq!(add_days(LAST_DATE, 1), None);
        assert_eq!(add_days(FIRST_DATE, -1), None);
        assert_eq!(add_days(date(2024, 2, 28), 1), Some(date(2024, 2, 29)));
        assert_eq!(add_days(date(2100, 2, 28), 1), Some(date(2100, 3, 1)));
        assert_eq!(add_days(FIRST_DATE, i64::MAX), None);
        // Python: date(1, 1, 1).toordinal() - date(1970, 1, 1).toordinal(), and for 9999-12-31.
        assert_eq!(day_number(FIRST_DATE), -719_162);
        assert_eq!(day_number(LAST_DATE), 2_932_896);
    }

    #[test]
    fn shifts_skip_weekends_and_holidays() {
        // 2026-12-25 is a Friday; 26 and 27 are the weekend; 2026-12-28 is a Monday.
        let cal = calendar_with_holidays(&[date(2026, 12, 25), date(2026, 12, 28)]);
        assert_eq!(
            cal.shift(date(2026, 12, 25), Shift::NextWorkday),
            Some(date(2026, 12, 29))
        );
        assert_eq!(
            cal.shift(date(2026, 12, 27), Shift::PreviousWorkday),
            Some(date(2026, 12, 24))
        );
        assert_eq!(
            cal.shift(date(2026, 12, 26), Shift::None),
            Some(date(2026, 12, 26))
        );
        assert_eq!(cal.non_workdays_before(date(2026, 12, 29)), 4);
        assert_eq!(cal.non_workdays_after(date(2026, 12, 24)), 4);
    }

    #[test]
    fn no_workdays_means_no_shift_target() {
        let cal = Calendar {
            workdays: WeekdaySet::empty(),
            ..Calendar::default()
        };
        assert_eq!(cal.shift(date(2026, 1, 1), Shift::NextWorkday), None);
        assert_eq!(cal.shift(date(2026, 1, 1), Shift::PreviousWorkday), None);
    }

    #[test]
    fn weeks_start_where_the_catalog_says() {
        // 2026-11-22 is a Sunday.
        let monday = Calendar::default();
        assert_eq!(monday.start_of_week(date(2026, 11, 22)), date(2026, 11, 16));
        let sunday = Calendar {
            week_start: Weekday::Sunday,
            ..Calendar::default()
        };
        assert_eq!(sunday.start_of_week(date(2026, 11, 22)), date(2026, 11, 22));
        assert_eq!(sunday.start_of_week(date(2026, 11, 21)), date(2026, 11, 15));
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        // Worked out from ISO 8601: the week with the year's first Thursday is week 1.
        let cases = [
            (date(2020, 12, 31), (2020, 53)), // 2020 has 53 weeks (starts on a Wednesday, leap year)
            (date(2021, 1, 3), (2020, 53)),
            (date(2021, 1, 4), (2021, 1)),
            (date(2026, 12, 31), (2026, 53)), // 2026 starts on a Thursday: 53 weeks
            (date(2027, 1, 1), (2026, 53)),
            (date(2027, 1, 4), (2027, 1)),
            (date(2024, 12, 30), (2025, 1)), // Monday of 2025's week 1
            (date(2008, 12, 29), (2009, 1)),
        ];
        for (day, expected) in cases {
            assert_eq!(iso_week(day), expected, "{day}");
        }
    }

    #[test]
    fn day_numbers_count_from_the_unix_epoch() {
        // Known values: the Unix epoch, a leap day, the engine's first and last dates.
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(
            day_number(date(2000, 3, 1)) - day_number(date(2000, 2, 28)),
            2
        );
        assert_eq!(day_number(date(2026, 11, 23)), 20_780); // Python: (date(2026,11,23) - date(1970,1,1)).days
        assert_eq!(day_number(date(1, 1, 1)), -719_162);
        assert_eq!(day_number(date(9999, 12, 31)), 2_932_896);
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(parse_date("2024-02-29"), Some(date(2024, 2, 29)));
        assert_eq!(parse_date("0001-01-01"), Some(date(1, 1, 1)));
        for bad in [
            "2023-02-29",
            "0000-01-01",
            "-0005-01-01",
            "+2026-01-01",
            "2026-1-01",
            "20261101",
            " 2026-11-01",
            "2026-11-01x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn shifts_parse_case_aside() {
        assert_eq!(Shift::parse(" NEXT-Workday "), Some(Shift::NextWorkday));
        assert_eq!(Shift::parse("none"), Some(Shift::None));
        assert_eq!(
            Shift::parse("previous-workday"),
            Some(Shift::PreviousWorkday)
        );
        for bad in ["", "next workday", "next-workdays", "nonе", "previous"] {
            assert_eq!(Shift::parse(bad), None, "{bad}");
        }
    }

    /// The hand-written digits read every date exactly as jiff's `%Y-%m-%d` does, within
    /// the engine's years: each month 00 to 99 and day 00 to 99 of years around the edges
    /// and leap rules.
    #[test]
    fn dates_parse_as_strptime_does() {
        let mut read = 0;
        for year in [
            0, 1, 4, 99, 100, 1900, 1999, 2000, 2024, 2026, 2100, 9998, 9999,
        ] {
            for month in 0..100 {
                for day in 0..100 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let expected = Date::strptime("%Y-%m-%d", &text)
                        .ok()
                        .filter(|date| (FIRST_DATE..=LAST_DATE).contains(date));
                    assert_eq!(parse_date(&text), expected, "{text}");
                    read += usize::from(expected.is_some());
                }
            }
        }
        // 12 years of 365 or 366 days (0001 to 9999, 0000 refused): 4, 2000, 2024 leap.
        assert_eq!(read, 12 * 365 + 3);
    }

    #[test]
    fn add_days_stays_in_range() {
        assert_eq!(add_days(date(9999, 12, 31), 1), None);
        assert_eq!(add_days(date(1, 1, 1), -1), None);
        assert_eq!(add_days(date(2024, 2, 28), 1), Some(date(2024, 2, 29)));
        assert_eq!(days_between(date(2024, 1, 1), date(2025, 1, 1)), 366);
    }
}
