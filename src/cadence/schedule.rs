//! A rule placed in a calendar: anchor, shift and time zone applied, dates produced lazily.

use jiff::civil::{Date, Time};

use super::rule::Rule;
use crate::calendar::{Calendar, Shift, add_days};

/// A rule together with what a task adds to it (anchor, time of day, shift) and the
/// catalog's calendar: everything needed to list its dates.
#[derive(Debug, Clone, Copy)]
pub struct Schedule<'a> {
    /// The rule producing raw dates.
    pub rule: &'a Rule,
    /// A time of day for structured rules (`at HH:MM`); cron rules carry their own.
    pub at: Option<Time>,
    /// The first date the task can fall on, and the anchor of "every N" rules.
    pub start: Option<Date>,
    /// What happens to a date that is not a work day.
    pub shift: Shift,
    /// Work days, holidays, week start and time zone.
    pub calendar: &'a Calendar,
}

/// One date a schedule falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// The due date, after any shift.
    pub date: Date,
    /// The wall-clock time it is due, in the catalog's time zone, when the cadence has one.
    pub time: Option<Time>,
}

impl<'a> Schedule<'a> {
    /// The schedule's occurrences on or after `from`, in date order, without end.
    ///
    /// ```
    /// use jiff::civil::{Weekday, date};
    /// use socctl::cadence::{Schedule, parse};
    /// use socctl::calendar::{Calendar, Shift};
    ///
    /// let cadence = parse("monthly on day 31", Weekday::Monday).unwrap();
    /// let calendar = Calendar::default();
    /// let schedule = Schedule {
    ///     rule: cadence.rule.as_ref().unwrap(),
    ///     at: None,
    ///     start: None,
    ///     shift: Shift::None,
    ///     calendar: &calendar,
    /// };
    /// let dates: Vec<_> = schedule.occurrences_from(date(2028, 1, 1)).take(3).map(|o| o.date).collect();
    /// // Short months fall on their last day: 2028 is a leap year.
    /// assert_eq!(dates, [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]);
    /// ```
    pub fn occurrences_from(&self, from: Date) -> Occurrences<'a> {
        // A date before `from` may shift forward into it: start from the first of the
        // non-work days just before `from`.
        let cursor = match self.shift {
            Shift::NextWorkday => add_days(from, -self.calendar.non_workdays_before(from)),
            Shift::None | Shift::PreviousWorkday => Some(from),
        };
        let mut schedule = *self;
        // An "every N" rule without a start counts from where the listing starts, once,
        // rather than from wherever each step happens to look.
        if schedule.start.is_none() && schedule.rule.needs_anchor() {
            schedule.start = Some(from);
        }
        Occurrences {
            schedule,
            cursor,
            from,
            last: None,
        }
    }

    /// The first occurrence on or after `from`.
    pub fn first_on_or_after(&self, from: Date) -> Option<Occurrence> {
        self.occurrences_from(from).next()
    }

    /// The last occurrence on or before `date`: the one whose window contains `date`.
    ///
    /// Looks back over growing spans (a day, then four times as far each step), so a daily
    /// rule costs one step and a yearly one a handful.
    pub fn last_on_or_before(&self, date: Date) -> Option<Occurrence> {
        let mut span: i64 = 1;
        loop {
            let from = add_days(date, -span).unwrap_or(crate::calendar::FIRST_DATE);
            let last = self
                .occurrences_from(from)
                .take_while(|o| o.date <= date)
                .last();
            if last.is_some() || from == crate::calendar::FIRST_DATE {
                return last;
            }
            span = span.saturating_mul(4);
        }
    }

    /// The wall-clock time an occurrence on `date` is due: the written time, moved past a
    /// daylight-saving gap the way cron moves a job (02:30 on a spring-forward night
    /// becomes 03:30).
    fn time_on(&self, date: Date, time: Option<Time>) -> Option<Time> {
        let time = time.or(self.at)?;
        let zone = &self.calendar.time_zone;
        let resolved = zone
            .to_ambiguous_zoned(date.to_datetime(time))
            .compatible()
            .map_or(time, |zoned| zoned.time());
        Some(resolved)
    }
}

/// The lazily computed occurrences of a [`Schedule`]; see [`Schedule::occurrences_from`].
#[derive(Debug, Clone)]
pub struct Occurrences<'a> {
    schedule: Schedule<'a>,
    cursor: Option<Date>,
    from: Date,
    last: Option<Date>,
}

impl Iterator for Occurrences<'_> {
    type Item = Occurrence;

    fn next(&mut self) -> Option<Occurrence> {
        let schedule = self.schedule;
        loop {
            let cursor = self.cursor?;
            let Some((raw, time)) =
                schedule
                    .rule
                    .first_on_or_after(cursor, schedule.start, schedule.calendar)
            else {
                self.cursor = None;
                return None;
            };
            self.cursor = add_days(raw, 1);
            let Some(date) = schedule.calendar.shift(raw, schedule.shift) else {
                // No work day within reach of this date: the calendar has none left.
                self.cursor = None;
                return None;
            };
            // Shifts never reorder dates, but can merge them (Saturday and Sunday both move
            // to Monday): keep one. A previous-workday shift must not reach before `start`.
            let before_start = schedule.start.is_some_and(|start| date < start);
            if date < self.from || before_start || self.last == Some(date) {
                continue;
            }
            self.last = Some(date);
            return Some(Occurrence {
                date,
                time: schedule.time_on(date, time),
            });
        }
    }
}
