//! `socctl tasks` (one row a task) and `socctl show` (one task, field by field).

use std::collections::BTreeMap;

use serde::Serialize;

use super::next::{Assigned, assignees_text};
use super::{Cell, Column, FIELD_COLUMNS, Layout, Listing, Row, Rows};
use crate::catalog::{Assignment, Catalog, Deadline, Task, TaskText};
use crate::i18n::Locale;
use crate::people::{Cover, Rota};

/// A task as `tasks` and `show` give it.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow<'a> {
    /// The task id.
    pub id: &'a str,
    /// The title in the render language.
    pub title: &'a str,
    /// The description in the render language.
    pub description: &'a str,
    /// The canonical cadence.
    pub cadence: String,
    /// The cadence as the catalog writes it.
    pub cadence_as_written: &'a str,
    /// Whether it can be triggered as needed.
    pub as_needed: bool,
    /// Whether it has a schedule.
    pub scheduled: bool,
    /// The ids of its teams.
    pub teams: Vec<&'a str>,
    /// Its `team` entry as the catalog writes it.
    pub team_as_written: &'a [String],
    /// The anchor of "every N …" rules.
    pub start: Option<String>,
    /// How it moves off non-work days.
    pub shift: String,
    /// The deadline rule in force (`due day`, `end of window`, `2 days`).
    pub deadline: String,
    /// Whether `deadline:` sets it (else the cadence implies it).
    pub deadline_set: bool,
    /// Its tags.
    pub tags: &'a [String],
    /// How long it takes, in the canonical form (`1 hour 30 minutes`).
    pub estimate: Option<String>,
    /// Links and documents.
    pub references: &'a [String],
    /// Its translations, by language.
    pub translations: &'a BTreeMap<String, TaskText>,
    /// Who does it, when the catalog says (an `assignee` or a `rotation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment: Option<AssignmentView<'a>>,
    /// Who does its next occurrence, per team (`show` only, for an assigned task).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_turns: Vec<NextTurn<'a>>,
}

/// A task's assignment as listings give it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum AssignmentView<'a> {
    /// The same person every time, per team.
    Fixed {
        /// Team and member ids.
        assignees: Vec<Assigned<'a>>,
    },
    /// Turns among members.
    Rotation {
        /// The member ids listed (empty: every member of each team, in catalog order).
        members: &'a [String],
        /// When the turn passes on, canonical (`every 2 occurrences`).
        handover: String,
        /// The day the first turn starts.
        anchor: jiff::civil::Date,
    },
}

/// The next occurrence of a task for one team and who does it.
#[derive(Debug, Clone, Serialize)]
pub struct NextTurn<'a> {
    /// The team id.
    pub team: &'a str,
    /// The due date.
    pub date: jiff::civil::Date,
    /// The member id, or `None` when nobody is available.
    pub member: Option<&'a str>,
}

impl<'a> AssignmentView<'a> {
    fn new(catalog: &'a Catalog, assignment: &'a Assignment) -> Self {
        match assignment {
            Assignment::Fixed(pairs) => Self::Fixed {
                assignees: pairs
                    .iter()
                    .map(|(team, id)| Assigned {
                        team: &catalog.teams[*team].id,
                        member: Some(id),
                    })
                    .collect(),
            },
            Assignment::Rotation(rotation) => Self::Rotation {
                members: &rotation.members,
                handover: rotation.handover.to_string(),
                anchor: rotation.anchor,
            },
        }
    }

    /// The assignment in words, in the render language.
    fn text(&self, locale: &Locale, teams: &[&str]) -> String {
        match self {
            Self::Fixed { assignees } => assignees_text(locale, assignees),
            Self::Rotation {
                members,
                handover,
                anchor,
            } => {
                let members = if members.is_empty() {
                    locale.format("assignment_team_members", &[("team", &teams.join(", "))])
                } else {
                    members.join(", ")
                };
                locale.format(
                    "assignment_rotation",
                    &[
                        ("members", &members),
                        ("handover", handover),
                        ("anchor", &anchor.to_string()),
                    ],
                )
            }
        }
    }
}

impl<'a> TaskRow<'a> {
    /// The row of `task` in `language`.
    pub fn new(catalog: &'a Catalog, task: &'a Task, language: &str) -> Self {
        Self {
            id: &task.id,
            title: task.title_in(language),
            description: task.description_in(language),
            cadence: task.cadence.to_string(),
            cadence_as_written: &task.cadence_text,
            as_needed: task.cadence.as_needed,
            scheduled: task.cadence.rule.is_some(),
            teams: task
                .teams
                .iter()
                .map(|&t| catalog.teams[t].id.as_str())
                .collect(),
            team_as_written: &task.team_text,
            start: task.start.map(|d| d.to_string()),
            shift: task.shift.to_string(),
            deadline: task.deadline().to_string(),
            deadline_set: task.deadline_set.is_some(),
            tags: &task.tags,
            estimate: task.estimate.map(|estimate| estimate.to_string()),
            references: &task.references,
            translations: &task.translations,
            assignment: task
                .assignment
                .as_ref()
                .map(|a| AssignmentView::new(catalog, a)),
            next_turns: Vec::new(),
        }
    }
}

impl Row for TaskRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("id", "column_task"),
        Column::new("title", "column_title"),
        Column::new("teams", "column_teams"),
        Column::new("cadence", "column_cadence"),
        Column::optional("estimate", "column_estimate"),
    ];

    fn cells(&self, _locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(self.id),
            Cell::text(self.title),
            Cell::text(self.teams.join(", ")),
            Cell::text(&self.cadence),
            Cell::text(self.estimate.as_deref().unwrap_or_default()),
        ]
    }

    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        let mut cells = self.cells(locale);
        cells[2] = Cell::list(&self.teams);
        cells
    }
}

