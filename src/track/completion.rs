//! The completion report: per team and per task, how many occurrences were due in a range
//! and how they ended — done on time, late, skipped, missed or still open — with the
//! completion rate and the median delay.
//!
//! An occurrence is counted when it is due from the later of `--from` and the journal's
//! tracking start up to the earlier of `--to` and today; occurrences due after today are not
//! due yet. Its outcome is its [`Standing`], from [`status::track_task`] (the one status
//! rule, which `due`, `week`, `overdue` and `history` use too):
//!
//! - **on time**: a `done` record from before the task's deadline (the end of the due day,
//!   the end of the window, or a grace, see [`crate::catalog::Deadline`]);
//! - **late**: a `done` record from after the deadline;
//! - **skipped**: a `skipped` record;
//! - **missed**: the window has passed with neither;
//! - **overdue**: the deadline has passed with neither, but the window is still open;
//! - **open**: not done, and its deadline has not passed, or triggered "as needed" work not
//!   done yet, which has no window to miss.
//!
//! The **completion rate** is done ÷ (done + skipped + missed), i.e. done ÷ (due − open −
//! overdue): occurrences whose window is open are left out because they can still be done,
//! and a skip counts as not done, so skipping cannot raise the rate (the skipped count shows
//! which misses were deliberate). The **median delay** is the median, over done
//! occurrences, of the days from the due date to the day it was done (0 when done by then).

use jiff::civil::{Date, DateTime};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::status::{self, Standing, TaskRecords, Tracked, records_by_task};
use crate::calendar::days_between;
use crate::catalog::Catalog;
use crate::journal::Record;

/// What a report covers, as resolved by the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The day the journal started tracking; `None` when there is no journal (nothing is
    /// counted then).
    pub tracking_start: Option<Date>,
    /// First day asked for, inclusive.
    pub from: Date,
    /// Last day asked for, inclusive.
    pub to: Date,
    /// Now, civil, in the catalog's time zone (deadlines are held against it).
    pub now: DateTime,
}

impl Period {
    /// The days a report counts, first and last: from the later of the first day asked
    /// for and the tracking start, to the earlier of the last day asked for and today.
    fn counted(&self) -> (Date, Date) {
        let from = self
            .tracking_start
            .map_or(self.from, |start| self.from.max(start));
        (from, self.to.min(self.now.date()))
    }
}

/// How the occurrences of a task, a team or all teams ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Occurrences due in the range (scheduled and triggered).
    pub due: usize,
    /// Done before the deadline.
    pub on_time: usize,
    /// Done after the deadline.
    pub late: usize,
    /// Deliberately not done.
    pub skipped: usize,
    /// Window passed with neither done nor skipped.
    pub missed: usize,
    /// Deadline passed with neither, window still open.
    pub overdue: usize,
    /// Not done yet, deadline not passed (or triggered, which has no window).
    pub open: usize,
    /// Of the due occurrences, how many were triggered "as needed" rather than scheduled.
    pub triggered: usize,
    /// Days from due date to done, one per done occurrence (0 when on time).
    delays: Vec<i64>,
}

impl Tally {
    /// Occurrences done, on time or late.
    pub fn done(&self) -> usize {
        self.on_time + self.late
    }

    /// done ÷ (due − open − overdue), from 0 to 1; `None` when no occurrence is settled or
    /// missed.
    pub fn completion_rate(&self) -> Option<f64> {
        let settled = self.due - self.open - self.overdue;
        // Counts and day numbers are far below 2^31, so the conversions are exact.
        (settled > 0).then(|| f64::from(self.done() as u32) / f64::from(settled as u32))
    }

    /// The median of the done occurrences' delays in days (the mean of the middle two for an
    /// even count); `None` when nothing was done.
    pub fn median_delay_days(&self) -> Option<f64> {
        median(&self.delays)
    }

    /// Adds one tracked occurrence; occurrences not due yet are not counted.
    fn count(&mut self, tracked: &Tracked) {
        match tracked.standing {
            Standing::Upcoming => return,
            Standing::OnTime | Standing::Late => {
                let delay = tracked
                    .settled_by
                    .as_ref()
                    .map_or(0, |record| days_between(tracked.date, record.on).max(0));
                if tracked.late() {
                    self.late += 1;
                } else {
                    self.on_time += 1;
                }
                self.delays.push(delay);
            }
            Standing::Skipped => self.skipped += 1,
            Standing::Missed => self.missed += 1,
            Standing::Overdue => self.overdue += 1,
            Standing::Open | Standing::Triggered => self.open += 1,
        }
        self.due += 1;
        self.triggered += usize::from(tracked.triggered);
    }

