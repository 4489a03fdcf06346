//! Which occurrence a new record is about: the rule `done`, `skip` and `undo` apply to the
//! day they are given. Pure: the task's records and the start of tracking come in.

use jiff::civil::Date;

use super::status::{TaskRecords, first_tracked, track_task};
use crate::catalog::{Catalog, Task};
use crate::journal::{Action, Record};

/// A record about to be made for one task, before its occurrence is known.
#[derive(Debug, Clone, Copy)]
pub struct Recording<'c> {
    /// The task.
    pub task: &'c Task,
    /// The day the record names (`--date`): when the work was done, or a day in the
    /// window of the occurrence meant.
    pub day: Date,
    /// Today.
    pub today: Date,
    /// The occurrence's due date, when given outright (`--occurrence`).
    pub named: Option<Date>,
    /// The day tracking started (today, for a journal not yet created).
    pub tracking_start: Date,
    /// The team (id) whose obligation the record settles; `None`: every team of the task.
    pub team: Option<&'c str>,
}

impl Recording<'_> {
    /// The calendar the recording's occurrences are in: its team's (for every team, the
    /// task's first team's).
    fn calendar<'a>(&self, catalog: &'a Catalog) -> &'a crate::calendar::Calendar {
        let team = self
            .team
            .and_then(|id| catalog.teams.iter().position(|t| t.id == id));
        catalog.task_calendar(self.task, team)
    }

    /// Whether `record` concerns the obligation this recording is about: for one team, a
    /// record of that team or of every team; for every team, a record of every team.
    fn concerns(&self, record: &Record) -> bool {
        match self.team {
            Some(team) => record.covers(team),
            None => record.team.is_none(),
        }
    }
}

/// Why no occurrence matches what was given; the message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettleError {
    /// `--occurrence` names a day on which nothing of the task is due.
    #[error("no occurrence of `{task}` is due on {date}; `socctl next {task}` lists its due dates")]
    NotDue {
        /// The task id.
        task: String,
        /// The day named.
        date: Date,
    },
    /// An "as needed" task with no trigger on or before the day.
    #[error(
        "`{task}` is \"as needed\" and nothing is triggered on or before {day}; run `socctl trigger {task} --reason …` first"
    )]
    NothingTriggered {
        /// The task id.
        task: String,
        /// The day given.
        day: Date,
    },
    /// The day comes before the task's first occurrence.
    #[error(
        "{day} is before the first occurrence of `{task}` ({}); no window contains it",
        .first.map_or_else(|| "never".to_owned(), |d| d.to_string())
    )]
    BeforeFirst {
        /// The task id.
        task: String,
        /// The day given.
        day: Date,
        /// The first occurrence, if the task has any.
        first: Option<Date>,
    },
    /// `undo` found nothing in force for the occurrence, and its latest record retracted.
    #[error(
        "`{task}` {action} due {occurrence} (recorded {recorded_at} by {by}) is already undone; nothing recorded"
    )]
    AlreadyUndone {
        /// The task id.
        task: String,
        /// The occurrence.
        occurrence: Date,
        /// What the retracted record said.
        action: Action,
        /// When it was recorded.
        recorded_at: jiff::Timestamp,
        /// Who recorded it.
        by: String,
    },
    /// `undo` found nothing in force for the occurrence.
    #[error("nothing is recorded for `{task}` due {occurrence}; nothing to undo")]
    NothingToUndo {
        /// The task id.
        task: String,
        /// The occurrence.
        occurrence: Date,
    },
}

fn index_of(catalog: &Catalog, task: &Task) -> usize {
    catalog
        .tasks
        .iter()
        .position(|t| t.id == task.id)
        .unwrap_or_default()
}

