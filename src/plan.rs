//! What is due: a catalog's occurrences in a date range, as plain data ready to render.

use jiff::civil::{Date, Time};
use serde::Serialize;

use crate::cadence::{Rule, Schedule};
use crate::calendar::{add_days, days_between};
use crate::catalog::Catalog;
use crate::journal::Record;

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

/// Where an occurrence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Due later.
    Upcoming,
    /// Its window contains today and it is not done.
    Open,
    /// Done.
    Done,
    /// Deliberately not done.
    Skipped,
    /// Its window has passed and it was neither done nor skipped.
    Overdue,
    /// Triggered "as needed" work, not done yet.
    Triggered,
}

impl Status {
    /// The lowercase name shown in tables and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Done => "done",
            Self::Skipped => "skipped",
            Self::Overdue => "overdue",
            Self::Triggered => "triggered",
        }
    }

    /// Whether the occurrence still needs doing.
    pub fn is_outstanding(self) -> bool {
        matches!(self, Self::Open | Self::Overdue | Self::Triggered)
    }
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
    /// Where it stands in the journal; `None` without a journal.
    pub status: Option<Status>,
    /// The `done` or `skipped` record that settled it.
    pub settled_by: Option<Box<Record>>,
    /// For a task of several teams, once the journal is applied: the one team whose
    /// obligation this is (the plan then holds one occurrence per team). `None`: every team
    /// of the task.
    pub team: Option<usize>,
}

/// Outstanding work from before the plan's range, shown at the top: an occurrence still
/// open, triggered work not done, or a run of consecutive overdue occurrences of one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    /// Index into [`Catalog::tasks`].
    pub task: usize,
    /// Open, triggered or overdue.
    pub status: Status,
    /// The first occurrence's due date.
    pub since: Date,
    /// The last occurrence's due date.
    pub last: Date,
    /// How many occurrences (more than one only for overdue runs).
    pub count: usize,
    /// When the (first) occurrence's deadline passed, or passes for open work (civil, in
    /// the catalog's time zone).
    pub deadline: Option<jiff::civil::DateTime>,
    /// For a task of several teams: the one team whose work this is; `None`: every team.
    pub team: Option<usize>,
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
    /// Whether statuses come from a journal.
    pub tracked: bool,
    /// Outstanding work from before `from` (empty without a journal).
    pub carried: Vec<Carried>,
}

/// Checks that `from..=to` is a range socctl plans: not reversed, at most a century.
pub fn check_range(from: Date, to: Date) -> Result<(), PlanError> {
    if to < from {
        return Err(PlanError::Reversed { from, to });
    }
    let days = days_between(from, to) + 1;
    if days > MAX_RANGE_DAYS {
        return Err(PlanError::TooLong { from, to, days });
    }
    Ok(())
}

/// Computes every occurrence in `from..=to` of the tasks owned by any of `teams`.
pub fn plan(
    catalog: &Catalog,
    from: Date,
    to: Date,
    teams: &[usize],
    view: View,
) -> Result<Plan, PlanError> {
    check_range(from, to)?;
    let mut occurrences = Vec::new();
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|team| teams.contains(team)) {
            continue;
        }
        // Teams in calendars of their own each have their own occurrences.
        let owners: Vec<Option<usize>> = if catalog.splits(task) {
            task.teams
                .iter()
                .copied()
                .filter(|team| teams.contains(team))
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        for team in owners {
            let Some(schedule) = task.schedule(catalog.task_calendar(task, team)) else {
                continue;
            };
            let mut upcoming = schedule.occurrences_from(from).peekable();
            while let Some(occurrence) = upcoming.next_if(|o| o.date <= to) {
                let window_end = upcoming.peek().map(|next| next.date);
                occurrences.push(PlannedOccurrence {
                    status: None,
                    settled_by: None,
                    task: index,
                    date: occurrence.date,
                    time: occurrence.time,
                    window_end,
                    team,
                });
            }
        }
    }
    sort_occurrences(catalog, &mut occurrences);
    Ok(Plan {
        from,
        to,
        view,
        teams: teams.to_vec(),
        occurrences,
        tracked: false,
        carried: Vec::new(),
    })
}

