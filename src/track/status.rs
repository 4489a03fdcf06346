//! Where each occurrence stands, from the schedule and the journal's records.
//!
//! An occurrence is **done** when a `done` record names it, **skipped** when a `skipped`
//! record does, **overdue** once its window (due date up to the next occurrence) has passed
//! with neither, **open** while its window contains today, and **upcoming** before its due
//! date. A triggered ("as needed") occurrence has no window: it stays **triggered** until done.
//! Tracking starts when the journal was created (or at a task's `start`, if later), so a new
//! journal does not report years of overdue work.

use std::collections::HashMap;

use crate::cadence::Rule;
use crate::calendar::add_days;
use crate::catalog::Catalog;
use crate::journal::{Action, Record};
pub use crate::plan::Status;
use jiff::civil::{Date, Time};
use serde::Serialize;

/// One occurrence of a task with its standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    /// Index into [`Catalog::tasks`].
    pub task: usize,
    /// The due date (for a triggered occurrence, the day it was triggered for).
    pub date: Date,
    /// The due time, when the cadence has one.
    pub time: Option<Time>,
    /// Exclusive end of the window; `None` for triggered occurrences and the last one known.
    pub window_end: Option<Date>,
    /// Whether the occurrence was triggered rather than scheduled.
    pub triggered: bool,
    /// Where it stands.
    pub status: Status,
    /// The `done` or `skipped` record that settled it.
    pub settled_by: Option<Record>,
}

impl Tracked {
    /// Whether a done occurrence was done after its due date.
    pub fn late(&self) -> bool {
        self.status == Status::Done && self.settled_by.as_ref().is_some_and(|r| r.on > self.date)
    }
}

/// The journal's records grouped by task id, in their original order within each task.
pub fn records_by_task(records: &[Record]) -> HashMap<&str, Vec<&Record>> {
    let mut by_task: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        by_task
            .entry(record.task.as_str())
            .or_default()
            .push(record);
    }
    by_task
}

/// The effective `done` / `skipped` / `triggered` records of one task, by occurrence.
#[derive(Debug, Default)]
pub struct TaskRecords<'r> {
    settled: HashMap<Date, &'r Record>,
    triggered: Vec<&'r Record>,
}