/// The earliest occurrence whose records can matter for `recording`: the earlier of the
/// day, the occurrence named, the scheduled occurrence whose window holds the day (which
/// may predate tracking) and where the task's tracking starts. Records of occurrences
/// before it need not be read.
pub fn records_from(catalog: &Catalog, recording: &Recording<'_>) -> Date {
    let index = index_of(catalog, recording.task);
    let scheduled = recording
        .task
        .schedule(recording.calendar(catalog))
        .and_then(|s| s.last_on_or_before(recording.day))
        .map(|o| o.date);
    [
        Some(first_tracked(catalog, index, recording.tracking_start)),
        Some(recording.day),
        scheduled,
        recording.named,
    ]
    .into_iter()
    .flatten()
    .min()
    .unwrap_or(recording.day)
}

/// The occurrence a record for the day settles, given the task's `records` (from
/// [`records_from`] on): the one named; else the scheduled occurrence whose window
/// contains the day, unless an outstanding triggered occurrence falls inside that window
/// (or the task is only "as needed"); for a task counted from completions, the
/// outstanding occurrence.
pub fn settles(
    catalog: &Catalog,
    recording: &Recording<'_>,
    records: &[Record],
) -> Result<Date, SettleError> {
    let references: Vec<&Record> = records.iter().collect();
    let task_records = TaskRecords::for_team(&references, recording.team);
    let task = recording.task;
    // The team's own calendar decides which day is whose occurrence.
    let calendar = recording.calendar(catalog);
    let triggered: Vec<Date> = Record::effective(records)
        .into_iter()
        .filter(|r| r.action == Action::Triggered)
        .filter(|r| recording.team.is_none_or(|team| r.covers(team)))
        .map(|r| r.occurrence)
        .collect();
    if let Some(date) = recording.named {
        let scheduled = task
            .schedule(calendar)
            .and_then(|s| s.first_on_or_after(date))
            .is_some_and(|o| o.date == date);
        if scheduled || triggered.contains(&date) {
            return Ok(date);
        }
        return Err(SettleError::NotDue {
            task: task.id.clone(),
            date,
        });
    }
    let scheduled = task
        .schedule(calendar)
        .and_then(|s| s.last_on_or_before(recording.day))
        .map(|o| o.date);
    let open_trigger = triggered
        .iter()
        .copied()
        .filter(|date| *date <= recording.day && task_records.settled(*date).is_none())
        .max()
        .filter(|date| scheduled.is_none_or(|s| *date >= s));
    if let Some(date) = open_trigger {
        return Ok(date);
    }
    if task.cadence.after_done {
        // Counted from completions: the outstanding occurrence, or the next one once due.
        let tracked = track_task(
            catalog,
            index_of(catalog, task),
            &task_records,
            recording.tracking_start,
            recording.day,
            recording.today.to_datetime(jiff::civil::Time::midnight()),
        );
        if let Some(last) = tracked.last() {
            return Ok(last.date);
        }
    }
    let Some(schedule) = task.schedule(calendar) else {
        return Err(SettleError::NothingTriggered {
            task: task.id.clone(),
            day: recording.day,
        });
    };
    match schedule.last_on_or_before(recording.day) {
        Some(occurrence) => Ok(occurrence.date),
        None => Err(SettleError::BeforeFirst {
            task: task.id.clone(),
            day: recording.day,
            first: schedule.first_on_or_after(recording.day).map(|o| o.date),
        }),
    }
}

