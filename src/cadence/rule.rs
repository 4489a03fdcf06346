//! The parsed form of a cadence and its canonical spelling.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use jiff::civil::{Date, Time, Weekday};

use super::cron::CronDays;
use crate::calendar::{self, Calendar, WeekdaySet, add_days, days_between};

/// A parsed cadence: an optional schedule rule, whether the work may also be triggered
/// "as needed", and an optional time of day.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Cadence {
    /// The rule that produces scheduled dates; `None` for a purely "as needed" task.
    pub rule: Option<Rule>,
    /// Whether the task can also be triggered outside its schedule.
    pub as_needed: bool,
    /// The time of day for structured rules written with `at HH:MM`.
    pub at: Option<Time>,
    /// `every N days after done`: with a journal, each occurrence is due N days after the
    /// previous one was done; without one, it is projected as if each is done on its due date.
    pub after_done: bool,
    /// Whether the cadence as written names a day or a time (`weekly on friday`, `monthly on
    /// day 15`, `at 09:00`, cron) rather than only a period (`weekly`, `monthly`). The
    /// canonical spelling does not show it (`weekly` reads "weekly on monday"), but the
    /// default deadline depends on it: the due day, or the end of the window.
    pub names_day: bool,
}

/// Which occurrence of a weekday in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Ordinal {
    /// The first to fifth one (1 to 5).
    Nth(i8),
    /// The last one.
    Last,
}

/// Which day of a month a monthly, quarterly or yearly rule falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MonthDay {
    /// A day number, 1 to 31; in a shorter month it falls on the month's last day.
    Day(i8),
    /// The last day of the month.
    LastDay,
    /// The first, second, … or last given weekday of the month (skipped in months without one).
    Weekday(Ordinal, #[serde(with = "crate::codec::weekday")] Weekday),
    /// The first work day of the month.
    FirstWorkday,
    /// The last work day of the month.
    LastWorkday,
}

/// A schedule rule.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Rule {
    /// Every day.
    Daily,
    /// Every work day (work weekdays minus holidays).
    Workdays,
    /// Every `n` days, counted from the task's `start`.
    EveryDays(u32),
    /// On the given weekdays of every `interval`-th week (weeks counted from `start`).
    Weekly {
        /// Every how many weeks.
        interval: u32,
        /// Which days of those weeks.
        days: WeekdaySet,
    },
    /// On one day of every `interval`-th month, counting from `first_month`
    /// (1 to 12; `None` means the month of the task's `start`).
    Monthly {
        /// Every how many months (1 monthly, 3 quarterly, 12 yearly).
        interval: u32,
        /// Which month the count starts from.
        first_month: Option<i8>,
        /// Which day of those months.
        day: MonthDay,
    },
    /// A crontab expression, evaluated in the catalog's time zone.
    Cron(Box<CronRule>),
}

/// A crontab expression with its parsed form.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
// The cache stores the expression with its compiled days (see `cron.rs`), so that reading
// it parses nothing; the bytes are vouched for by the cache's keyed hash.
#[serde(from = "StoredCron", into = "StoredCron")]
pub struct CronRule {
    /// The expression as written, whitespace normalised.
    pub expression: String,
    /// The parsed expression, shared by every task written with the same expression.
    parsed: Arc<ParsedCron>,
}

/// A crontab rule as the catalog cache stores it.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredCron {
    expression: String,
    days: CronDays,
}

/// A parsed expression and the days already looked up in it.
struct ParsedCron {
    /// When it fires, compiled from croner's parse.
    days: CronDays,
    /// croner's parse, kept from parsing the catalog, or parsed again when asked for
    /// (`None` if that fails, which a cache written by this build cannot cause).
    cron: OnceLock<Option<croner::Cron>>,
    /// First firing day on or after a date, by that date: a large catalog repeats a few
    /// expressions thousands of times, and each asks about the same days.
    next_day: Mutex<HashMap<Date, Option<(Date, Time)>>>,
}

impl fmt::Debug for ParsedCron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The lookups made so far are not part of the rule.
        self.days.fmt(f)
    }
}

thread_local! {
    // Parsing costs tens of microseconds; a large catalog repeats a handful of expressions
    // thousands of times.
    static PARSED: RefCell<HashMap<String, Arc<ParsedCron>>> = RefCell::default();
}

