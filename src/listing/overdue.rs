//! `socctl overdue`: work past its window and not done, one row a run of missed
//! occurrences (or one an occurrence).

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::journal::Record;
use crate::track::{Status, TaskRecords, Tracked, collapse_overdue, records_by_task, track_task};

/// Overdue work of one task: `count` occurrences from `since` to `last`.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueRow<'a> {
    /// The task id.
    pub task: &'a str,
    /// The title in the render language.
    pub title: &'a str,
    /// The ids of its teams.
    pub teams: Vec<&'a str>,
    /// How many occurrences in a row are overdue.
    pub count: usize,
    /// The first of them.
    pub since: Date,
    /// The last of them.
    pub last: Date,
}

impl Row for OverdueRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("task", "column_task"),
        Column::new("title", "column_title"),
        Column::new("teams", "column_team"),
        Column::new("status", "column_status"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        let since = self.since.to_string();
        let status = if self.count == 1 {
            Note::new("overdue_since").with("since", since)
        } else {
            Note::new("carried_overdue")
                .with("count", self.count.to_string())
                .with("since", since)
        };
        vec![
            Cell::text(self.task),
            Cell::text(self.title),
            Cell::text(self.teams.join(", ")),
            Cell::Text(status.text(locale)),
        ]
    }
}

/// What `overdue` looks at.
#[derive(Debug, Clone, Copy)]
pub struct OverdueQuery<'q> {
    /// The teams whose tasks count.
    pub teams: &'q [usize],
    /// The journal's start of tracking.
    pub tracking_start: Date,
    /// Today: what is due today is not overdue yet.
    pub today: Date,
    /// One row an occurrence instead of one a run.
    pub every_occurrence: bool,
}

/// The overdue work of `query.teams`' tasks, oldest first.
pub fn overdue_rows<'a>(
    catalog: &'a Catalog,
    records: &[Record],
    query: OverdueQuery<'_>,
    language: &str,
) -> Rows<OverdueRow<'a>> {
    let by_task = records_by_task(records);
    let mut rows = Vec::new();
    for (index, task) in catalog.tasks.iter().enumerate() {
        if !task.teams.iter().any(|t| query.teams.contains(t)) {
            continue;
        }
        let own: &[&Record] = by_task.get(task.id.as_str()).map_or(&[], Vec::as_slice);
        // Each team's obligation on its own; teams whose overdue work is the same share
        // a row (a task of several teams with only records of every team: one row).
        let mut task_rows: Vec<OverdueRow<'a>> = Vec::new();
        for &team in task.teams.iter().filter(|t| query.teams.contains(t)) {
            let team_id = catalog.teams[team].id.as_str();
            let tracked: Vec<Tracked> = track_task(
                catalog,
                index,
                &TaskRecords::for_team(own, Some(team_id)),
                query.tracking_start,
                query.today,
                query.today,
            );
            // Runs are collapsed over the whole list, so a done occurrence splits two runs.
            let runs: Vec<(usize, Date, Date)> = if query.every_occurrence {
                tracked
                    .iter()
                    .filter(|t| t.status == Status::Overdue)
                    .map(|t| (1, t.date, t.date))
                    .collect()
            } else {
                collapse_overdue(catalog, &tracked)
                    .into_iter()
                    .map(|r| (r.count, r.since, r.last))
                    .collect()
            };
            for (count, since, last) in runs {
                match task_rows
                    .iter_mut()
                    .find(|r| (r.count, r.since, r.last) == (count, since, last))
                {
                    Some(row) => row.teams.push(team_id),
                    None => task_rows.push(OverdueRow {
                        task: &task.id,
                        title: task.title_in(language),
                        teams: vec![team_id],
                        count,
                        since,
                        last,
                    }),
                }
            }
        }
        rows.extend(task_rows);
    }
    rows.sort_by_key(|r| (r.since, r.task));
    Rows::new(rows).or_else(Note::new("overdue_empty"))
}

/// The listing when there is no journal: nothing, and where the journal would be.
pub fn no_journal<'a>(journal: &str) -> Rows<OverdueRow<'a>> {
    Rows::new(Vec::new()).or_else(Note::new("overdue_no_journal").with("journal", journal))
}
