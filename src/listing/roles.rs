//! `socctl roles`: the roles and responsibilities matrix, one row a team.

use serde::Serialize;

use super::{Cell, Column, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;

/// A team's roles, responsibilities and maintenance tasks.
#[derive(Debug, Clone, Serialize)]
pub struct RoleRow<'a> {
    /// The team id.
    pub team: &'a str,
    /// The team's name in the render language.
    pub name: &'a str,
    /// What the team is responsible for.
    pub responsibilities: &'a [String],
    /// Its Microsoft Defender XDR duties.
    pub defender_tasks: &'a [String],
    /// The catalog's tasks it owns.
    pub maintenance_tasks: Vec<MaintenanceTask<'a>>,
}

/// A task of a [`RoleRow`].
#[derive(Debug, Clone, Serialize)]
pub struct MaintenanceTask<'a> {
    /// The task id.
    pub task: &'a str,
    /// The title in the render language.
    pub title: &'a str,
    /// The canonical cadence.
    pub cadence: String,
}

impl Row for RoleRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("name", "column_team"),
        Column::new("responsibilities", "column_responsibilities"),
        Column::new("defender_tasks", "column_defender_tasks"),
        Column::new("maintenance_tasks", "column_maintenance_tasks"),
    ];

    fn cells(&self, _locale: &Locale) -> Vec<Cell> {
        let tasks: Vec<String> = self
            .maintenance_tasks
            .iter()
            .map(|t| format!("{} ({})", t.title, t.cadence))
            .collect();
        vec![
            Cell::text(self.name),
            Cell::list(self.responsibilities),
            Cell::list(self.defender_tasks),
            Cell::List(tasks),
        ]
    }
}

/// The rows of `teams`, in the order given.
pub fn role_rows<'a>(catalog: &'a Catalog, teams: &[usize], language: &str) -> Rows<RoleRow<'a>> {
    Rows::new(
        teams
            .iter()
            .map(|&index| {
                let team = &catalog.teams[index];
                RoleRow {
                    team: &team.id,
                    name: team.name_in(language),
                    responsibilities: &team.responsibilities,
                    defender_tasks: &team.defender_tasks,
                    maintenance_tasks: catalog
                        .tasks
                        .iter()
                        .filter(|t| t.teams.contains(&index))
                        .map(|t| MaintenanceTask {
                            task: &t.id,
                            title: t.title_in(language),
                            cadence: t.cadence.to_string(),
                        })
                        .collect(),
                }
            })
            .collect(),
    )
}