    /// Adds another tally's occurrences to this one.
    fn absorb(&mut self, other: &Tally) {
        self.due += other.due;
        self.on_time += other.on_time;
        self.late += other.late;
        self.skipped += other.skipped;
        self.missed += other.missed;
        self.overdue += other.overdue;
        self.open += other.open;
        self.triggered += other.triggered;
        self.delays.extend_from_slice(&other.delays);
    }
}

/// The JSON and CSV number for a rate: four decimals, so output is stable and readable.
pub fn round_rate(rate: f64) -> f64 {
    (rate * 10_000.0).round() / 10_000.0
}

/// The counts, then `completion_rate` (0 to 1, four decimals, or null) and
/// `median_delay_days` (or null).
impl Serialize for Tally {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = serializer.serialize_struct("Tally", 10)?;
        fields.serialize_field("due", &self.due)?;
        fields.serialize_field("on_time", &self.on_time)?;
        fields.serialize_field("late", &self.late)?;
        fields.serialize_field("skipped", &self.skipped)?;
        fields.serialize_field("missed", &self.missed)?;
        fields.serialize_field("overdue", &self.overdue)?;
        fields.serialize_field("open", &self.open)?;
        fields.serialize_field("triggered", &self.triggered)?;
        fields.serialize_field("completion_rate", &self.completion_rate().map(round_rate))?;
        fields.serialize_field("median_delay_days", &self.median_delay_days())?;
        fields.end()
    }
}

fn median(values: &[i64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(f64::from(sorted[middle] as i32)),
        _ => Some(f64::midpoint(
            f64::from(sorted[middle - 1] as i32),
            f64::from(sorted[middle] as i32),
        )),
    }
}

/// One task's line in a team's breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskReport {
    /// Index into [`Catalog::tasks`].
    pub task: usize,
    /// Its occurrences.
    pub tally: Tally,
}

/// One team: its tasks' occurrences together, and each task's.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamReport {
    /// Index into [`Catalog::teams`].
    pub team: usize,
    /// Every occurrence of the team's tasks.
    pub tally: Tally,
    /// Each task the team owns, in catalog order.
    pub tasks: Vec<TaskReport>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// First day counted (the later of the day asked for and the tracking start).
    pub from: Date,
    /// Last day counted (the earlier of the day asked for and today).
    pub to: Date,
    /// The day the journal started tracking, if there is a journal.
    pub tracking_start: Option<Date>,
    /// The teams asked for, in the order given.
    pub teams: Vec<TeamReport>,
    /// Every occurrence of every task of those teams, each counted once even when several
    /// of the teams own its task (done when any team's record settles it); each team's
    /// own tally credits it for its own records only.
    pub total: Tally,
}

/// Computes the report for `teams` from the journal's `records` (any order, any tasks).
pub fn report(catalog: &Catalog, records: &[Record], teams: &[usize], period: Period) -> Report {
    let (from, to) = period.counted();
    let by_task = records_by_task(records);
    let owned = |index: usize| {
        catalog.tasks[index]
            .teams
            .iter()
            .any(|team| teams.contains(team))
    };
    // The tally of task `index` over the days counted, from the records that count for
    // `team` (`None`: every team's).
    let tally_of = |index: usize, team: Option<&str>| {
        let mut tally = Tally::default();
        if let Some(start) = period.tracking_start
            && from <= to
        {
            let task_records = by_task
                .get(catalog.tasks[index].id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let task_records = TaskRecords::for_team(task_records, team);
            for tracked in status::track_task(catalog, index, &task_records, start, to, period.now)
            {
                if tracked.date >= from {
                    tally.count(&tracked);
                }
            }
        }
        tally
    };
    // One tally per task, computed once even when several teams own the task.
    let tallies: Vec<Option<Tally>> = (0..catalog.tasks.len())
        .map(|index| owned(index).then(|| tally_of(index, None)))
        .collect();
    let mut total = Tally::default();
    for tally in tallies.iter().flatten() {
        total.absorb(tally);
    }
    let teams = teams
        .iter()
        .map(|&team| {
            let mut team_tally = Tally::default();
            let mut tasks = Vec::new();
            for (index, tally) in tallies.iter().enumerate() {
                if let Some(tally) = tally
                    && catalog.tasks[index].teams.contains(&team)
                {
                    // A task of several teams is one obligation per team: each team is
                    // credited for its own records (and records of every team) only. (The
                    // total above counts each occurrence once, from every team's records.)
                    let tally = if catalog.tasks[index].teams.len() > 1 {
                        tally_of(index, Some(catalog.teams[team].id.as_str()))
                    } else {
                        tally.clone()
                    };
                    team_tally.absorb(&tally);
                    tasks.push(TaskReport { task: index, tally });
                }
            }
            TeamReport {
                team,
                tally: team_tally,
                tasks,
            }
        })
        .collect();
    Report {
        from,
        to,
        tracking_start: period.tracking_start,
        teams,
        total,
    }
}

/// One person's line of `report --by-person`: the occurrences attributed to them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PersonTally {
    /// The member id; `None` for the occurrences nobody was available for (unassigned).
    pub person: Option<String>,
    /// Occurrences attributed to them, due in the range (not after today).
    pub due: usize,
    /// Of those, done before the deadline.
    pub on_time: usize,
    /// Done after the deadline.
    pub late: usize,
    /// Window passed with neither done nor skipped.
    pub missed: usize,
    /// Of `due`, those they had only because someone else was away or swapped with them.
    pub covered: usize,
}