/// Computes the occurrences of `from..=to` for the tasks of `teams` a day at a time and
/// hands each day's, sorted as [`plan`] sorts them, to `emit`: the same occurrences as
/// [`plan`] gives, in the same order, while memory stays proportional to the catalog rather
/// than to the range (a year of a 100,000-task catalog is 11 million occurrences).
///
/// Each task's next occurrence waits in the bucket of its day, so a day costs only the
/// tasks due on it. The range must be one [`check_range`] accepts.
pub fn stream<E>(
    catalog: &Catalog,
    from: Date,
    to: Date,
    teams: &[usize],
    mut emit: impl FnMut(&[PlannedOccurrence]) -> Result<(), E>,
) -> Result<(), E> {
    if catalog.has_team_calendars() {
        // Teams with calendars of their own: the whole plan, handed out a day at a time
        // (such a catalog is a SOC's few teams, not a generated 100,000-task one).
        let Ok(whole) = plan(catalog, from, to, teams, View::Range) else {
            return Ok(());
        };
        let mut rest = whole.occurrences.as_slice();
        let mut day = from;
        loop {
            let count = rest.iter().take_while(|o| o.date == day).count();
            emit(&rest[..count])?;
            rest = &rest[count..];
            match add_days(day, 1).filter(|next| *next <= to) {
                Some(next) => day = next,
                None => return Ok(()),
            }
        }
    }
    let mut occurrences = Vec::new();
    stream_entries(catalog, from, to, teams, |day| {
        occurrences.clear();
        occurrences.extend(day.entries.iter().map(|&entry| day.occurrence(entry)));
        emit(&occurrences)
    })
}

/// One occurrence of a day handed out by [`stream_entries`]: its task, by its place in
/// the output order ([`Day::tasks`]), and the group of tasks whose dates it shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Index into [`Day::tasks`]: tasks in output order (first team, then id).
    pub(crate) position: u32,
    /// Index into [`Day::current`].
    pub(crate) group: u32,
}

/// What a group's occurrence on the day has beyond its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Current {
    /// The due time, when the cadence has one.
    pub(crate) time: Option<Time>,
    /// The day the next occurrence is due, if any.
    pub(crate) window_end: Option<Date>,
}

/// A day of [`stream_entries`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Day<'a> {
    /// The date of every entry.
    pub(crate) date: Date,
    /// The day's occurrences, in the order [`plan`] sorts them.
    pub(crate) entries: &'a [Entry],
    /// Each group's occurrence on the day (read only for the groups of `entries`).
    pub(crate) current: &'a [Current],
    /// The planned tasks in output order, as indexes into [`Catalog::tasks`]; the same
    /// slice on every day.
    pub(crate) tasks: &'a [usize],
}

impl Day<'_> {
    /// `entry` as a [`PlannedOccurrence`] of no journal (no status, no team of its own).
    pub(crate) fn occurrence(&self, entry: Entry) -> PlannedOccurrence {
        let current = self.current[entry.group as usize];
        PlannedOccurrence {
            task: self.tasks[entry.position as usize],
            date: self.date,
            time: current.time,
            window_end: current.window_end,
            status: None,
            settled_by: None,
            team: None,
        }
    }
}

