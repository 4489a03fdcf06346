//! `socctl next`: the next due dates of tasks, one row a date; a task that is only "as
//! needed" gets one row saying so, with its last trigger.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Listing, Note, Row, Rows};
use crate::calendar::format_time;
use crate::catalog::{Catalog, Task};
use crate::i18n::Locale;
use crate::journal::{Action, Record};

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
}

impl Row for NextRow<'_> {
    const COLUMNS: &'static [Column] = WITH_NOTE.split_at(WITH_NOTE.len() - 1).0;

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
}

impl NextRow<'_> {
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

/// The rows of `socctl next`: the dated columns, and a `note` column when a task that is
/// only "as needed" has its row.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct NextListing<'a>(pub Rows<NextRow<'a>>);

/// The columns of a listing with an "as needed" row: the dated rows' columns, then the
/// note.
const WITH_NOTE: &[Column] = &[
    Column::new("task", "column_task"),
    Column::new("date", "column_date"),
    Column::new("weekday", "column_day"),
    Column::new("time", "column_time"),
    Column::new("cadence", "column_cadence"),
    Column::new("note", "column_note"),
];

impl Listing for NextListing<'_> {
    fn columns(&self) -> &'static [Column] {
        if self.0.rows.iter().any(|row| row.as_needed) {
            WITH_NOTE
        } else {
            NextRow::COLUMNS
        }
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        let note = self.columns().len() > NextRow::COLUMNS.len();
        self.0
            .rows
            .iter()
            .map(|row| {
                let mut cells = row.cells(locale);
                if note {
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

/// The next `count` dates on or after `from` of each scheduled task of `tasks`; a task
/// that is only "as needed" has one row, with its latest trigger among `records` (the
/// journal's records of those tasks) when `as_needed_rows`, and none otherwise.
pub fn next_rows<'a>(
    catalog: &Catalog,
    tasks: &[&'a Task],
    from: Date,
    count: usize,
    as_needed_rows: bool,
    records: &'a [Record],
) -> NextListing<'a> {
    let mut rows = Vec::new();
    for task in tasks {
        let Some(schedule) = task.schedule(&catalog.calendar) else {
            if as_needed_rows {
                rows.push(NextRow {
                    task: &task.id,
                    date: None,
                    time: None,
                    cadence: task.cadence.to_string(),
                    as_needed: true,
                    last_trigger: Some(last_trigger(&task.id, records)),
                });
            }
            continue;
        };
        for occurrence in schedule.occurrences_from(from).take(count) {
            rows.push(NextRow {
                task: &task.id,
                date: Some(occurrence.date),
                time: occurrence.time.map(format_time),
                cadence: task.cadence.to_string(),
                as_needed: false,
                last_trigger: None,
            });
        }
    }
    NextListing(Rows::new(rows))
}
