//! `socctl next`: the next due dates of tasks, one row a date, with who does each when the
//! task is assigned; a task that is only "as needed" gets one row saying so, with its last
//! trigger.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Listing, Note, Rows};
use crate::calendar::format_time;
use crate::catalog::{Catalog, Task};
use crate::i18n::Locale;
use crate::journal::{Action, Record};
use crate::people::{Cover, Rota};

/// Who does an occurrence for one of its teams.
#[derive(Debug, Clone, Serialize)]
pub struct Assigned<'a> {
    /// The team id.
    pub team: &'a str,
    /// The member id, or `None` when nobody is available (unassigned).
    pub member: Option<&'a str>,
}

/// A task's next due date, or the one row of a task with no dates of its own.
#[derive(Debug, Clone, Serialize)]
pub struct NextRow<'a> {
    /// The task id.
    pub task: &'a str,
    /// The due date; `null` for a task that is only "as needed".
    pub date: Option<Date>,
    /// The time of day, `HH:MM`, for timed tasks.
    pub time: Option<String>,
    /// The canonical cadence.
    pub cadence: String,
    /// `true` on the row of a task that is only "as needed" (left out of dated rows).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub as_needed: bool,
    /// On that row: the task's latest trigger in force (the journal's record), or `null`
    /// when it was never triggered (left out of dated rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_trigger: Option<Option<&'a Record>>,
    /// Who does it, one entry per team, for a task with an `assignee` or a `rotation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignees: Option<Vec<Assigned<'a>>>,
}

impl NextRow<'_> {
    /// The dated columns' cells.
    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(self.task),
            Cell::text(self.date.map(|d| d.to_string()).unwrap_or_default()),
            Cell::text(
                self.date
                    .map(|d| locale.weekday_short(d.weekday()))
                    .unwrap_or_default(),
            ),
            Cell::text(self.time.clone().unwrap_or_default()),
            Cell::text(&self.cadence),
        ]
    }

    /// What the row of an "as needed" task says instead of dates; empty for a dated row.
    fn note(&self, locale: &Locale) -> String {
        match self.last_trigger {
            None => String::new(),
            Some(None) => Note::new("next_as_needed_never").text(locale),
            Some(Some(record)) => Note::new("next_as_needed_last")
                .with("date", record.occurrence.to_string())
                .with("by", &record.by)
                .text(locale),
        }
    }
}

/// An occurrence's assignees in words: `ana`, or `monitoring: ana; csirt: dee` for a task
/// of several teams, with `unassigned` (in the render language) for nobody.
pub fn assignees_text(locale: &Locale, assignees: &[Assigned<'_>]) -> String {
    let name = |a: &Assigned<'_>| {
        a.member.map_or_else(
            || locale.text("assignment_unassigned").to_owned(),
            str::to_owned,
        )
    };
    match assignees {
        [one] => name(one),
        several => several
            .iter()
            .map(|a| format!("{}: {}", a.team, name(a)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// The rows of `socctl next`: the dated columns, an `assignee` column when a task in them
/// is assigned, and a `note` column when a task that is only "as needed" has its row.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct NextListing<'a>(pub Rows<NextRow<'a>>);

/// Every column a `next` listing can have, in order; [`NextListing::columns`] picks the
/// ones it shows.
const ALL: &[Column] = &[
    Column::new("task", "column_task"),
    Column::new("date", "column_date"),
    Column::new("weekday", "column_day"),
    Column::new("time", "column_time"),
    Column::new("cadence", "column_cadence"),
    Column::new("assignee", "column_assignee"),
    Column::new("note", "column_note"),
];
/// The dated columns.
const DATED: &[Column] = ALL.split_at(5).0;
/// The dated columns and the assignee.
const ASSIGNED: &[Column] = ALL.split_at(6).0;
/// The dated columns, the assignee and the note.
const ASSIGNED_NOTE: &[Column] = ALL;
/// The dated columns and the note.
const NOTE: &[Column] = &[
    Column::new("task", "column_task"),
    Column::new("date", "column_date"),
    Column::new("weekday", "column_day"),
    Column::new("time", "column_time"),
    Column::new("cadence", "column_cadence"),
    Column::new("note", "column_note"),
];

impl NextListing<'_> {
    /// Whether a task in the listing is assigned.
    fn assigned(&self) -> bool {
        self.0.rows.iter().any(|row| row.assignees.is_some())
    }

    /// Whether an "as needed" task has its row.
    fn noted(&self) -> bool {
        self.0.rows.iter().any(|row| row.as_needed)
    }
}

impl Listing for NextListing<'_> {
    fn columns(&self) -> &'static [Column] {
        match (self.assigned(), self.noted()) {
            (false, false) => DATED,
            (true, false) => ASSIGNED,
            (false, true) => NOTE,
            (true, true) => ASSIGNED_NOTE,
        }
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        let (assigned, noted) = (self.assigned(), self.noted());
        self.0
            .rows
            .iter()
            .map(|row| {
                let mut cells = row.cells(locale);
                if assigned {
                    cells.push(Cell::text(
                        row.assignees
                            .as_deref()
                            .map(|a| assignees_text(locale, a))
                            .unwrap_or_default(),
                    ));
                }
                if noted {
                    cells.push(Cell::text(row.note(locale)));
                }
                cells
            })
            .collect()
    }

    fn empty(&self) -> Option<&Note> {
        self.0.empty.as_ref()
    }
}

/// The latest trigger in force of `task` among `records`, by when it was recorded.
fn last_trigger<'r>(task: &str, records: &'r [Record]) -> Option<&'r Record> {
    Record::effective(records)
        .into_iter()
        .filter(|r| r.task == task && r.action == Action::Triggered)
        .max_by_key(|r| (r.recorded_at, r.occurrence))
}