/// What `undo` retracts, given the task's `records` (from [`records_from`] on): the
/// latest record in force for the occurrence named; else for an occurrence due on the day
/// itself (a trigger, say); else for the occurrence [`settles`] picks.
pub fn retracts<'r>(
    catalog: &Catalog,
    recording: &Recording<'_>,
    records: &'r [Record],
) -> Result<&'r Record, SettleError> {
    let effective: Vec<&Record> = Record::effective(records)
        .into_iter()
        .filter(|r| recording.concerns(r))
        .collect();
    let target = match recording.named {
        Some(date) => date,
        None => effective
            .iter()
            .filter(|r| r.occurrence == recording.day)
            .max_by_key(|r| r.recorded_at)
            .map(|r| r.occurrence)
            .map_or_else(|| settles(catalog, recording, records), Ok)?,
    };
    if let Some(found) = effective
        .into_iter()
        .filter(|r| r.occurrence == target)
        .max_by_key(|r| r.recorded_at)
    {
        return Ok(found);
    }
    // Nothing in force: say so, naming the record retracted last (a concurrent `undo` of
    // the same record may just have done it).
    let retracted = records
        .iter()
        .filter(|r| r.action == Action::Undone && r.occurrence == target)
        .filter(|r| recording.concerns(r))
        .max_by_key(|r| r.recorded_at)
        .and_then(|undo| {
            records
                .iter()
                .find(|r| Some(r.id.as_str()) == undo.undoes.as_deref())
        });
    Err(match retracted {
        Some(record) => SettleError::AlreadyUndone {
            task: record.task.clone(),
            occurrence: target,
            action: record.action,
            recorded_at: record.recorded_at,
            by: record.by.clone(),
        },
        None => SettleError::NothingToUndo {
            task: recording.task.id.clone(),
            occurrence: target,
        },
    })
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use jiff::civil::date;

    /// A weekly task and an "as needed" one of team alpha, and a daily one of alpha and
    /// beta (alias `b`).
    const TASKS: &str = r#"
version: 1
timezone: UTC
tasks:
  - id: weekly-review
    title: "Weekly review"
    cadence: weekly on monday
    team: alpha
  - id: on-call
    title: "On-call work"
    cadence: as needed
    team: alpha
  - id: shared
    title: "Shared"
    cadence: daily
    team: [alpha, beta]
"#;
    const ROLES: &str = r#"
version: 1
teams:
  - id: alpha
    name: "Alpha"
  - id: beta
    name: "Beta"
    aliases: [b]
"#;

    /// Wednesday 25 November 2026.
    pub(in crate::track) const TODAY: Date = date(2026, 11, 25);

    /// The catalog of [`TASKS`] and [`ROLES`].
    pub(in crate::track) fn catalog() -> Catalog {
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

    fn recording(task: &Task, day: Date, named: Option<Date>) -> Recording<'_> {
        Recording {
            task,
            day,
            today: TODAY,
            named,
            tracking_start: date(2026, 11, 2),
            team: Some("alpha"),
        }
    }

    #[test]
    fn a_day_settles_the_occurrence_whose_window_holds_it() {
        let catalog = catalog();
        let weekly = &catalog.tasks[0];
        let monday = date(2026, 11, 23);
        assert_eq!(
            settles(&catalog, &recording(weekly, TODAY, None), &[]),
            Ok(monday)
        );
        assert_eq!(
            settles(&catalog, &recording(weekly, TODAY, Some(TODAY)), &[]),
            Err(SettleError::NotDue {
                task: "weekly-review".to_owned(),
                date: TODAY
            })
        );
        assert!(records_from(&catalog, &recording(weekly, TODAY, None)) <= monday);
    }

    #[test]
    fn as_needed_work_settles_only_a_trigger() {
        let catalog = catalog();
        let on_call = &catalog.tasks[1];
        let error = settles(&catalog, &recording(on_call, TODAY, None), &[]).unwrap_err();
        assert!(
            error.to_string().contains("socctl trigger on-call"),
            "{error}"
        );
        let monday = date(2026, 11, 23);
        let trigger = Record::new(
            "on-call",
            monday,
            Action::Triggered,
            monday,
            "analyst",
            jiff::Timestamp::UNIX_EPOCH,
        );
        let records = [trigger];
        let recording = recording(on_call, TODAY, None);
        assert_eq!(settles(&catalog, &recording, &records), Ok(monday));
        assert_eq!(
            retracts(&catalog, &recording, &records).map(|r| r.action),
            Ok(Action::Triggered)
        );
    }
}