/// `report --by-person`: per person, the occurrences of assigned tasks of `teams` due in
/// `period` and how they ended. An occurrence is attributed to the assignee recorded on its
/// `done` or `skipped` record when there is one (who was assigned when it was recorded),
/// else to its assignee now (the catalog's turn, with `cover`'s leave and swaps). It counts
/// as *covered* when that person is not the catalog's own turn-holder for it. A task of
/// several teams counts once per team, each with its team's records and assignee. People
/// come in catalog order; an `unassigned` line (person `None`) comes last when any
/// occurrence had nobody.
pub fn report_by_person(
    catalog: &Catalog,
    records: &[Record],
    teams: &[usize],
    period: Period,
    cover: &crate::people::Cover,
) -> Vec<PersonTally> {
    let (from, to) = period.counted();
    let mut tallies: Vec<PersonTally> = Vec::new();
    let mut unassigned = PersonTally::default();
    let Some(start) = period.tracking_start else {
        return tallies;
    };
    if from > to {
        return tallies;
    }
    let by_task = records_by_task(records);
    for (index, task) in catalog.tasks.iter().enumerate() {
        if task.assignment.is_none() {
            continue;
        }
        for &team in task.teams.iter().filter(|t| teams.contains(t)) {
            let task_records = by_task.get(task.id.as_str()).map_or(&[][..], Vec::as_slice);
            let team_id = catalog.teams[team].id.as_str();
            let task_records = if task.teams.len() > 1 {
                TaskRecords::for_team(task_records, Some(team_id))
            } else {
                TaskRecords::new(task_records)
            };
            let mut rota = crate::people::Rota::new(catalog, task, team, cover);
            for tracked in status::track_task(catalog, index, &task_records, start, to, period.now)
            {
                if tracked.date < from || tracked.standing == Standing::Upcoming {
                    continue;
                }
                let turn = rota.turn(tracked.date, tracked.time);
                let rostered = turn.rostered.map(|m| m.id.as_str());
                let person = tracked
                    .settled_by
                    .as_ref()
                    .and_then(|r| r.assignee.as_deref())
                    .or(turn.assignee.map(|m| m.id.as_str()));
                let tally = match person {
                    None => &mut unassigned,
                    Some(id) => {
                        let found = tallies.iter().position(|t| t.person.as_deref() == Some(id));
                        let at = found.unwrap_or_else(|| {
                            tallies.push(PersonTally {
                                person: Some(id.to_owned()),
                                ..PersonTally::default()
                            });
                            tallies.len() - 1
                        });
                        &mut tallies[at]
                    }
                };
                tally.due += 1;
                match tracked.standing {
                    Standing::OnTime => tally.on_time += 1,
                    Standing::Late => tally.late += 1,
                    Standing::Missed => tally.missed += 1,
                    _ => {}
                }
                if person.is_some() && person != rostered {
                    tally.covered += 1;
                }
            }
        }
    }
    let order: Vec<&str> = catalog
        .teams
        .iter()
        .flat_map(|t| t.members.iter().map(|m| m.id.as_str()))
        .collect();
    tallies.sort_by_key(|t| {
        t.person
            .as_deref()
            .and_then(|p| order.iter().position(|o| *o == p))
            .unwrap_or(usize::MAX)
    });
    if unassigned.due > 0 {
        tallies.push(unassigned);
    }
    tallies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Action, RecordFilter, SqliteStore, Store};
    use jiff::civil::date;

    const TASKS: &str = r#"
