//! Parsing cadence text, case-insensitively, into a [`Cadence`].

use std::collections::BTreeMap;

use jiff::civil::{Time, Weekday};

use super::rule::{Cadence, CronRule, MonthDay, Ordinal, Rule};
use crate::calendar::{WeekdaySet, parse_weekday};

/// The forms the cadence language accepts, shown in error messages and `--help`.
pub const ACCEPTED_FORMS: &[&str] = &[
    "daily",
    "workdays",
    "every N days  |  every N days after done",
    "weekly  |  weekly on friday  |  weekly on mon, thu",
    "every monday  |  every mon, thu  |  every weekday (monday to friday)",
    "every N weeks on monday",
    "biweekly on friday  |  fortnightly on friday  |  every other week on friday",
    "monthly  |  monthly on day 15  |  monthly on the last day",
    "monthly on the first monday  |  monthly on the last friday",
    "first monday of the month  |  the last friday of every month",
    "monthly on the first workday  |  monthly on the last workday",
    "every N months  |  every 6 months on day 1  |  semiannually",
    "quarterly  |  quarterly on day 15",
    "yearly on 03-31  |  annually on 03-31",
    "as needed",
    "<any of the above> and as needed",
    "<any structured form> at HH:MM  |  at 9am  |  at 9:30 pm",
    "cron: <crontab expression, 5 to 7 fields>",
];

/// Why a cadence could not be parsed, with a hint for fixing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CadenceError {
    /// What is wrong.
    pub message: String,
    /// How to fix it, when something better than the list of accepted forms can be said.
    pub hint: Option<String>,
}

impl CadenceError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Parses a cadence, with `weekly` falling on `week_start`.
///
/// ```
/// use jiff::civil::Weekday;
///
/// let cadence = socctl::cadence::parse("Weekly and as needed", Weekday::Monday).unwrap();
/// assert_eq!(cadence.to_string(), "weekly on monday and as needed");
/// assert!(cadence.as_needed);
///
/// let error = socctl::cadence::parse("fortnightly", Weekday::Monday).unwrap_err();
/// assert_eq!(error.message, "`fortnightly` is not a cadence socctl understands");
/// ```
pub fn parse(text: &str, week_start: Weekday) -> Result<Cadence, CadenceError> {
    parse_with_aliases(text, week_start, &BTreeMap::new())
}

/// Lowercases and collapses whitespace, the form aliases and keywords are compared in.
pub fn normalize_phrase(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses a cadence, first replacing a phrase found in `aliases` (keys compared
/// case-insensitively with whitespace collapsed) by the cadence it stands for.
pub fn parse_with_aliases(
    text: &str,
    week_start: Weekday,
    aliases: &BTreeMap<String, String>,
) -> Result<Cadence, CadenceError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(CadenceError::new("the cadence is empty")
            .hint("write one of the accepted forms, e.g. `weekly on monday`"));
    }
    let lower = normalize_phrase(trimmed);
    let resolved = resolve_alias(&lower, aliases);
    let (body, as_needed) = match resolved.strip_suffix(" and as needed") {
        Some(body) => (resolve_alias(body, aliases), true),
        None => (resolved, false),
    };
    if body == "as needed" {
        return Ok(Cadence {
            rule: None,
            as_needed: true,
            at: None,
            after_done: false,
            names_day: false,
        });
    }
    // Crontab fields are case-insensitive (`MON-FRI` = `mon-fri`), so the lowercased text is
    // safe to hand to the cron parser.
    if let Some(expression) = body
        .strip_prefix("cron:")
        .or_else(|| body.strip_prefix("cron "))
    {
        let mut cadence = parse_cron(expression)?;
        cadence.as_needed |= as_needed;
        return Ok(cadence);
    }
    let (body, at) = split_time(&body)?;
    // "every 7 days after done": counted from the last completion, so work cannot pile up.
    let (body, after_done) = match body.strip_suffix(" after done") {
        Some(rule) => (rule, true),
        None => (body, false),
    };
    let rule = parse_rule(body, week_start)?;
    let names_day = at.is_some() || !names_only_a_period(body);
    if after_done && !matches!(rule, Rule::EveryDays(_)) {
        return Err(
            CadenceError::new(format!("`{body} after done` is not supported"))
                .hint("only `every N days after done` counts from the last completion"),
        );
    }
    Ok(Cadence {
        rule: Some(rule),
        as_needed,
        at,
        after_done,
        names_day,
    })
}