/// The parsed form of an expression parsed before in this thread, if it is written
/// exactly as [`CronRule::parse`] normalises it.
fn remembered(expression: &str) -> Option<Arc<ParsedCron>> {
    PARSED.with_borrow(|all| all.get(expression).cloned())
}

/// Remembers `parsed` as the form of `expression` in this thread.
fn remember(expression: &str, parsed: &Arc<ParsedCron>) {
    PARSED.with_borrow_mut(|all| {
        // Bounded: a catalog of distinct expressions must not grow this without limit.
        if all.len() < 1024 {
            all.insert(expression.to_owned(), Arc::clone(parsed));
        }
    });
}

/// Parses `expression` with croner, with the options socctl's crontab rules are read with.
fn croner_parse(expression: &str) -> Result<croner::Cron, croner::errors::CronError> {
    #[cfg(test)]
    CRONER_PARSES.with(|count| count.set(count.get() + 1));
    croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Optional)
        .year(croner::parser::Year::Optional)
        .build()
        .parse(expression)
}

#[cfg(test)]
thread_local! {
    /// How many expressions croner has parsed in this thread.
    pub(crate) static CRONER_PARSES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Forgets the expressions parsed in this thread, as a new process starts without them.
#[cfg(test)]
pub(crate) fn forget_parsed() {
    PARSED.with_borrow_mut(HashMap::clear);
}

/// From this year on, crontab rules without a year field are looked up 400·k years earlier
/// (croner's calendar ends in the year 5000; see `CronRule::first_on_or_after`).
const CRON_SHIFT_FROM: i32 = 4000;

/// `date` moved by `years`, a multiple of 400 (so 29 February stays 29 February and every
/// weekday stays the same); `None` past the calendar's ends.
fn shift_years(date: Date, years: i16) -> Option<Date> {
    let year = i16::try_from(i32::from(date.year()) + i32::from(years)).ok()?;
    Date::new(year, date.month(), date.day()).ok()
}

/// More remembered lookups than this per expression start the memory over.
const CRON_MEMO_LIMIT: usize = 1 << 16;

/// Upper bound on the months a monthly rule searches for a day that exists
/// (a "fifth monday" is found within a few months; an impossible day never is).
const MONTH_SEARCH_LIMIT: u32 = 12 * 30;

impl Rule {
    /// Whether the rule counts its periods from the task's `start` date.
    pub fn needs_anchor(&self) -> bool {
        match self {
            Rule::EveryDays(n) => *n > 1,
            Rule::Weekly { interval, .. } => *interval > 1,
            Rule::Monthly {
                interval,
                first_month,
                ..
            } => *interval > 1 && first_month.is_none(),
            _ => false,
        }
    }

    /// The first date on or after `from` (and on or after `anchor`, when given) that the rule
    /// produces, before any shift, with its time of day for cron rules.
    ///
    /// Works out the answer from `from`'s own period rather than stepping from the anchor,
    /// so its cost does not depend on how long ago the anchor was.
    pub fn first_on_or_after(
        &self,
        from: Date,
        anchor: Option<Date>,
        calendar: &Calendar,
    ) -> Option<(Date, Option<Time>)> {
        let from = match anchor {
            Some(anchor) if anchor > from => anchor,
            _ => from,
        };
        let anchor = anchor.unwrap_or(from);
        match self {
            Rule::Daily => Some(from),
            Rule::Workdays => calendar.workday_on_or_after(from),
            Rule::EveryDays(n) => {
                let n = i64::from(*n);
                let behind = days_between(anchor, from).rem_euclid(n);
                add_days(from, if behind == 0 { 0 } else { n - behind })
            }
            Rule::Weekly { interval, days } => {
                weekly_on_or_after(from, anchor, *interval, *days, calendar)
            }
            Rule::Monthly {
                interval,
                first_month,
                day,
            } => {
                let first_month = first_month.unwrap_or(anchor.month());
                monthly_on_or_after(from, *interval, first_month, anchor.year(), *day, calendar)
            }
            Rule::Cron(rule) => return rule.first_on_or_after(from),
        }
        .map(|date| (date, None))
    }
}

fn weekly_on_or_after(
    from: Date,
    anchor: Date,
    interval: u32,
    days: WeekdaySet,
    calendar: &Calendar,
) -> Option<Date> {
    if days.is_empty() {
        return None;
    }
    let interval = i64::from(interval);
    let anchor_week = calendar.start_of_week(anchor);
    let mut week = calendar.start_of_week(from);
    // Move to the first week of the cycle at or after `from`'s week.
    let weeks_since = days_between(anchor_week, week) / 7;
    let behind = weeks_since.rem_euclid(interval);
    if behind != 0 {
        week = add_days(week, (interval - behind) * 7)?;
    }
    loop {
        for day in days.iter_from(calendar.week_start) {
            let offset = i64::from(day.since(calendar.week_start));
            let date = add_days(week, offset)?;
            if date >= from {
                return Some(date);
            }
        }
        week = add_days(week, interval * 7)?;
    }
}

fn monthly_on_or_after(
    from: Date,
    interval: u32,
    first_month: i8,
    anchor_year: i16,
    day: MonthDay,
    calendar: &Calendar,
) -> Option<Date> {
    let interval = i64::from(interval);
    let month_index = |year: i16, month: i8| i64::from(year) * 12 + i64::from(month) - 1;
    let anchor_index = month_index(anchor_year, first_month);
    let mut index = month_index(from.year(), from.month());
    let behind = (index - anchor_index).rem_euclid(interval);
    if behind != 0 {
        index += interval - behind;
    }
    for _ in 0..MONTH_SEARCH_LIMIT {
        let year = i16::try_from(index.div_euclid(12)).ok()?;
        let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
        let first = Date::new(year, month, 1).ok()?;
        if first > calendar::LAST_DATE {
            return None;
        }
        if let Some(date) = day_in_month(first, day, calendar)
            && date >= from
        {
            return Some(date);
        }
        index += interval;
    }
    None
}

/// The day a [`MonthDay`] names in the month that starts on `first`, if the month has one.
fn day_in_month(first: Date, day: MonthDay, calendar: &Calendar) -> Option<Date> {
    match day {
        MonthDay::Day(n) => first.with().day(n.min(first.days_in_month())).build().ok(),
        MonthDay::LastDay => Some(first.last_of_month()),
        MonthDay::Weekday(Ordinal::Nth(n), weekday) => first.nth_weekday_of_month(n, weekday).ok(),
        MonthDay::Weekday(Ordinal::Last, weekday) => first.nth_weekday_of_month(-1, weekday).ok(),
        MonthDay::FirstWorkday => calendar
            .workday_on_or_after(first)
            .filter(|d| d.month() == first.month()),
        MonthDay::LastWorkday => calendar
            .workday_on_or_before(first.last_of_month())
            .filter(|d| d.month() == first.month()),
    }
}

impl CronRule {
    /// Parses a crontab expression: 5 fields as in crontab, 6 with seconds first,
    /// 7 with a year last; `L`, `W` and `#` as in Quartz; weekdays numbered as in crontab.
    pub fn parse(expression: &str) -> Result<Self, croner::errors::CronError> {
        let expression = expression.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(parsed) = remembered(&expression) {
            return Ok(Self { expression, parsed });
        }
        let cron = croner_parse(&expression)?;
        let parsed = Arc::new(ParsedCron {
            days: CronDays::of(&cron),
            cron: OnceLock::from(Some(cron)),
            next_day: Mutex::default(),
        });
        remember(&expression, &parsed);
        Ok(Self { expression, parsed })
    }

    /// croner's parse of the expression (parsed now if the rule was read from the cache);
    /// `None` only if croner no longer reads what it read when the cache was written.
    pub(crate) fn cron(&self) -> Option<&croner::Cron> {
        self.parsed
            .cron
            .get_or_init(|| croner_parse(&self.expression).ok())
            .as_ref()
    }

    /// The first day on or after `from` with a firing, and the first firing time that day.
    fn first_on_or_after(&self, from: Date) -> Option<(Date, Option<Time>)> {
        let remembered = self
            .parsed
            .next_day
            .lock()
            .ok()
            .and_then(|memo| memo.get(&from).copied());
        let next = match remembered {
            Some(next) => next,
            None => {
                // croner searches no further than the year 5000. Without a year field a
                // crontab rule depends only on the month, the day of the month and the
                // weekday, and the Gregorian calendar repeats exactly every 400 years
                // (146,097 days, a whole number of weeks): so later dates are looked up
                // 400·k years earlier and moved back.
                let year = i32::from(from.year());
                let cycles = if self.parsed.days.every_year() && year >= CRON_SHIFT_FROM {
                    // Into the years 2000 to 2399, far enough from croner's limit for any
                    // rule to fire (every rule that fires at all does within 400 years).
                    (year - 2000) / 400
                } else {
                    0
                };
                let years = (cycles * 400) as i16;
                let start = shift_years(from, -years).unwrap_or(from);
                let next = self
                    .parsed
                    .days
                    .first_on_or_after(start)
                    .and_then(|(date, time)| Some((shift_years(date, years)?, time)))
                    .filter(|(date, _)| *date <= calendar::LAST_DATE);
                if let Ok(mut memo) = self.parsed.next_day.lock() {
                    if memo.len() >= CRON_MEMO_LIMIT {
                        memo.clear();
                    }
                    memo.insert(from, next);
                }
                next
            }
        };
        next.map(|(date, time)| (date, Some(time)))
    }
}

impl fmt::Display for Ordinal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ordinal::Nth(1) => "first",
            Ordinal::Nth(2) => "second",
            Ordinal::Nth(3) => "third",
            Ordinal::Nth(4) => "fourth",
            Ordinal::Nth(_) => "fifth",
            Ordinal::Last => "last",
        })
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MonthDay::Day(n) => write!(f, "day {n}"),
            MonthDay::LastDay => f.write_str("the last day"),
            MonthDay::Weekday(ordinal, day) => {
                write!(f, "the {ordinal} {}", calendar::weekday_name(*day))
            }
            MonthDay::FirstWorkday => f.write_str("the first workday"),
            MonthDay::LastWorkday => f.write_str("the last workday"),
        }
    }
}

