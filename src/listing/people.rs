//! `socctl people`: one row a person, with their teams and their next assigned work.

use jiff::civil::Date;
use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::calendar::format_time;
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::people::{Cover, next_assignments};

/// A person's membership of one team for one period.
#[derive(Debug, Clone, Serialize)]
pub struct Membership<'a> {
    /// The team id.
    pub team: &'a str,
    /// Whether they lead it in this period.
    pub lead: bool,
    /// The first day (none: always was).
    pub since: Option<Date>,
    /// The last day (none: still is).
    pub until: Option<Date>,
}

/// The next occurrence of a task assigned to a person.
#[derive(Debug, Clone, Serialize)]
pub struct Turn<'a> {
    /// The task id.
    pub task: &'a str,
    /// The team they do it for.
    pub team: &'a str,
    /// The due date.
    pub date: Date,
    /// The time of day, `HH:MM`, for timed tasks.
    pub time: Option<String>,
    /// Whether the task belongs to several teams (the text then names the team).
    #[serde(skip)]
    pub shared: bool,
}

/// A person of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow<'a> {
    /// The member id.
    pub id: &'a str,
    /// The name.
    pub name: &'a str,
    /// The e-mail address.
    pub email: &'a str,
    /// The chat handle, when given.
    pub chat: Option<&'a str>,
    /// Their memberships, in catalog order.
    pub teams: Vec<Membership<'a>>,
    /// The next occurrence of each task assigned to them, in date order.
    pub next: Vec<Turn<'a>>,
}

impl Row for PersonRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("id", "column_person"),
        Column::new("name", "column_name"),
        Column::new("email", "column_email"),
        Column::new("teams", "column_teams"),
        Column::new("next", "column_next_assigned"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        let teams: Vec<String> = self
            .teams
            .iter()
            .map(|m| {
                let mut notes = Vec::new();
                if m.lead {
                    notes.push(locale.text("member_lead").to_owned());
                }
                if let Some(since) = m.since {
                    notes.push(locale.format("member_since", &[("date", &since.to_string())]));
                }
                if let Some(until) = m.until {
                    notes.push(locale.format("member_until", &[("date", &until.to_string())]));
                }
                if notes.is_empty() {
                    m.team.to_owned()
                } else {
                    format!("{} ({})", m.team, notes.join(", "))
                }
            })
            .collect();
        let next: Vec<String> = self
            .next
            .iter()
            .map(|turn| {
                let mut text = turn.date.to_string();
                if let Some(time) = &turn.time {
                    text = format!("{text} {time}");
                }
                text = format!("{text} {}", turn.task);
                if turn.shared {
                    text = format!("{text} ({})", turn.team);
                }
                text
            })
            .collect();
        vec![
            Cell::text(self.id),
            Cell::text(self.name),
            Cell::text(self.email),
            Cell::list(&teams),
            Cell::list(&next),
        ]
    }
}

/// Every person who is in any of `teams` (indexes into the catalog's teams), in order of
/// first appearance in roles.yaml, with their next turns on or after `from`.
pub fn people_rows<'a>(
    catalog: &'a Catalog,
    teams: &[usize],
    from: Date,
    cover: &Cover,
) -> Rows<PersonRow<'a>> {
    let mut rows: Vec<PersonRow<'a>> = Vec::new();
    for team in &catalog.teams {
        for member in &team.members {
            let membership = Membership {
                team: &team.id,
                lead: member.lead,
                since: member.since,
                until: member.until,
            };
            match rows.iter_mut().find(|row| row.id == member.id) {
                Some(row) => row.teams.push(membership),
                None => rows.push(PersonRow {
                    id: &member.id,
                    name: &member.name,
                    email: &member.email,
                    chat: member.chat.as_deref(),
                    teams: vec![membership],
                    next: Vec::new(),
                }),
            }
        }
    }
    let selected: Vec<&str> = teams
        .iter()
        .map(|&t| catalog.teams[t].id.as_str())
        .collect();
    rows.retain(|row| row.teams.iter().any(|m| selected.contains(&m.team)));
    for (person, task, team, occurrence) in next_assignments(catalog, from, cover) {
        if let Some(row) = rows.iter_mut().find(|row| row.id == person) {
            row.next.push(Turn {
                task: &task.id,
                team: &catalog.teams[team].id,
                date: occurrence.date,
                time: occurrence.time.map(format_time),
                shared: task.teams.len() > 1,
            });
        }
    }
    for row in &mut rows {
        row.next
            .sort_by(|a, b| (a.date, &a.time, a.task).cmp(&(b.date, &b.time, b.task)));
    }
    Rows::new(rows).or_else(Note::new("no_people"))
}