/// [`stream`] for a catalog without team calendars, with each day's occurrences as
/// [`Entry`]s rather than [`PlannedOccurrence`]s: a day of a 100,000-task catalog is
/// 30,000 of them, and a writer that keeps what it needs of each task by position reads
/// it in memory order. A catalog with team calendars gets no days.
pub(crate) fn stream_entries<E>(
    catalog: &Catalog,
    from: Date,
    to: Date,
    teams: &[usize],
    mut emit: impl FnMut(&Day<'_>) -> Result<(), E>,
) -> Result<(), E> {
    if catalog.has_team_calendars() {
        return Ok(());
    }
    let days = usize::try_from(days_between(from, to) + 1).unwrap_or(0);
    // Tasks in output order (first team, then id): a day's tasks are then visited in
    // memory order, which is what keeps a 100,000-task year fast once it no longer fits in
    // the processor's caches.
    let mut order: Vec<usize> = (0..catalog.tasks.len())
        .filter(|&t| {
            let task = &catalog.tasks[t];
            task.cadence.rule.is_some() && task.teams.iter().any(|team| teams.contains(team))
        })
        .collect();
    sort_in_output_order(catalog, &mut order);
    let groups = Groups::of(catalog, &order, from);
    // Each group's current occurrence and the one after it (the current one's window end),
    // with the iterator that gives the rest; `None` once it has none left in the range.
    let mut state: Vec<Option<GroupState<'_>>> = Vec::with_capacity(groups.count());
    let mut current = vec![Current::default(); groups.count()];
    let mut buckets: Vec<Vec<u32>> = vec![Vec::new(); days];
    for (group, &task) in groups.first_task.iter().enumerate() {
        let task = &catalog.tasks[task];
        let schedule = task.cadence.rule.as_ref().map(|rule| Schedule {
            rule,
            at: task.cadence.at,
            start: task.start,
            shift: task.shift,
            calendar: &catalog.calendar,
        });
        let mut rest = schedule.map(|schedule| schedule.occurrences_from(from));
        let first = rest.as_mut().and_then(Iterator::next);
        state.push(match (first.filter(|o| o.date <= to), rest) {
            (Some(now), Some(mut rest)) => {
                buckets[days_between(from, now.date) as usize].push(group as u32);
                let next = rest.next();
                current[group] = Current {
                    time: now.time,
                    window_end: next.map(|n| n.date),
                };
                Some(GroupState {
                    rest,
                    current: now,
                    next,
                })
            }
            _ => None,
        });
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut timed: Vec<Entry> = Vec::new();
    // A day's positions are visited in increasing order through a bit set, set from the
    // members of the day's groups and read word by word: a day of a 100,000-task catalog
    // has 30,000 of them, which sorting cost more than all the rest of the day's work.
    let mut due = vec![0_u64; order.len().div_ceil(64)];
    let mut date = from;
    for offset in 0..days {
        let today = std::mem::take(&mut buckets[offset]);
        let mut any_timed = false;
        for &group in &today {
            any_timed |= current[group as usize].time.is_some();
            for &position in groups.members(group) {
                due[position as usize / 64] |= 1 << (position % 64);
            }
        }
        for (word_index, word) in due.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                let position = word_index * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                entries.push(Entry {
                    position: position as u32,
                    group: groups.of[position],
                });
            }
        }
        // Already in task order; timed occurrences move after the day's untimed ones, in
        // time order (a stable sort keeps task order within a minute). Only the timed ones
        // are sorted: they are a day's few.
        if any_timed {
            timed.extend(entries.extract_if(.., |e| current[e.group as usize].time.is_some()));
            timed.sort_by_key(|e| {
                current[e.group as usize]
                    .time
                    .map(|t| (t.hour(), t.minute()))
            });
            entries.append(&mut timed);
        }
        emit(&Day {
            date,
            entries: &entries,
            current: &current,
            tasks: &order,
        })?;
        entries.clear();
        for group in today {
            let slot = &mut state[group as usize];
            let Some(now) = slot.as_mut() else {
                continue;
            };
            match now.next.filter(|n| n.date <= to) {
                // Dates only increase, so the next one lands in a later day's bucket.
                Some(next) => {
                    now.current = next;
                    now.next = now.rest.next();
                    current[group as usize] = Current {
                        time: next.time,
                        window_end: now.next.map(|n| n.date),
                    };
                    buckets[days_between(from, next.date) as usize].push(group);
                }
                None => *slot = None,
            }
        }
        if let Some(next) = add_days(date, 1) {
            date = next;
        }
    }
    Ok(())
}

/// Where a group of tasks with the same dates stands in [`stream`].
struct GroupState<'a> {
    /// The occurrences after `next`.
    rest: crate::cadence::Occurrences<'a>,
    /// The occurrence due next, on or before the range's last day.
    current: crate::cadence::Occurrence,
    /// The one after it, whose date ends `current`'s window.
    next: Option<crate::cadence::Occurrence>,
}