/// How far ahead `next --person` looks for a person's turns, in years: a task they are in
/// the team of but never get (a fixed assignee who is someone else) is not walked to the
/// calendar's end.
pub const PERSON_HORIZON_YEARS: i16 = 10;

/// Whose `next` rows to list: everyone's, or one person's own turns.
#[derive(Debug, Clone, Copy)]
pub enum Whose<'p> {
    /// Each task's next dates, whoever does them.
    Everyone,
    /// The person's (a member id) next occurrences, after leave and swaps: the `count`
    /// first of each task when `per_task`, else the `count` first of all the tasks
    /// together, by date and time.
    Person {
        /// The member id.
        id: &'p str,
        /// Whether `count` applies to each task (tasks were named) or to all together.
        per_task: bool,
    },
}

/// The next `count` dates on or after `from` of each scheduled task of `tasks`, with their
/// assignees; a task that is only "as needed" has one row, with its latest trigger among
/// `as_needed` (the journal's records of those tasks) when that is given, and none
/// otherwise. Assignees take the journal's leave and swaps in `cover` into account. For
/// [`Whose::Person`], the person's own next occurrences instead (within
/// [`PERSON_HORIZON_YEARS`]): those they do after leave and swaps, including turns they
/// cover for others and without those others cover for them, each row with only the
/// person's teams; "as needed" tasks have no rows then.
pub fn next_rows<'a>(
    catalog: &'a Catalog,
    tasks: &[&'a Task],
    from: Date,
    count: usize,
    as_needed: Option<&'a [Record]>,
    cover: &Cover,
    whose: Whose<'_>,
) -> NextListing<'a> {
    let person = match whose {
        Whose::Everyone => None,
        Whose::Person { id, .. } => Some(id),
    };
    let until = from
        .checked_add(jiff::Span::new().years(PERSON_HORIZON_YEARS))
        .unwrap_or(Date::MAX);
    let mut rows = Vec::new();
    for task in tasks {
        let Some(schedule) = task.schedule(catalog.task_calendar(task, None)) else {
            if let Some(records) = as_needed
                && person.is_none()
            {
                rows.push(NextRow {
                    task: &task.id,
                    date: None,
                    time: None,
                    cadence: task.cadence.to_string(),
                    as_needed: true,
                    last_trigger: Some(last_trigger(&task.id, records)),
                    assignees: None,
                });
            }
            continue;
        };
        if person.is_some() && task.assignment.is_none() {
            continue;
        }
        let mut rotas: Vec<(usize, Rota<'a>)> = task
            .teams
            .iter()
            .map(|&team| (team, Rota::new(catalog, task, team, cover)))
            .collect();
        let mut taken = 0;
        for occurrence in schedule.occurrences_from(from) {
            if taken == count || (person.is_some() && occurrence.date > until) {
                break;
            }
            let mut assignees: Option<Vec<Assigned<'a>>> = task.assignment.is_some().then(|| {
                rotas
                    .iter_mut()
                    .map(|(team, rota)| Assigned {
                        team: &catalog.teams[*team].id,
                        member: rota
                            .assignee(occurrence.date, occurrence.time)
                            .map(|m| m.id.as_str()),
                    })
                    .collect()
            });
            if let (Some(person), Some(all)) = (person, assignees.as_mut()) {
                all.retain(|a| a.member == Some(person));
                if all.is_empty() {
                    continue;
                }
            }
            taken += 1;
            rows.push(NextRow {
                task: &task.id,
                date: Some(occurrence.date),
                time: occurrence.time.map(format_time),
                cadence: task.cadence.to_string(),
                as_needed: false,
                last_trigger: None,
                assignees,
            });
        }
    }
    if let Whose::Person {
        per_task: false, ..
    } = whose
    {
        // Each task gave its first `count`: the first `count` of all are among them.
        rows.sort_by(|a, b| (a.date, &a.time).cmp(&(b.date, &b.time)));
        rows.truncate(count);
    }
    NextListing(Rows::new(rows))
}
