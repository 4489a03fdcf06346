//! `socctl history`: the journal's records, one row each.

use std::collections::HashMap;

use serde::Serialize;

use super::{Cell, Column, Note, Row, Rows};
use crate::catalog::Catalog;
use crate::i18n::Locale;
use crate::journal::Record;
use crate::track::Standing;

/// A journal record, and whether its task is still in the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow<'a> {
    /// The record, with the journal's own field names.
    #[serde(flatten)]
    pub record: &'a Record,
    /// False for records of renamed or removed tasks.
    pub in_catalog: bool,
    /// How the occurrence a `done` or `skipped` record settles ended (`on_time`, `late`,
    /// `skipped`); `null` for other records, and for retracted or superseded ones.
    pub status: Option<Standing>,
}

impl Row for HistoryRow<'_> {
    const COLUMNS: &'static [Column] = &[
        Column::new("recorded_at", "column_recorded"),
        Column::new("task", "column_task"),
        Column::new("occurrence", "column_due_date"),
        Column::new("action", "column_action"),
        Column::new("on", "column_on"),
        Column::new("status", "column_status"),
        Column::new("by", "column_by"),
        Column::optional("assignee", "column_assignee"),
        Column::new("note", "column_note"),
        Column::new("ref", "column_ref"),
    ];

    fn cells(&self, locale: &Locale) -> Vec<Cell> {
        let record = self.record;
        let task = if self.in_catalog {
            record.task.clone()
        } else {
            Note::new("history_not_in_catalog")
                .with("task", &record.task)
                .text(locale)
        };
        vec![
            Cell::text(record.recorded_at.strftime("%Y-%m-%d %H:%M").to_string()),
            Cell::Text(task),
            Cell::text(record.occurrence.to_string()),
            Cell::text(record.action.as_str()),
            Cell::text(record.on.to_string()),
            Cell::text(self.status.map_or("", |s| standing_label(locale, s))),
            Cell::text(&record.by),
            Cell::text(record.assignee.as_deref().unwrap_or("")),
            Cell::text(record.note.as_deref().unwrap_or("")),
            Cell::text(record.reference.as_deref().unwrap_or("")),
        ]
    }
}

/// A standing in the render language ("on time", "late", "missed").
pub fn standing_label(locale: &Locale, standing: Standing) -> &str {
    locale.text(match standing {
        Standing::Upcoming => "status_upcoming",
        Standing::Open => "status_open",
        Standing::Overdue => "status_overdue",
        Standing::Missed => "standing_missed",
        Standing::OnTime => "standing_on_time",
        Standing::Late => "standing_late",
        Standing::Skipped => "status_skipped",
        Standing::Triggered => "status_triggered",
    })
}

/// The rows of `records`, in the order given (`history` shows the newest first), with the
/// standing `standings` (from [`crate::track::record_standings`]) gives each.
pub fn history_rows<'a, S: std::hash::BuildHasher>(
    catalog: &Catalog,
    records: &'a [Record],
    standings: &HashMap<String, Standing, S>,
) -> Rows<HistoryRow<'a>> {
    Rows::new(
        records
            .iter()
            .map(|record| HistoryRow {
                record,
                in_catalog: catalog.task(&record.task).is_some(),
                status: standings.get(&record.id).copied(),
            })
            .collect(),
    )
    .or_else(Note::new("history_empty"))
}

/// The listing when there is no journal: nothing, and where the journal would be.
pub fn no_journal<'a>(journal: &str) -> Rows<HistoryRow<'a>> {
    Rows::new(Vec::new()).or_else(Note::new("history_no_journal").with("journal", journal))
}