/// The tasks of a plan grouped by schedule: tasks whose occurrences in the range are the
/// same dates and times share one group, whose dates are then worked out once. A large
/// catalog says `daily`, `weekly on friday` or `monthly on day 15` thousands of times,
/// and a year of it is millions of occurrences of a few hundred distinct schedules.
struct Groups {
    /// Each position's group.
    of: Vec<u32>,
    /// Each group's first task (an index into [`Catalog::tasks`]), whose schedule is the
    /// group's.
    first_task: Vec<usize>,
    /// Each group's positions, increasing, in `positions[starts[g]..starts[g + 1]]`.
    starts: Vec<u32>,
    positions: Vec<u32>,
}

impl Groups {
    /// Groups the tasks at `order`'s positions by the occurrences they have from `from`.
    ///
    /// Two tasks have the same occurrences when their rules, times of day and shifts are
    /// the same and their starts are the same or make no difference: a start on or before
    /// the first date a listing from `from` looks at, for a rule not counted from it
    /// ([`counts_from_start`]); for a rule counted from it, such starts of the same
    /// [`phase`].
    fn of(catalog: &Catalog, order: &[usize], from: Date) -> Self {
        use crate::calendar::Shift;
        // Where `Schedule::occurrences_from` starts looking: a date before `from` can
        // shift forward into it.
        let looked_from = |shift: Shift| match shift {
            Shift::NextWorkday => add_days(from, -catalog.calendar.non_workdays_before(from)),
            Shift::None | Shift::PreviousWorkday => Some(from),
        };
        let earliest = [
            looked_from(Shift::None),
            looked_from(Shift::NextWorkday),
            looked_from(Shift::PreviousWorkday),
        ];
        let mut index: std::collections::HashMap<Vec<u8>, u32> = std::collections::HashMap::new();
        let mut key = Vec::new();
        let mut of = Vec::with_capacity(order.len());
        let mut first_task = Vec::new();
        for &t in order {
            let task = &catalog.tasks[t];
            let start = task.cadence.rule.as_ref().and_then(|rule| {
                let cursor = earliest[match task.shift {
                    Shift::None => 0,
                    Shift::NextWorkday => 1,
                    Shift::PreviousWorkday => 2,
                }];
                task.start
                    .filter(|start| cursor.is_none_or(|cursor| *start > cursor))
                    .map(Starts::On)
                    .or_else(|| {
                        let start = task.start?;
                        counts_from_start(rule)
                            .then(|| phase(rule, start, &catalog.calendar))
                            .map(|phase| phase.map_or(Starts::On(start), Starts::Phase))
                    })
            });
            key.clear();
            let key_of = (&task.cadence.rule, task.cadence.at, task.shift, start);
            // Serializing into a Vec cannot fail; a failure would only cost sharing.
            key = postcard::to_extend(&key_of, std::mem::take(&mut key)).unwrap_or_default();
            if key.is_empty() {
                key.extend_from_slice(&(t as u64).to_le_bytes());
                key.push(0xff);
            }
            let group = match index.get(key.as_slice()) {
                Some(&group) => group,
                None => {
                    let group = first_task.len() as u32;
                    first_task.push(t);
                    index.insert(key.clone(), group);
                    group
                }
            };
            of.push(group);
        }
        let mut starts = vec![0_u32; first_task.len() + 1];
        for &group in &of {
            starts[group as usize + 1] += 1;
        }
        for g in 0..first_task.len() {
            starts[g + 1] += starts[g];
        }
        let mut filled = starts.clone();
        let mut positions = vec![0_u32; of.len()];
        for (position, &group) in of.iter().enumerate() {
            positions[filled[group as usize] as usize] = position as u32;
            filled[group as usize] += 1;
        }
        Self {
            of,
            first_task,
            starts,
            positions,
        }
    }

    fn count(&self) -> usize {
        self.first_task.len()
    }

    /// The positions of `group`'s tasks, increasing.
    fn members(&self, group: u32) -> &[u32] {
        let group = group as usize;
        &self.positions[self.starts[group] as usize..self.starts[group + 1] as usize]
    }
}

/// What of a task's start its group key holds ([`Groups::of`]).
#[derive(Serialize)]
enum Starts {
    /// The start itself: it lies within the dates looked at, or its phase is not known.
    On(Date),
    /// A start before the dates looked at, of a rule counted from it: only its place in
    /// the rule's cycle matters ([`phase`]).
    Phase(i64),
}

