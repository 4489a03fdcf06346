//! `socctl teams`: one row a team.

use serde::Serialize;

use super::{Cell, Column, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;

/// A team, with the groups it belongs to and the tasks it owns.
#[derive(Debug, Clone, Serialize)]
pub struct TeamRow<'a> {
    /// The team id.
    pub id: &'a str,
    /// The name in the render language.
    pub name: &'a str,
    /// Other names `--team` accepts.
    pub aliases: &'a [String],
    /// Where its checklist is mailed.
    pub email: Option<&'a str>,
    /// Its own time zone, when it has one.
    pub timezone: Option<&'a str>,
    /// The ids of the groups it is in.
    pub groups: Vec<&'a str>,
    /// The ids of the tasks it owns, in catalog order.
    pub tasks: Vec<&'a str>,
}

impl Row for TeamRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("id", "column_team"),
        Column::new("name", "column_name"),
        Column::new("aliases", "column_aliases"),
        Column::new("email", "column_email"),
        Column::new("task_count", "column_task_count"),
    ];

    fn cells(&self, _locale: &Locale) -> Vec<Cell> {
        vec![
            Cell::text(self.id),
            Cell::text(self.name),
            Cell::text(self.aliases.join(", ")),
            Cell::text(self.email.unwrap_or("")),
            Cell::text(self.tasks.len().to_string()),
        ]
    }

    fn csv_cells(&self, locale: &Locale) -> Vec<Cell> {
        let mut cells = self.cells(locale);
        cells[2] = Cell::list(self.aliases);
        cells
    }
}

/// Every team of the catalog, in file order.
pub fn team_rows<'a>(catalog: &'a Catalog, language: &str) -> Rows<TeamRow<'a>> {
    let rows = catalog
        .teams
        .iter()
        .enumerate()
        .map(|(index, team)| TeamRow {
            id: &team.id,
            name: team.name_in(language),
            aliases: &team.aliases,
            email: team.email.as_deref(),
            timezone: team.timezone.as_deref(),
            groups: catalog
                .groups
                .iter()
                .filter(|g| g.members.contains(&index))
                .map(|g| g.id.as_str())
                .collect(),
            tasks: catalog
                .tasks
                .iter()
                .filter(|t| t.teams.contains(&index))
                .map(|t| t.id.as_str())
                .collect(),
        })
        .collect();
    Rows::new(rows)
}
