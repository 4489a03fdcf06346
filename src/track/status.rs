//! Where each occurrence stands, from the schedule and the journal's records: the one place
//! that decides it, for every command and format.
//!
//! Each occurrence has a **window** (its due date up to the next occurrence) and a
//! **deadline** (the task's [`Deadline`] rule: the end of the due day, the end of the window,
//! or a grace after the due time). It is **done** (on time when done before the deadline,
//! else **late**) when a `done` record names it, **skipped** when a `skipped` record does,
//! **upcoming** before its due date, **open** while its deadline has not passed, **overdue**
//! once the deadline has passed with neither (which can be while the window is still open),
//! and **missed** once the window has passed as well. A triggered ("as needed") occurrence
//! has no window: it stays **triggered** until done, and is late when done after the day it
//! was triggered for. Tracking starts when the journal was created (or at a task's `start`,
//! if later), so a new journal does not report years of overdue work.
//!
//! Moments are civil times in the catalog's time zone. A record's moment is when it was
//! recorded, if that was on the day it says the work was done (`on`), else the start of
//! that day: a record entered later for an earlier day counts as done that day.

use std::collections::HashMap;

use crate::cadence::Rule;
use crate::calendar::add_days;
use crate::catalog::{Catalog, Deadline};
use crate::journal::{Action, Record};
pub use crate::plan::Status;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use serde::Serialize;

/// Where one occurrence stands, in full: [`Status`] plus the two things it folds together
/// (done on time or late; overdue with the window open, or missed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Due later.
    Upcoming,
    /// Not done, and its deadline has not passed.
    Open,
    /// Not done, its deadline has passed, its window is still open.
    Overdue,
    /// Not done, and its window has passed (as has its deadline).
    Missed,
    /// Done before the deadline.
    OnTime,
    /// Done after the deadline.
    Late,
    /// Deliberately not done.
    Skipped,
    /// Triggered "as needed" work, not done yet.
    Triggered,
}

impl Standing {
    /// The status shown in checklists: on time and late are done, missed is overdue.
    pub fn status(self) -> Status {
        match self {
            Self::Upcoming => Status::Upcoming,
            Self::Open => Status::Open,
            Self::Overdue | Self::Missed => Status::Overdue,
            Self::OnTime | Self::Late => Status::Done,
            Self::Skipped => Status::Skipped,
            Self::Triggered => Status::Triggered,
        }
    }

    /// The lowercase name in listings and JSON (`on_time`, `missed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Upcoming => "upcoming",
            Self::Open => "open",
            Self::Overdue => "overdue",
            Self::Missed => "missed",
            Self::OnTime => "on_time",
            Self::Late => "late",
            Self::Skipped => "skipped",
            Self::Triggered => "triggered",
        }
    }
}

/// The moment before which an occurrence due on `date` (at `time`, with its window ending
/// before `window_end`) must be done under `rule`; `None` when it has none (the end of a
/// window not known yet).
pub fn deadline_of(
    rule: Deadline,
    date: Date,
    time: Option<Time>,
    window_end: Option<Date>,
) -> Option<DateTime> {
    let end_of_day = add_days(date, 1).map(|next| next.to_datetime(Time::midnight()));
    match rule {
        Deadline::DueDay => end_of_day,
        Deadline::EndOfWindow => window_end.map(|end| end.to_datetime(Time::midnight())),
        Deadline::Grace(seconds) => {
            let from = match time {
                Some(time) => Some(date.to_datetime(time)),
                None => end_of_day,
            };
            from?
                .checked_add(jiff::SignedDuration::from_secs(seconds))
                .ok()
        }
    }
}

/// When a record says its work was done: when it was recorded, if that was on its `on`
/// day in `zone`, else the start of that day.
pub fn done_moment(record: &Record, zone: &TimeZone) -> DateTime {
    let recorded = record.recorded_at.to_zoned(zone.clone()).datetime();
    if recorded.date() == record.on {
        recorded
    } else {
        record.on.to_datetime(Time::midnight())
    }
}