/// Where `start` lies in the cycle of `rule`, a rule counted from it ([`counts_from_start`]):
/// the day modulo n of `every n days`, the week modulo n of `every n weeks`, the month
/// modulo n of `every n months`. A listing that starts after `start` finds the same dates
/// for any two starts of one phase (`Rule::first_on_or_after` uses the start only through
/// these remainders), so a catalog's thousands of `every 2 weeks on monday` tasks, each
/// with its own start, share a handful of groups. `None` for a start whose week begins
/// before the first date (its week is then counted from year 1, not a week start).
fn phase(rule: &Rule, start: Date, calendar: &crate::calendar::Calendar) -> Option<i64> {
    let day = |date: Date| i64::from(crate::calendar::day_number(date));
    match rule {
        Rule::EveryDays(n) => Some(day(start).rem_euclid(i64::from(*n))),
        Rule::Weekly { interval, .. } => {
            let week = calendar.start_of_week(start);
            (week.weekday() == calendar.week_start)
                .then(|| day(week).div_euclid(7).rem_euclid(i64::from(*interval)))
        }
        Rule::Monthly {
            interval,
            first_month,
            ..
        } => {
            let month = first_month.unwrap_or(start.month());
            Some(
                (i64::from(start.year()) * 12 + i64::from(month) - 1)
                    .rem_euclid(i64::from(*interval)),
            )
        }
        Rule::Daily | Rule::Workdays | Rule::Cron(_) => None,
    }
}

/// Whether `rule`'s dates depend on a start that lies before the dates looked at: rules
/// counted from the start (`every 2 weeks`, `every 3 days`, `quarterly` from the start's
/// month) do; the others (daily, work days, cron, and weekly or monthly rules of period 1,
/// or of months counted from a named month in a period that divides a year) do not.
fn counts_from_start(rule: &Rule) -> bool {
    match rule {
        Rule::Daily | Rule::Workdays | Rule::Cron(_) => false,
        Rule::EveryDays(n) => *n > 1,
        Rule::Weekly { interval, .. } => *interval > 1,
        Rule::Monthly {
            interval,
            first_month,
            ..
        } => *interval > 1 && (first_month.is_none() || 12 % *interval != 0),
    }
}

/// Sorts task indexes the way a day's occurrences are listed: by first team, then id.
fn sort_in_output_order(catalog: &Catalog, tasks: &mut [usize]) {
    // Each task's first team and the first 16 bytes of its id as integers, side by side:
    // most comparisons are settled without reaching into the tasks (a day of a 100,000-task
    // catalog sorts 60,000 of them). A shorter id is padded with zeros, which sort first, as
    // a prefix does; only ids that share 16 bytes are compared whole. Ids are unique, so the
    // order is total and an unstable sort gives the same result as a stable one.
    let mut keyed: Vec<(u64, u128, usize)> = tasks
        .iter()
        .map(|&t| {
            let task = &catalog.tasks[t];
            // `None` (no team) before every team, as `Option`'s order has it.
            let team = task.teams.first().map_or(0, |&team| team as u64 + 1);
            let mut prefix = [0_u8; 16];
            let id = task.id.as_bytes();
            let length = id.len().min(16);
            prefix[..length].copy_from_slice(&id[..length]);
            (team, u128::from_be_bytes(prefix), t)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| catalog.tasks[a.2].id.cmp(&catalog.tasks[b.2].id))
    });
    for (slot, (_, _, t)) in tasks.iter_mut().zip(keyed) {
        *slot = t;
    }
}

/// Each task's position when tasks are ordered by (first team, id), for the given tasks;
/// sorting by these integers is much cheaper than comparing strings.
fn task_ranks(catalog: &Catalog, mut ranked: Vec<usize>) -> Vec<u32> {
    sort_in_output_order(catalog, &mut ranked);
    let mut rank = vec![0_u32; catalog.tasks.len()];
    for (position, task) in ranked.into_iter().enumerate() {
        rank[task] = position as u32;
    }
    rank
}

