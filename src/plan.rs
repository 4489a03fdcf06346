//! What is due: a catalog's occurrences in a date range, as plain data ready to render.

use jiff::civil::{Date, Time};

use crate::calendar::{add_days, days_between};
use crate::catalog::Catalog;

/// The longest range `plan` computes, in days (a century).
pub const MAX_RANGE_DAYS: i64 = 36_525;

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The range ends before it starts.
    #[error("the range ends ({to}) before it starts ({from})")]
    Reversed {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
    },
    /// The range is longer than [`MAX_RANGE_DAYS`].
    #[error(
        "the range {from} to {to} is {days} days; socctl plans at most {MAX_RANGE_DAYS} days (100 years) at once"
    )]
    TooLong {
        /// First day.
        from: Date,
        /// Last day.
        to: Date,
        /// Length in days.
        days: i64,
    },
}

/// What a plan covers and which teams it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// One day.
    Day,
    /// One week, grouped by day.
    Week,
    /// An arbitrary range.
    Range,
}

/// One occurrence of a task, with everything a renderer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedOccurrence {
    /// Index into [`Catalog::tasks`].
    pub task: usize,
    /// The due date.
    pub date: Date,
    /// The due time, when the cadence has one.
    pub time: Option<Time>,
    /// The day the next occurrence is due (exclusive end of this one's window), if any.
    pub window_end: Option<Date>,
}

/// The occurrences of a catalog's tasks in a date range, sorted by date, time, team and task.
#[derive(Debug, Clone)]
pub struct Plan {
    /// First day, inclusive.
    pub from: Date,
    /// Last day, inclusive.
    pub to: Date,
    /// How the range was chosen (decides grouping when rendered).
    pub view: View,
    /// The teams the plan is for (indexes into [`Catalog::teams`]), in catalog order.
    pub teams: Vec<usize>,
    /// The occurrences.
    pub occurrences: Vec<PlannedOccurrence>,
}

/// Computes every occurrence in `from..=to` of the tasks owned by any of `teams`.
pub fn plan(
    catalog: &Catalog,
    from: Date,
    to: Date,
    teams: &[usize],
    view: View,
) -> Result<Plan, PlanError> {
    if to < from {
        return Err(PlanError::Reversed { from, to });
    }
    let days = days_between(from, to) + 1;
    if days > MAX_RANGE_DAYS {
        return Err(PlanError::TooLong { from, to, days });
    }
    let mut occurrences = Vec::new();
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|team| teams.contains(team)) {
            continue;
        }
        let Some(schedule) = task.schedule(&catalog.calendar) else {
            continue;
        };
        let mut upcoming = schedule.occurrences_from(from).peekable();
        while let Some(occurrence) = upcoming.next_if(|o| o.date <= to) {
            let window_end = upcoming.peek().map(|next| next.date);
            occurrences.push(PlannedOccurrence {
                task: index,
                date: occurrence.date,
                time: occurrence.time,
                window_end,
            });
        }
    }
    // Rank tasks by (first team, id) once, so sorting compares integers, not strings.
    let mut ranked: Vec<usize> = (0..catalog.tasks.len()).collect();
    ranked.sort_by_key(|&t| {
        (
            catalog.tasks[t].teams.first().copied(),
            &catalog.tasks[t].id,
        )
    });
    let mut rank = vec![0_u32; ranked.len()];
    for (position, task) in ranked.into_iter().enumerate() {
        rank[task] = position as u32;
    }
    // One integer per occurrence: date, then time (all-day first), then task rank.
    let key = |o: &PlannedOccurrence| {
        let day = u128::from(crate::calendar::day_number(o.date).cast_unsigned());
        let minute = o.time.map_or(0, |t| {
            1 + u128::from(t.hour().unsigned_abs()) * 60 + u128::from(t.minute().unsigned_abs())
        });
        // Flip the sign bit so that earlier (negative) day numbers sort first.
        ((day ^ 0x8000_0000) << 64) | (minute << 32) | u128::from(rank[o.task])
    };
    occurrences.sort_by_cached_key(key);
    Ok(Plan {
        from,
        to,
        view,
        teams: teams.to_vec(),
        occurrences,
    })
}

/// The seven days of the week that contains `date`, in the catalog's week numbering.
pub fn week_of(catalog: &Catalog, date: Date) -> (Date, Date) {
    let start = catalog.calendar.start_of_week(date);
    (
        start,
        add_days(start, 6).unwrap_or(crate::calendar::LAST_DATE),
    )
}