/// Where an occurrence stands as of `now`: THE status rule (see the module documentation).
/// `settled` is the record that settled it, `done_at` that record's [`done_moment`].
pub fn standing_of(
    settled: Option<&Record>,
    done_at: Option<DateTime>,
    date: Date,
    window_end: Option<Date>,
    deadline: Option<DateTime>,
    now: DateTime,
) -> Standing {
    let today = now.date();
    match settled.map(|r| r.action) {
        Some(Action::Done) => {
            if deadline.is_some_and(|deadline| done_at.is_some_and(|done| done >= deadline)) {
                Standing::Late
            } else {
                Standing::OnTime
            }
        }
        Some(Action::Skipped) => Standing::Skipped,
        _ if date > today => Standing::Upcoming,
        _ if deadline.is_some_and(|deadline| deadline <= now) => {
            if window_end.is_some_and(|end| end <= today) {
                Standing::Missed
            } else {
                Standing::Overdue
            }
        }
        _ => Standing::Open,
    }
}

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
    /// Where it stands, in full.
    pub standing: Standing,
    /// Where it stands, as checklists show it (`standing.status()`).
    pub status: Status,
    /// The moment before which it must be done to be on time (civil, catalog time zone).
    pub deadline: Option<DateTime>,
    /// The `done` or `skipped` record that settled it.
    pub settled_by: Option<Record>,
}

impl Tracked {
    /// Whether a done occurrence was done after its deadline.
    pub fn late(&self) -> bool {
        self.standing == Standing::Late
    }

    /// One occurrence of task `index`, its standing worked out from `settled` as of `now`.
    fn new(
        catalog: &Catalog,
        index: usize,
        due: (Date, Option<Time>),
        window_end: Option<Date>,
        triggered: bool,
        settled: Option<&Record>,
        (now, zone): (DateTime, &TimeZone),
    ) -> Self {
        let (date, time) = due;
        // Triggered work has no window: it is due the day it was triggered for.
        let rule = if triggered {
            Deadline::DueDay
        } else {
            catalog.tasks[index].deadline()
        };
        let deadline = deadline_of(rule, date, time, window_end);
        let done_at = settled.map(|r| done_moment(r, zone));
        let mut standing = standing_of(settled, done_at, date, window_end, deadline, now);
        if triggered && matches!(standing, Standing::Open | Standing::Overdue) {
            standing = Standing::Triggered;
        }
        Self {
            task: index,
            date,
            time,
            window_end,
            triggered,
            standing,
            status: standing.status(),
            deadline,
            settled_by: settled.cloned(),
        }
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
    /// The team (id) whose obligation these are; `None`: every team of the task.
    team: Option<String>,
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
        Self {
            settled,
            triggered,
            team: team.map(str::to_owned),
        }
    }