/// One integer per occurrence: date, then time (all-day first), then task rank.
fn occurrence_key(o: &PlannedOccurrence, rank: &[u32]) -> u64 {
    // Bits: 22 for the day (years 1 to 9999 counted from 0001-01-01), 11 for the minute of
    // the day (0 for all-day), 31 for the rank (a catalog file cannot hold 2^31 tasks).
    let day = (crate::calendar::day_number(o.date) + 719_162).cast_unsigned();
    let minute = o.time.map_or(0, |t| {
        1 + u64::from(t.hour().unsigned_abs()) * 60 + u64::from(t.minute().unsigned_abs())
    });
    (u64::from(day) << 42) | (minute << 31) | u64::from(rank[o.task] & 0x7fff_ffff)
}

/// Sorts occurrences by date, time (all-day first), first owning team, then task id.
pub(crate) fn sort_occurrences(catalog: &Catalog, occurrences: &mut [PlannedOccurrence]) {
    // Rank only the tasks present: a day's plan has few of the catalog's tasks.
    let mut present: Vec<usize> = occurrences.iter().map(|o| o.task).collect();
    present.sort_unstable();
    present.dedup();
    let rank = task_ranks(catalog, present);
    occurrences.sort_by_cached_key(|o| occurrence_key(o, &rank));
}

/// Keeps of `plan` only each team's own days: an occurrence stays when it is due within
/// the range (first and last day, both included) `ranges` gives its team (for every team
/// of a task, the first of them planned); one due earlier that is still outstanding moves
/// to the carried-over work, later ones go. How `due`, `week` and `plan` show teams whose
/// "today" differs (teams in zones a date line apart).
pub fn keep_team_ranges(plan: &mut Plan, catalog: &Catalog, ranges: &[(usize, Date, Date)]) {
    let range_of = |task: usize, team: Option<usize>| {
        let team = team.or_else(|| {
            catalog.tasks[task]
                .teams
                .iter()
                .copied()
                .find(|t| plan.teams.contains(t))
        })?;
        ranges
            .iter()
            .find(|(t, _, _)| *t == team)
            .map(|(_, first, last)| (*first, *last))
    };
    let mut carried = Vec::new();
    plan.occurrences.retain(|o| match range_of(o.task, o.team) {
        Some((first, last)) if first <= o.date && o.date <= last => true,
        Some((first, _)) if o.date < first => {
            if let Some(status) = o.status.filter(|s| s.is_outstanding()) {
                carried.push(Carried {
                    task: o.task,
                    status,
                    since: o.date,
                    last: o.date,
                    count: 1,
                    deadline: None,
                    team: o.team,
                });
            }
            false
        }
        _ => false,
    });
    plan.carried.extend(carried);
    plan.carried.sort_by_key(|c| (c.since, c.task));
}