/// Whether `body` (a parsed rule's words) names only a period, with no day: `daily`,
/// `weekly`, `every 2 weeks`, `monthly`, `every 3 months`, `quarterly`, `yearly`, `every N
/// days`. Everything else names the day it falls on (`workdays` names the work days).
fn names_only_a_period(body: &str) -> bool {
    let words: Vec<&str> = body.split(' ').collect();
    matches!(
        words.as_slice(),
        ["daily"
            | "weekly"
            | "monthly"
            | "quarterly"
            | "semiannually"
            | "semi-annually"
            | "yearly"
            | "annually"]
            | ["every", "day" | "week" | "month"]
            | [
                "every",
                _,
                "day" | "days" | "week" | "weeks" | "month" | "months"
            ]
    )
}

fn resolve_alias(text: &str, aliases: &BTreeMap<String, String>) -> String {
    aliases
        .iter()
        .find(|(phrase, _)| normalize_phrase(phrase) == text)
        .map_or_else(|| text.to_owned(), |(_, meaning)| normalize_phrase(meaning))
}

/// The last year a crontab year field can name (the limit of the croner library).
const CRON_LAST_YEAR: u32 = 5000;

/// A year after [`CRON_LAST_YEAR`] named in the year field (the seventh) of `expression`;
/// step sizes (`*/2`) are not years.
fn year_beyond_cron_calendar(expression: &str) -> Option<u32> {
    let fields: Vec<&str> = expression.split_whitespace().collect();
    let year_field = fields.get(6)?;
    year_field
        .split(',')
        .flat_map(|item| {
            let range = item.split('/').next().unwrap_or_default();
            range.split('-')
        })
        .filter_map(|number| number.parse::<u32>().ok())
        .find(|&year| year > CRON_LAST_YEAR)
}

fn parse_cron(expression: &str) -> Result<Cadence, CadenceError> {
    let expression = expression.trim();
    if expression.is_empty() {
        return Err(CadenceError::new("`cron:` needs a crontab expression")
            .hint("e.g. `cron: 0 9 * * 1-5` (09:00 on Monday to Friday)"));
    }
    if let Some(year) = year_beyond_cron_calendar(expression) {
        return Err(CadenceError::new(format!(
            "the year field of `{expression}` names {year}, but a crontab year field goes up \
             to {CRON_LAST_YEAR}"
        ))
        .hint(
            "leave the year field out (6 fields) and give the task a `start` date: without a \
             year field a crontab rule runs to 9999-12-31",
        ));
    }
    let rule = CronRule::parse(expression).map_err(|error| {
        CadenceError::new(format!("`{expression}` is not a valid crontab expression: {error}")).hint(
            "5 fields: minute hour day-of-month month day-of-week (0 or 7 = Sunday), e.g. `0 9 * * 1-5`; \
             6 fields put seconds first, 7 add a year",
        )
    })?;
    let fields: Vec<&str> = expression.split_whitespace().collect();
    // Just parsed by croner, so parsed again (if it was remembered from the cache) alike.
    let Some(cron) = rule.cron() else {
        return Err(CadenceError::new(format!(
            "`{expression}` is not a valid crontab expression"
        )));
    };
    let pattern = &cron.pattern;
    // A time field that matches nothing never fires, and finding that out means walking
    // every hour to the year 9999: refuse it here, where it costs nothing.
    for (name, component) in [
        ("seconds", &pattern.seconds),
        ("minute", &pattern.minutes),
        ("hour", &pattern.hours),
    ] {
        if component.values().is_empty() {
            return Err(CadenceError::new(format!(
                "the {name} field of `{expression}` matches no value, so the rule never fires"
            ))
            .hint("write a number, a range or a list in every field, e.g. `0 9 * * 1-5`"));
        }
    }
    // socctl schedules days: a seconds field that fires more than once a minute asks for
    // per-second work, which no checklist can show.
    if fields.len() >= 6 && pattern.seconds.values().len() > 1 {
        return Err(CadenceError::new(format!(
            "the seconds field of `{expression}` is `{}`, which fires more than once a minute",
            fields[0]
        ))
        .hint(format!(
            "socctl schedules work by the day, not by the second: write one second (`0 {}`) or drop the seconds field and write 5 fields",
            fields[1..].join(" ")
        )));
    }
    Ok(Cadence {
        rule: Some(Rule::Cron(Box::new(rule))),
        as_needed: false,
        at: None,
        after_done: false,
        names_day: true,
    })
}

