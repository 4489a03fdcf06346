//! `socctl overdue`: work past its window and not done, one row a run of missed
//! occurrences (or one an occurrence).

use jiff::civil::{Date, DateTime};
use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::journal::Record;
use crate::people::Cover;
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

    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        let mut cells = self.cells(locale);
        cells[2] = Cell::list(&self.teams);
        cells
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
    /// Only the occurrences this member (an id) does, after the journal's leave and swaps
    /// (`cover`), collapsed into runs of their own.
    pub person: Option<(&'q str, &'q Cover)>,
}

/// The overdue work of `query.teams`' tasks, oldest first.
pub fn overdue_rows<'a>(
    catalog: &'a Catalog,
    records: &[Record],
    query: OverdueQuery<'_>,
    language: &str,
) -> Rows<OverdueRow<'a>> {
    let by_task = records_by_task(records);
    let mut assigner = query
        .person
        .map(|(_, cover)| crate::people::Assigner::new(catalog, cover));
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
            let mut tracked: Vec<Tracked> = track_task(
                catalog,
                index,
                &TaskRecords::for_team(own, Some(team_id)),
                query.tracking_start,
                query.now.date(),
                query.now,
            );
            if let (Some((person, _)), Some(assigner)) = (query.person, assigner.as_mut()) {
                // The person's own occurrences, so their runs count only their turns.
                tracked.retain(|t| assigner.who(index, team, t.date, t.time).is(person));
            }
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
                let status = if run.missed == run.count {
                    Standing::Missed
                } else {
                    Standing::Overdue
                };
                match task_rows.iter_mut().find(|r| {
                    (r.count, r.since, r.last, r.status, r.deadline)
                        == (run.count, run.since, run.last, status, run.deadline)
                }) {
                    Some(row) => row.teams.push(team_id),
                    None => task_rows.push(OverdueRow {
                        task: &task.id,
                        title: task.title_in(language),
                        teams: vec![team_id],
                        count: run.count,
                        since: run.since,
                        last: run.last,
                        status,
                        deadline: run.deadline,
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

/// A `--warning` or `--critical` threshold of `overdue --format nagios`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    /// Met when this many occurrences, or more, are overdue (`3`).
    Count(usize),
    /// Met when an occurrence's deadline passed this many days ago, or more (`2d`).
    Days(i64),
}

impl Threshold {
    /// Parses `3` (a count of overdue occurrences) or `2d` / `2 days` (days past the
    /// deadline); the error says what is accepted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let days = trimmed
            .strip_suffix("days")
            .or_else(|| trimmed.strip_suffix("day"))
            .or_else(|| trimmed.strip_suffix('d'));
        let parsed = match days {
            Some(number) => number
                .trim()
                .parse()
                .ok()
                .filter(|d| *d >= 0)
                .map(Self::Days),
            None => trimmed.parse().ok().filter(|c| *c >= 1).map(Self::Count),
        };
        parsed.ok_or_else(|| {
            format!(
                "`{text}` is not a threshold: write a count of overdue occurrences (e.g. `1`) or days past the deadline (e.g. `2d`)"
            )
        })
    }

    fn met(self, count: usize, oldest_days: Option<i64>) -> bool {
        match self {
            Self::Count(threshold) => count >= threshold,
            Self::Days(threshold) => oldest_days.is_some_and(|days| days >= threshold),
        }
    }

    fn count(self) -> String {
        match self {
            Self::Count(count) => count.to_string(),
            Self::Days(_) => String::new(),
        }
    }

    fn days(self) -> String {
        match self {
            Self::Days(days) => days.to_string(),
            Self::Count(_) => String::new(),
        }
    }
}

/// A Nagios/Icinga plugin state: the status line's word and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PluginState {
    /// 0: nothing crosses a threshold.
    Ok,
    /// 1: the warning threshold is met.
    Warning,
    /// 2: the critical threshold is met.
    Critical,
    /// 3: socctl cannot tell (no journal, an unreadable one, a bad catalog).
    Unknown,
}

impl PluginState {
    /// The word of the status line.
    pub fn word(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }
}

