//! `socctl next`: the next due dates of tasks, one row a date.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Listing, Note};
use crate::calendar::format_time;
use crate::catalog::{Catalog, Task};
use crate::i18n::Locale;
use crate::people::{Cover, Rota};

/// Who does an occurrence for one of its teams.
#[derive(Debug, Clone, Serialize)]
pub struct Assigned<'a> {
    /// The team id.
    pub team: &'a str,
    /// The member id, or `None` when nobody is available (unassigned).
    pub member: Option<&'a str>,
}

/// A task's next due date.
#[derive(Debug, Clone, Serialize)]
pub struct NextRow<'a> {
    /// The task id.
    pub task: &'a str,
    /// The due date.
    pub date: Date,
    /// The time of day, `HH:MM`, for timed tasks.
    pub time: Option<String>,
    /// The canonical cadence.
    pub cadence: String,
    /// Who does it, one entry per team, for a task with an `assignee` or a `rotation`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignees: Option<Vec<Assigned<'a>>>,
}

/// The rows of `socctl next`: with an assignee column when any task in them is assigned.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct NextRows<'a> {
    /// The rows, in output order.
    pub rows: Vec<NextRow<'a>>,
}

const COLUMNS: &[Column] = &[
    Column::new("task", "column_task"),
    Column::new("date", "column_date"),
    Column::new("weekday", "column_day"),
    Column::new("time", "column_time"),
    Column::new("cadence", "column_cadence"),
];

const ASSIGNED_COLUMNS: &[Column] = &[
    Column::new("task", "column_task"),
    Column::new("date", "column_date"),
    Column::new("weekday", "column_day"),
    Column::new("time", "column_time"),
    Column::new("cadence", "column_cadence"),
    Column::new("assignee", "column_assignee"),
];

impl NextRows<'_> {
    fn assigned(&self) -> bool {
        self.rows.iter().any(|row| row.assignees.is_some())
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

impl Listing for NextRows<'_> {
    fn columns(&self) -> &'static [Column] {
        if self.assigned() {
            ASSIGNED_COLUMNS
        } else {
            COLUMNS
        }
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        let assigned = self.assigned();
        self.rows
            .iter()
            .map(|row| {
                let mut cells = vec![
                    Cell::text(row.task),
                    Cell::text(row.date.to_string()),
                    Cell::text(locale.weekday_short(row.date.weekday())),
                    Cell::text(row.time.clone().unwrap_or_default()),
                    Cell::text(&row.cadence),
                ];
                if assigned {
                    cells.push(Cell::text(
                        row.assignees
                            .as_deref()
                            .map(|a| assignees_text(locale, a))
                            .unwrap_or_default(),
                    ));
                }
                cells
            })
            .collect()
    }

    fn empty(&self) -> Option<&Note> {
        None
    }
}

/// The next `count` dates on or after `from` of each scheduled task of `tasks`.
pub fn next_rows<'a>(
    catalog: &'a Catalog,
    tasks: &[&'a Task],
    from: Date,
    count: usize,
) -> NextRows<'a> {
    let mut rows = Vec::new();
    for task in tasks {
        let Some(schedule) = task.schedule(&catalog.calendar) else {
            continue;
        };
        let mut rotas: Vec<(usize, Rota<'a>)> = task
            .teams
            .iter()
            .map(|&team| (team, Rota::new(catalog, task, team, &Cover::none())))
            .collect();
        for occurrence in schedule.occurrences_from(from).take(count) {
            let assignees = task.assignment.is_some().then(|| {
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
            rows.push(NextRow {
                task: &task.id,
                date: occurrence.date,
                time: occurrence.time.map(format_time),
                cadence: task.cadence.to_string(),
                assignees,
            });
        }
    }
    NextRows { rows }
}
