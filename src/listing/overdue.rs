//! `socctl overdue`: work past its window and not done, one row a run of missed
//! occurrences (or one an occurrence).

use jiff::civil::{Date, DateTime};
use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::journal::Record;
use crate::track::status::{OverdueRun, Standing};
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
    /// `missed` when every one of them is past its window, else `overdue` (the deadline
    /// has passed, a window is still open): the [`Standing`] of a single occurrence.
    pub status: Standing,
    /// When the first one's deadline passed (civil, in the catalog's time zone).
    pub deadline: Option<DateTime>,
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
        let mut status = if self.count == 1 {
            Note::new("overdue_since").with("since", since)
        } else {
            Note::new("carried_overdue")
                .with("count", self.count.to_string())
                .with("since", since)
        }
        .text(locale);
        if let Some(deadline) = self.deadline {
            status = locale.format(
                "overdue_deadline",
                &[
                    ("status", &status),
                    ("deadline", &locale.deadline(deadline)),
                ],
            );
        }
        vec![
            Cell::text(self.task),
            Cell::text(self.title),
            Cell::text(self.teams.join(", ")),
            Cell::Text(status),
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
    /// Now, civil, in the catalog's time zone: what is overdue is held against it.
    pub now: DateTime,
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
        let tracked: Vec<Tracked> = track_task(
            catalog,
            index,
            &TaskRecords::new(own),
            query.tracking_start,
            query.now.date(),
            query.now,
        );
        // Runs are collapsed over the whole list, so a done occurrence splits two runs.
        let runs: Vec<OverdueRun> = if query.every_occurrence {
            tracked
                .iter()
                .filter(|t| t.status == Status::Overdue)
                .map(|t| OverdueRun {
                    task: task.id.clone(),
                    count: 1,
                    since: t.date,
                    last: t.date,
                    deadline: t.deadline,
                    missed: usize::from(t.standing == Standing::Missed),
                })
                .collect()
        } else {
            collapse_overdue(catalog, &tracked)
        };
        for run in runs {
            rows.push(OverdueRow {
                task: &task.id,
                title: task.title_in(language),
                teams: task
                    .teams
                    .iter()
                    .map(|&t| catalog.teams[t].id.as_str())
                    .collect(),
                count: run.count,
                since: run.since,
                last: run.last,
                status: if run.missed == run.count {
                    Standing::Missed
                } else {
                    Standing::Overdue
                },
                deadline: run.deadline,
            });
        }
    }
    rows.sort_by_key(|r| (r.since, r.task));
    Rows::new(rows).or_else(Note::new("overdue_empty"))
}

/// The listing when there is no journal: nothing, and where the journal would be.
pub fn no_journal<'a>(journal: &str) -> Rows<OverdueRow<'a>> {
    Rows::new(Vec::new()).or_else(Note::new("overdue_no_journal").with("journal", journal))
}