impl<'r> TaskRecords<'r> {
    /// Sorts one task's records (any order) into settled and triggered occurrences; records
    /// retracted by `undone` are left out, and the latest settling record wins. Records of
    /// every team count, as for a task with one team.
    pub fn new(records: &[&'r Record]) -> Self {
        Self::for_team(records, None)
    }

    /// Like [`TaskRecords::new`], for one team's obligation: only the records naming
    /// `team`, or every team (records without a team), count. `None`: every record counts.
    pub fn for_team(records: &[&'r Record], team: Option<&str>) -> Self {
        let retracted: std::collections::HashSet<&str> = records
            .iter()
            .filter(|r| r.action == Action::Undone)
            .filter_map(|r| r.undoes.as_deref())
            .collect();
        let mut settled: HashMap<Date, &Record> = HashMap::new();
        let mut triggered = Vec::new();
        for record in records
            .iter()
            .copied()
            .filter(|r| !retracted.contains(r.id.as_str()))
            .filter(|r| team.is_none_or(|team| r.covers(team)))
        {
            match record.action {
                Action::Done | Action::Skipped => {
                    let entry = settled.entry(record.occurrence).or_insert(record);
                    if record.recorded_at > entry.recorded_at {
                        *entry = record;
                    }
                }
                Action::Triggered => triggered.push(record),
                Action::Undone => {}
            }
        }
        triggered.sort_by_key(|r| r.occurrence);
        triggered.dedup_by_key(|r| r.occurrence);
        Self { settled, triggered }
    }

    /// The record settling the occurrence due on `date`, if any.
    pub fn settled(&self, date: Date) -> Option<&'r Record> {
        self.settled.get(&date).copied()
    }
}

fn status_of(
    settled: Option<&Record>,
    date: Date,
    window_end: Option<Date>,
    today: Date,
) -> Status {
    match settled.map(|r| r.action) {
        Some(Action::Done) => Status::Done,
        Some(Action::Skipped) => Status::Skipped,
        _ if date > today => Status::Upcoming,
        _ if window_end.is_some_and(|end| end <= today) => Status::Overdue,
        _ => Status::Open,
    }
}

/// The first occurrence of task `index` that is tracked: the one whose window contains the
/// day tracking started (so work recorded for it on that day counts), or the task's first.
pub fn first_tracked(catalog: &Catalog, index: usize, tracking_start: Date) -> Date {
    let task = &catalog.tasks[index];
    let from = task
        .start
        .map_or(tracking_start, |start| start.max(tracking_start));
    if task.cadence.after_done {
        return from;
    }
    task.schedule(&catalog.calendar)
        .and_then(|schedule| schedule.last_on_or_before(from))
        .map_or(from, |occurrence| occurrence.date)
}

/// The earliest due date any task's tracking starts from: records for older occurrences
/// never matter.
pub fn tracking_floor(catalog: &Catalog, tracking_start: Date) -> Date {
    (0..catalog.tasks.len())
        .map(|index| first_tracked(catalog, index, tracking_start))
        .min()
        .unwrap_or(tracking_start)
}

/// How far back from the end of a tracked span statuses are worked out, in days: a century,
/// as for plans. A journal started earlier (or a clock set far ahead) then costs no more
/// time or memory than a century does; older occurrences are not tracked.
pub const MAX_TRACKED_DAYS: i64 = crate::plan::MAX_RANGE_DAYS;

/// Every tracked occurrence of task `index` due from `tracking_start` (or the task's
/// `start`, if later, and at most [`MAX_TRACKED_DAYS`] back) to `to`, scheduled and
/// triggered, in date order, as of `today`.
pub fn track_task(
    catalog: &Catalog,
    index: usize,
    records: &TaskRecords<'_>,
    tracking_start: Date,
    to: Date,
    today: Date,
) -> Vec<Tracked> {
    let task = &catalog.tasks[index];
    let horizon = add_days(to, 1 - MAX_TRACKED_DAYS).unwrap_or(crate::calendar::FIRST_DATE);
    let from = first_tracked(catalog, index, tracking_start.max(horizon));
    let mut tracked = Vec::new();
    if let (true, Some(Rule::EveryDays(days))) = (task.cadence.after_done, &task.cadence.rule) {
        track_after_done(
            index,
            i64::from(*days),
            records,
            from,
            to,
            today,
            &mut tracked,
        );
    } else if let Some(schedule) = task.schedule(&catalog.calendar) {
        let mut upcoming = schedule.occurrences_from(from).peekable();
        while let Some(occurrence) = upcoming.next_if(|o| o.date <= to) {
            let window_end = upcoming.peek().map(|next| next.date);
            let settled = records.settled(occurrence.date);
            tracked.push(Tracked {
                task: index,
                date: occurrence.date,
                time: occurrence.time,
                window_end,
                triggered: false,
                status: status_of(settled, occurrence.date, window_end, today),
                settled_by: settled.cloned(),
            });
        }
    }
    // Scheduled occurrences come in date order: look triggers up by binary search, so that
    // thousands of triggers cost no more than a sort.
    let scheduled = tracked.len();
    for trigger in records.triggered.iter().filter(|r| r.occurrence <= to) {
        if tracked[..scheduled]
            .binary_search_by_key(&trigger.occurrence, |t| t.date)
            .is_ok()
        {
            continue; // triggered on a scheduled day: the scheduled occurrence covers it
        }
        let settled = records.settled(trigger.occurrence);
        let status = match settled.map(|r| r.action) {
            Some(Action::Done) => Status::Done,
            Some(Action::Skipped) => Status::Skipped,
            _ => Status::Triggered,
        };
        tracked.push(Tracked {
            task: index,
            date: trigger.occurrence,
            time: None,
            window_end: None,
            triggered: true,
            status,
            settled_by: settled.cloned(),
        });
    }
    tracked.sort_by_key(|t| t.date);
    tracked
}

/// `every N days after done`: the first occurrence is due when tracking starts, each next
/// one N days after the previous one was done (or skipped). Only one is ever outstanding:
/// it is open for N days, then overdue until done, and nothing piles up behind it.
fn track_after_done(
    index: usize,
    days: i64,
    records: &TaskRecords<'_>,
    from: Date,
    to: Date,
    today: Date,
    tracked: &mut Vec<Tracked>,
) {
    let mut due = Some(from);
    while let Some(date) = due.filter(|d| *d <= to) {
        let window_end = add_days(date, days);
        let settled = records.settled(date);
        tracked.push(Tracked {
            task: index,
            date,
            time: None,
            window_end,
            triggered: false,
            status: status_of(settled, date, window_end, today),
            settled_by: settled.cloned(),
        });
        // The next one counts from when this one was settled; unsettled, nothing follows.
        due = settled.and_then(|record| add_days(record.on.max(date), days));
    }
}

/// Overdue occurrences of one task that follow each other, shown as one line
/// ("overdue ×30 since 2026-10-22").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueRun {
    /// The task id.
    pub task: String,
    /// How many occurrences.
    pub count: usize,
    /// The first one's due date.
    pub since: Date,
    /// The last one's due date.
    pub last: Date,
}

/// Collapses runs of consecutive overdue occurrences of the same task (in date order).
pub fn collapse_overdue(catalog: &Catalog, tracked: &[Tracked]) -> Vec<OverdueRun> {
    let mut runs: Vec<OverdueRun> = Vec::new();
    let mut previous_overdue = false;
    let mut previous_task = usize::MAX;
    for item in tracked {
        let overdue = item.status == Status::Overdue;
        if overdue {
            match runs.last_mut() {
                Some(run) if previous_overdue && previous_task == item.task => {
                    run.count += 1;
                    run.last = item.date;
                }
                _ => runs.push(OverdueRun {
                    task: catalog.tasks[item.task].id.clone(),
                    count: 1,
                    since: item.date,
                    last: item.date,
                }),
            }
        }
        if !item.triggered {
            previous_overdue = overdue;
            previous_task = item.task;
        }
    }
    runs
}