/// Whole days from `deadline` to `now` (0 within the first day past it).
fn days_past(deadline: DateTime, now: DateTime) -> i64 {
    now.duration_since(deadline).as_secs().max(0) / 86_400
}

/// The plugin status line for `rows` (from [`overdue_rows`]) of `teams`, as of `now`:
/// `SOCCTL WARNING - 3 overdue, oldest … | 'alpha'=2;1;;0 'alpha_days'=9;;7;0 …`, and the
/// state. Each team's performance data is its overdue count and how many days ago the
/// oldest of its deadlines passed, with the thresholds on the metric they measure.
pub fn nagios_line(
    catalog: &Catalog,
    rows: &Rows<OverdueRow<'_>>,
    teams: &[usize],
    now: DateTime,
    (warning, critical): (Threshold, Threshold),
) -> (PluginState, String) {
    let days = |row: &OverdueRow<'_>| row.deadline.map(|d| days_past(d, now));
    let total: usize = rows.rows.iter().map(|r| r.count).sum();
    let oldest = rows.rows.iter().filter_map(days).max();
    let state = if critical.met(total, oldest) {
        PluginState::Critical
    } else if warning.met(total, oldest) {
        PluginState::Warning
    } else {
        PluginState::Ok
    };
    let summary = match rows.rows.iter().min_by_key(|r| (r.deadline, r.since)) {
        None => "nothing overdue".to_owned(),
        Some(first) => {
            let tasks = rows
                .rows
                .iter()
                .map(|r| r.task)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            let past = days(first).map_or_else(String::new, |d| {
                format!(
                    ", deadline passed {d} day{} ago",
                    if d == 1 { "" } else { "s" }
                )
            });
            format!(
                "{total} overdue occurrence{} of {tasks} task{}; oldest: {} due {}{past}",
                if total == 1 { "" } else { "s" },
                if tasks == 1 { "" } else { "s" },
                first.task,
                first.since,
            )
        }
    };
    let mut perfdata = Vec::new();
    for &team in teams {
        let id = catalog.teams[team].id.as_str();
        let own: Vec<&OverdueRow<'_>> =
            rows.rows.iter().filter(|r| r.teams.contains(&id)).collect();
        let count: usize = own.iter().map(|r| r.count).sum();
        let oldest = own.iter().filter_map(|r| days(r)).max().unwrap_or(0);
        perfdata.push(format!(
            "'{id}'={count};{};{};0 '{id}_days'={oldest};{};{};0",
            warning.count(),
            critical.count(),
            warning.days(),
            critical.days()
        ));
    }
    let line = format!(
        "SOCCTL {} - {summary} | {}",
        state.word(),
        perfdata.join(" ")
    );
    (state, line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_are_counts_or_days() {
        assert_eq!(Threshold::parse("3"), Ok(Threshold::Count(3)));
        assert_eq!(Threshold::parse("2d"), Ok(Threshold::Days(2)));
        assert_eq!(Threshold::parse("7 days"), Ok(Threshold::Days(7)));
        assert_eq!(Threshold::parse("0d"), Ok(Threshold::Days(0)));
        for bad in ["0", "-1", "soon", "2w", ""] {
            assert!(Threshold::parse(bad).is_err(), "{bad}");
        }
        assert!(Threshold::Count(2).met(2, None));
        assert!(!Threshold::Count(3).met(2, Some(30)));
        assert!(Threshold::Days(7).met(1, Some(7)));
        assert!(!Threshold::Days(7).met(9, Some(6)));
        assert!(!Threshold::Days(0).met(0, None));
    }

    #[test]
    fn days_past_a_deadline_are_whole_days() {
        let deadline = jiff::civil::date(2026, 11, 17).at(0, 0, 0, 0);
        assert_eq!(
            days_past(deadline, jiff::civil::date(2026, 11, 17).at(23, 59, 0, 0)),
            0
        );
        assert_eq!(
            days_past(deadline, jiff::civil::date(2026, 11, 18).at(0, 0, 0, 0)),
            1
        );
        assert_eq!(
            days_past(deadline, jiff::civil::date(2026, 11, 25).at(12, 0, 0, 0)),
            8
        );
    }
}