    /// The record settling the occurrence due on `date`, if any.
    pub fn settled(&self, date: Date) -> Option<&'r Record> {
        self.settled.get(&date).copied()
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
    // Teams in calendars of their own may shift an occurrence differently: the earliest.
    let mut calendars = vec![catalog.task_calendar(task, None)];
    if catalog.splits(task) {
        calendars.extend(task.teams.iter().map(|&t| catalog.calendar_of(t)));
    }
    calendars
        .into_iter()
        .map(|calendar| {
            task.schedule(calendar)
                .and_then(|schedule| schedule.last_on_or_before(from))
                .map_or(from, |occurrence| occurrence.date)
        })
        .min()
        .unwrap_or(from)
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
/// triggered, in date order, as of `now` (civil, in the catalog's time zone). The
/// occurrences are those of the calendar of the team `records` are for (of the task's
/// first team for every team), and they are held against that team's wall clock.
pub fn track_task(
    catalog: &Catalog,
    index: usize,
    records: &TaskRecords<'_>,
    tracking_start: Date,
    to: Date,
    now: DateTime,
) -> Vec<Tracked> {
    let task = &catalog.tasks[index];
    let team = records
        .team
        .as_deref()
        .and_then(|id| catalog.teams.iter().position(|t| t.id == id))
        .or_else(|| task.teams.first().copied());
    let calendar = catalog.task_calendar(task, team);
    let now = (
        team.map_or(now, |team| catalog.now_of_team(team, now)),
        &calendar.time_zone,
    );
    let horizon = add_days(to, 1 - MAX_TRACKED_DAYS).unwrap_or(crate::calendar::FIRST_DATE);
    let from = first_tracked(catalog, index, tracking_start.max(horizon));
    let mut tracked = Vec::new();
    if let (true, Some(Rule::EveryDays(days))) = (task.cadence.after_done, &task.cadence.rule) {
        track_after_done(
            catalog,
            (index, i64::from(*days)),
            records,
            (from, to),
            now,
            &mut tracked,
        );
    } else if let Some(schedule) = task.schedule(calendar) {
        let mut upcoming = schedule.occurrences_from(from).peekable();
        while let Some(occurrence) = upcoming.next_if(|o| o.date <= to) {
            let window_end = upcoming.peek().map(|next| next.date);
            tracked.push(Tracked::new(
                catalog,
                index,
                (occurrence.date, occurrence.time),
                window_end,
                false,
                records.settled(occurrence.date),
                now,
            ));
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
        tracked.push(Tracked::new(
            catalog,
            index,
            (trigger.occurrence, None),
            None,
            true,
            records.settled(trigger.occurrence),
            now,
        ));
    }
    tracked.sort_by_key(|t| t.date);
    tracked
}

/// How each effective `done` or `skipped` record among `records` ended its occurrence (on
/// time, late, skipped), as of `now`: the same standing `due`, `report` and `overdue` give.
/// `all` holds every record of those records' tasks (for retractions and later records);
/// records retracted, superseded, or of occurrences before tracking started have none.
pub fn record_standings(
    catalog: &Catalog,
    records: &[Record],
    all: &[Record],
    tracking_start: Date,
    now: DateTime,
) -> HashMap<String, Standing> {
    let by_task = records_by_task(all);
    let mut latest: HashMap<&str, Date> = HashMap::new();
    for record in records {
        let entry = latest
            .entry(record.task.as_str())
            .or_insert(record.occurrence);
        *entry = (*entry).max(record.occurrence);
    }
    let mut standings = HashMap::new();
    for (task, to) in latest {
        let Some(index) = catalog.tasks.iter().position(|t| t.id == task) else {
            continue;
        };
        let own = by_task.get(task).map_or(&[][..], Vec::as_slice);
        let task_records = TaskRecords::new(own);
        for tracked in track_task(catalog, index, &task_records, tracking_start, to, now) {
            if let Some(record) = &tracked.settled_by {
                standings.insert(record.id.clone(), tracked.standing);
            }
        }
    }
    standings
}

/// `every N days after done`: the first occurrence is due when tracking starts, each next
/// one N days after the previous one was done (or skipped). Only one is ever outstanding:
/// it is open for N days, then overdue until done, and nothing piles up behind it.
fn track_after_done(
    catalog: &Catalog,
    (index, days): (usize, i64),
    records: &TaskRecords<'_>,
    (from, to): (Date, Date),
    now: (DateTime, &TimeZone),
    tracked: &mut Vec<Tracked>,
) {
    let mut due = Some(from);
    while let Some(date) = due.filter(|d| *d <= to) {
        let window_end = add_days(date, days);
        let settled = records.settled(date);
        tracked.push(Tracked::new(
            catalog,
            index,
            (date, None),
            window_end,
            false,
            settled,
            now,
        ));
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
    /// When the first one's deadline passed.
    pub deadline: Option<DateTime>,
    /// How many of them are missed (their window has passed too); the others' windows
    /// are still open.
    pub missed: usize,
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
                    run.missed += usize::from(item.standing == Standing::Missed);
                }
                _ => runs.push(OverdueRun {
                    task: catalog.tasks[item.task].id.clone(),
                    count: 1,
                    since: item.date,
                    last: item.date,
                    deadline: item.deadline,
                    missed: usize::from(item.standing == Standing::Missed),
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TASKS: &str = r#"
version: 1
timezone: UTC
tasks:
  - id: week
    title: "Weekly, no day named"
    cadence: weekly
    team: alpha
  - id: friday
    title: "Weekly on Friday"
    cadence: weekly on friday
    team: alpha
  - id: week-due-day
    title: "Weekly, due the day"
    cadence: weekly
    deadline: due day
    team: alpha
  - id: grace
    title: "Daily at nine, four hours' grace"
    cadence: daily at 09:00
    deadline: 4 hours
    team: alpha
  - id: month
    title: "Monthly"
    cadence: monthly
    team: alpha
  - id: friday-window
    title: "Weekly on Friday, any time that week"
    cadence: weekly on friday
    deadline: end of window
    team: alpha
"#;
    const ROLES: &str = "version: 1\nteams:\n  - id: alpha\n    name: Alpha\n";

    fn catalog() -> Catalog {
        crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            ROLES,
            date(2026, 11, 2),
        )
        .catalog
        .expect("a valid catalog")
    }

    fn nov(day: i8) -> Date {
        date(2026, 11, day)
    }

    /// A `done` record for `task` due on `occurrence`, done on `on`, recorded at `at` (UTC).
    fn done(task: &str, occurrence: Date, on: Date, at: &str) -> Record {
        Record::new(
            task,
            occurrence,
            Action::Done,
            on,
            "analyst",
            at.parse().unwrap(),
        )
    }

    /// The standing of every occurrence of `task` due up to `now`'s day, as of `now`.
    fn standings(records: &[Record], task: &str, now: DateTime) -> Vec<(Date, Standing)> {
        let catalog = catalog();
        let index = catalog.tasks.iter().position(|t| t.id == task).unwrap();
        let own: Vec<&Record> = records.iter().filter(|r| r.task == task).collect();
        track_task(
            &catalog,
            index,
            &TaskRecords::new(&own),
            nov(2),
            now.date(),
            now,
        )
        .into_iter()
        .map(|t| (t.date, t.standing))
        .collect()
    }

    // Tracking starts Monday 2 November 2026 (UTC); "now" is Wednesday 11 November, noon,
    // unless a test says otherwise. Every expectation below is worked out from the
    // calendar: Mondays are 2, 9, 16; Fridays 30 October, 6, 13; the window of a weekly
    // occurrence runs Monday to Sunday (Friday to Thursday for `weekly on friday`, so the
    // first Friday tracked is 30 October, whose window holds the 2nd; not done, it was
    // missed when its window closed on the 6th).
    fn wednesday_noon() -> DateTime {
        nov(11).at(12, 0, 0, 0)
    }

    #[test]
    fn a_period_cadence_is_on_time_anywhere_in_its_window() {
        // Week of the 2nd done on Wednesday the 4th: inside 2–8 November, on time (the old
        // rule, "done on the due date", called it late). The week of the 9th is open until
        // the end of Sunday the 15th.
        let records = [done("week", nov(2), nov(4), "2026-11-04T10:00:00Z")];
        assert_eq!(
            standings(&records, "week", wednesday_noon()),
            [(nov(2), Standing::OnTime), (nov(9), Standing::Open)]
        );
        // Done on Monday the 9th, the first day of the next window: late.
        let records = [done("week", nov(2), nov(9), "2026-11-09T10:00:00Z")];
        assert_eq!(
            standings(&records, "week", wednesday_noon())[0],
            (nov(2), Standing::Late)
        );
    }

    #[test]
    fn a_named_day_is_due_by_its_end() {
        // Friday the 6th done on Saturday the 7th: after the end of the 6th, late, though
        // inside its window (6–12). The monthly task's 1 November is open all month.
        let records = [done("friday", nov(6), nov(7), "2026-11-07T08:00:00Z")];
        let missed = (date(2026, 10, 30), Standing::Missed);
        assert_eq!(
            standings(&records, "friday", wednesday_noon()),
            [missed, (nov(6), Standing::Late)]
        );
        // Not done at all: overdue from Saturday the 7th, while its window (to Thursday the
        // 12th) is open; missed once the 13th comes.
        assert_eq!(
            standings(&[], "friday", wednesday_noon()),
            [missed, (nov(6), Standing::Overdue)]
        );
        assert_eq!(
            standings(&[], "friday", nov(13).at(0, 0, 0, 0)),
            [
                missed,
                (nov(6), Standing::Missed),
                (nov(13), Standing::Open)
            ]
        );
        assert_eq!(
            standings(&[], "month", wednesday_noon()),
            [(date(2026, 11, 1), Standing::Open)]
        );
    }

    #[test]
    fn deadline_overrides_the_default() {
        // `weekly` with `deadline: due day`: Monday the 9th not done is overdue from the
        // 10th though its window runs to the 15th; Monday the 2nd is missed.
        assert_eq!(
            standings(&[], "week-due-day", wednesday_noon()),
            [(nov(2), Standing::Missed), (nov(9), Standing::Overdue)]
        );
        // `weekly on friday` with `deadline: end of window`: done on Thursday the 12th, the
        // last day of the window 6–12, is on time.
        let records = [done(
            "friday-window",
            nov(6),
            nov(12),
            "2026-11-12T18:00:00Z",
        )];
        assert_eq!(
            standings(&records, "friday-window", nov(12).at(20, 0, 0, 0)),
            [
                (date(2026, 10, 30), Standing::Missed),
                (nov(6), Standing::OnTime)
            ]
        );
    }

    #[test]
    fn a_grace_in_hours_counts_from_the_due_time() {
        // Daily at 09:00 with 4 hours' grace: the deadline is 13:00 the same day.
        let records = [
            done("grace", nov(9), nov(9), "2026-11-09T14:00:00Z"), // 14:00: late
            done("grace", nov(10), nov(10), "2026-11-10T12:30:00Z"), // 12:30: on time
            // Done "on" the 8th but entered on the 9th: the time of day is not known, so
            // the start of the 8th counts (on time).
            done("grace", nov(8), nov(8), "2026-11-09T20:00:00Z"),
        ];
        let at = |hour| {
            standings(&records, "grace", nov(11).at(hour, 0, 0, 0))
                .into_iter()
                .filter(|(d, _)| *d >= nov(7))
                .collect::<Vec<_>>()
        };
        let before = [
            (nov(7), Standing::Missed),
            (nov(8), Standing::OnTime),
            (nov(9), Standing::Late),
            (nov(10), Standing::OnTime),
        ];
        let mut at_noon = before.to_vec();
        at_noon.push((nov(11), Standing::Open));
        assert_eq!(at(12), at_noon);
        // At 13:00 the 11th's deadline has passed; its window (to the 12th) is still open.
        let mut at_one = before.to_vec();
        at_one.push((nov(11), Standing::Overdue));
        assert_eq!(at(13), at_one);
    }

    #[test]
    fn deadlines_are_moments() {
        let at = |d: Date, h, m| d.to_datetime(Time::new(h, m, 0, 0).unwrap());
        assert_eq!(
            deadline_of(Deadline::DueDay, nov(6), None, Some(nov(13))),
            Some(at(nov(7), 0, 0))
        );
        assert_eq!(
            deadline_of(Deadline::EndOfWindow, nov(6), None, Some(nov(13))),
            Some(at(nov(13), 0, 0))
        );
        assert_eq!(deadline_of(Deadline::EndOfWindow, nov(6), None, None), None);
        assert_eq!(
            deadline_of(Deadline::Grace(2 * 86_400), nov(6), None, Some(nov(13))),
            Some(at(nov(9), 0, 0))
        );
        assert_eq!(
            deadline_of(
                Deadline::Grace(4 * 3_600),
                nov(6),
                Some(Time::new(9, 0, 0, 0).unwrap()),
                None
            ),
            Some(at(nov(6), 13, 0))
        );
    }
}