version: 1
timezone: UTC
tasks:
  - id: daily-check
    title: "Daily check"
    cadence: daily
    team: alpha
  - id: weekly-review
    title: "Weekly review"
    cadence: weekly on monday
    team: [alpha, beta]
  - id: on-call
    title: "On-call work"
    cadence: as needed
    team: beta
"#;
    const ROLES: &str = r#"
version: 1
teams:
  - id: alpha
    name: "Alpha"
  - id: beta
    name: "Beta"
  - id: idle
    name: "Idle"
"#;

    const DAILY: usize = 0;
    const WEEKLY: usize = 1;
    const ON_CALL: usize = 2;
    const ALPHA: usize = 0;
    const BETA: usize = 1;
    const IDLE: usize = 2;

    /// Tracking starts Monday 2 November 2026; today is Monday 23 November.
    const START: Date = date(2026, 11, 2);
    const TODAY: Date = date(2026, 11, 23);

    fn catalog() -> Catalog {
        crate::catalog::load_sources(
            "tasks.yaml".as_ref(),
            TASKS,
            "roles.yaml".as_ref(),
            ROLES,
            TODAY,
        )
        .catalog
        .expect("a valid catalog")
    }

    fn nov(day: i8) -> Date {
        date(2026, 11, day)
    }

    fn record(task: &str, occurrence: Date, action: Action, on: Date) -> Record {
        Record::new(
            task,
            occurrence,
            action,
            on,
            "analyst",
            "2026-11-23T08:00:00Z".parse().unwrap(),
        )
    }

    /// The journal worked out by hand in the tests below.
    fn journal() -> SqliteStore {
        let mut store = SqliteStore::in_memory(START).unwrap();
        let undone_done = record("daily-check", nov(5), Action::Done, nov(5));
        let mut undo = record("daily-check", nov(5), Action::Undone, nov(6));
        undo.undoes = Some(undone_done.id.clone());
        let records = vec![
            // Daily: 2 and 3 on time, 4 done on the 6th (2 days late), 5 done then undone
            // (missed again), 6 skipped, 7 done on the 10th (3 late), 22 done on the 23rd
            // (1 late, after its window), 23 open; 8 to 21 missed.
            record("daily-check", nov(2), Action::Done, nov(2)),
            record("daily-check", nov(3), Action::Done, nov(3)),
            record("daily-check", nov(4), Action::Done, nov(6)),
            undone_done,
            undo,
            record("daily-check", nov(6), Action::Skipped, nov(6)),
            record("daily-check", nov(7), Action::Done, nov(10)),
            record("daily-check", nov(22), Action::Done, nov(23)),
            // Weekly (Mondays 2, 9, 16, 23): 2 done a day early (on time), 9 done on the 12th
            // (3 late, inside its window), 16 missed, 23 open.
            record("weekly-review", nov(2), Action::Done, date(2026, 11, 1)),
            record("weekly-review", nov(9), Action::Done, nov(12)),
            // As needed: triggered on the 10th and done on the 11th (1 late), triggered on
            // the 20th and not done (open); one triggered before tracking started is not counted.
            record("on-call", nov(10), Action::Triggered, nov(10)),
            record("on-call", nov(10), Action::Done, nov(11)),
            record("on-call", nov(20), Action::Triggered, nov(20)),
            record(
                "on-call",
                date(2026, 10, 30),
                Action::Triggered,
                date(2026, 10, 30),
            ),
            record(
                "on-call",
                date(2026, 10, 30),
                Action::Done,
                date(2026, 10, 30),
            ),
            // A task no longer in the catalog is ignored.
            record("retired-task", nov(3), Action::Done, nov(3)),
        ];
        store.append(&records).unwrap();
        store
    }

    fn run(teams: &[usize], from: Date, to: Date) -> Report {
        let store = journal();
        let records = store.records(&RecordFilter::default()).unwrap();
        let period = Period {
            tracking_start: Some(store.tracking_start().unwrap()),
            from,
            to,
            now: TODAY.to_datetime(jiff::civil::Time::midnight()),
        };
        report(&catalog(), &records, teams, period)
    }

    /// (due, on time, late, skipped, missed, open, triggered)
    fn counts(tally: &Tally) -> [usize; 7] {
        [
            tally.due,
            tally.on_time,
            tally.late,
            tally.skipped,
            tally.missed,
            tally.open,
            tally.triggered,
        ]
    }

    fn task(team: &TeamReport, index: usize) -> &Tally {
        &team
            .tasks
            .iter()
            .find(|t| t.task == index)
            .expect("the task is in the team")
            .tally
    }

    #[test]
    fn counts_each_outcome_per_task_team_and_total() {
        let report = run(&[ALPHA, BETA, IDLE], START, TODAY);
        assert_eq!(
            (report.from, report.to, report.tracking_start),
            (START, TODAY, Some(START))
        );
        let [alpha, beta, idle] = &report.teams[..] else {
            panic!("three teams")
        };

        // Daily: 22 due (2–23 Nov); 2 on time, 3 late, 1 skipped, 1 open (the 23rd),
        // missed 22 − 2 − 3 − 1 − 1 = 15 (the 5th, undone, and 8–21).
        let daily = task(alpha, DAILY);
        assert_eq!(counts(daily), [22, 2, 3, 1, 15, 1, 0]);
        assert_eq!(daily.completion_rate(), Some(5.0 / 21.0));
        // Delays 0, 0, 2, 3, 1: median 1 (odd count).
        assert_eq!(daily.median_delay_days(), Some(1.0));

        let weekly = task(alpha, WEEKLY);
        assert_eq!(counts(weekly), [4, 1, 1, 0, 1, 1, 0]);
        assert_eq!(weekly.completion_rate(), Some(2.0 / 3.0));
        // Delays 0 (done early counts as 0) and 3: median 1.5 (even count).
        assert_eq!(weekly.median_delay_days(), Some(1.5));
        assert_eq!(
            task(beta, WEEKLY),
            weekly,
            "a shared task counts for each team"
        );

        let on_call = task(beta, ON_CALL);
        assert_eq!(counts(on_call), [2, 0, 1, 0, 0, 1, 2]);
        assert_eq!(on_call.completion_rate(), Some(1.0));
        assert_eq!(on_call.median_delay_days(), Some(1.0));

        // Alpha: daily + weekly; delays 0 0 0 1 2 3 3, median 1.
        assert_eq!(
            alpha.tasks.iter().map(|t| t.task).collect::<Vec<_>>(),
            [DAILY, WEEKLY]
        );
        assert_eq!(counts(&alpha.tally), [26, 3, 4, 1, 16, 2, 0]);
        assert_eq!(alpha.tally.completion_rate(), Some(7.0 / 24.0));
        assert_eq!(alpha.tally.median_delay_days(), Some(1.0));
        // Beta: weekly + on-call; delays 0 1 3, median 1.
        assert_eq!(
            beta.tasks.iter().map(|t| t.task).collect::<Vec<_>>(),
            [WEEKLY, ON_CALL]
        );
        assert_eq!(counts(&beta.tally), [6, 1, 2, 0, 1, 2, 2]);
        assert_eq!(beta.tally.completion_rate(), Some(3.0 / 4.0));
        assert_eq!(beta.tally.median_delay_days(), Some(1.0));
        // A team without tasks has an empty tally.
        assert!(idle.tasks.is_empty());
        assert_eq!(idle.tally, Tally::default());
        assert_eq!(idle.tally.completion_rate(), None);
        assert_eq!(idle.tally.median_delay_days(), None);

        // The total counts the shared weekly task once: 22 + 4 + 2 due; delays
        // 0 0 0 1 1 2 3 3, median (1 + 1) / 2.
        assert_eq!(counts(&report.total), [28, 3, 5, 1, 16, 3, 2]);
        assert_eq!(report.total.completion_rate(), Some(8.0 / 25.0));
        assert_eq!(report.total.median_delay_days(), Some(1.0));
    }

    #[test]
    fn a_range_counts_only_occurrences_due_in_it() {
        // 9–15 Nov: daily 7 due, all missed; weekly the 9th, late; on-call the 10th, late.
        let report = run(&[ALPHA, BETA], nov(9), nov(15));
        assert_eq!((report.from, report.to), (nov(9), nov(15)));
        assert_eq!(counts(task(&report.teams[0], DAILY)), [7, 0, 0, 0, 7, 0, 0]);
        assert_eq!(
            counts(task(&report.teams[0], WEEKLY)),
            [1, 0, 1, 0, 0, 0, 0]
        );
        assert_eq!(
            counts(task(&report.teams[1], ON_CALL)),
            [1, 0, 1, 0, 0, 0, 1]
        );
        assert_eq!(report.total.completion_rate(), Some(2.0 / 9.0));
        assert_eq!(report.total.median_delay_days(), Some(2.0));
    }

    #[test]
    fn the_range_is_clipped_to_tracking_and_today() {
        // Before tracking started nothing is counted (not even the triggered 30 October),
        // and after today nothing is due yet.
        let report = run(&[ALPHA, BETA], date(2026, 10, 1), date(2026, 12, 31));
        assert_eq!((report.from, report.to), (START, TODAY));
        assert_eq!(report.total, run(&[ALPHA, BETA], START, TODAY).total);
        // A range wholly before tracking started is empty.
        let before = run(&[ALPHA, BETA], date(2026, 10, 1), date(2026, 10, 31));
        assert_eq!(before.total, Tally::default());
    }

    #[test]
    fn the_window_decides_open_or_missed() {
        // As of the 22nd, the daily occurrence of the 22nd was still open, that of the
        // 21st missed; the weekly one of the 16th (`weekly on monday`: it names a day, so
        // its deadline was the end of the 16th) is overdue while its window runs to the 23rd.
        let store = journal();
        let records = store.records(&RecordFilter::default()).unwrap();
        let period = Period {
            tracking_start: Some(START),
            from: nov(21),
            to: nov(22),
            now: nov(22).to_datetime(jiff::civil::Time::midnight()),
        };
        let days = report(&catalog(), &records, &[ALPHA], period);
        // The 22nd is done (on the 23rd, which is after "today" here, but the record
        // exists): a done record decides, whatever the day.
        assert_eq!(counts(task(&days.teams[0], DAILY)), [2, 0, 1, 0, 1, 0, 0]);
        let period = Period {
            tracking_start: Some(START),
            from: nov(16),
            to: nov(22),
            now: nov(22).to_datetime(jiff::civil::Time::midnight()),
        };
        let week = report(&catalog(), &records, &[ALPHA], period);
        let weekly = task(&week.teams[0], WEEKLY);
        assert_eq!(counts(weekly), [1, 0, 0, 0, 0, 0, 0]);
        assert_eq!(weekly.overdue, 1);
        // Overdue with the window open can still be done: not in the rate yet.
        assert_eq!(weekly.completion_rate(), None);
    }

    #[test]
    fn without_a_journal_the_report_is_empty() {
        let period = Period {
            tracking_start: None,
            from: TODAY,
            to: TODAY,
            now: TODAY.to_datetime(jiff::civil::Time::midnight()),
        };
        let report = report(&catalog(), &[], &[ALPHA, BETA], period);
        assert_eq!(report.tracking_start, None);
        assert_eq!(report.teams.len(), 2);
        assert_eq!(report.teams[0].tasks.len(), 2);
        assert!(report.teams.iter().all(|t| t.tally == Tally::default()));
        assert_eq!(report.total, Tally::default());
    }

    #[test]
    fn a_team_selection_restricts_everything() {
        let report = run(&[BETA], START, TODAY);
        assert_eq!(report.teams.len(), 1);
        assert_eq!(report.teams[0].team, BETA);
        assert_eq!(report.total, report.teams[0].tally);
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[4]), Some(4.0));
        assert_eq!(median(&[3, 1]), Some(2.0));
        assert_eq!(median(&[0, 3]), Some(1.5));
        assert_eq!(median(&[5, 0, 2]), Some(2.0));
        assert_eq!(median(&[7, 1, 3, 0]), Some(2.0));
    }

    #[test]
    fn json_fields_and_rounding() {
        let report = run(&[ALPHA], START, TODAY);
        let json = serde_json::to_value(&report.teams[0].tasks[0].tally).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "due": 22, "on_time": 2, "late": 3, "skipped": 1, "missed": 15, "overdue": 0, "open": 1,
                "triggered": 0, "completion_rate": 0.2381, "median_delay_days": 1.0
            })
        );
        let empty = serde_json::to_value(Tally::default()).unwrap();
        assert_eq!(empty["completion_rate"], serde_json::Value::Null);
        assert_eq!(empty["median_delay_days"], serde_json::Value::Null);
    }
}