/// The tasks owned by any of `teams`, in catalog order.
pub fn task_rows<'a>(catalog: &'a Catalog, teams: &[usize], language: &str) -> Rows<TaskRow<'a>> {
    Rows::new(
        catalog
            .tasks
            .iter()
            .filter(|task| task.teams.iter().any(|t| teams.contains(t)))
            .map(|task| TaskRow::new(catalog, task, language))
            .collect(),
    )
}

/// A task's deadline rule in words, and where it comes from: "on time when done before
/// the next occurrence is due (the default for `weekly`, which names no day)".
pub fn deadline_rule(locale: &Locale, task: &Task) -> String {
    let deadline = task.deadline();
    let rule = match deadline {
        Deadline::DueDay => locale.text("deadline_due_day").to_owned(),
        Deadline::EndOfWindow => locale.text("deadline_end_of_window").to_owned(),
        Deadline::Grace(_) => {
            let key = if task.cadence.at.is_some()
                || matches!(task.cadence.rule, Some(crate::cadence::Rule::Cron(_)))
            {
                "deadline_grace_time"
            } else {
                "deadline_grace"
            };
            locale.format(key, &[("grace", &deadline.to_string())])
        }
    };
    let source = if task.deadline_set.is_some() {
        locale.format("deadline_set", &[("deadline", &deadline.to_string())])
    } else if task.cadence.names_day {
        locale.format("deadline_default_day", &[("cadence", &task.cadence_text)])
    } else {
        locale.format(
            "deadline_default_period",
            &[("cadence", &task.cadence_text)],
        )
    };
    format!("{rule} ({source})")
}

/// One task in full, for `socctl show`: its row in JSON, its fields one a line elsewhere.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct TaskDetail<'a> {
    /// The task.
    pub task: TaskRow<'a>,
    /// Its teams' names in the render language.
    #[serde(skip)]
    pub team_names: Vec<&'a str>,
    /// Its deadline rule in words.
    #[serde(skip)]
    pub deadline_rule: String,
}

impl<'a> TaskDetail<'a> {
    /// `task` in full, in `language`.
    pub fn new(catalog: &'a Catalog, task: &'a Task, locale: &Locale) -> Self {
        let language = locale.language();
        Self {
            deadline_rule: deadline_rule(locale, task),
            task: TaskRow::new(catalog, task, language),
            team_names: task
                .teams
                .iter()
                .map(|&t| catalog.teams[t].name_in(language))
                .collect(),
        }
    }
}

impl<'a> TaskDetail<'a> {
    /// Adds who does the task's next occurrence on or after `from`, per team, after the
    /// journal's leave and swaps (`cover`).
    #[must_use]
    pub fn with_next_turns(
        mut self,
        catalog: &'a Catalog,
        task: &'a Task,
        from: jiff::civil::Date,
        cover: &Cover,
    ) -> Self {
        if task.assignment.is_none() {
            return self;
        }
        let Some(next) = task
            .schedule(catalog.task_calendar(task, None))
            .and_then(|s| s.first_on_or_after(from))
        else {
            return self;
        };
        self.task.next_turns = task
            .teams
            .iter()
            .map(|&team| NextTurn {
                team: &catalog.teams[team].id,
                date: next.date,
                member: Rota::new(catalog, task, team, cover)
                    .assignee(next.date, next.time)
                    .map(|m| m.id.as_str()),
            })
            .collect();
        self
    }
}

/// What stands for a missing value.
const NONE: &str = "—";

impl Listing for TaskDetail<'_> {
    fn columns(&self) -> &'static [Column] {
        FIELD_COLUMNS
    }

    fn rows(&self, locale: &Locale) -> Vec<Vec<Cell>> {
        let task = &self.task;
        let languages: Vec<&str> = task.translations.keys().map(String::as_str).collect();
        [
            ("field_id", Cell::text(task.id)),
            ("field_title", Cell::text(task.title)),
            ("field_description", Cell::text(task.description)),
            ("field_cadence", Cell::text(&task.cadence)),
            ("field_as_written", Cell::text(task.cadence_as_written)),
            ("field_teams", Cell::text(self.team_names.join(", "))),
            (
                "field_team_as_written",
                Cell::text(task.team_as_written.join(", ")),
            ),
            (
                "field_start",
                Cell::text(task.start.as_deref().unwrap_or(NONE)),
            ),
            ("field_shift", Cell::text(&task.shift)),
            ("field_deadline", Cell::text(&self.deadline_rule)),
            ("field_tags", Cell::text(task.tags.join(", "))),
            (
                "field_estimate",
                Cell::text(task.estimate.as_deref().unwrap_or(NONE)),
            ),
            ("field_references", Cell::list(task.references)),
            ("field_languages", Cell::text(languages.join(", "))),
        ]
        .into_iter()
        .chain(task.assignment.as_ref().map(|assignment| {
            (
                "field_assignment",
                Cell::text(assignment.text(locale, &task.teams)),
            )
        }))
        .chain((!task.next_turns.is_empty()).then(|| {
            let turns: Vec<String> = task
                .next_turns
                .iter()
                .map(|turn| {
                    let who = turn.member.map_or_else(
                        || locale.text("assignment_unassigned").to_owned(),
                        str::to_owned,
                    );
                    if task.next_turns.len() > 1 {
                        format!("{} {}: {who}", turn.date, turn.team)
                    } else {
                        format!("{} {who}", turn.date)
                    }
                })
                .collect();
            ("field_next_assignees", Cell::list(&turns))
        }))
        .map(|(key, value)| vec![Cell::text(locale.text(key)), value])
        .collect()
    }

    fn layout(&self) -> Layout {
        Layout::Fields
    }
}
