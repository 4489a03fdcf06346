//! `socctl next`: the next due dates of tasks, one row a date.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Row, Rows};
use crate::calendar::format_time;
use crate::catalog::{Catalog, Task};
use crate::i18n::Locale;

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
}

impl Row for NextRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("task", "column_task"),
        Column::new("date", "column_date"),
        Column::new("weekday", "column_day"),
        Column::new("time", "column_time"),
        Column::new("cadence", "column_cadence"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(self.task),
            Cell::text(self.date.to_string()),
            Cell::text(locale.weekday_short(self.date.weekday())),
            Cell::text(self.time.clone().unwrap_or_default()),
            Cell::text(&self.cadence),
        ]
    }
}

/// The next `count` dates on or after `from` of each scheduled task of `tasks`.
pub fn next_rows<'a>(
    catalog: &Catalog,
    tasks: &[&'a Task],
    from: Date,
    count: usize,
) -> Rows<NextRow<'a>> {
    let mut rows = Vec::new();
    for task in tasks {
        let Some(schedule) = task.schedule(&catalog.calendar) else {
            continue;
        };
        for occurrence in schedule.occurrences_from(from).take(count) {
            rows.push(NextRow {
                task: &task.id,
                date: occurrence.date,
                time: occurrence.time.map(format_time),
                cadence: task.cadence.to_string(),
            });
        }
    }
    Rows::new(rows)
}