fn split_time(body: &str) -> Result<(&str, Option<Time>), CadenceError> {
    let Some((rule, time)) = body.rsplit_once(" at ") else {
        return Ok((body, None));
    };
    Ok((rule, Some(parse_time(time.trim())?)))
}

/// A time of day: 24-hour `HH:MM`, or 12-hour `9am`, `9:30 pm` (12am is midnight, 12pm noon).
fn parse_time(text: &str) -> Result<Time, CadenceError> {
    let twelve_hour = text
        .strip_suffix("am")
        .map(|clock| (clock, false))
        .or_else(|| text.strip_suffix("pm").map(|clock| (clock, true)));
    let Some((clock, pm)) = twelve_hour else {
        return Time::strptime("%H:%M", text).map_err(|_| {
            CadenceError::new(format!("`{text}` is not a time of day")).hint(
                "write the time as HH:MM or with am/pm, e.g. `daily at 09:00`, `daily at 9am`",
            )
        });
    };
    let invalid = || {
        CadenceError::new(format!("`{text}` is not a time of day"))
            .hint("a 12-hour time has hours 1 to 12 and two-digit minutes, e.g. `9am`, `9:30 pm`, `12pm` (noon); or write HH:MM, e.g. `13:00`")
    };
    let (hour, minute) = clock
        .trim_end()
        .split_once(':')
        .unwrap_or((clock.trim_end(), "00"));
    let digits = |s: &str, widths: std::ops::RangeInclusive<usize>| {
        widths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, 1..=2) || !digits(minute, 2..=2) {
        return Err(invalid());
    }
    let hour: i8 = hour.parse().map_err(|_| invalid())?;
    let minute: i8 = minute.parse().map_err(|_| invalid())?;
    if !(1..=12).contains(&hour) || minute > 59 {
        return Err(invalid());
    }
    // 12am is the start of the day, 12pm noon; 1pm to 11pm are 13:00 to 23:00.
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (hour, false) => hour,
        (hour, true) => hour + 12,
    };
    Time::new(hour, minute, 0, 0).map_err(|_| invalid())
}

/// The words that end a day-of-the-month phrase written the everyday way round:
/// `the last friday of every month` is `monthly on the last friday`.
const OF_EVERY_MONTH: &[&str] = &[" of the month", " of every month", " of each month"];

fn parse_rule(body: &str, week_start: Weekday) -> Result<Rule, CadenceError> {
    if let Some(day) = OF_EVERY_MONTH
        .iter()
        .find_map(|suffix| body.strip_suffix(suffix))
    {
        let words: Vec<&str> = day.split(' ').collect();
        return Ok(monthly(1, None, parse_month_day(&words)?));
    }
    let words: Vec<&str> = body.split(' ').collect();
    match words.as_slice() {
        ["daily"] | ["every", "day"] => Ok(Rule::Daily),
        ["workdays"] | ["every" | "each", "workday"] => Ok(Rule::Workdays),
        // Monday to Friday whatever the catalog's work days: `workdays` is the one that
        // follows them (and skips holidays).
        ["every", "weekday"] => Ok(Rule::Weekly {
            interval: 1,
            days: WeekdaySet::MONDAY_TO_FRIDAY,
        }),
        ["every", first, ..] if parse_weekday(first.trim_end_matches(',')).is_some() => {
            Ok(Rule::Weekly {
                interval: 1,
                days: parse_days(&words[1..])?,
            })
        }
        ["biweekly" | "fortnightly", "on", days @ ..]
        | ["every", "other", "week", "on", days @ ..] => Ok(Rule::Weekly {
            interval: 2,
            days: parse_days(days)?,
        }),
        ["every", "other", first, ..] if parse_weekday(first.trim_end_matches(',')).is_some() => {
            Ok(Rule::Weekly {
                interval: 2,
                days: parse_days(&words[2..])?,
            })
        }
        ["semiannually" | "semi-annually"] => Ok(monthly(6, None, MonthDay::Day(1))),
        ["semiannually" | "semi-annually", "on", rest @ ..] => {
            Ok(monthly(6, None, parse_month_day(rest)?))
        }
        ["weekly"] | ["every", "week"] => Ok(Rule::Weekly {
            interval: 1,
            days: WeekdaySet::single(week_start),
        }),
        ["weekly", "on", days @ ..] | ["every", "week", "on", days @ ..] => Ok(Rule::Weekly {
            interval: 1,
            days: parse_days(days)?,
        }),
        ["monthly"] | ["every", "month"] => Ok(monthly(1, None, MonthDay::Day(1))),
        ["monthly", "on", rest @ ..] | ["every", "month", "on", rest @ ..] => {
            Ok(monthly(1, None, parse_month_day(rest)?))
        }
        ["quarterly"] => Ok(monthly(3, Some(1), MonthDay::Day(1))),
        ["quarterly", "on", rest @ ..] => Ok(monthly(3, Some(1), parse_month_day(rest)?)),
        ["yearly" | "annually"] => Ok(monthly(12, Some(1), MonthDay::Day(1))),
        ["yearly" | "annually", "on", date] => parse_yearly(date),
        ["every", "other", "week"] => Err(CadenceError::new(
            "`every other week` needs the day it falls on",
        )
        .hint(
            "e.g. `every other week on friday` (every 2 weeks, counted from the task's `start`)",
        )),
        ["every", n, unit, rest @ ..] => parse_every(n, unit, rest, week_start),
        _ => Err(CadenceError::new(format!(
            "`{body}` is not a cadence socctl understands"
        ))),
    }
}