fn write_days(f: &mut fmt::Formatter<'_>, days: WeekdaySet) -> fmt::Result {
    let names: Vec<&str> = days
        .iter_from(Weekday::Monday)
        .map(calendar::weekday_name)
        .collect();
    f.write_str(&names.join(", "))
}

impl From<StoredCron> for CronRule {
    fn from(stored: StoredCron) -> Self {
        let StoredCron { expression, days } = stored;
        // Tasks written with the same expression share one memory of looked-up days.
        if let Some(parsed) = remembered(&expression) {
            return Self { expression, parsed };
        }
        let parsed = Arc::new(ParsedCron {
            days,
            cron: OnceLock::new(),
            next_day: Mutex::default(),
        });
        remember(&expression, &parsed);
        Self { expression, parsed }
    }
}

impl From<CronRule> for StoredCron {
    fn from(rule: CronRule) -> Self {
        Self {
            days: rule.parsed.days.clone(),
            expression: rule.expression,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Daily => f.write_str("daily"),
            Rule::Workdays => f.write_str("workdays"),
            Rule::EveryDays(n) => write!(f, "every {n} days"),
            Rule::Weekly { interval: 1, days } => {
                f.write_str("weekly on ")?;
                write_days(f, *days)
            }
            Rule::Weekly { interval, days } => {
                write!(f, "every {interval} weeks on ")?;
                write_days(f, *days)
            }
            Rule::Monthly {
                interval: 1, day, ..
            } => write!(f, "monthly on {day}"),
            Rule::Monthly {
                interval: 3,
                first_month: Some(1),
                day,
            } => write!(f, "quarterly on {day}"),
            Rule::Monthly {
                interval: 12,
                first_month: Some(month),
                day: MonthDay::Day(d),
            } => {
                write!(f, "yearly on {month:02}-{d:02}")
            }
            Rule::Monthly {
                interval: 12,
                first_month: Some(month),
                day,
            } => {
                write!(f, "yearly in {} on {day}", month_name(*month))
            }
            Rule::Monthly { interval, day, .. } => write!(f, "every {interval} months on {day}"),
            Rule::Cron(rule) => write!(f, "cron: {}", rule.expression),
        }
    }
}

/// The English lowercase name of a month (1 to 12).
pub(crate) fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    usize::try_from(month - 1)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or("?")
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            None => return f.write_str("as needed"),
            Some(rule) => write!(f, "{rule}")?,
        }
        if self.after_done {
            f.write_str(" after done")?;
        }
        if let Some(at) = self.at {
            write!(f, " at {}", at.strftime("%H:%M"))?;
        }
        if self.as_needed {
            f.write_str(" and as needed")?;
        }
        Ok(())
    }
}