/// The seven days of the week that contains `date`, in the catalog's week numbering.
pub fn week_of(catalog: &Catalog, date: Date) -> (Date, Date) {
    let start = catalog.calendar.start_of_week(date);
    (
        start,
        add_days(start, 6).unwrap_or(crate::calendar::LAST_DATE),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    use crate::catalog::fixture;

    /// The output order of tasks is (first team, id) compared as strings, also for ids
    /// that share their first 16 bytes or more, one a prefix of another, and tasks of
    /// several teams.
    #[test]
    fn tasks_sort_by_first_team_then_whole_id() {
        let mut catalog = fixture("shipped");
        let shared = "weekly-review-of-the-soc-";
        let names = [
            "b",
            "a",
            "",
            "aa",
            "a-",
            "zz",
            "a-very-long-id",
            "a",
            "c-1",
            "c-10",
            "c-2",
        ];
        let count = catalog.tasks.len();
        for (index, task) in catalog.tasks.iter_mut().enumerate() {
            let name = names[index % names.len()];
            task.id = match index % 4 {
                0 => format!("{shared}{name}{index}"),
                1 => format!("{shared}{name}"),
                2 => format!("{name}{}", count - index),
                _ => format!("{}{name}", &shared[..16]),
            };
        }
        let mut seen = std::collections::BTreeSet::new();
        for (index, task) in catalog.tasks.iter_mut().enumerate() {
            if !seen.insert(task.id.clone()) {
                task.id = format!("{}-{index}", task.id);
                seen.insert(task.id.clone());
            }
        }
        // Tasks of several teams, in both orders of the first one.
        catalog.tasks[0].teams = vec![1, 0];
        catalog.tasks[1].teams = vec![0, 1];
        let mut ours: Vec<usize> = (0..count).rev().collect();
        sort_in_output_order(&catalog, &mut ours);
        let mut expected: Vec<usize> = (0..count).collect();
        expected.sort_by(|&a, &b| {
            let key = |t: usize| (catalog.tasks[t].teams[0], catalog.tasks[t].id.as_str());
            key(a).cmp(&key(b))
        });
        let ids = |order: &[usize]| -> Vec<String> {
            order.iter().map(|&t| catalog.tasks[t].id.clone()).collect()
        };
        assert_eq!(ids(&ours), ids(&expected));
    }

    fn streamed(
        catalog: &Catalog,
        from: Date,
        to: Date,
        teams: &[usize],
    ) -> Vec<PlannedOccurrence> {
        let mut all = Vec::new();
        let mut days = 0;
        stream::<()>(catalog, from, to, teams, |day| {
            assert!(day.windows(2).all(|pair| pair[0].date == pair[1].date));
            days += 1;
            all.extend_from_slice(day);
            Ok(())
        })
        .unwrap();
        assert_eq!(days, days_between(from, to) + 1, "one call per day");
        all
    }

    #[test]
    fn streaming_gives_the_plan_in_the_same_order() {
        // The whole-range plan is the reference: same occurrences, windows and order.
        for name in ["shipped", "ics", "timed"] {
            let catalog = fixture(name);
            let every_team: Vec<usize> = (0..catalog.teams.len()).collect();
            let ranges = [
                (date(2026, 1, 1), date(2026, 12, 31)),
                (date(2024, 2, 25), date(2024, 3, 5)),
                (date(2026, 3, 28), date(2026, 3, 30)),
                (date(2026, 11, 23), date(2026, 11, 23)),
                (date(9999, 12, 1), date(9999, 12, 31)),
                (date(1, 1, 1), date(1, 2, 1)),
            ];
            for (from, to) in ranges {
                for teams in [every_team.clone(), vec![0], vec![every_team.len() - 1]] {
                    let whole = plan(&catalog, from, to, &teams, View::Range).unwrap();
                    assert_eq!(
                        streamed(&catalog, from, to, &teams),
                        whole.occurrences,
                        "{name} {from}..{to} teams {teams:?}"
                    );
                }
            }
        }
    }

    /// Tasks of one rule, time and shift whose starts differ, before, on and after the
    /// range's first day (and the days a next-workday shift looks back to), for rules
    /// counted from the start and rules that are not: a day at a time, each has the dates
    /// it has on its own.
    #[test]
    fn tasks_of_one_rule_with_different_starts_keep_their_own_dates() {
        use crate::cadence::{MonthDay, parse};
        use crate::calendar::Shift;
        let mut catalog = fixture("shipped");
        let template = catalog.tasks[0].clone();
        let mut cadences: Vec<crate::cadence::Cadence> = [
            "daily",
            "workdays",
            "weekly on saturday",
            "every 2 weeks on monday",
            "every 3 days",
            "monthly on day 31",
            "monthly on the last workday",
            "quarterly",
            "every 5 months",
            "yearly on 03-31",
            "daily at 09:00",
            "cron: 0 9 * * 1-5",
        ]
        .iter()
        .map(|text| parse(text, jiff::civil::Weekday::Monday).unwrap())
        .collect();
        // Months counted from a named month: from March every 5 months (the start's year
        // decides which months), and every 12 (it does not).
        for interval in [5, 12] {
            let mut cadence = cadences[0].clone();
            cadence.rule = Some(Rule::Monthly {
                interval,
                first_month: Some(3),
                day: MonthDay::Day(1),
            });
            cadences.push(cadence);
        }
        let starts = [
            None,
            Some(date(2019, 5, 17)),
            Some(date(2025, 12, 27)),
            Some(date(2026, 1, 2)),
            Some(date(2026, 1, 3)),
            Some(date(2026, 1, 4)),
            Some(date(2026, 1, 5)),
            Some(date(2026, 1, 6)),
            Some(date(2026, 2, 10)),
            Some(date(2026, 6, 15)),
        ];
        let shifts = [Shift::None, Shift::NextWorkday, Shift::PreviousWorkday];
        catalog.tasks.clear();
        for cadence in &cadences {
            for start in starts {
                for shift in shifts {
                    let mut task = template.clone();
                    task.id = format!("t-{:04}", catalog.tasks.len());
                    task.cadence = cadence.clone();
                    task.start = start;
                    task.shift = shift;
                    catalog.tasks.push(task);
                }
            }
        }
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        // 2026-01-05 is a Monday: a next-workday listing from it looks back to Saturday.
        for (from, to) in [
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2026, 1, 5), date(2027, 6, 30)),
            (date(2026, 1, 4), date(2026, 1, 10)),
        ] {
            let whole = plan(&catalog, from, to, &teams, View::Range).unwrap();
            assert!(whole.occurrences.len() > 200, "{from}: a real test");
            let streamed = streamed(&catalog, from, to, &teams);
            let first_difference = streamed
                .iter()
                .zip(&whole.occurrences)
                .position(|(a, b)| a != b);
            assert_eq!(first_difference, None, "{from}..{to}");
            assert_eq!(streamed.len(), whole.occurrences.len(), "{from}..{to}");
        }
    }

    /// Tasks of rules counted from their starts, started on each of 200 days before the
    /// range: they share one group per distinct list of dates (worked out here from each
    /// task's own plan), not one group each, and each keeps its own dates.
    #[test]
    fn tasks_counted_from_their_starts_share_a_group_per_phase() {
        use crate::calendar::Shift;
        let mut catalog = fixture("shipped");
        let template = catalog.tasks[0].clone();
        catalog.tasks.clear();
        let (from, to) = (date(2026, 1, 1), date(2026, 12, 31));
        let cadences = [
            "every 3 days",
            "every 2 weeks on monday",
            "every 4 weeks on sunday at 22:00",
            "every 5 months",
            "quarterly",
            "every 7 months on the last workday",
        ];
        for text in cadences {
            let cadence = crate::cadence::parse(text, jiff::civil::Weekday::Monday).unwrap();
            for back in 1..=200 {
                for shift in [Shift::None, Shift::NextWorkday] {
                    let mut task = template.clone();
                    task.id = format!("t-{:05}", catalog.tasks.len());
                    task.canonical_cadence = text.to_owned();
                    task.cadence = cadence.clone();
                    task.start = add_days(from, -back);
                    task.shift = shift;
                    catalog.tasks.push(task);
                }
            }
        }
        let teams: Vec<usize> = (0..catalog.teams.len()).collect();
        let mut distinct = std::collections::BTreeSet::new();
        for (index, task) in catalog.tasks.iter().enumerate() {
            let mut alone = catalog.clone();
            alone.tasks = vec![task.clone()];
            let dates: Vec<(Date, Option<Time>)> = plan(&alone, from, to, &teams, View::Range)
                .unwrap()
                .occurrences
                .iter()
                .map(|o| (o.date, o.time))
                .collect();
            assert!(!dates.is_empty(), "task {index} has dates in the range");
            distinct.insert((task.canonical_cadence.clone(), task.shift as u8, dates));
        }
        let mut order: Vec<usize> = (0..catalog.tasks.len()).collect();
        sort_in_output_order(&catalog, &mut order);
        let groups = Groups::of(&catalog, &order, from);
        // At most 3 + 2 + 4 + 5 + 3 + 7 phases for each of the two shifts, against 2,400
        // tasks.
        assert!(distinct.len() <= 48, "{} lists of dates", distinct.len());
        assert_eq!(groups.count(), distinct.len());
        let whole = plan(&catalog, from, to, &teams, View::Range).unwrap();
        assert_eq!(streamed(&catalog, from, to, &teams), whole.occurrences);
    }

    #[test]
    fn a_failing_day_stops_the_stream() {
        let catalog = fixture("shipped");
        let mut calls = 0;
        let result = stream(
            &catalog,
            date(2026, 1, 1),
            date(2026, 12, 31),
            &[0, 1, 2, 3, 4],
            |_| {
                calls += 1;
                if calls == 3 {
                    Err("closed pipe")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("closed pipe"));
        assert_eq!(calls, 3);
    }
}