fn monthly(interval: u32, first_month: Option<i8>, day: MonthDay) -> Rule {
    Rule::Monthly {
        interval,
        first_month,
        day,
    }
}

fn parse_every(
    n: &str,
    unit: &str,
    rest: &[&str],
    week_start: Weekday,
) -> Result<Rule, CadenceError> {
    let count: u32 = n
        .parse()
        .ok()
        .filter(|count| (1..=10_000).contains(count))
        .ok_or_else(|| {
            CadenceError::new(format!("`{n}` is not a count from 1 to 10000"))
                .hint("e.g. `every 2 weeks on monday`")
        })?;
    match (unit, rest) {
        ("day" | "days", []) => Ok(Rule::EveryDays(count)),
        ("week" | "weeks", []) => Ok(Rule::Weekly {
            interval: count,
            days: WeekdaySet::single(week_start),
        }),
        ("week" | "weeks", ["on", days @ ..]) => Ok(Rule::Weekly {
            interval: count,
            days: parse_days(days)?,
        }),
        ("month" | "months", []) => Ok(monthly(count, None, MonthDay::Day(1))),
        ("month" | "months", ["on", day @ ..]) => Ok(monthly(count, None, parse_month_day(day)?)),
        _ => Err(CadenceError::new(format!(
            "`every {n} {unit}` must be followed by days, weeks or months"
        ))
        .hint("e.g. `every 3 days`, `every 2 weeks on monday`, `every 6 months on day 1`")),
    }
}

fn parse_days(words: &[&str]) -> Result<WeekdaySet, CadenceError> {
    let mut days = WeekdaySet::empty();
    for word in words
        .iter()
        .flat_map(|w| w.split(','))
        .filter(|w| !w.is_empty() && *w != "and")
    {
        let day = parse_weekday(word).ok_or_else(|| {
            CadenceError::new(format!("`{word}` is not a day of the week"))
                .hint("use monday … sunday or mon … sun")
        })?;
        days.insert(day);
    }
    if days.is_empty() {
        return Err(CadenceError::new("`on` needs at least one day of the week")
            .hint("e.g. `weekly on friday`"));
    }
    Ok(days)
}

fn parse_month_day(words: &[&str]) -> Result<MonthDay, CadenceError> {
    let words: Vec<&str> = match words {
        ["the", rest @ ..] => rest.to_vec(),
        other => other.to_vec(),
    };
    match words.as_slice() {
        ["day", n] => parse_day_number(n),
        ["last", "day"] => Ok(MonthDay::LastDay),
        ["first", "workday"] => Ok(MonthDay::FirstWorkday),
        ["last", "workday"] => Ok(MonthDay::LastWorkday),
        [ordinal, weekday] => {
            let ordinal = parse_ordinal(ordinal)?;
            let day = parse_weekday(weekday).ok_or_else(|| {
                CadenceError::new(format!("`{weekday}` is not a day of the week"))
            })?;
            Ok(MonthDay::Weekday(ordinal, day))
        }
        [n] => parse_day_number(n.trim_end_matches(|c: char| c.is_ascii_alphabetic())),
        _ => Err(
            CadenceError::new(format!("`{}` is not a day of the month", words.join(" ")))
                .hint("use `day 15`, `the last day`, `the first monday` or `the last workday`"),
        ),
    }
}

fn parse_day_number(text: &str) -> Result<MonthDay, CadenceError> {
    match text.parse::<i8>() {
        Ok(day @ 1..=31) => Ok(MonthDay::Day(day)),
        _ => Err(
            CadenceError::new(format!("`{text}` is not a day of the month (1 to 31)"))
                .hint("for the end of the month write `the last day`"),
        ),
    }
}

fn parse_ordinal(text: &str) -> Result<Ordinal, CadenceError> {
    Ok(match text {
        "first" | "1st" => Ordinal::Nth(1),
        "second" | "2nd" => Ordinal::Nth(2),
        "third" | "3rd" => Ordinal::Nth(3),
        "fourth" | "4th" => Ordinal::Nth(4),
        "fifth" | "5th" => Ordinal::Nth(5),
        "last" => Ordinal::Last,
        _ => {
            return Err(CadenceError::new(format!(
                "`{text}` is not first, second, third, fourth, fifth or last"
            )));
        }
    })
}

fn parse_yearly(text: &str) -> Result<Rule, CadenceError> {
    let invalid = || {
        CadenceError::new(format!("`{text}` is not a day of the year"))
            .hint("write it as MM-DD, e.g. `yearly on 03-31`")
    };
    let (month, day) = text.split_once('-').ok_or_else(invalid)?;
    let month: i8 = month.parse().map_err(|_| invalid())?;
    let day: i8 = day.parse().map_err(|_| invalid())?;
    if !(1..=12).contains(&month) {
        return Err(invalid());
    }
    // 2024 is a leap year, so this accepts 02-29 and rejects only days no year has.
    let longest = jiff::civil::Date::new(2024, month, 1)
        .map_err(|_| invalid())?
        .days_in_month();
    if !(1..=longest).contains(&day) {
        return Err(CadenceError::new(format!(
            "`{text}` does not exist: {} has {longest} days",
            super::rule::month_name(month)
        )));
    }
    Ok(monthly(12, Some(month), MonthDay::Day(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        parse(text, Weekday::Monday)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    #[test]
    fn crontab_years_after_5000_are_refused_with_the_fix() {
        for expression in [
            "cron: 0 0 9 1 1 * 7000",
            "cron: 0 0 9 1 1 * 2026-6000",
            "cron: 0 0 9 1 1 * 2026,5001",
        ] {
            let error = parse(expression, Weekday::Monday).unwrap_err().to_string();
            assert!(error.contains("goes up to 5000"), "{expression}: {error}");
            assert!(!error.contains("Component error"), "{expression}: {error}");
        }
        for expression in ["cron: 0 0 9 1 1 * 5000", "cron: 0 0 9 1 1 * 2026-2030/2"] {
            assert!(parse(expression, Weekday::Monday).is_ok(), "{expression}");
        }
        assert_eq!(year_beyond_cron_calendar("0 9 * * 1"), None);
        assert_eq!(year_beyond_cron_calendar("0 0 9 * * 1 */9000"), None);
    }

    #[test]
    fn whether_a_cadence_names_a_day_is_kept_beside_the_canonical_form() {
        // (as written, canonical spelling, names a day or a time)
        let cases = [
            ("daily", "daily", false),
            ("every day", "daily", false),
            ("weekly", "weekly on monday", false),
            ("every week", "weekly on monday", false),
            ("weekly on monday", "weekly on monday", true),
            ("every 2 weeks", "every 2 weeks on monday", false),
            ("every 2 weeks on friday", "every 2 weeks on friday", true),
            ("monthly", "monthly on day 1", false),
            ("monthly on day 1", "monthly on day 1", true),
            ("every 3 months", "every 3 months on day 1", false),
            ("quarterly", "quarterly on day 1", false),
            ("yearly", "yearly on 01-01", false),
            ("yearly on 01-01", "yearly on 01-01", true),
            ("every 10 days", "every 10 days", false),
            ("every 7 days after done", "every 7 days after done", false),
            ("workdays", "workdays", true),
            (
                "monthly on the last workday",
                "monthly on the last workday",
                true,
            ),
            (
                "monthly on the 2nd tuesday",
                "monthly on the second tuesday",
                true,
            ),
            ("weekly at 09:00", "weekly on monday at 09:00", true),
            ("cron: 0 9 * * 1", "cron: 0 9 * * 1", true),
            ("as needed", "as needed", false),
            (
                "weekly and as needed",
                "weekly on monday and as needed",
                false,
            ),
        ];
        for (text, spelled, names_day) in cases {
            let cadence = parse(text, Weekday::Monday).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(cadence.to_string(), spelled, "{text}");
            assert_eq!(cadence.names_day, names_day, "{text}");
        }
    }

    #[test]
    fn canonical_forms() {
        let cases = [
            ("daily", "daily"),
            ("Daily", "daily"),
            ("WORKDAYS", "workdays"),
            ("weekly", "weekly on monday"),
            ("Weekly", "weekly on monday"),
            ("weekly on friday", "weekly on friday"),
            ("weekly on Thu, mon", "weekly on monday, thursday"),
            ("weekly on tuesday and friday", "weekly on tuesday, friday"),
            ("every 2 weeks on monday", "every 2 weeks on monday"),
            ("every 3 days", "every 3 days"),
            ("Every 7 days after done", "every 7 days after done"),
            ("monthly", "monthly on day 1"),
            ("monthly on day 15", "monthly on day 15"),
            ("monthly on the 15th", "monthly on day 15"),
            ("monthly on the last day", "monthly on the last day"),
            ("monthly on the first monday", "monthly on the first monday"),
            ("monthly on the last workday", "monthly on the last workday"),
            ("quarterly", "quarterly on day 1"),
            ("yearly on 03-31", "yearly on 03-31"),
            ("every 6 months on day 1", "every 6 months on day 1"),
            ("as needed", "as needed"),
            ("As needed", "as needed"),
            ("Weekly and as needed", "weekly on monday and as needed"),
            ("Monthly and as needed", "monthly on day 1 and as needed"),
            ("daily at 09:30", "daily at 09:30"),
            ("cron:   0 9  * * 1-5", "cron: 0 9 * * 1-5"),
            (
                "Cron: 0 9 * * MON-FRI and as needed",
                "cron: 0 9 * * mon-fri and as needed",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(canonical(input), expected, "{input}");
        }
    }

    /// The everyday spellings of issue 13 and the canonical form each one is.
    const SYNONYMS: &[(&str, &str)] = &[
        ("every monday", "weekly on monday"),
        ("Every Monday", "weekly on monday"),
        ("every mondays", "weekly on monday"),
        ("every mon, thu", "weekly on monday, thursday"),
        ("every tuesday and friday", "weekly on tuesday, friday"),
        (
            "every weekday",
            "weekly on monday, tuesday, wednesday, thursday, friday",
        ),
        (
            "EVERY WEEKDAY",
            "weekly on monday, tuesday, wednesday, thursday, friday",
        ),
        ("biweekly on friday", "every 2 weeks on friday"),
        ("Biweekly on Fri", "every 2 weeks on friday"),
        ("every other week on friday", "every 2 weeks on friday"),
        ("fortnightly on friday", "every 2 weeks on friday"),
        (
            "fortnightly on mon, thu",
            "every 2 weeks on monday, thursday",
        ),
        ("every other friday", "every 2 weeks on friday"),
        ("first monday of the month", "monthly on the first monday"),
        (
            "the first monday of the month",
            "monthly on the first monday",
        ),
        (
            "the last friday of every month",
            "monthly on the last friday",
        ),
        (
            "The Last Friday of Each Month",
            "monthly on the last friday",
        ),
        (
            "the 2nd tuesday of every month",
            "monthly on the second tuesday",
        ),
        ("the last day of the month", "monthly on the last day"),
        (
            "the last workday of the month",
            "monthly on the last workday",
        ),
        ("the 15th of every month", "monthly on day 15"),
        ("daily at 9am", "daily at 09:00"),
        ("daily at 9 am", "daily at 09:00"),
        ("daily at 9:30 pm", "daily at 21:30"),
        ("daily at 9:30PM", "daily at 21:30"),
        ("daily at 12am", "daily at 00:00"),
        ("daily at 12:05 am", "daily at 00:05"),
        ("daily at 12pm", "daily at 12:00"),
        ("daily at 12:59pm", "daily at 12:59"),
        ("daily at 1pm", "daily at 13:00"),
        ("daily at 11:59 pm", "daily at 23:59"),
        ("every monday at 7am", "weekly on monday at 07:00"),
        (
            "the last friday of every month at 4:30 pm",
            "monthly on the last friday at 16:30",
        ),
        (
            "fortnightly on friday at 9am and as needed",
            "every 2 weeks on friday at 09:00 and as needed",
        ),
        ("annually on 03-31", "yearly on 03-31"),
        ("Annually on 03-31", "yearly on 03-31"),
        ("semiannually", "every 6 months on day 1"),
        ("Semi-annually", "every 6 months on day 1"),
        ("semiannually on day 15", "every 6 months on day 15"),
        (
            "semiannually on the last workday",
            "every 6 months on the last workday",
        ),
        ("every 6 months", "every 6 months on day 1"),
    ];

    #[test]
    fn everyday_spellings_print_as_their_canonical_form() {
        for &(synonym, expected) in SYNONYMS {
            assert_eq!(canonical(synonym), expected, "{synonym}");
            // The canonical form is itself accepted and stays as it is.
            assert_eq!(canonical(expected), expected, "{expected}");
        }
    }

    #[test]
    fn everyday_spellings_name_a_day_as_their_canonical_form_does() {
        // `semiannually` and `every 6 months` name only a period, like `monthly`; the
        // others name a day or a time.
        for &(synonym, expected) in SYNONYMS {
            let names_day = parse(synonym, Weekday::Monday).unwrap().names_day;
            let period_only =
                matches!(synonym, "semiannually" | "Semi-annually" | "every 6 months");
            assert_eq!(names_day, !period_only, "{synonym}");
            if !period_only {
                assert_eq!(
                    parse(expected, Weekday::Monday).unwrap().names_day,
                    names_day,
                    "{expected}"
                );
            }
        }
    }

    #[test]
    fn every_weekday_is_monday_to_friday_whatever_the_week_start() {
        assert_eq!(
            parse("every weekday", Weekday::Sunday).unwrap().to_string(),
            "weekly on monday, tuesday, wednesday, thursday, friday"
        );
    }

    #[test]
    fn twelve_hour_times_outside_the_clock_are_refused() {
        for time in [
            "13pm", "0am", "00am", "12:60pm", "9:5am", "9:300am", "9.30pm", "am", "pm", "-1pm",
            "9:30 p", "123am",
        ] {
            let error = parse(&format!("daily at {time}"), Weekday::Monday).expect_err(time);
            assert_eq!(
                error.message,
                format!("`{time}` is not a time of day"),
                "{time}"
            );
            assert!(error.hint.is_some(), "{time}");
        }
        let error = parse("daily at 13pm", Weekday::Monday).unwrap_err();
        assert!(
            error.hint.unwrap().contains("hours 1 to 12"),
            "the hint says what a 12-hour time is"
        );
    }

    #[test]
    fn a_fortnight_needs_its_day() {
        let error = parse("every other week", Weekday::Monday).unwrap_err();
        assert_eq!(
            error.message,
            "`every other week` needs the day it falls on"
        );
        assert!(error.hint.unwrap().contains("every other week on friday"));
        for text in ["fortnightly", "biweekly"] {
            let error = parse(text, Weekday::Monday).unwrap_err();
            assert_eq!(
                error.message,
                format!("`{text}` is not a cadence socctl understands")
            );
        }
        let error = parse("the sixth monday of the month", Weekday::Monday).unwrap_err();
        assert_eq!(
            error.message,
            "`sixth` is not first, second, third, fourth, fifth or last"
        );
    }

    #[test]
    fn the_accepted_forms_list_every_everyday_spelling() {
        let forms = ACCEPTED_FORMS.join("\n");
        for spelling in [
            "every monday",
            "every weekday",
            "biweekly on friday",
            "every other week on friday",
            "fortnightly on friday",
            "first monday of the month",
            "the last friday of every month",
            "at 9am",
            "at 9:30 pm",
            "annually on 03-31",
            "semiannually",
            "every 6 months",
        ] {
            assert!(forms.contains(spelling), "{spelling} is not listed");
        }
        // Every example in the list parses (placeholders and `N` aside).
        for form in ACCEPTED_FORMS {
            for example in form.split("  |  ") {
                let example = example.split(" (").next().unwrap();
                if example.contains('<') || example.contains(" N ") || example.starts_with("at ") {
                    continue;
                }
                assert!(parse(example, Weekday::Monday).is_ok(), "{example}");
            }
        }
    }

    #[test]
    fn canonical_form_parses_back_to_itself() {
        for text in [
            "weekly on monday, thursday and as needed",
            "monthly on the fifth friday at 07:00",
            "yearly on 02-29",
        ] {
            let once = canonical(text);
            assert_eq!(canonical(&once), once);
        }
    }

    #[test]
    fn aliases_resolve_whole_phrases_and_the_part_before_as_needed() {
        let aliases = BTreeMap::from([("Weekly SOC".to_owned(), "weekly on friday".to_owned())]);
        let parsed = parse_with_aliases("weekly  soc", Weekday::Monday, &aliases).unwrap();
        assert_eq!(parsed.to_string(), "weekly on friday");
        let parsed =
            parse_with_aliases("Weekly SOC and as needed", Weekday::Monday, &aliases).unwrap();
        assert_eq!(parsed.to_string(), "weekly on friday and as needed");
    }

    #[test]
    fn weekly_uses_the_week_start() {
        assert_eq!(
            parse("weekly", Weekday::Sunday).unwrap().to_string(),
            "weekly on sunday"
        );
    }

    #[test]
    fn errors_name_the_problem() {
        let cases = [
            ("", "the cadence is empty"),
            (
                "fortnightly",
                "`fortnightly` is not a cadence socctl understands",
            ),
            (
                "monthly on day 32",
                "`32` is not a day of the month (1 to 31)",
            ),
            (
                "monthly on day 0",
                "`0` is not a day of the month (1 to 31)",
            ),
            (
                "yearly on 02-30",
                "`02-30` does not exist: february has 29 days",
            ),
            ("yearly on 13-01", "`13-01` is not a day of the year"),
            ("weekly on funday", "`funday` is not a day of the week"),
            ("every 0 days", "`0` is not a count from 1 to 10000"),
            ("daily at 25:00", "`25:00` is not a time of day"),
            ("cron:", "`cron:` needs a crontab expression"),
        ];
        for (input, message) in cases {
            let error = parse(input, Weekday::Monday).expect_err(input);
            assert_eq!(error.message, message, "{input}");
        }
        let error = parse("cron: * * * * * *", Weekday::Monday).unwrap_err();
        assert_eq!(
            error.message,
            "the seconds field of `* * * * * *` is `*`, which fires more than once a minute"
        );
        assert_eq!(
            error.hint.as_deref(),
            Some(
                "socctl schedules work by the day, not by the second: write one second (`0 * * * * *`) or drop the seconds field and write 5 fields"
            )
        );
        // Several times a minute is refused too; one fixed second is an ordinary rule.
        for sub_minute in ["*/10 0 9 * * *", "0,30 0 9 * * 1-5", "0-59 0 9 * * * 2030"] {
            assert!(
                parse(&format!("cron: {sub_minute}"), Weekday::Monday).is_err(),
                "{sub_minute}"
            );
        }
        assert_eq!(canonical("cron: 30 0 9 * * *"), "cron: 30 0 9 * * *");
        // Found by the cadence_parse fuzz target: an empty minute field (`,`) never fires,
        // and proving that walked every hour up to the year 9999, for seconds per call.
        let error = parse("cron:9 , 17 * * 04-5", Weekday::Monday).unwrap_err();
        assert_eq!(
            error.message,
            "the minute field of `9 , 17 * * 04-5` matches no value, so the rule never fires"
        );
        for empty in ["cron: , 0 9 * * *", "cron: 0 , * * *", "cron: 0 0 , * * *"] {
            let error = parse(empty, Weekday::Monday).unwrap_err();
            assert!(
                error
                    .message
                    .ends_with("matches no value, so the rule never fires"),
                "{empty}"
            );
        }
        let error = parse("cron: 61 * * * *", Weekday::Monday).unwrap_err();
        assert!(
            error
                .message
                .starts_with("`61 * * * *` is not a valid crontab expression"),
            "{}",
            error.message
        );
    }
}
